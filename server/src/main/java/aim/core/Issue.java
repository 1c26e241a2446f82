package aim.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One validation finding, as a value (never an exception): how bad it is ({@code error} rejects the row
 * or feature, {@code warning} keeps it), where ({@code "line 12"}, {@code "feature 3"}; with
 * {@code file} and {@code line} for rows of a file), the {@code field} at fault, the {@code message}
 * in words, and for geometries the {@code location} of the fault. Import reports collect these.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Issue(String severity, String file, Integer line, String where, String field, String message, String location) {

    /** An error at {@code where} ("feature 3"). */
    public static Issue error(String where, String field, String message) {
        return new Issue("error", null, null, where, field, message, null);
    }

    /** A rejected row: line {@code line} of {@code file} (file may be null for a single upload). */
    public static Issue atLine(String file, int line, String field, String message) {
        return new Issue("error", file, line, "line " + line, field, message, null);
    }

    @JsonIgnore
    public boolean isError() {
        return "error".equals(severity);
    }

    @Override
    public String toString() {
        return (file == null ? "" : file + " ") + where + ": " + (field == null ? "" : field + ": ") + message
                + (location == null ? "" : " at " + location);
    }
}
