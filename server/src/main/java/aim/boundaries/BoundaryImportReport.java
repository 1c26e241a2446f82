package aim.boundaries;

import aim.core.Issue;

import java.util.List;

/** What a boundary import did: counts, the fields and CRS it used, and every issue found. */
public record BoundaryImportReport(
        String level,
        String version,
        int srid,
        String codeField,
        String nameField,
        int read,
        int imported,
        int repaired,
        List<Issue> issues) {
}
