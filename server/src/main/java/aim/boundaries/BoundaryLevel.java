package aim.boundaries;

import aim.core.DomainException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The kinds of area AIM stores. A neighbourhood is a named group of wards; a zone is any other area layer. */
public enum BoundaryLevel {
    WARD, NEIGHBOURHOOD, ZONE, LSOA;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a request's level, naming {@code field} in the problem when it is unknown. */
    public static BoundaryLevel parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalid(field, field + " is required: one of " + allowed());
        }
        for (BoundaryLevel level : values()) {
            if (level.id().equals(value.trim().toLowerCase(Locale.ROOT))) return level;
        }
        throw DomainException.invalid(field, "unknown " + field + " '" + value + "': expected one of " + allowed());
    }

    /** The ids of every level, in declaration order (as in problems). */
    public static List<String> ids() {
        return Arrays.stream(values()).map(BoundaryLevel::id).toList();
    }

    private static String allowed() {
        return String.join(", ", ids());
    }
}
