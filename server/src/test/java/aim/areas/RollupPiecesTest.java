package aim.areas;

import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inserts locate points by the areas' pieces of at most 64 vertices (migrations/V10__import_speed.sql), and
 * stay exact where the pieces' rounded cuts could decide wrongly: two wards sharing a zigzag edge of 200
 * vertices, with incidents on every vertex of every piece (cut vertices included), along both wards' edges and
 * along every cut. And the category check that replaced the row-level foreign key still refuses what it refused.
 */
@Tag("postgis")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollupPiecesTest {
    @Fresh static TestServer server;

    @Test
    @Order(1)
    void pointsOnSharedEdgesAndCutsGetTheirExactWard() throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO boundary_set (level, version, valid_from) VALUES ('ward', 'zigzag', '2020-01-01')""");
            // the shared edge: x wobbles around 450000 while y climbs; A lies west of it, B east
            st.execute("""
                    WITH z AS (SELECT array_agg(ST_MakePoint(450000.123 + 40.7 * sin(k * 0.7), 518000.321 + 13.37 * k) ORDER BY k) AS pts
                               FROM generate_series(0, 199) k),
                         e AS (SELECT pts, ST_Y(pts[200]) AS top, ST_Y(pts[1]) AS bottom FROM z)
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT s.id, w.code, w.code, ST_Multi(ST_SetSRID(ST_MakePolygon(ST_MakeLine(
                               e.pts || ARRAY[ST_MakePoint(w.x, e.top), ST_MakePoint(w.x, e.bottom), e.pts[1]])), 27700))
                    FROM boundary_set s, e, (VALUES ('E05000001', 449000.0), ('E05000002', 451500.0)) w(code, x)
                    WHERE s.version = 'zigzag'""");
            st.execute("SELECT rollup_assign_set(id) FROM boundary_set WHERE version = 'zigzag'");
            assertTrue(count(st, "SELECT count(*) FROM boundary_piece") > 8, "the wards are cut into pieces");

            // one INSERT (one transition table): piece vertices, points along ward edges and along cuts, some sensitive
            st.execute("""
                    WITH p AS (
                        SELECT (ST_DumpPoints(outline)).geom AS g FROM boundary_piece
                        UNION ALL
                        SELECT (ST_DumpPoints(ST_LineInterpolatePoints(ST_Boundary(geom), 0.0005))).geom FROM boundary
                        UNION ALL
                        SELECT (ST_DumpPoints(ST_LineInterpolatePoints(ST_ExteriorRing(geom), 0.01))).geom FROM boundary_piece),
                    numbered AS (SELECT g, row_number() OVER () AS k FROM p)
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', CASE WHEN k % 3 = 0 THEN (SELECT code FROM incident_category WHERE sensitive LIMIT 1)
                                           ELSE 'asb-noise' END,
                           timestamptz '2025-01-01' + (k % 12) * interval '1 month', 'day', g, 'exact', 'piece-' || k
                    FROM numbered""");
            assertTrue(count(st, "SELECT count(*) FROM incident") > 2000);
            try (ResultSet rs = st.executeQuery(RollupMaintenanceTest.DIFFERENCE)) {
                rs.next();
                List<Long> diff = new ArrayList<>();
                // RollupMaintenanceTest.DIFFERENCE: nine differences, then the number of assignment rows
                for (int i = 1; i <= 9; i++) diff.add(rs.getLong(i));
                assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), diff,
                        "missing/extra assignments, missing/extra area counts, missing/extra cell counts, unassigned sets,"
                        + " missing/extra cell totals");
                assertTrue(rs.getLong(10) > 2000, "incidents were assigned");
            }
        }
    }

    @Test
    @Order(2)
    void theCategoryCheckRefusesUnknownCategoriesAndDeletingUsedOnes() throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            SQLException unknown = assertThrows(SQLException.class, () -> st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, location_precision, external_key)
                    VALUES ('council', 'no-such-category', now(), 'day', 'area', 'unknown-category')"""));
            assertEquals("23503", unknown.getSQLState(), unknown.getMessage());
            SQLException renamed = assertThrows(SQLException.class, () -> st.execute("""
                    UPDATE incident SET category = 'no-such-category' WHERE external_key = 'piece-1'"""));
            assertEquals("23503", renamed.getSQLState(), renamed.getMessage());
            SQLException used = assertThrows(SQLException.class, () -> st.execute(
                    "DELETE FROM incident_category WHERE code = 'asb-noise'"));
            assertEquals("23503", used.getSQLState(), used.getMessage());
            SQLException recoded = assertThrows(SQLException.class, () -> st.execute(
                    "UPDATE incident_category SET code = 'asb-noise-2' WHERE code = 'asb-noise'"));
            assertEquals("23503", recoded.getSQLState(), recoded.getMessage());
            assertEquals(0, count(st, "SELECT count(*) FROM incident WHERE category NOT IN (SELECT code FROM incident_category)"));
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
