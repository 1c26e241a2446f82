package aim.areas;

import aim.core.DomainException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building a series of months or financial-year quarters from monthly counts. */
class SeriesPeriodsTest {
    private static final Map<YearMonth, Long> COUNTS = Map.of(
            YearMonth.of(2024, 2), 4L, YearMonth.of(2024, 3), 3L, YearMonth.of(2024, 4), 5L, YearMonth.of(2024, 7), 1L);

    @Test
    void everyMonthIsPresentWithZeros() {
        List<TimeSeries.Period> p = TimeSeries.build(SeriesInterval.MONTH, LocalDate.parse("2024-01-01"),
                LocalDate.parse("2024-07-31"), COUNTS);
        assertEquals(List.of("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"),
                p.stream().map(TimeSeries.Period::label).toList());
        assertEquals(List.of(0L, 4L, 3L, 5L, 0L, 0L, 1L), p.stream().map(TimeSeries.Period::count).toList());
        assertEquals(LocalDate.parse("2024-02-01"), p.get(1).start());
        assertEquals(LocalDate.parse("2024-02-29"), p.get(1).end());
        assertTrue(p.stream().noneMatch(TimeSeries.Period::partial));
    }

    @Test
    void quartersAreFinancialYearQuarters() {
        List<TimeSeries.Period> p = TimeSeries.build(SeriesInterval.QUARTER, LocalDate.parse("2023-10-01"),
                LocalDate.parse("2024-09-30"), COUNTS);
        assertEquals(List.of("Q3 23/24", "Q4 23/24", "Q1 24/25", "Q2 24/25"), p.stream().map(TimeSeries.Period::label).toList());
        // February and March 2024 are in Q4 23/24, April in Q1 24/25, July in Q2 24/25
        assertEquals(List.of(0L, 7L, 5L, 1L), p.stream().map(TimeSeries.Period::count).toList());
        assertEquals(LocalDate.parse("2024-01-01"), p.get(1).start());
        assertEquals(LocalDate.parse("2024-03-31"), p.get(1).end());
        assertEquals(LocalDate.parse("2024-04-01"), p.get(2).start());
        assertEquals(LocalDate.parse("2024-06-30"), p.get(2).end());
    }

    @Test
    void aWindowInsideAPeriodClipsIt() {
        // the window ends mid-quarter (and mid-month): the last quarter is partial and says where it was cut
        List<TimeSeries.Period> p = TimeSeries.build(SeriesInterval.QUARTER, LocalDate.parse("2024-02-10"),
                LocalDate.parse("2024-05-15"), Map.of(YearMonth.of(2024, 4), 5L));
        assertEquals(2, p.size());
        assertEquals("Q4 23/24", p.get(0).label());
        assertTrue(p.get(0).partial());
        assertEquals(LocalDate.parse("2024-02-10"), p.get(0).from());
        assertEquals(LocalDate.parse("2024-01-01"), p.get(0).start());
        assertEquals(LocalDate.parse("2024-03-31"), p.get(0).to());
        assertTrue(p.get(1).partial());
        assertEquals(LocalDate.parse("2024-05-15"), p.get(1).to());
        assertEquals(LocalDate.parse("2024-06-30"), p.get(1).end());
        assertEquals(5L, p.get(1).count());
    }

    @Test
    void quarterLabelsAcrossTheCentury() {
        List<TimeSeries.Period> p = TimeSeries.build(SeriesInterval.QUARTER, LocalDate.parse("1999-12-01"),
                LocalDate.parse("2000-04-01"), Map.of());
        assertEquals(List.of("Q3 99/00", "Q4 99/00", "Q1 00/01"), p.stream().map(TimeSeries.Period::label).toList());
        assertEquals(3, TimeSeries.periodCount(SeriesInterval.QUARTER, LocalDate.parse("1999-12-01"), LocalDate.parse("2000-04-01")));
        assertEquals(5, TimeSeries.periodCount(SeriesInterval.MONTH, LocalDate.parse("1999-12-01"), LocalDate.parse("2000-04-01")));
        assertFalse(p.get(1).partial());
    }

    @Test
    void intervalsParseOrNameTheField() {
        assertEquals(SeriesInterval.MONTH, SeriesInterval.parse(null));
        assertEquals(SeriesInterval.QUARTER, SeriesInterval.parse("Quarter"));
        var e = assertThrows(aim.core.DomainException.class, () -> SeriesInterval.parse("week"));
        assertEquals("interval", e.field());
    }
}
