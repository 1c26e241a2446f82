package aim.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * The one JSON mapper configuration: ISO-8601 dates, unknown fields refused, nothing allowed after the
 * value, and no NUL characters in strings (PostgreSQL text cannot hold them).
 */
public final class Json {
    private Json() {
    }

    /** A new mapper; make one per component and keep it (mappers are thread-safe once configured). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(textWithoutNul())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * A JSON text that could not be read as the failure it is for the sender: the field at fault (an
     * unknown one, or one of the wrong type, as a path like {@code contacts[0].email}), or else
     * {@code body} with the line and column of the syntax error.
     */
    public static DomainException invalid(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return DomainException.invalid(u.getPropertyName(), "unknown field '" + u.getPropertyName() + "'");
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return DomainException.invalid(field, "wrong type or value for '" + field + "': " + m.getOriginalMessage());
        }
        var where = e.getLocation();
        return DomainException.invalid("body", "malformed JSON" + (where == null ? "" : " at line " + where.getLineNr()
                + ", column " + where.getColumnNr()) + ": " + e.getOriginalMessage());
    }

    /**
     * JSON strings as Java strings, except that a NUL character (\u0000) is the sender's mistake: a
     * mapping error naming the field, instead of a database error later.
     */
    private static Module textWithoutNul() {
        return new SimpleModule("text-without-nul").addDeserializer(String.class, new StdScalarDeserializer<>(String.class) {
            @Override
            public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
                String text = StringDeserializer.instance.deserialize(p, context);
                if (text != null && text.indexOf('\0') >= 0) {
                    throw context.weirdStringException(text, String.class, "a NUL character (\\u0000) is not allowed");
                }
                return text;
            }
        });
    }
}
