package aim.areas;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The previous equivalent period: same length just before, whole months when the window is whole months. */
class AreaPeriodsTest {

    private static AreaPeriods of(String from, String to) {
        return AreaPeriods.of(LocalDate.parse(from), LocalDate.parse(to));
    }

    @Test
    void wholeMonthsCompareWithTheSameNumberOfMonths() {
        AreaPeriods q1 = of("2025-04-01", "2025-06-30");
        assertTrue(q1.wholeMonths());
        assertEquals(LocalDate.parse("2025-01-01"), q1.previousFrom());
        assertEquals(LocalDate.parse("2025-03-31"), q1.previousTo());
        assertEquals(91, q1.days());
        assertEquals(90, q1.previousDays());

        AreaPeriods march = of("2024-03-01", "2024-03-31");
        assertEquals(LocalDate.parse("2024-02-01"), march.previousFrom());
        assertEquals(LocalDate.parse("2024-02-29"), march.previousTo(), "leap February");
        assertEquals(29, march.previousDays());

        AreaPeriods year = of("2024-04-01", "2025-03-31");
        assertEquals(LocalDate.parse("2023-04-01"), year.previousFrom());
        assertEquals(LocalDate.parse("2024-03-31"), year.previousTo());

        AreaPeriods acrossNewYear = of("2025-01-01", "2025-02-28");
        assertEquals(LocalDate.parse("2024-11-01"), acrossNewYear.previousFrom());
        assertEquals(LocalDate.parse("2024-12-31"), acrossNewYear.previousTo());
    }

    @Test
    void otherWindowsCompareWithTheSameNumberOfDays() {
        AreaPeriods week = of("2025-06-10", "2025-06-16");
        assertFalse(week.wholeMonths());
        assertEquals(LocalDate.parse("2025-06-03"), week.previousFrom());
        assertEquals(LocalDate.parse("2025-06-09"), week.previousTo());
        assertEquals(7, week.days());
        assertEquals(7, week.previousDays());

        AreaPeriods oneDay = of("2025-01-01", "2025-01-01");
        assertEquals(LocalDate.parse("2024-12-31"), oneDay.previousFrom());
        assertEquals(LocalDate.parse("2024-12-31"), oneDay.previousTo());

        // starts on the 1st but ends mid-month: days, not months
        AreaPeriods partial = of("2025-03-01", "2025-03-28");
        assertFalse(partial.wholeMonths());
        assertEquals(LocalDate.parse("2025-02-01"), partial.previousFrom());
        assertEquals(28, partial.previousDays());

        // ends on a month end but starts mid-month: days
        AreaPeriods late = of("2025-03-15", "2025-03-31");
        assertFalse(late.wholeMonths());
        assertEquals(LocalDate.parse("2025-02-26"), late.previousFrom());
        assertEquals(LocalDate.parse("2025-03-14"), late.previousTo());
    }

    @Test
    void toBeforeFromIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> of("2025-02-01", "2025-01-31"));
    }
}
