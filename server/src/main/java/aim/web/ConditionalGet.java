package aim.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * ETags for GET answers and the one If-None-Match check (RFC 9110 §13.1.2: a list of tags, weak comparison,
 * {@code *}), used by the boundaries, the OGC API, the vector tiles and the public view.
 */
public final class ConditionalGet {
    private ConditionalGet() {
    }

    /** A strong ETag naming {@code key}: its SHA-256, 32 hex digits, quoted. */
    public static String etag(String key) {
        return "\"" + digest(key) + "\"";
    }

    /** The first 32 hex digits of the SHA-256 of {@code text}. */
    public static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets {@code etag} on the answer; true, having answered 304, when the request's If-None-Match names it. */
    public static boolean notModified(Context ctx, String etag) {
        ctx.header("ETag", etag);
        if (!matches(ctx.header("If-None-Match"), etag)) return false;
        ctx.status(HttpStatus.NOT_MODIFIED);
        return true;
    }

    /** Whether an If-None-Match header names {@code etag} (or is {@code *}); weak and strong tags compare equal. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        String wanted = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) c = c.substring(2);
            if (c.equals("*") || c.equals(wanted)) return true;
        }
        return false;
    }
}
