package aim.db;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.TestDatabase;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Read routing against a real streaming replica: a hot standby made from the test cluster with pg_basebackup
 * on loopback. Reads go to the replica, writes to the primary, and a warden's "my reports" (and anything the
 * same user reads just after a write) to the primary, so a new report shows even while the replica lags (its
 * replay paused). Needs the private cluster of the local PostgreSQL binaries (as {@code ./aim test} runs).
 */
@Tag("postgis")
class ReadReplicaTest {
    static Path dir;
    static HikariDataSource db;
    static PrivateCluster standby;
    static TestServer server;
    static String warden, analyst;
    static double[] point;

    @BeforeAll
    static void start() throws Exception {
        var cluster = TestDatabase.privateCluster();
        assumeTrue(cluster.isPresent(), "the replica test needs a private cluster from local PostgreSQL binaries; "
                + "it is skipped with AIM_TEST_DATABASE_URL or Testcontainers");
        db = TestDatabase.fresh();
        new DemoLoader(db, Files.createTempDirectory("aim-replica-demo")).loadIfMissing();
        // the postgres user (when we are root) must be able to reach the standby's directory
        dir = Files.createTempDirectory("aim-standby", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        standby = cluster.get().startStandby(dir.resolve("standby").resolve("pgdata"));
        String database = db.getJdbcUrl().substring(db.getJdbcUrl().lastIndexOf('/') + 1);
        DatabaseUrl primary = cluster.get().url(database);
        String readUrl = "postgresql://" + primary.user() + ":" + primary.password() + "@127.0.0.1:" + standby.port() + "/" + database;
        server = new TestServer(db, Map.of("AIM_DATABASE_READ_URL", readUrl, "AIM_READ_AFTER_WRITE_MS", "60000"));
        warden = server.userToken("wes", Role.WARDEN);
        analyst = server.userToken("ana", Role.ANALYST);
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(b.geom), 4326) AS p
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' ORDER BY b.code LIMIT 1) q""")) {
            rs.next();
            point = new double[]{rs.getDouble(1), rs.getDouble(2)};
        }
        waitForReplay();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (standby != null) standby.close();
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void readsGoToTheReplicaWritesAndOwnReadsToThePrimaryAndADeadReplicaFallsBack() throws Exception {
        // a read: the replica's sessions are the app's read pool, and it is a standby
        assertEquals(200, get(analyst, "/api/reports/mine").statusCode());
        assertEquals(200, get(analyst, "/api/incidents?limit=1").statusCode());
        try (Connection c = onStandby(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), (SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                     + Database.REPLICA_APPLICATION_NAME + "')")) {
            rs.next();
            assertTrue(rs.getBoolean(1));
            assertTrue(rs.getInt(2) > 0, "the app has sessions on the replica");
        }

        // the replica lags: its replay is paused
        try (Connection c = onStandby(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_pause()");
        }
        // a write succeeds (a standby refuses writes: it went to the primary)
        var created = server.send("POST", "/api/reports", HttpRequest.BodyPublishers.ofString(String.format(Locale.ROOT, """
                        {"category": "fly-tipping", "lon": %s, "lat": %s, "occurredAt": "2025-11-22T09:15:00Z",
                         "description": "mattress", "flyTipping": {"size": "single-item", "wasteType": "household", "landType": "back-alley"}}""",
                        point[0], point[1])),
                "Authorization", "Bearer " + warden, "Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString());
        assertEquals(201, created.statusCode(), created.body());
        long id = json(created).path("id").asLong();

        // the warden's own reports come from the primary: the new one is there at once
        assertTrue(ids(json(get(warden, "/api/reports/mine"))).contains(id), "my reports right after the create");
        // and so does anything the warden reads just after writing
        assertEquals(200, get(warden, "/api/reports/" + id).statusCode());
        // someone else's read goes to the replica, which has not replayed the report yet
        assertEquals(404, get(analyst, "/api/reports/" + id).statusCode());

        try (Connection c = onStandby(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_resume()");
        }
        waitForReplay();
        assertEquals(200, get(analyst, "/api/reports/" + id).statusCode());

        // the replica goes away: reads fall back to the primary
        standby.close();
        standby = null;
        // (a pooled replica session that was in use a moment ago may be handed out dead once: that request is a 503
        // with Retry-After, never a 500, and the pool drops the session)
        var first = get(analyst, "/api/reports/" + id);
        assertTrue(first.statusCode() == 200 || first.statusCode() == 503 && first.headers().firstValue("Retry-After").isPresent(),
                first.statusCode() + " " + first.body());
        for (int k = 0; k < 3; k++) {
            var fallback = get(analyst, "/api/reports/" + id);
            assertEquals(200, fallback.statusCode(), fallback.body());
        }
    }

    private static java.util.Set<Long> ids(JsonNode list) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (JsonNode r : list) ids.add(r.path("id").asLong());
        return ids;
    }

    private static HttpResponse<String> get(String token, String path) throws Exception {
        return server.get(path, "Authorization", "Bearer " + token);
    }

    private static Connection onStandby() throws Exception {
        DatabaseUrl url = standby.url("postgres");
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }

    /** Waits until the standby has replayed everything the primary has written so far (commits are asynchronous in tests). */
    private static void waitForReplay() throws Exception {
        String lsn;
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (Connection c = onStandby(); var ps = c.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            ps.setString(1, lsn);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the standby did not replay up to " + lsn + " within 30 s");
    }
}
