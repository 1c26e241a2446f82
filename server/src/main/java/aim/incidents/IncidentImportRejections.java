package aim.incidents;

import aim.core.Issue;

import java.util.ArrayList;
import java.util.List;

/** The rejected rows of one file: all counted, the first {@value IncidentImportReport#MAX_ISSUES} listed. */
final class IncidentImportRejections {
    private final String file;
    private final List<Issue> issues = new ArrayList<>();
    private long count;

    IncidentImportRejections(String file) {
        this.file = file;
    }

    void reject(int line, String field, String message) {
        count++;
        if (issues.size() < IncidentImportReport.MAX_ISSUES) issues.add(Issue.atLine(file, line, field, message));
    }

    long count() {
        return count;
    }

    List<Issue> issues() {
        return List.copyOf(issues);
    }
}
