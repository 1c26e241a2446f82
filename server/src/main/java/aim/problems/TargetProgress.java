package aim.problems;

import java.time.LocalDate;
import java.util.List;

/**
 * How a problem is doing against its {@link ProblemTarget}, counted in whole calendar months (police.uk
 * rows are month-precise) from the incidents the caller may see ({@link aim.incidents.Redaction}), of the
 * problem's categories, whose point lies inside its place; area-only incidents (no point) are not counted.
 *
 * @param from           first day of the target period
 * @param to             first day after it (exclusive)
 * @param baselineFrom   first day of the baseline period
 * @param baselineTo     first day after it (exclusive)
 * @param monthsElapsed  whole target months complete by today (0 … months)
 * @param current        incidents in the elapsed target months
 * @param baseline       incidents in the same number of months of the baseline period
 * @param changePercent  (current − baseline) / baseline × 100, one decimal; null when baseline is 0
 * @param targetPercent  the target's percent change
 * @param status         not-started, on-track, off-track (period under way), met or missed (period over)
 * @param monthly        one entry per target month; {@code current} null for months not yet complete
 * @param description    the whole in one sentence
 */
public record TargetProgress(LocalDate from, LocalDate to, LocalDate baselineFrom, LocalDate baselineTo,
                             int monthsElapsed, long current, long baseline, Double changePercent,
                             double targetPercent, String status, List<Month> monthly, String description) {

    /** One target month ({@code YYYY-MM}) and its baseline month's count. */
    public record Month(String month, Long current, long baseline) {
    }
}
