package aim.incidents;

import aim.core.Issue;

import java.util.ArrayList;
import java.util.List;

/**
 * What one incident import did. {@code read = imported + duplicates + rejected}: a duplicate is a
 * row whose source key is already stored (a re-import) or appears earlier in the same file; a
 * rejected row is listed in {@code issues} with its line (the first {@value #MAX_ISSUES} of them).
 * {@code areaOnly} counts the imported rows without coordinates: they carry an area code and are
 * counted in statistics but never drawn on the map.
 *
 * @param source     {@code police} or {@code council}
 * @param file       the file name, or "N files" for a total
 */
public record IncidentImportReport(String source, String file, long read, long imported, long duplicates, long rejected,
                                   long areaOnly, List<Issue> issues) {
    /** At most this many rejected rows are listed per file; {@code rejected} always counts them all. */
    public static final int MAX_ISSUES = 1000;

    /** The sum of several files' reports (issues of all files, each naming its file). */
    public static IncidentImportReport total(String source, List<IncidentImportReport> reports) {
        long read = 0, imported = 0, duplicates = 0, rejected = 0, areaOnly = 0;
        List<Issue> issues = new ArrayList<>();
        for (IncidentImportReport r : reports) {
            read += r.read();
            imported += r.imported();
            duplicates += r.duplicates();
            rejected += r.rejected();
            areaOnly += r.areaOnly();
            issues.addAll(r.issues());
        }
        return new IncidentImportReport(source, reports.size() + (reports.size() == 1 ? " file" : " files"),
                read, imported, duplicates, rejected, areaOnly, issues);
    }
}
