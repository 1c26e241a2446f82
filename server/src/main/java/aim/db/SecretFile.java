package aim.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file that holds a secret (a database password, the demo users' password) so that it is
 * readable by its owner only from the moment it exists: the text goes into a new file in the same
 * directory, created with mode 600 (so no umask or race can widen it), which then replaces the target.
 */
public final class SecretFile {
    /** Owner read and write only (600). */
    public static final String MODE = "rw-------";

    private SecretFile() {
    }

    public static void write(Path file, String text) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp", ownerOnly());
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The attribute that creates a file with mode 600 (none where the file system has no POSIX modes). */
    public static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(MODE))};
    }

    /** Whether group or others may read or write the file. */
    public static boolean exposed(Path file) throws IOException {
        Set<java.nio.file.attribute.PosixFilePermission> modes = Files.getPosixFilePermissions(file);
        return !PosixFilePermissions.toString(modes).substring(3).equals("------");
    }
}
