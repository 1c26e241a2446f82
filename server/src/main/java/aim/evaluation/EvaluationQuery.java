package aim.evaluation;

import java.time.LocalDate;
import java.util.List;

/**
 * What to evaluate, as the caller asked (parsed, not yet checked against the data): either {@code area}
 * ({@code ward:CODE}, {@code neighbourhood:CODE} or {@code problem:ID}) or {@code action} (an action id);
 * the periods (null: not given); the categories and sources (empty: the problem's categories, or all);
 * the control wards' codes (null: every current ward, "borough"); the buffer's width in metres.
 */
public record EvaluationQuery(String area, Long action, List<String> categories, List<String> sources,
                              LocalDate beforeFrom, LocalDate beforeTo, LocalDate afterFrom, LocalDate afterTo,
                              List<String> control, int buffer) {
    /** Widest buffer, metres. */
    public static final int MAX_BUFFER = 5000;
    /** Longest period, days (ten years). */
    public static final long MAX_DAYS = 3653;
    public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1), LATEST = LocalDate.of(2199, 12, 31);
}
