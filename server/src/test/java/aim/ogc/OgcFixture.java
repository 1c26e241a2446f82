package aim.ogc;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.assets.DemoAssets;
import aim.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Data for the OGC API – Features tests: the demo geography (20 wards, neighbourhoods, zone layers), the demo
 * community assets (places, services and people), the demo wards again as an LSOA set, and incidents inserted by SQL:
 * <ul>
 *   <li>400 council and warden incidents over the borough, 1 Jan – 30 Jun 2025 (asb-noise, env-graffiti, burglary);</li>
 *   <li>30 month-precise police rows (anti-social-behaviour) dated the first of January–June 2025;</li>
 *   <li>a warden's report of a sensitive category ({@link #SENSITIVE}) at {@link #PX}, {@link #PY} with location text,
 *       a description and a reporter, and three council rows of it a few metres away (sensitive points);</li>
 *   <li>150 incidents in the last whole financial quarter before today, clustered around the point-on-surface of the
 *       third ward (for the hotspot grid);</li>
 * </ul>
 * and one problem (created through the JSON API by an analyst).
 */
final class OgcFixture {
    static final String SENSITIVE = "violence-and-sexual-offences";
    /** The sensitive report's true point (EPSG:27700); generalised to the centre of its 500 m square. */
    static double PX, PY;
    static String analyst, viewer, warden;
    static long reportId;

    private OgcFixture() {
    }

    static void load(TestServer server, Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        // an LSOA set, so that every collection has features: the demo wards again, as LSOAs
        var files = aim.boundaries.demo.DemoBoroughGenerator.load().writeAll(dir.resolve("lsoa"));
        new aim.boundaries.BoundaryImporter(server.dataSource).importFile(files.wards(), new aim.boundaries.BoundaryImportOptions(
                aim.boundaries.BoundaryLevel.LSOA, "lsoa-test", LocalDate.of(2024, 1, 1), null, null, null, null, false, false, null));
        DemoAssets.load(server.dataSource);
        analyst = server.userToken("ana", Role.ANALYST);
        viewer = server.userToken("vera", Role.VIEWER);
        warden = server.userToken("wes", Role.WARDEN);
        long wes = server.accounts.find("wes").orElseThrow().id();
        var quarter = HotspotGrid.quarter(LocalDate.now(aim.core.Council.UK));
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            aim.incidents.IncidentPartitions.ensureMonths(c, quarter.start(), quarter.end());
            try (ResultSet rs = st.executeQuery("""
                    SELECT round(ST_X(p)::numeric, 1) + 0.0, round(ST_Y(p)::numeric, 1) + 0.0 FROM (SELECT ST_PointOnSurface(b.geom) AS p
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo'
                    ORDER BY b.code LIMIT 1) x""")) {
                rs.next();
                // a point that is not a square's centre: move it 120 m off the 500 m grid's centres
                PX = Math.floor(rs.getDouble(1) / 500) * 500 + 370.5;
                PY = Math.floor(rs.getDouble(2) / 500) * 500 + 130.5;
            }
            st.execute("""
                    CREATE TEMP VIEW demo_ward AS
                    SELECT b.id, b.code, b.geom, row_number() OVER (ORDER BY b.code) - 1 AS n
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo';
                    SELECT setseed(0.25);
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, location_text,
                                          description, external_key)
                    SELECT CASE WHEN k %% 3 = 0 THEN 'warden' ELSE 'council' END,
                           (ARRAY['asb-noise', 'env-graffiti', 'burglary'])[1 + k %% 3],
                           timestamptz '2025-01-01 00:00+00' + (k * 10.8 || ' hours')::interval,
                           CASE WHEN k %% 3 = 0 THEN 'minute' ELSE 'day' END, geom, 'exact', 'near ' || k || ' High Street',
                           'report ' || k, 'ogc-' || k
                    FROM (SELECT row_number() OVER () AS k, geom FROM (SELECT (ST_Dump(ST_GeneratePoints(
                              (SELECT ST_Union(geom) FROM demo_ward), 400, 11))).geom) d) p;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'anti-social-behaviour',
                           (date '2025-01-01' + ((k %% 6) || ' months')::interval)::timestamp AT TIME ZONE 'Europe/London',
                           'month', ST_SnapToGrid(geom, 50), 'snapped', 'police-ogc-' || k
                    FROM (SELECT row_number() OVER () AS k, geom FROM (SELECT (ST_Dump(ST_GeneratePoints(
                              (SELECT ST_Union(geom) FROM demo_ward), 30, 12))).geom) d) p;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '%1$s 12:00+00' + ((k %% 80) || ' days')::interval, 'day', geom, 'exact',
                           'quarter-' || k
                    FROM (SELECT row_number() OVER () AS k, geom FROM (SELECT (ST_Dump(ST_GeneratePoints(
                              ST_Buffer((SELECT ST_PointOnSurface(geom) FROM demo_ward WHERE n = 2), 300), 150, 13))).geom) d) p;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, location_text,
                                          description, external_key)
                    SELECT 'council', '%2$s', timestamptz '2025-03-01 12:00+00' + (t.n || ' days')::interval, 'day',
                           ST_SetSRID(ST_MakePoint(%3$s + 4 * t.n, %4$s + 3 * t.n), 27700), 'exact', 'behind 9 Quiet Lane',
                           'a private account', 'sens-' || t.n
                    FROM generate_series(1, 3) AS t(n);
                    """.formatted(quarter.start(), SENSITIVE, PX, PY));
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, accuracy_m,
                                          location_text, description, reporter_name, reporter_contact, recorded_by, external_key)
                    VALUES ('warden', ?, '2025-03-10 10:00+00', 'minute', ST_SetSRID(ST_MakePoint(?, ?), 27700), 'gps', 6,
                            'outside 14 Quiet Lane', 'shouting over the fence', 'Mrs Resident', '07700 900123', ?, ?)
                    RETURNING id""")) {
                ps.setString(1, SENSITIVE);
                ps.setDouble(2, PX);
                ps.setDouble(3, PY);
                ps.setLong(4, wes);
                ps.setString(5, "warden:" + wes + ":ogc");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    reportId = rs.getLong(1);
                }
            }
        }
        String ward = scalar(server, "SELECT code FROM boundary b JOIN boundary_set s ON s.id = b.set_id "
                + "WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY code OFFSET 4 LIMIT 1");
        HttpResponse<String> created = server.send("POST", "/api/problems", HttpRequest.BodyPublishers.ofString("""
                        {"title": "Precinct ASB", "categories": ["anti-social-behaviour"], "area": "ward:%s", "owner": "aim",
                         "objective": "Reduce ASB around the precinct"}""".formatted(ward)),
                "Authorization", "Bearer " + analyst, "Content-Type", "application/json");
        assertEquals(201, created.statusCode(), created.body());
    }

    static String scalar(TestServer server, String sql, Object... params) throws Exception {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static long count(TestServer server, String sql, Object... params) throws Exception {
        return Long.parseLong(scalar(server, sql, params));
    }

    static List<String> column(TestServer server, String sql, Object... params) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) values.add(rs.getString(1));
            }
        }
        return values;
    }
}
