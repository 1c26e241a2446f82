package aim.incidents;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custom plans for the parameter-sensitive incident page: 50,000 incidents over the demo borough, the newest ten of a
 * box that holds nearly all of them.
 */
@Tag("postgis")
class IncidentPlanTest {
    @Fresh({"AIM_DB_POOL_SIZE=1"}) static TestServer server;
    static String analyst;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("ana", Role.ANALYST);
        try (Connection c = server.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    WITH box AS (SELECT ST_Extent(b.geom) AS e FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                 WHERE s.level = 'ward' AND s.version = 'demo')
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-01-01 12:00Z' + (n || ' minutes')::interval, 'minute',
                           ST_SetSRID(ST_MakePoint(ST_XMin(e) + random() * (ST_XMax(e) - ST_XMin(e)),
                                                   ST_YMin(e) + random() * (ST_YMax(e) - ST_YMin(e))), 27700),
                           'exact', 'plan-' || n
                    FROM box, generate_series(1, 50000) AS n""");
            s.execute("ANALYZE incident");
        }
    }

    /**
     * The incident page query, run by the app ten times with different boxes on its only pooled session (pgJDBC
     * prepares it server-side from the fifth), is planned for its values every time; and the plan PostgreSQL
     * gives the eleventh execution of that same prepared statement in that same session (EXPLAIN EXECUTE goes
     * through the plan cache exactly as an execution does) reads the newest ten along the primary key
     * backwards, where the generic plan scans the whole box by its GiST index and sorts.
     */
    @Test
    void theIncidentPageIsPlannedForItsValuesAfterManyExecutions() throws Exception {
        for (int k = 0; k < 10; k++) {
            String bbox = String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f", -1.40 - k * 0.001, 54.45, -1.10 + k * 0.001, 54.65);
            var r = server.get("/api/incidents?order=newest&limit=10&bbox=" + bbox, "Authorization", "Bearer " + analyst);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(10, TestServer.json(r).path("features").size());
        }
        long userId = server.accounts.find("ana").orElseThrow().id();
        // the pool has one connection: this is the session that ran the ten pages
        try (Connection c = server.dataSource.getConnection(); Statement s = c.createStatement()) {
            String name;
            try (ResultSet rs = s.executeQuery("""
                    SELECT name, parameter_types::text, generic_plans, custom_plans FROM pg_prepared_statements
                    WHERE statement LIKE '%FROM incident i%ORDER BY i.id DESC LIMIT%'""")) {
                assertTrue(rs.next(), "pgJDBC prepared the page query server-side");
                name = rs.getString(1);
                // the page's box (WGS84) and limit + 1, then the caller (sees personal data, user id) and the ward set
                assertEquals("{\"double precision\",\"double precision\",\"double precision\",\"double precision\","
                        + "integer,boolean,bigint,bigint}", rs.getString(2));
                assertEquals(0, rs.getLong(3), "generic plans used");
                assertTrue(rs.getLong(4) >= 5, "custom plans: " + rs.getLong(4));
                assertFalse(rs.next());
            }
            long wardSet;
            try (ResultSet rs = s.executeQuery("SELECT id FROM boundary_set WHERE level = 'ward' AND version = 'demo'")) {
                rs.next();
                wardSet = rs.getLong(1);
            }
            String eleventh = "EXPLAIN (FORMAT JSON) EXECUTE \"" + name + "\"(-1.5, 54.4, -1.0, 54.7, 11, true, " + userId + ", "
                    + wardSet + ")";
            String custom = plan(s, eleventh);
            // incident is partitioned by month (V11): each month's primary key, read backwards and merged
            assertTrue(custom.matches("(?s).*\"Index Name\": \"incident_(\\d{4}_\\d{2}|default)_pkey\".*")
                            && custom.contains("\"Scan Direction\": \"Backward\""),
                    "expected a backward primary-key scan: " + custom);
            // the page (the subquery the rest is joined to) is read in order, never sorted; only its 11 rows may be
            JsonNode page = find(new ObjectMapper().readTree(custom).get(0).get("Plan"), "Parent Relationship", "Subquery");
            assertNotNull(page, "the page is a subquery: " + custom);
            assertNull(find(page, "Node Type", "Sort"), "no sort inside the page: " + custom);
            assertEquals(11, page.path("Plan Rows").asLong(), custom);
            // the same statement under a generic plan: the test tells the two apart
            try {
                s.execute("SET plan_cache_mode = force_generic_plan");
                String generic = plan(s, eleventh);
                assertFalse(generic.contains("\"Scan Direction\": \"Backward\""), "generic plan: " + generic);
            } finally {
                s.execute("SET plan_cache_mode = force_custom_plan");
            }
        }
    }

    /**
     * The hotspot and area statistics queries (bound boxes, areas and windows; raw incidents or the monthly
     * rollups) on the same single session: no
     * statement with parameters that the app prepared server-side was ever run with a generic plan.
     */
    @Test
    void hotspotAndAreaQueriesAreNeverRunWithAGenericPlan() throws Exception {
        for (int k = 0; k < 12; k++) {
            String window = "from=2025-01-%02d&to=2025-03-%02d".formatted(1 + k, 10 + k);
            for (String path : java.util.List.of("/api/hotspots?method=grid&cell=250&" + window,
                    "/api/hotspots?method=gistar&cell=250&" + window, "/api/areas/stats?level=ward&" + window)) {
                var r = server.get(path, "Authorization", "Bearer " + analyst);
                assertEquals(200, r.statusCode(), path + " " + r.body());
            }
        }
        try (Connection c = server.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FILTER (WHERE generic_plans > 0), count(*) FILTER (WHERE custom_plans >= 3 AND (statement LIKE '%FROM incident i%' OR statement LIKE '%_month_count%')),
                            string_agg(left(statement, 300), ' | ') FILTER (WHERE generic_plans > 0),
                            string_agg(custom_plans || ':' || left(regexp_replace(statement, '\\s+', ' ', 'g'), 160), ' || ')
                     FROM pg_prepared_statements
                     WHERE NOT from_sql AND cardinality(parameter_types) > 0
                       -- the other test EXPLAINs the incident page once under force_generic_plan, on purpose
                       AND statement NOT LIKE '%ORDER BY i.id DESC LIMIT%'""")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "parameterised statements run with a generic plan: " + rs.getString(3));
            assertTrue(rs.getLong(2) >= 2, "hotspot and area statements prepared server-side and planned for their values: " + rs.getString(4));
        }
    }

    /** The first plan node (depth first) whose {@code field} is {@code value}, or null. */
    private static JsonNode find(JsonNode node, String field, String value) {
        if (value.equals(node.path(field).asText())) return node;
        for (JsonNode child : node.path("Plans")) {
            JsonNode found = find(child, field, value);
            if (found != null) return found;
        }
        return null;
    }

    private static String plan(Statement s, String explain) throws Exception {
        try (ResultSet rs = s.executeQuery(explain)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
