package aim.incidents;

/**
 * One rejected row of an incident import, reported as a value (not thrown).
 *
 * @param file    the file the row came from (the uploaded or given file name)
 * @param line    the 1-based line the row starts on (the header is line 1)
 * @param where   the same as text, "line 12", as in the other import reports
 * @param field   the column at fault, if any
 * @param message why the row was rejected, in words a user can act on
 */
public record IncidentImportIssue(String file, int line, String where, String field, String message) {

    public static IncidentImportIssue rejected(String file, int line, String field, String message) {
        return new IncidentImportIssue(file, line, "line " + line, field, message);
    }

    @Override
    public String toString() {
        return file + " " + where + ": " + (field == null ? "" : field + ": ") + message;
    }
}
