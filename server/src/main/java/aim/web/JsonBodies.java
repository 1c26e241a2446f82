package aim.web;

import aim.core.DomainException;
import aim.core.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads JSON request bodies, at most {@link #MAX_BYTES} (or a larger limit the endpoint names) read
 * through {@link RequestBodies}; a body that is too large is a 413 problem, one that cannot be read
 * (malformed, trailing text after the value, wrong types) a 400 problem naming the field at fault.
 */
public final class JsonBodies {
    /** The largest JSON body of most endpoints (text fields are at most a few thousand characters). */
    public static final int MAX_BYTES = 64 * 1024;
    /** The largest JSON body that carries a geometry or a list of areas (assets, neighbourhood definitions). */
    public static final int MAX_GEOMETRY_BYTES = 1024 * 1024;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.mapper();

    private JsonBodies() {
    }

    /** The body as {@code type}, at most {@link #MAX_BYTES}. */
    public static <T> T read(io.javalin.http.Context ctx, Class<T> type) {
        return read(ctx, type, MAX_BYTES);
    }

    /** The body as {@code type}; a JSON {@code null} or an empty body is a 400 problem, never a 500. */
    public static <T> T read(io.javalin.http.Context ctx, Class<T> type, int maxBytes) {
        requireJsonType(ctx);
        byte[] body = RequestBodies.bytes(ctx, maxBytes, "body");
        try {
            T value = new String(body, StandardCharsets.UTF_8).isBlank() ? null : JSON.readValue(body, type);
            if (value == null) throw DomainException.invalid("body", "the body must be a JSON object");
            return value;
        } catch (JsonProcessingException e) {
            throw Json.invalid(e);
        } catch (IOException e) {
            throw RequestBodies.unreadable("body", e);
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
            throw DomainException.unsupportedType("Content-Type", "send the body as JSON with Content-Type: application/json");
        }
    }

    /** The body as a JSON object, at most {@link #MAX_BYTES}: for endpoints that need to know which fields were sent. */
    public static JsonNode object(io.javalin.http.Context ctx) {
        requireJsonType(ctx);
        byte[] body = RequestBodies.bytes(ctx, MAX_BYTES, "body");
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw Json.invalid(e);
        } catch (IOException e) {
            throw RequestBodies.unreadable("body", e);
        }
        if (node == null || !node.isObject()) throw DomainException.invalid("body", "the body must be a JSON object");
        return node;
    }

    /** A JSON object (from {@link #object}) as {@code type}. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw Json.invalid(e);
        }
    }


}
