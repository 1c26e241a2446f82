package aim.web;

import aim.core.DomainException;
import io.javalin.config.Key;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.http.util.MultipartUtil;
import jakarta.servlet.MultipartConfigElement;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Uploaded files: the multipart part {@code field}, or else the raw request body, copied to a temporary
 * file with a limit on the bytes actually read. Multipart requests are parsed by Jetty with every part
 * written to a temporary file (deleted when the request ends), never held whole in memory.
 * A broken multipart body is a 400 problem, one over the limit a 413 problem, both naming the field.
 */
public final class Uploads {
    /** The import limit (AIM_MAX_IMPORT_BYTES), put in the app's data by {@link App}. */
    public static final Key<Long> MAX_IMPORT_BYTES = new Key<>("aim-max-import-bytes");
    /** Room for the multipart framing and small form fields beside the file part. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private Uploads() {
    }

    /** An import file (at most the configured import limit) saved to a temporary file; {@link #delete} it when done. */
    public static Path saveBody(Context ctx, String field) throws IOException {
        long maxBytes = ctx.appData(MAX_IMPORT_BYTES);
        String name = "upload";
        InputStream in;
        if (isMultipart(ctx)) {
            UploadedFile upload = part(ctx, field, maxBytes);
            name = upload.filename();
            in = upload.content();
        } else {
            in = RequestBodies.stream(ctx, maxBytes, field);
        }
        Path dir = Files.createTempDirectory("aim-upload");
        Path file = dir.resolve(safeName(name));
        try (in) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            delete(file);
            if (e instanceof DomainException problem) throw problem;
            throw RequestBodies.unreadable(field, e);
        }
        if (Files.size(file) == 0) {
            delete(file);
            throw DomainException.invalid(field, "the upload is empty");
        }
        return file;
    }

    /** A text field of a multipart request (at most the import limit in all), or null when there is none. */
    public static String field(Context ctx, String name) {
        long maxBytes = ctx.appData(MAX_IMPORT_BYTES);
        parse(ctx, name, maxBytes);
        return ctx.formParam(name);
    }

    public static boolean isMultipart(Context ctx) {
        return String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * The file part {@code field} of a multipart request whose file may be at most {@code maxBytes}: 413 when
     * larger, 400 when the body is not multipart, is broken or has no such part.
     */
    public static UploadedFile part(Context ctx, String field, long maxBytes) {
        parse(ctx, field, maxBytes);
        UploadedFile upload = ctx.uploadedFile(field);
        if (upload == null) throw DomainException.invalid(field, "the multipart request has no file part named '" + field + "'");
        return upload;
    }

    /**
     * Parses the parts once, with this endpoint's limits (Jetty counts the bytes it reads against them) and
     * every part on disk. Jetty reports a broken body or an exceeded limit with assorted exceptions: all are
     * the client's doing.
     */
    private static void parse(Context ctx, String field, long maxBytes) {
        if (!isMultipart(ctx)) throw DomainException.invalid(field, "send the " + field + " as multipart/form-data");
        long maxRequest = maxBytes + MULTIPART_OVERHEAD;
        if (ctx.req().getContentLengthLong() > maxRequest) throw RequestBodies.tooLarge(ctx, field, maxBytes);
        if (ctx.req().getAttribute(MultipartUtil.MULTIPART_CONFIG_ATTRIBUTE) == null) {
            ctx.req().setAttribute(MultipartUtil.MULTIPART_CONFIG_ATTRIBUTE,
                    new MultipartConfigElement(System.getProperty("java.io.tmpdir"), maxBytes, maxRequest, 1));
        }
        try {
            ctx.req().getParts();
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("exceeds") || message.contains("larger than")) throw RequestBodies.tooLarge(ctx, field, maxBytes);
            throw DomainException.invalid(field, "the multipart request cannot be read: " + message);
        }
    }

    /** The client's file name without any path or odd characters (it names an imported version), or "upload". */
    static String safeName(String name) {
        if (name == null) return "upload";
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String safe = last.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "upload" : safe;
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
    }
}
