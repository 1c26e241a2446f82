package aim.web;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Saves an uploaded file (multipart part {@code field}, or else the raw request body) to a temporary file. */
public final class Uploads {
    private Uploads() {
    }

    public static Path saveBody(Context ctx, String field) throws IOException {
        String type = String.valueOf(ctx.contentType());
        String name = "upload";
        InputStream in;
        if (type.startsWith("multipart/form-data")) {
            UploadedFile upload = ctx.uploadedFile(field);
            if (upload == null) throw ApiProblem.badRequest(field, "the multipart request has no part named '" + field + "'");
            name = upload.filename();
            in = upload.content();
        } else {
            in = ctx.bodyInputStream();
        }
        Path dir = Files.createTempDirectory("aim-upload");
        // keep the client's file name (without any path) so the import can name a version after it
        String safe = Path.of(name == null || name.isBlank() ? "upload" : name).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = dir.resolve(safe.isEmpty() || safe.startsWith(".") ? "upload" : safe);
        try (in) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.size(file) == 0) {
            delete(file);
            throw ApiProblem.badRequest(field, "the upload is empty");
        }
        return file;
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
