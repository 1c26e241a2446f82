package aim.db;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The private cluster that ./aim runs under var/pgdata: password-protected, reusable, stopped cleanly. */
@Tag("postgis")
class PrivateClusterTest {

    @Test
    void startsJoinsAndStopsWithAGeneratedPassword() throws Exception {
        Path dir = Files.createTempDirectory("aim-cluster", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = dir.resolve("pgdata");
        try (PrivateCluster first = PrivateCluster.start(data)) {
            Path password = dir.resolve("pgpassword");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
            String secret = Files.readString(password).trim();
            assertTrue(secret.length() >= 24);
            var url = first.url();
            try (var c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                 var rs = c.createStatement().executeQuery("SELECT current_database()")) {
                rs.next();
                assertEquals("aim", rs.getString(1));
            }
            // a wrong password is refused: the cluster does not trust local connections
            assertThrows(url.jdbcUrl(), url.user(), "wrong");

            // a second ./aim command joins the running cluster and leaves it running when done
            try (PrivateCluster second = PrivateCluster.start(data)) {
                assertEquals(first.port(), second.port());
            }
            try (var c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
                assertTrue(c.isValid(2), "still running after the joiner closed");
            }
        }
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "stopped by the one that started it");
    }

    private static void assertThrows(String url, String user, String password) {
        try (var ignored = DriverManager.getConnection(url, user, password)) {
            throw new AssertionError("connected with a wrong password");
        } catch (java.sql.SQLException expected) {
            assertTrue(expected.getMessage().contains("password"), expected.getMessage());
        }
    }
}
