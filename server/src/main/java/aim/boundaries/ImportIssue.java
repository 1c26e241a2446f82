package aim.boundaries;

/**
 * A finding about one input row or feature, reported as a value (not thrown).
 *
 * @param severity {@code error} (the row or feature is rejected) or {@code repaired} / {@code warning} (kept)
 * @param where    "line 12" for a CSV row, "feature 3" for a feature (1-based)
 * @param field    the input field concerned, if any
 * @param message  what is wrong, in words a user can act on
 * @param location "x y" coordinates of a geometry problem, if known
 */
public record ImportIssue(String severity, String where, String field, String message, String location) {

    public static ImportIssue error(String where, String field, String message) {
        return new ImportIssue("error", where, field, message, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return "error".equals(severity);
    }

    @Override
    public String toString() {
        return where + ": " + severity + ": " + message + (location == null ? "" : " at " + location);
    }
}
