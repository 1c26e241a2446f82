package aim.db;

import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The router on one pooled session: each checkout gets its request class's timeout, and custom plans. */
@Tag("postgis")
class DatabaseRouterTest {
    @Fresh({"AIM_DB_POOL_SIZE=1"}) static HikariDataSource db;

    @Test
    void everyCheckoutHasItsRequestClassTimeoutAndCustomPlans() throws Exception {
        var router = new DatabaseRouter(db, new DatabaseRouter.Settings(1111, 2222, 3333, List.of(), 0), 1, 1000);
        assertEquals("1111ms", show(router, "statement_timeout"));
        try (var scope = router.open(DatabaseRouter.Work.IMPORT, false, 7L, false)) {
            assertEquals("3333ms", show(router, "statement_timeout"));
        }
        try (var scope = router.open(DatabaseRouter.Work.EXPORT, true, null, false)) {
            assertEquals("2222ms", show(router, "statement_timeout"));
            assertEquals("2222ms", show(router.primaryOnly(), "statement_timeout"));
        }
        // the same physical session, outside a request again
        assertEquals("1111ms", show(router, "statement_timeout"));
        assertEquals("force_custom_plan", show(router, "plan_cache_mode"));
    }

    @Test
    void aCancelledRequestGetsNoFurtherConnection() throws Exception {
        var router = new DatabaseRouter(db, new DatabaseRouter.Settings(1111, 2222, 3333, List.of(), 0), 1, 1000);
        try (var scope = router.open(DatabaseRouter.Work.INTERACTIVE, true, null, false)) {
            scope.cancel();
            var e = assertThrows(SQLException.class, router::getConnection);
            assertEquals(DatabaseRouter.QUERY_CANCELED, e.getSQLState());
        }
        assertEquals("1111ms", show(router, "statement_timeout"));
    }

    @Test
    void aRetiredConnectionOfARequestLeavesThePoolAndTheNextIsAFreshSession() throws Exception {
        var router = new DatabaseRouter(db, new DatabaseRouter.Settings(1111, 2222, 3333, List.of(), 0), 1, 1000);
        long kept = pid(router);
        assertEquals(kept, pid(router), "without retiring, the pool of one gives the same session again");
        long raised;
        try (var scope = router.open(DatabaseRouter.Work.IMPORT, false, 7L, false)) {
            Connection c = router.getConnection(); // the request's view of the pooled connection
            try (c; Statement s = c.createStatement()) {
                s.execute("SET temp_buffers = '64MB'"); // as an import does, before it uses a temporary table
                raised = pid(c);
            }
            DatabaseRouter.retire(router, c); // after it went back to the pool, as the importer does
        }
        assertEquals(kept, raised, "the request had the pool's one session");
        long next = pid(router);
        assertNotEquals(raised, next, "a new session replaced the retired one");
        assertEquals("8MB", show(router, "temp_buffers"), "the new session has the default temp_buffers");
        try (Connection c = router.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + raised)) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the retired session has ended, and its memory with it");
        }
    }

    private static long pid(javax.sql.DataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            return pid(c);
        }
    }

    private static long pid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String show(javax.sql.DataSource ds, String setting) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
