package aim.hotspots;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UK financial-year quarters: Q1 = April–June, the year 2024/25 runs 1 Apr 2024 – 31 Mar 2025. */
class FinancialQuarterTest {

    private static FinancialQuarter q(String date) {
        return FinancialQuarter.of(LocalDate.parse(date));
    }

    @Test
    void theYearTurnsOnFirstApril() {
        assertEquals("Q4 23/24", q("2024-03-31").label());
        assertEquals("Q1 24/25", q("2024-04-01").label());
        assertEquals(new FinancialQuarter(2023, 4), q("2024-03-31"));
        assertEquals(new FinancialQuarter(2024, 1), q("2024-04-01"));
    }

    @Test
    void theCalendarYearEndIsInsideTheFinancialYear() {
        assertEquals("Q3 24/25", q("2024-12-31").label());
        assertEquals("Q4 24/25", q("2025-01-01").label());
        assertEquals(LocalDate.of(2025, 1, 1), q("2025-01-01").start());
        assertEquals(LocalDate.of(2025, 3, 31), q("2025-01-01").end());
    }

    @Test
    void everyMonthOfOneYear() {
        String[] expected = {"Q1", "Q1", "Q1", "Q2", "Q2", "Q2", "Q3", "Q3", "Q3", "Q4", "Q4", "Q4"};
        YearMonth m = YearMonth.of(2024, 4);
        for (String e : expected) {
            assertEquals(e + " 24/25", FinancialQuarter.of(m).label(), m.toString());
            assertEquals(e + " 24/25", FinancialQuarter.of(m.atEndOfMonth()).label());
            m = m.plusMonths(1);
        }
        assertEquals("Q1 25/26", FinancialQuarter.of(m).label());
    }

    @Test
    void boundsOfEachQuarter() {
        FinancialQuarter q1 = new FinancialQuarter(2024, 1);
        assertEquals(LocalDate.of(2024, 4, 1), q1.start());
        assertEquals(LocalDate.of(2024, 6, 30), q1.end());
        assertEquals(LocalDate.of(2024, 7, 1), q1.next().start());
        assertEquals(LocalDate.of(2024, 9, 30), q1.next().end());
        assertEquals(LocalDate.of(2024, 10, 1), q1.next().next().start());
        assertEquals(LocalDate.of(2024, 12, 31), q1.next().next().end());
        // Q4 of a year before a leap year ends on 31 March; its February has 29 days but that is inside
        assertEquals(LocalDate.of(2024, 1, 1), new FinancialQuarter(2023, 4).start());
        assertEquals(LocalDate.of(2024, 3, 31), new FinancialQuarter(2023, 4).end());
    }

    @Test
    void centuryAndDecadeLabels() {
        assertEquals("Q4 99/00", q("2000-03-31").label());
        assertEquals("Q1 00/01", q("2000-04-01").label());
        assertEquals("Q3 99/00", q("1999-12-31").label());
        assertEquals("Q4 99/00", q("2000-01-01").label());
        assertEquals("Q4 09/10", q("2010-01-15").label());
        assertEquals("Q1 09/10", q("2009-04-01").label());
        assertEquals("Q1 10/11", q("2010-04-01").label());
        assertEquals("99/00", new FinancialQuarter(1999, 2).financialYear());
        assertEquals("Q1 00/01", new FinancialQuarter(1999, 4).next().label());
    }

    @Test
    void nextAndPreviousWalkWithoutGapsOrOverlaps() {
        FinancialQuarter q = q("1998-05-17");
        for (int n = 0; n < 200; n++) {
            FinancialQuarter next = q.next();
            assertEquals(q.end().plusDays(1), next.start(), q + " → " + next);
            assertEquals(q, next.previous());
            assertTrue(q.compareTo(next) < 0);
            assertEquals(q, FinancialQuarter.of(q.start()));
            assertEquals(q, FinancialQuarter.of(q.end()));
            assertTrue(q.contains(q.end()));
            assertFalse(q.contains(next.start()));
            q = next;
        }
        assertEquals("Q1 48/49", q.label());
    }

    @Test
    void onlyFourQuarters() {
        assertThrows(IllegalArgumentException.class, () -> new FinancialQuarter(2024, 0));
        assertThrows(IllegalArgumentException.class, () -> new FinancialQuarter(2024, 5));
        assertEquals("Q2 24/25", new FinancialQuarter(2024, 2).toString());
    }
}
