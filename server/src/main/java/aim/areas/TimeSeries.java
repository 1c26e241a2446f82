package aim.areas;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Incident counts per month or per UK financial-year quarter over an inclusive window of dates,
 * with every period present (zeros included).
 *
 * <p>Precision: counts come from {@link aim.incidents.OccurredWindow}'s rule, so a month-precise
 * police.uk row counts in its month, and so in the quarter containing that month, when its whole
 * month lies in the window. A window that starts or ends inside a period clips that period:
 * it is flagged {@code partial} with the clipped {@code from}/{@code to}, and month-precise rows of a
 * clipped month are not counted (they might lie outside the window). Ask for whole months or quarters
 * to compare like with like.
 */
public final class TimeSeries {
    private TimeSeries() {
    }

    /**
     * One period. {@code start}/{@code end} are the whole month or quarter; {@code from}/{@code to} the
     * part of it inside the window (equal to start/end unless {@code partial}).
     */
    public record Period(String label, LocalDate start, LocalDate end, LocalDate from, LocalDate to, boolean partial, long count) {
    }

    /** Periods from the one containing {@code from} to the one containing {@code to}. */
    public static List<Period> build(SeriesInterval interval, LocalDate from, LocalDate to, Map<YearMonth, Long> monthly) {
        List<Period> periods = new ArrayList<>();
        for (LocalDate start = interval.periodStart(from); !start.isAfter(to); start = interval.periodEnd(start).plusDays(1)) {
            LocalDate end = interval.periodEnd(start);
            LocalDate clippedFrom = start.isBefore(from) ? from : start;
            LocalDate clippedTo = end.isAfter(to) ? to : end;
            long count = 0;
            for (YearMonth m = YearMonth.from(start); !m.isAfter(YearMonth.from(end)); m = m.plusMonths(1)) {
                count += monthly.getOrDefault(m, 0L);
            }
            periods.add(new Period(interval.label(start), start, end, clippedFrom, clippedTo,
                    !clippedFrom.equals(start) || !clippedTo.equals(end), count));
        }
        return periods;
    }

    /** How many periods {@link #build} would return (to refuse absurd windows before counting). */
    public static long periodCount(SeriesInterval interval, LocalDate from, LocalDate to) {
        long months = java.time.temporal.ChronoUnit.MONTHS.between(YearMonth.from(interval.periodStart(from)), YearMonth.from(to)) + 1;
        return interval == SeriesInterval.MONTH ? months : (months + 2) / 3;
    }
}
