package aim.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/** Turns a JSON request body that cannot be read into a 400 problem naming the field at fault. */
public final class JsonBodies {
    private JsonBodies() {
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
