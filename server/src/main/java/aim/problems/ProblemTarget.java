package aim.problems;

import java.time.LocalDate;

/**
 * A problem's measurable target: change the count of its incidents (its categories, inside its place)
 * by {@code percent} (negative: reduce) over {@code months} whole calendar months from {@code start}
 * (the 1st of a month), against {@code baseline}: {@code same-period-last-year} (the same months a year
 * earlier) or {@code previous-period} (the {@code months} months just before {@code start}).
 */
public record ProblemTarget(double percent, int months, String baseline, LocalDate start) {
    public static final String SAME_PERIOD_LAST_YEAR = "same-period-last-year";
    public static final String PREVIOUS_PERIOD = "previous-period";

    /** The first day after the target period. */
    public LocalDate end() {
        return start.plusMonths(months);
    }

    /** The first day of the baseline period. */
    public LocalDate baselineStart() {
        return PREVIOUS_PERIOD.equals(baseline) ? start.minusMonths(months) : start.minusYears(1);
    }
}
