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
}
