package aim.indicators;

import aim.core.Issue;

import java.util.List;

/**
 * What an indicator import did: rows read, values stored, rows rejected (each an {@link Issue} with its
 * line; the header is line 1), stored values it replaced (a re-import of an indicator and period replaces
 * all of that period's values), the indicators it created and the periods it wrote.
 */
public record IndicatorImportReport(String file, String kind, int rows, int imported, int rejected, int replaced,
                                    List<String> indicatorsCreated, List<String> periods, List<Issue> issues) {
}
