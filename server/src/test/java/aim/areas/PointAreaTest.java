package aim.areas;

import aim.testing.Fresh;
import aim.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Areas stored per distinct point (migrations/V21__point_areas.sql): a point is placed once and reused by later
 * inserts (the trigger path and the bulk path of incident_insert_rows), a point outside every area is recorded as
 * placed with no area, points on a shared edge and a shared vertex take the smallest code, generalised points are
 * placed, a new boundary set places the existing points, two transactions placing the same new points at once
 * both succeed, and deletes, moves and retention leave every rollup equal to a full recount. Two 1 km square
 * wards (EPSG:27700) share the edge x = 451000.
 */
@Tag("postgis")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointAreaTest {
    @Fresh static TestServer server;

    static final String WEST = "E05900001", EAST = "E05900002";
    static final String SENSITIVE = "violence-and-sexual-offences";

    /** The fixture's points: inside west, inside east, on the shared edge, on the shared vertex, outside both. */
    static final double[][] POINTS = {{450500.5, 520500.25}, {451600.75, 520300.5}, {451000, 520400}, {451000, 520000}, {460000.5, 530000.5}};

    @Test
    @Order(1)
    void pointsArePlacedOnceByTheTieRuleAndReusedByLaterInserts() throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(wards("pts"));
            st.execute("SELECT rollup_assign_set(id) FROM boundary_set WHERE version = 'pts'");
            // a neighbourhood of the west ward only
            st.execute("""
                    INSERT INTO boundary_set (level, version, valid_from, based_on)
                    SELECT 'neighbourhood', 'pts-n', '2020-01-01', id FROM boundary_set WHERE level = 'ward' AND version = 'pts'""");
            st.execute("""
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT s.id, 'N1', 'West', b.geom FROM boundary_set s, boundary b JOIN boundary_set w ON w.id = b.set_id
                    WHERE s.version = 'pts-n' AND w.version = 'pts' AND b.code = '%s'""".formatted(WEST));
            st.execute("""
                    INSERT INTO neighbourhood_ward (neighbourhood_id, ward_id)
                    SELECT n.id, b.id FROM boundary n JOIN boundary_set s ON s.id = n.set_id AND s.version = 'pts-n',
                           boundary b JOIN boundary_set w ON w.id = b.set_id AND w.version = 'pts' WHERE b.code = '%s'""".formatted(WEST));
            st.execute("SELECT rollup_assign_set(id) FROM boundary_set WHERE version = 'pts-n'");

            st.execute(insertAt("one", "2023-03-10 10:00Z", "asb-noise"));
            st.execute(insertAt("one-s", "2023-04-10 10:00Z", SENSITIVE));
            assertEquals(List.of(WEST, EAST, WEST, WEST, "none"), wardOfEachPoint(st, "pts"), "the tie rule: the smallest code on the edge and the vertex");
            assertEquals(List.of("N1", "none", "N1", "N1", "none"), wardOfEachPoint(st, "pts-n"), "a neighbourhood is its ward's");
            assertEquals(1, count(st, "SELECT count(*) FROM rollup_point WHERE x = 460000.5 AND y = 530000.5"), "the outside point is placed");
            assertEquals(0, count(st, "SELECT count(*) FROM point_area WHERE x = 460000.5 AND y = 530000.5"), "… in no area");
            // the generalised point of the sensitive incident in the west ward: the centre of its 500 m square
            assertEquals(List.of(WEST), codes(st, "SELECT b.code FROM point_area pa JOIN boundary b ON b.id = pa.boundary_id"
                    + " JOIN boundary_set s ON s.id = b.set_id AND s.version = 'pts' WHERE pa.x = 450750 AND pa.y = 520750"));
            long points = count(st, "SELECT count(*) FROM rollup_point");
            assertEquals(POINTS.length + 4, points, "five exact points and four distinct generalised ones (the edge and vertex points share a 500 m square)");
            assertTrue(RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "the first insert") > 0);
            String placed = string(st, "SELECT md5(string_agg(pa::text, ',' ORDER BY pa::text)) FROM point_area pa");

            // the same points again, by the trigger path and by the bulk path into a month without a partition:
            // nothing placed again (no row written to rollup_point or point_area in the transaction)
            c.setAutoCommit(false);
            st.execute(insertAt("two", "2023-03-20 10:00Z", "asb-noise"));
            st.execute("CREATE TEMP TABLE staged (LIKE incident INCLUDING DEFAULTS) ON COMMIT DROP");
            st.execute(insertAt("three", "2024-06-05 10:00Z", SENSITIVE).replace("INSERT INTO incident", "INSERT INTO staged"));
            st.execute("SELECT * FROM incident_insert_rows('staged')");
            assertEquals(1, count(st, "SELECT count(*) FROM pg_class WHERE relname = 'incident_2024_06'"), "the bulk path built the month");
            assertEquals(0, count(st, """
                    SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_xact_user_tables WHERE relname IN ('rollup_point', 'point_area')"""));
            c.commit();
            c.setAutoCommit(true);
            assertEquals(points, count(st, "SELECT count(*) FROM rollup_point"));
            assertEquals(placed, string(st, "SELECT md5(string_agg(pa::text, ',' ORDER BY pa::text)) FROM point_area pa"));
            assertEquals(4 * POINTS.length, count(st, "SELECT count(*) FROM incident"));
            assertTrue(RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "inserts at placed points") > 0);
        }
    }

    @Test
    @Order(2)
    void twoTransactionsPlacingTheSameNewPointsAtOnceBothSucceed() throws Exception {
        // the placing itself: the second waits for the first's new points, skips them and then reads their areas
        String place = "SELECT rollup_place_new(array_agg(450100.5 + k), array_agg(520100.5 + k)) FROM generate_series(1, 50) k";
        try (Connection a = server.dataSource.getConnection(); Statement sa = a.createStatement()) {
            a.setAutoCommit(false);
            sa.execute(place);
            CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> {
                try (Connection b = server.dataSource.getConnection(); Statement sb = b.createStatement()) {
                    b.setAutoCommit(false);
                    sb.execute(place);
                    long seen = count(sb, "SELECT count(*) FROM point_area WHERE x > 450100 AND x < 450200 AND y < 520200");
                    b.commit();
                    return seen;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertFalse(other.isDone(), "the second waits for the first's new points");
            a.commit();
            assertEquals(2 * 50, other.get(60, TimeUnit.SECONDS), "the ward and the neighbourhood of each point, placed by the first");
        }
        // whole inserts at new points at once (they also meet at data_version, V17)
        String sql = """
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', 'asb-noise', '2023-05-01 12:00Z', 'minute', ST_SetSRID(ST_MakePoint(450100.5 + k, 520200.5 + k), 27700),
                       'exact', '%s-' || k
                FROM generate_series(1, 50) k""";
        try (Connection a = server.dataSource.getConnection(); Statement sa = a.createStatement()) {
            a.setAutoCommit(false);
            sa.execute(sql.formatted("conc-a"));
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                try (Connection b = server.dataSource.getConnection(); Statement sb = b.createStatement()) {
                    sb.execute(sql.formatted("conc-b"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            a.commit();
            other.get(60, TimeUnit.SECONDS);
        }
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            assertEquals(100, count(st, "SELECT count(*) FROM incident WHERE external_key LIKE 'conc-%'"));
            assertEquals(100, count(st, "SELECT count(*) FROM rollup_point WHERE x > 450100 AND x < 450200 AND y > 520100 AND y < 520300"));
            assertEquals(100, count(st, """
                    SELECT sum(a.n) FROM area_month_count a JOIN boundary b ON b.id = a.boundary_id JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.version = 'pts' AND a.month = '2023-05-01' AND a.located_as = 'exact'"""));
        }
        assertTrue(RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "two transactions at once") > 0);
    }

    @Test
    @Order(3)
    void aNewBoundarySetPlacesTheExistingPoints() throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            // a zone over the west half of the east ward and the east half of the west ward, x 450500..451500
            st.execute("INSERT INTO boundary_set (level, version, valid_from) VALUES ('zone', 'pts-z', '2020-01-01')");
            st.execute("""
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT id, 'Z1', 'Middle', ST_Multi(ST_MakeEnvelope(450500, 520000, 451500, 521000, 27700)) FROM boundary_set WHERE version = 'pts-z'""");
            st.execute("SELECT rollup_assign_set(id) FROM boundary_set WHERE version = 'pts-z'");
            assertEquals(List.of("Z1", "none", "Z1", "Z1", "none"), wardOfEachPoint(st, "pts-z"), "the vertex point is on the zone's edge");
            assertEquals(0, count(st, """
                    SELECT count(*) FROM rollup_point r WHERE ST_Covers(ST_MakeEnvelope(450500, 520000, 451500, 521000, 27700),
                                                                       ST_SetSRID(ST_MakePoint(r.x, r.y), 27700))
                      AND NOT EXISTS (SELECT 1 FROM point_area pa JOIN boundary_set s ON s.id = pa.set_id AND s.version = 'pts-z'
                                      WHERE pa.x = r.x AND pa.y = r.y)"""), "every placed point in the zone has its row");
        }
        assertTrue(RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "a new zone set") > 0);
    }

    @Test
    @Order(4)
    void deletesMovesAndRetentionKeepEveryRollupEqualToARecount() throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM incident WHERE external_key IN ('one-1', 'one-s-3', 'conc-a-7')");
            RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "deletes");
            // a move to a point never seen before (the update trigger places it) and to a sensitive category
            st.execute("""
                    UPDATE incident SET geom = ST_SetSRID(ST_MakePoint(451333.25, 520777.75), 27700), category = '%s'
                    WHERE external_key IN ('two-2', 'conc-b-9')""".formatted(SENSITIVE));
            assertEquals(1, count(st, "SELECT count(*) FROM rollup_point WHERE x = 451333.25 AND y = 520777.75"));
            RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "moves");
            long before = count(st, "SELECT count(*) FROM incident WHERE occurred_at < '2023-04-01'");
            assertTrue(before > 0);
            st.execute("SELECT * FROM incident_drop_months_before('2023-04-01')");
            assertEquals(0, count(st, "SELECT count(*) FROM incident WHERE occurred_at < '2023-04-01'"));
            assertTrue(RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "retention") > 0);
        }
    }

    /**
     * A database at V20 with incidents assigned the old way (incident_area) is migrated: every incident's areas
     * through its points equal its old incident_area rows, and the rollups still equal a recount.
     */
    @Test
    @Order(5)
    void theMigrationPlacesTheExistingPointsAsIncidentAreaHadThem() throws Exception {
        String name = "aim_points_v20_" + ProcessHandle.current().pid();
        String url = server.dataSource.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        String user = server.dataSource.getUsername(), password = server.dataSource.getPassword();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        try {
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").target("20").load().migrate();
            List<String> before;
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute(wards("old"));
                st.execute("SELECT rollup_assign_set(id) FROM boundary_set WHERE version = 'old'");
                st.execute(insertAt("m1", "2023-03-10 10:00Z", "asb-noise"));
                st.execute(insertAt("m2", "2023-04-10 10:00Z", SENSITIVE));
                before = codes(st, "SELECT ia.incident_id || ' ' || ia.set_id || ' ' || ia.located_as || ' ' || ia.boundary_id FROM incident_area ia ORDER BY 1");
                assertEquals(2 * 4 + 4, before.size(), "four points in a ward, exact and (sensitive) generalised");
            }
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                assertEquals(0, count(st, "SELECT count(*) FROM pg_class WHERE relname = 'incident_area'"));
                assertEquals(before, codes(st, """
                        SELECT p.id || ' ' || pa.set_id || ' ' || p.located_as || ' ' || pa.boundary_id
                        FROM (SELECT i.id, 'exact' AS located_as, i.geom AS g FROM incident i
                              UNION ALL
                              SELECT i.id, 'generalised', rollup_generalised(i.geom) FROM incident i WHERE i.category = '%s') p
                        JOIN point_area pa ON pa.x = ST_X(p.g) AND pa.y = ST_Y(p.g) ORDER BY 1""".formatted(SENSITIVE)));
            }
            try (var ds = new com.zaxxer.hikari.HikariDataSource()) {
                ds.setJdbcUrl(url);
                ds.setUsername(user);
                ds.setPassword(password);
                ds.setMaximumPoolSize(1);
                RollupMaintenanceTest.assertRollupsEqualRecount(ds, "the migration");
            }
        } finally {
            try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    /** Two 1 km square wards sharing the edge x = 451000, in a new ward set of that version. */
    private static String wards(String version) {
        return """
                WITH s AS (INSERT INTO boundary_set (level, version, valid_from) VALUES ('ward', '%s', '2020-01-01') RETURNING id)
                INSERT INTO boundary (set_id, code, name, geom)
                SELECT s.id, w.code, w.code, ST_Multi(ST_MakeEnvelope(w.x, 520000, w.x + 1000, 521000, 27700))
                FROM s, (VALUES ('%s', 450000), ('%s', 451000)) w(code, x)""".formatted(version, WEST, EAST);
    }

    /** One INSERT of an incident at each of {@link #POINTS}, keys {@code prefix-k}. */
    private static String insertAt(String prefix, String occurred, String category) {
        List<String> values = new ArrayList<>();
        for (int k = 0; k < POINTS.length; k++) values.add("(%d, %s, %s)".formatted(k, POINTS[k][0], POINTS[k][1]));
        return """
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', '%s', '%s', 'minute', ST_SetSRID(ST_MakePoint(p.x, p.y), 27700), 'exact', '%s-' || p.k
                FROM (VALUES %s) p(k, x, y)""".formatted(category, occurred, prefix, String.join(", ", values));
    }

    /** The code of each of {@link #POINTS}' area in the set of that version ("none": no area). */
    private static List<String> wardOfEachPoint(Statement st, String version) throws SQLException {
        List<String> out = new ArrayList<>();
        for (double[] p : POINTS) {
            List<String> found = codes(st, """
                    SELECT b.code FROM point_area pa JOIN boundary b ON b.id = pa.boundary_id JOIN boundary_set s ON s.id = pa.set_id
                    WHERE s.version = '%s' AND pa.x = %s AND pa.y = %s""".formatted(version, p[0], p[1]));
            assertTrue(found.size() <= 1, found.toString());
            out.add(found.isEmpty() ? "none" : found.get(0));
        }
        return out;
    }

    private static List<String> codes(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
