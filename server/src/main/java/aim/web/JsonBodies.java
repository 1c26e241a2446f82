package aim.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/** Reads JSON request bodies; a body that cannot be read is a 400 problem naming the field at fault. */
public final class JsonBodies {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = App.json();

    private JsonBodies() {
    }

    /** The body as {@code type}; a JSON {@code null} or an empty body is a 400 problem, never a 500. */
    public static <T> T read(io.javalin.http.Context ctx, Class<T> type) {
        try {
            String body = ctx.body();
            T value = body.isBlank() ? null : JSON.readValue(body, type);
            if (value == null) throw ApiProblem.badRequest("body", "the body must be a JSON object");
            return value;
        } catch (JsonProcessingException e) {
            throw problem(e);
        }
    }

    public static ApiProblem problem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return ApiProblem.badRequest(u.getPropertyName(), "unknown field '" + u.getPropertyName() + "'");
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return ApiProblem.badRequest(field, "wrong type or value for '" + field + "': " + m.getOriginalMessage());
        }
        var where = e.getLocation();
        return ApiProblem.badRequest("body", "malformed JSON" + (where == null ? "" : " at line " + where.getLineNr()
                + ", column " + where.getColumnNr()) + ": " + e.getOriginalMessage());
    }
}
