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
        requireJsonType(ctx);
        try {
            String body = ctx.body();
            T value = body.isBlank() ? null : JSON.readValue(body, type);
            if (value == null) throw ApiProblem.badRequest("body", "the body must be a JSON object");
            return value;
        } catch (JsonProcessingException e) {
            throw problem(e);
        }
    }

    /**
     * JSON endpoints take only {@code Content-Type: application/json}: anything else (text/plain, a
     * form, multipart, none), which a foreign page could send without asking, is a 415 problem.
     */
    public static void requireJsonType(io.javalin.http.Context ctx) {
        String type = ctx.contentType();
        String media = type == null ? "" : type.split(";", 2)[0].strip();
        if (!media.equalsIgnoreCase("application/json")) {
            throw new ApiProblem(415, "Unsupported Media Type", "Content-Type", "send the body as JSON with Content-Type: application/json", null);
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
