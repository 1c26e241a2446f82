package aim.web;

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
                throw ApiProblem.badRequest(name.replace("\0", ""), "query parameter '" + name.replace("\0", "")
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
            throw ApiProblem.badRequest(name, name + " must be a date like 2024-04-01, not '" + v + "'");
        }
    }

    /** A comma-separated list whose every value must be one of {@code allowed}; empty when absent. */
    public static List<String> list(Context ctx, String name, Set<String> allowed) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return List.of();
        List<String> values = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        for (String value : values) {
            if (!allowed.contains(value)) {
                throw ApiProblem.badRequest(name, "unknown " + name + " '" + value + "': expected one of "
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
        if (parts.length != 4) throw ApiProblem.badRequest(name, name + " is minLon,minLat,maxLon,maxLat (WGS84)");
        double[] b = new double[4];
        try {
            for (int i = 0; i < 4; i++) b[i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name, name + " values must be numbers: " + v);
        }
        for (double d : b) {
            if (!Double.isFinite(d)) throw ApiProblem.badRequest(name, name + " values must be finite numbers: " + v);
        }
        if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] >= b[2] || b[1] >= b[3]) {
            throw ApiProblem.badRequest(name, name + " must be minLon,minLat,maxLon,maxLat within -180..180, -90..90 with min < max");
        }
        return b;
    }
}
