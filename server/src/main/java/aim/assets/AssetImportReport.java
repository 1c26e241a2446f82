package aim.assets;

import aim.core.Issue;

import java.util.List;

/**
 * What an asset import did. CSV: rows read, stored (new and updated, matched by uid), rejected (each in
 * {@code issues} as an error with its line) and warnings (kept rows). Open Referral: services read and
 * stored; {@code ignored} lists the members of the file AIM does not keep.
 */
public record AssetImportReport(String format, String source, int read, int imported, int inserted, int updated,
                                int rejected, List<String> ignored, List<Issue> issues) {
}
