package aim.incidents;

import java.util.ArrayList;
import java.util.List;

/** The rejected rows of one file: all counted, the first {@value IncidentImportReport#MAX_ISSUES} listed. */
final class IncidentImportRejections {
    private final String file;
    private final List<IncidentImportIssue> issues = new ArrayList<>();
    private long count;

    IncidentImportRejections(String file) {
        this.file = file;
    }

    void reject(int line, String field, String message) {
        count++;
        if (issues.size() < IncidentImportReport.MAX_ISSUES) issues.add(IncidentImportIssue.rejected(file, line, field, message));
    }

    long count() {
        return count;
    }

    List<IncidentImportIssue> issues() {
        return List.copyOf(issues);
    }
}
