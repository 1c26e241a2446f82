package aim.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;

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
