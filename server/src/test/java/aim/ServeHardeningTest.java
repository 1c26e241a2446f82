package aim;

import aim.db.PrivateCluster;
import aim.db.SecretFile;
import io.javalin.Javalin;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code ./aim demo} sets up, through Main's own path over a private cluster of its own: the
 * server connects as a role that can only read and write rows, listens on 127.0.0.1 only, and every
 * secret file it writes is mode 600.
 */
@Tag("postgis")
class ServeHardeningTest {

    @Test
    void demoServesAsARowOnlyRoleOnLoopbackWithPrivateSecretFiles() throws Exception {
        Path dir = Files.createTempDirectory("aim-serve", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Config config = Config.fromEnvironment(Map.of("AIM_DATA_DIR", dir.toString(), "AIM_TILE_URL", "")).withPort(0);
        assertEquals("127.0.0.1", config.host(), "loopback unless asked");
        try (Main.Serving serving = Main.prepare(config, true)) {
            for (String secret : new String[]{"pgpassword", "pgpassword-app", "demo/credentials.txt"}) {
                Path file = dir.resolve(secret);
                assertEquals(SecretFile.MODE, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), secret);
            }

            try (Connection c = serving.dataSource().getConnection(); var s = c.createStatement()) {
                var rs = s.executeQuery("SELECT current_user, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user");
                assertTrue(rs.next());
                assertEquals(PrivateCluster.APP_ROLE, rs.getString(1));
                assertFalse(rs.getBoolean(2) || rs.getBoolean(3) || rs.getBoolean(4), "no superuser, createdb or createrole");
                // rows: yes
                var count = s.executeQuery("SELECT count(*) FROM incident");
                count.next();
                assertTrue(count.getLong(1) > 0, "reads the demo incidents the owner loaded");
                assertEquals(1, s.executeUpdate("UPDATE incident SET status = status WHERE id = (SELECT min(id) FROM incident)"));
                // schema, extensions, history, files: no
                for (String forbidden : new String[]{
                        "DROP TABLE incident",
                        "TRUNCATE incident",
                        "ALTER TABLE incident ADD COLUMN x int",
                        "CREATE TABLE sneaky (id int)",
                        "CREATE EXTENSION IF NOT EXISTS hstore",
                        "DELETE FROM flyway_schema_history",
                        "UPDATE spatial_ref_sys SET proj4text = '' WHERE srid = 27700",
                        "CREATE ROLE intruder SUPERUSER",
                        "COPY incident TO '/tmp/aim-incidents.csv'",
                        "SELECT pg_read_file('postgresql.conf')"}) {
                    var e = assertThrows(SQLException.class, () -> s.execute(forbidden), forbidden);
                    assertTrue(e.getMessage().contains("permission denied") || e.getMessage().contains("must be")
                            || e.getMessage().contains("only superuser") || e.getMessage().contains("owner"), forbidden + ": " + e.getMessage());
                }
            }

            Javalin app = Main.start(config, serving.dataSource());
            try {
                var connector = (ServerConnector) app.jettyServer().server().getConnectors()[0];
                assertEquals("127.0.0.1", connector.getHost());
                var health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                // a demo user signs in and reads incidents through the row-only role
                String credentials = Files.readString(dir.resolve("demo/credentials.txt"));
                Matcher password = Pattern.compile("Password for all: (\\S+)").matcher(credentials);
                assertTrue(password.find(), credentials);
                var login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + app.port() + "/api/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"demo-analyst\",\"password\":\"" + password.group(1) + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, login.statusCode(), login.body());
                InetAddress external = externalAddress();
                if (external != null) {
                    try (Socket socket = new Socket()) {
                        assertThrows(java.io.IOException.class, () -> socket.connect(new InetSocketAddress(external, app.port()), 2000),
                                "not reachable on " + external);
                    }
                }
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void hostComesFromTheCommandLineOrTheEnvironment() {
        assertEquals("0.0.0.0", Config.fromEnvironment(Map.of("AIM_HOST", "0.0.0.0")).host());
        assertEquals("::1", Config.fromEnvironment(Map.of()).withHost("[::1]").host());
        var bad = assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("AIM_HOST", "http://x/")));
        assertTrue(bad.getMessage().contains("AIM_HOST"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of()).withHost("a b"));
        var cli = CommandLine.parse(new String[]{"demo", "--host", "0.0.0.0", "--port", "8080"});
        assertEquals("0.0.0.0", cli.option("host"));
    }

    @Test
    void aSeparateOwnerRunsTheMigrations() {
        var config = Config.fromEnvironment(Map.of("AIM_DATABASE_URL", "postgresql://aim_app:pw@db:5432/aim",
                "AIM_DATABASE_OWNER_URL", "postgresql://aim_owner:secret@db:5432/aim"));
        assertEquals("aim_app", config.database().user());
        assertEquals("aim_owner", config.databaseOwner().user());
        assertEquals(null, Config.fromEnvironment(Map.of()).databaseOwner());
        var alone = assertThrows(IllegalArgumentException.class,
                () -> Config.fromEnvironment(Map.of("AIM_DATABASE_OWNER_URL", "postgresql://o@db/aim")));
        assertTrue(alone.getMessage().contains("AIM_DATABASE_URL"), alone.getMessage());
    }

    @Test
    void anExternalDatabaseIsMigratedByItsOwnerAndASuperuserServingIsWarnedAbout() throws Exception {
        try (var owner = aim.testing.TestDatabase.fresh()) {
            String role = "aim_ext_" + ProcessHandle.current().pid();
            try (Connection c = owner.getConnection(); var s = c.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + role);
                s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'ext-pw'");
            }
            try {
                // the owner (a superuser here) serving alone: warned
                String warnings = standardError(() -> {
                    try (var serving = Main.prepare(Config.fromEnvironment(Map.of("AIM_DATABASE_URL", owner.getJdbcUrl(),
                            "AIM_DATABASE_USER", owner.getUsername(), "AIM_DATABASE_PASSWORD", owner.getPassword())), false)) {
                        assertTrue(serving.dataSource().getConnection().isValid(2));
                    }
                });
                assertTrue(warnings.contains("superuser"), warnings);

                // a separate owner migrates and grants row access to the serving role: no warning
                Config separate = Config.fromEnvironment(Map.of(
                        "AIM_DATABASE_URL", owner.getJdbcUrl(), "AIM_DATABASE_USER", role, "AIM_DATABASE_PASSWORD", "ext-pw",
                        "AIM_DATABASE_OWNER_URL", owner.getJdbcUrl(), "AIM_DATABASE_OWNER_USER", owner.getUsername(),
                        "AIM_DATABASE_OWNER_PASSWORD", owner.getPassword()));
                String quiet = standardError(() -> {
                    try (var serving = Main.prepare(separate, false); Connection c = serving.dataSource().getConnection();
                         var s = c.createStatement()) {
                        var rs = s.executeQuery("SELECT current_user, count(*) FROM incident GROUP BY 1");
                        assertFalse(rs.next(), "reads the (empty) incident table");
                        assertThrows(SQLException.class, () -> s.execute("DROP TABLE incident"));
                    }
                });
                assertFalse(quiet.contains("superuser"), quiet);
            } finally {
                try (Connection c = owner.getConnection(); var s = c.createStatement()) {
                    s.execute("DROP OWNED BY " + role);
                }
                owner.close();
                try (var c = java.sql.DriverManager.getConnection(owner.getJdbcUrl().replaceAll("/[^/?]+(\\?|$)", "/postgres$1"),
                        owner.getUsername(), owner.getPassword()); var s = c.createStatement()) {
                    s.execute("DROP ROLE IF EXISTS " + role);
                } catch (SQLException ignored) {
                    // the role may still own privileges in another test database; harmless in a throw-away cluster
                }
            }
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static String standardError(Work work) throws Exception {
        var saved = System.err;
        var captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void secretFilesAreNeverReadableByOthers() throws Exception {
        Path dir = Files.createTempDirectory("aim-secret");
        Path file = dir.resolve("token.txt");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        SecretFile.write(file, "s3cret\n");
        assertEquals("s3cret\n", Files.readString(file));
        assertFalse(SecretFile.exposed(file), "replaced by a file created 600");
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
        // the new file is created with the mode, not chmod-ed afterwards
        Path created = Files.createTempFile(dir, "x", ".tmp", SecretFile.ownerOnly());
        assertEquals(SecretFile.MODE, PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
    }

    private static InetAddress externalAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return a;
            }
        }
        return null;
    }
}
