package aim.db;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statement timeouts per request class and cancelling on a client's disconnect, over HTTP against real PostGIS.
 * A statement is made slow by a lock the test holds in another session (no test-only route, no pg_sleep).
 */
@Tag("postgis")
class StatementLimitsApiTest {
    @Fresh({"AIM_STATEMENT_TIMEOUT_MS=500", "AIM_EXPORT_STATEMENT_TIMEOUT_MS=60000"}) static TestServer server;
    static String analyst;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("ana", Role.ANALYST);
    }

    @Test
    void anInteractiveReadPastItsTimeoutIsA503WithRetryAfterNamingTheRequest() throws Exception {
        try (Connection lock = server.dataSource.getConnection(); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE incident IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            var response = server.get("/api/incidents?limit=10", "Authorization", "Bearer " + analyst);
            long ms = (System.nanoTime() - start) / 1_000_000;
            lock.rollback();
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("30", response.headers().firstValue("Retry-After").orElse(null));
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            var problem = json(response);
            assertEquals(503, problem.path("status").asInt());
            assertTrue(problem.path("detail").asText().contains("GET /api/incidents"), problem.toString());
            assertTrue(problem.path("detail").asText().contains("500 ms"), problem.toString());
            assertTrue(ms < 5000, "answered after " + ms + " ms");
        }
        // and the same read works once nothing holds it up
        assertEquals(200, server.get("/api/incidents?limit=10", "Authorization", "Bearer " + analyst).statusCode());
    }

    @Test
    void anExportOutlivesTheInteractiveTimeoutAndIsCancelledWhenItsClientDisconnects() throws Exception {
        try (Connection lock = server.dataSource.getConnection(); Statement s = lock.createStatement();
             Connection watch = server.dataSource.getConnection()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE asset IN ACCESS EXCLUSIVE MODE");
            try (Socket client = new Socket("localhost", server.app.port())) {
                OutputStream out = client.getOutputStream();
                out.write(("GET /api/assets/export HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + analyst
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                int pid = waitForBlockedBackend(watch, 5000);
                // an export may run far longer than the 500 ms of an interactive read
                Thread.sleep(1500);
                assertEquals("active", state(watch, pid), "the export's statement still waits");
            }
            // the client has closed its connection: within two seconds the statement is cancelled, lock or no lock
            long deadline = System.nanoTime() + 2_000_000_000L;
            String state = "active";
            while (System.nanoTime() < deadline) {
                state = blockedCount(watch) == 0 ? "cancelled" : "active";
                if (state.equals("cancelled")) break;
                Thread.sleep(50);
            }
            assertEquals("cancelled", state, "the backend still waits for the lock after the client went away");
            lock.rollback();
        }
        assertEquals(200, server.get("/api/assets/export", "Authorization", "Bearer " + analyst).statusCode());
    }

    /** The pid of the app's backend that waits for a lock, once there is one. */
    private static int waitForBlockedBackend(Connection c, long withinMs) throws Exception {
        long deadline = System.nanoTime() + withinMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(BLOCKED)) {
                if (rs.next()) return rs.getInt(1);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no statement of the app waited for the lock within " + withinMs + " ms");
    }

    private static int blockedCount(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + BLOCKED + ") b")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String state(Connection c, int pid) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() ? rs.getString(1) : "gone";
        }
    }

    private static final String BLOCKED = """
            SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()""";
}
