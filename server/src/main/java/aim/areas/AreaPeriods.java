package aim.areas;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;

/**
 * A window of inclusive dates and the previous equivalent period it is compared with: the same
 * length immediately before {@code from}. When the window is whole calendar months (from the 1st of
 * a month to the last day of a month) the previous period is the same number of whole months, so
 * April–June is compared with January–March (91 against 90 days), not with 91 days from 1 January.
 * Otherwise it is the same number of days: 10–16 June is compared with 3–9 June.
 */
public record AreaPeriods(LocalDate from, LocalDate to, LocalDate previousFrom, LocalDate previousTo, boolean wholeMonths) {

    public static AreaPeriods of(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) throw new IllegalArgumentException("to " + to + " is before from " + from);
        LocalDate previousTo = from.minusDays(1);
        boolean wholeMonths = from.getDayOfMonth() == 1 && to.equals(YearMonth.from(to).atEndOfMonth());
        if (wholeMonths) {
            long months = ChronoUnit.MONTHS.between(YearMonth.from(from), YearMonth.from(to)) + 1;
            return new AreaPeriods(from, to, from.minusMonths(months), previousTo, true);
        }
        return new AreaPeriods(from, to, from.minusDays(days(from, to)), previousTo, false);
    }

    /** Length of the current period in days (the exposure of the change test). */
    public long days() {
        return days(from, to);
    }

    public long previousDays() {
        return days(previousFrom, previousTo);
    }

    private static long days(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }
}
