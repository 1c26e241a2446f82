package aim.web;

import aim.accounts.User;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.StudyArea;
import aim.core.DomainException;
import aim.incidents.IncidentFilter;
import aim.incidents.Taxonomy;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Query parameters shared by several endpoints; a bad value is a 400 problem naming the parameter. */
public final class QueryParams {
    private QueryParams() {
    }

    /** Before every request: a query value with a NUL character (which PostgreSQL text cannot hold) is a 400 problem. */
    public static void refuseNul(Context ctx) {
        ctx.queryParamMap().forEach((name, values) -> {
            if (name.indexOf('\0') >= 0 || values.stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                throw DomainException.invalid(name.replace("\0", ""), "query parameter '" + name.replace("\0", "")
                        + "' contains a NUL character (%00)");
            }
        });
    }

    /** An ISO date such as 2024-04-01, or null when absent. */
    public static LocalDate date(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return LocalDate.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(name, name + " must be a date like 2024-04-01, not '" + v + "'");
        }
    }

    /** A calendar month such as 2024-04, or null when absent (the public view counts whole months only). */
    public static java.time.YearMonth month(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return java.time.YearMonth.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(name, name + " must be a month like 2024-04, not '" + v + "'");
        }
    }

    /** A comma-separated list whose every value must be one of {@code allowed}; empty when absent. */
    public static List<String> list(Context ctx, String name, Set<String> allowed) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return List.of();
        List<String> values = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        for (String value : values) {
            if (!allowed.contains(value)) {
                throw DomainException.invalid(name, "unknown " + name + " '" + value + "': expected one of "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        return values;
    }

    /** A WGS84 box {@code minLon,minLat,maxLon,maxLat}, or null when absent. */
    public static double[] bbox(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        String[] parts = v.split(",");
        if (parts.length != 4) throw DomainException.invalid(name, name + " is minLon,minLat,maxLon,maxLat (WGS84)");
        double[] b = new double[4];
        try {
            for (int i = 0; i < 4; i++) b[i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
            throw DomainException.invalid(name, name + " values must be numbers: " + v);
        }
        for (double d : b) {
            if (!Double.isFinite(d)) throw DomainException.invalid(name, name + " values must be finite numbers: " + v);
        }
        if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] >= b[2] || b[1] >= b[3]) {
            throw DomainException.invalid(name, name + " must be minLon,minLat,maxLon,maxLat within -180..180, -90..90 with min < max");
        }
        return b;
    }

    /** A WGS84 point {@code lon,lat} in degrees, or null when absent. */
    public static double[] lonLat(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        String[] parts = v.split(",");
        try {
            if (parts.length == 2) {
                double lon = Double.parseDouble(parts[0].trim()), lat = Double.parseDouble(parts[1].trim());
                if (lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) return new double[]{lon, lat};
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DomainException.invalid(name, name + " is lon,lat in WGS84 degrees, e.g. -1.2345,54.5678; not '" + v + "'");
    }

    /**
     * One of {@code allowed} (trimmed, any case; answered in lower case), or {@code fallback} when absent;
     * a null fallback makes the parameter required.
     */
    public static String choice(Context ctx, String name, String fallback, List<String> allowed) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            if (fallback != null) return fallback;
            throw DomainException.invalid(name, name + " is required: one of " + String.join(", ", allowed));
        }
        String value = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(value)) {
            throw DomainException.invalid(name, "unknown " + name + " '" + v + "': expected one of " + String.join(", ", allowed));
        }
        return value;
    }

    /** {@code true} or {@code false} (any case), or {@code fallback} when absent. */
    public static boolean bool(Context ctx, String name, boolean fallback) {
        Boolean value = optionalBool(ctx, name);
        return value == null ? fallback : value;
    }

    /** {@code true} or {@code false} (any case), or null when absent (for a filter that may be left out). */
    public static Boolean optionalBool(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw DomainException.invalid(name, name + " is true or false, not '" + v + "'");
        };
    }

    /** A whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
    public static int integer(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            int value = Integer.parseInt(v.trim());
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DomainException.invalid(name, name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    /** A whole number from {@code min} to {@code max}, or null when absent (for a value that may be left out). */
    public static Integer optionalInteger(Context ctx, String name, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        return integer(ctx, name, 0, min, max);
    }

    /** A whole number of at least {@code min}, or {@code fallback} when absent. */
    public static long atLeast(Context ctx, String name, long fallback, long min) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            long value = Long.parseLong(v.trim());
            if (value >= min) return value;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DomainException.invalid(name, name + " must be a whole number of at least " + min + ", not '" + v + "'");
    }

    /** The page size {@code limit}: from 1 to {@code max}, {@code fallback} (capped at max) when absent. */
    public static int limit(Context ctx, int fallback, int max) {
        String v = ctx.queryParam("limit");
        if (v == null || v.isBlank()) return Math.min(fallback, max);
        try {
            int value = Integer.parseInt(v.trim());
            if (value >= 1 && value <= max) return value;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DomainException.invalid("limit", "limit must be from 1 to " + max);
    }

    /**
     * A finite number with {@code min < value <= max} when {@code minExclusive}, else {@code min <= value <= max};
     * null when absent. {@code what} says what it is in the message ("a percentage of the study area").
     */
    public static Double number(Context ctx, String name, double min, boolean minExclusive, double max, String what) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        boolean aboveMin = minExclusive ? d > min : d >= min;
        if (!(aboveMin && d <= max)) {
            throw DomainException.invalid(name, name + " is " + what + ", not '" + v + "'");
        }
        return d;
    }

    /**
     * The incident filter the analysis endpoints share (hotspots, area statistics and series, asset
     * gaps): {@code from}, {@code to} (inclusive dates, to not before from), {@code category} and
     * {@code source} (comma lists of the taxonomy's codes), {@code area} (borough, neighbourhood:CODE,
     * ward:CODE) and {@code version} (the ward version; default current), for {@code user}.
     */
    public static IncidentFilter incidentFilter(Context ctx, BoundaryRepository boundaries, Taxonomy taxonomy, User user) {
        return incidentFilter(ctx, "category", boundaries, taxonomy, user);
    }

    /** {@link #incidentFilter(Context, BoundaryRepository, Taxonomy, User)} with the incident categories in {@code categoryParam}. */
    public static IncidentFilter incidentFilter(Context ctx, String categoryParam, BoundaryRepository boundaries, Taxonomy taxonomy,
                                                User user) {
        LocalDate from = date(ctx, "from");
        LocalDate to = date(ctx, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw DomainException.invalid("to", "to (" + to + ") is before from (" + from + ")");
        }
        Set<String> codes = taxonomy.categories().stream().map(Taxonomy.Category::code).collect(Collectors.toSet());
        return new IncidentFilter(from, to, list(ctx, categoryParam, codes), list(ctx, "source", Set.copyOf(Taxonomy.SOURCES)),
                StudyArea.resolve(boundaries, ctx.queryParam("area"), ctx.queryParam("version")), user);
    }
}
