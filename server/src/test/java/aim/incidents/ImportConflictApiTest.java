package aim.incidents;

import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An import the database rolls back to break a deadlock is a 503 problem with Retry-After, keeps nothing, and
 * its retry imports every row: never a 500. The deadlock is a real one, over HTTP: another transaction reads
 * the default partition (so the import's attach of its new month must wait for it) and then asks for the
 * placed-points table in SHARE mode (as a boundary import assigning a new set does), which the import holds
 * since it placed its new points. The import began waiting first, so its deadlock check runs first and
 * PostgreSQL rolls it back.
 */
@Tag("postgis")
class ImportConflictApiTest {
    private static final String PATH = "/api/incidents/import/police";
    private static final ObjectMapper JSON = new ObjectMapper();
    @Fresh static TestServer server;

    @Test
    void anImportRolledBackByADeadlockIsA503AndItsRetryImportsEveryRow() throws Exception {
        String csv = String.join(",", PoliceCsvImporter.HEADER) + "\n"
                + "conflict-1,2021-03,Cleveland Police,Cleveland Police,-1.2341,54.5671,On or near A Road,E01012001,Middlesbrough 001A,Drugs,,\n"
                + "conflict-2,2021-03,Cleveland Police,Cleveland Police,-1.2352,54.5682,On or near B Road,E01012001,Middlesbrough 001A,Burglary,,\n"
                + "conflict-3,2021-03,Cleveland Police,Cleveland Police,-1.2363,54.5693,On or near C Road,E01012001,Middlesbrough 001A,Robbery,,\n";

        HttpResponse<String> first;
        try (Connection other = server.dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("SELECT count(*) FROM incident_default"); // ACCESS SHARE, held to the end of the transaction
            }
            CompletableFuture<HttpResponse<String>> importing = CompletableFuture.supplyAsync(() -> post(csv));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!waitingOn("incident_default")) {
                if (importing.isDone()) fail("the import ended without waiting for the default partition: " + importing.get().body());
                if (System.nanoTime() > deadline) fail("the import never waited for the default partition");
                Thread.sleep(20);
            }
            try (Statement st = other.createStatement()) {
                st.execute("LOCK TABLE rollup_point IN SHARE MODE"); // waits for the import: a cycle
            }
            first = importing.get(60, TimeUnit.SECONDS);
            other.rollback();
        }

        assertEquals(503, first.statusCode(), first.body());
        assertEquals("application/problem+json; charset=utf-8", first.headers().firstValue("Content-Type").orElse(""));
        assertEquals("1", first.headers().firstValue("Retry-After").orElse(""), "Retry-After");
        JsonNode problem = JSON.readTree(first.body());
        assertEquals(503, problem.path("status").asInt());
        assertTrue(problem.path("detail").asText().contains("rolled back"), first.body());
        assertEquals(0, count("SELECT count(*) FROM incident_key WHERE source = 'police'"), "nothing of the rolled-back import kept");
        assertEquals(0, count("SELECT count(*) FROM rollup_point"), "no point placed by it either");

        HttpResponse<String> retry = post(csv);
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(3, JSON.readTree(retry.body()).path("imported").asInt(), retry.body());
        assertEquals(3, count("SELECT count(*) FROM incident WHERE source = 'police'"));
    }

    private static HttpResponse<String> post(String csv) {
        try {
            return server.send("POST", PATH, HttpRequest.BodyPublishers.ofString(csv), "Content-Type", "text/csv",
                    "Authorization", "Bearer " + server.adminToken);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitingOn(String table) throws SQLException {
        return count("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE NOT l.granted AND c.relname = '"
                + table + "'") > 0;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
