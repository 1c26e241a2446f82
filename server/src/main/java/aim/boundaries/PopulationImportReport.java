package aim.boundaries;

import aim.core.Issue;

import java.util.List;

/**
 * What a population import did: rows read, figures stored, rows rejected (each in {@code issues}
 * with its line), and rows whose code is not an area of the chosen set (counted, first few listed).
 */
public record PopulationImportReport(String level, String version, int read, int imported, int rejected,
                                     int unmatched, List<String> unmatchedExamples, List<Issue> issues) {
}
