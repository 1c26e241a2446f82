package aim.places;

import aim.core.Issue;

import java.util.List;

/**
 * What a gazetteer import did: the {@code format} it recognised (onspd, code-point-open, os-open-names),
 * rows read, entries stored (new or replacing the same postcode or OS Open Names ID), rows left out because
 * they lie more than 5 km outside the council's wards ({@code outside}) or are terminated postcodes, and
 * rows rejected, each an error with its line in {@code issues} (the first {@value GazetteerImporter#MAX_ISSUES}).
 */
public record GazetteerImportReport(String format, String source, String licence, int read, int imported, int outside,
                                    int terminated, int rejected, List<Issue> issues) {
}
