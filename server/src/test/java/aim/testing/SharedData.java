package aim.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real open data in {@code ../shared} beside the project (read in place, never copied).
 * A test that needs it fails with a clear message when it is missing.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path path(String relative) {
        String dir = System.getenv("AIM_SHARED_DIR");
        Path root = dir != null ? Path.of(dir) : Path.of("..", "shared");
        if (!Files.isDirectory(root) && Files.isDirectory(Path.of("..", "..", "shared"))) {
            root = Path.of("..", "..", "shared");
        }
        Path file = root.resolve(relative).normalize();
        if (!Files.exists(file)) {
            throw new IllegalStateException("shared test data missing: " + file.toAbsolutePath()
                    + " (expected the shared/ folder beside the project, or AIM_SHARED_DIR)");
        }
        return file;
    }
}
