package aim.areas;

import aim.DemoLoader;
import aim.testing.TestServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incidents for the area statistics and series tests, inserted by SQL over the demo geography
 * (20 wards, version "demo", four neighbourhoods). Wards are referred to by their index in code order.
 *
 * <ul>
 *   <li>1,500 located council/warden incidents spread over the borough, 1 Jan – 30 Jun 2025 (categories
 *       in {@link #BACKGROUND}), and 300 month-precise police rows at the start of each month;</li>
 *   <li>ward 5: 20 abandoned vehicles on 1–20 May 2025 and 8 on 3–10 April 2025;</li>
 *   <li>ward 6: 4 area-only council rows with the ward's code as their area (10 May 2025);</li>
 *   <li>area-only police rows: 3 in May 2025 for LSOA {@link #LSOA} (no LSOA set is loaded: unlocated
 *       until a test loads one), 2 in May for an unknown LSOA, 1 in April without a code, 1 in
 *       February for an unknown LSOA;</li>
 *   <li>ward 7: 3 month-precise police possession-of-weapons rows for March 2024, located;</li>
 *   <li>at the point-on-surface of ward 8: 5 warden fly-tips and 2 (sensitive) violence rows in May 2025;</li>
 *   <li>ward 0 has a population of 0 and ward 1 none.</li>
 * </ul>
 */
final class AreaTestData {
    static final String LSOA = "E01099001";
    static final List<String> BACKGROUND = List.of("asb-noise", "env-graffiti", "env-dog-fouling", "env-littering",
            "criminal-damage-arson", "burglary", "drugs", "shoplifting");

    private AreaTestData() {
    }

    /** Loads the demo geography and the incidents; returns the demo ward codes in code order. */
    static List<String> load(TestServer server, Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        List<String> wards = wardCodes(server);
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TEMP VIEW demo_ward AS
                    SELECT b.id, b.code, b.geom, row_number() OVER (ORDER BY b.code) - 1 AS n
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo';
                    SELECT setseed(0.5);
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT CASE WHEN k % 3 = 0 THEN 'warden' ELSE 'council' END,
                           (ARRAY['asb-noise','env-graffiti','env-dog-fouling','env-littering','criminal-damage-arson','burglary','drugs','shoplifting'])[1 + k % 8],
                           timestamptz '2025-01-01 00:00+00' + random() * (timestamptz '2025-07-01 00:00+01' - timestamptz '2025-01-01 00:00+00'),
                           CASE WHEN k % 3 = 0 THEN 'minute' ELSE 'day' END, geom, 'exact', 'bg-' || k
                    FROM (SELECT row_number() OVER () AS k, geom FROM (SELECT (ST_Dump(ST_GeneratePoints(
                              (SELECT ST_Union(geom) FROM demo_ward), 1500, 7))).geom) d) p;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', (ARRAY['anti-social-behaviour','burglary','vehicle-crime'])[1 + k % 3],
                           (date '2025-01-01' + ((k % 6) || ' months')::interval)::timestamp AT TIME ZONE 'Europe/London',
                           'month', geom, 'snapped', 'police-' || k
                    FROM (SELECT row_number() OVER () AS k, geom FROM (SELECT (ST_Dump(ST_GeneratePoints(
                              (SELECT ST_Union(geom) FROM demo_ward), 300, 11))).geom) d) p;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'env-abandoned-vehicle', (date '2025-05-01' + d - 1)::timestamp AT TIME ZONE 'Europe/London' + interval '10 hours',
                           'day', ST_PointOnSurface(w.geom), 'exact', 'av-may-' || d
                    FROM demo_ward w, generate_series(1, 20) d WHERE w.n = 5;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'env-abandoned-vehicle', (date '2025-04-03' + d - 1)::timestamp AT TIME ZONE 'Europe/London' + interval '10 hours',
                           'day', ST_PointOnSurface(w.geom), 'exact', 'av-apr-' || d
                    FROM demo_ward w, generate_series(1, 8) d WHERE w.n = 5;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, area_code)
                    SELECT 'council', 'env-littering', timestamptz '2025-05-10 12:00+01', 'day', NULL, 'area', 'ward-area-' || d, w.code
                    FROM demo_ward w, generate_series(1, 4) d WHERE w.n = 6;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, area_code)
                    VALUES ('police', 'burglary', '2025-05-01 00:00+01', 'month', NULL, 'area', 'lsoa-1', 'E01099001'),
                           ('police', 'burglary', '2025-05-01 00:00+01', 'month', NULL, 'area', 'lsoa-2', 'E01099001'),
                           ('police', 'drugs', '2025-05-01 00:00+01', 'month', NULL, 'area', 'lsoa-3', 'E01099001'),
                           ('police', 'burglary', '2025-05-01 00:00+01', 'month', NULL, 'area', 'unknown-1', 'E01099999'),
                           ('police', 'burglary', '2025-05-01 00:00+01', 'month', NULL, 'area', 'unknown-2', 'E01099999'),
                           ('police', 'robbery', '2025-04-01 00:00+01', 'month', NULL, 'area', 'nowhere-1', NULL),
                           ('police', 'robbery', '2025-02-01 00:00+00', 'month', NULL, 'area', 'unknown-3', 'E01099998');
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'possession-of-weapons', timestamptz '2024-03-01 00:00+00', 'month',
                           ST_SnapToGrid(ST_PointOnSurface(w.geom), 1), 'snapped', 'pow-' || d
                    FROM demo_ward w, generate_series(1, 3) d WHERE w.n = 7;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'warden', 'fly-tipping', timestamptz '2025-05-12 09:00+01' + (d || ' hours')::interval, 'minute',
                           ST_PointOnSurface(w.geom), 'gps', 'ft-' || d
                    FROM demo_ward w, generate_series(1, 5) d WHERE w.n = 8;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'violence-and-sexual-offences', timestamptz '2025-05-05 22:00+01', 'minute',
                           ST_PointOnSurface(w.geom), 'exact', 'vso-' || d
                    FROM demo_ward w, generate_series(1, 2) d WHERE w.n = 8;
                    UPDATE population SET population = 0 WHERE boundary_id = (SELECT id FROM demo_ward WHERE n = 0);
                    DELETE FROM population WHERE boundary_id = (SELECT id FROM demo_ward WHERE n = 1);
                    """);
        }
        return wards;
    }

    static List<String> wardCodes(TestServer server) throws Exception {
        return strings(server, """
                SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code""");
    }

    /** Ward codes of each demo neighbourhood. */
    static Map<String, List<String>> neighbourhoods(TestServer server) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT n.code, w.code FROM boundary n JOIN boundary_set s ON s.id = n.set_id
                     JOIN neighbourhood_ward nw ON nw.neighbourhood_id = n.id JOIN boundary w ON w.id = nw.ward_id
                     WHERE s.level = 'neighbourhood' AND s.version = 'demo' ORDER BY 1, 2""")) {
            while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
        return out;
    }

    /**
     * An independent count per demo ward: located incidents covered by the ward polygon plus area-only
     * rows naming the ward's code, occurring in [from local midnight, to + 1 day local midnight), with an
     * optional SQL condition on {@code i}. (The test data has no points on ward edges and its
     * month-precise rows all start on the 1st, so this plain range is what the endpoint must return.)
     */
    static Map<String, Long> independentWardCounts(TestServer server, String from, String to, String condition) throws Exception {
        String sql = """
                SELECT w.code, count(i.id) FROM boundary w JOIN boundary_set s ON s.id = w.set_id
                LEFT JOIN incident i ON (ST_Covers(w.geom, i.geom) OR (i.geom IS NULL AND i.area_code = w.code))
                     AND i.occurred_at >= (date '%s')::timestamp AT TIME ZONE 'Europe/London'
                     AND i.occurred_at < (date '%s' + 1)::timestamp AT TIME ZONE 'Europe/London'
                     AND (%s)
                WHERE s.level = 'ward' AND s.version = 'demo' GROUP BY w.code ORDER BY 1"""
                .formatted(from, to, condition == null ? "true" : condition);
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    static List<String> strings(TestServer server, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static long number(TestServer server, String sql) throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(TestServer server, String sql) throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
