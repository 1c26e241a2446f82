package aim.areas;

import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.demo.DemoBoroughGenerator;
import aim.incidents.PoliceCsvImporter;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After every kind of write (a police.uk import, a council import, a warden report, an edit that moves a
 * report to another ward, month and a sensitive category, a delete, a new boundary version and its
 * neighbourhoods, a replaced version) the rollups equal a fresh recount from the incident and boundary
 * tables by independent SQL.
 */
@Tag("postgis")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RollupMaintenanceTest {
    @Fresh static TestServer server;
    static String warden;
    static long reportId;

    /**
     * The difference between the stored rollups and a recount: rows of the assignment (each incident at its points'
     * stored areas), the area counts and the cell counts that are in one and not the other (0 when exact), plus
     * assigned sets missing from rollup_set, incident points not placed, and placed points at a wrong area.
     */
    public static final String DIFFERENCE = """
            WITH incident_point AS (
                SELECT x.id, 'exact' AS located_as, x.geom AS g FROM incident x WHERE x.geom IS NOT NULL
                UNION ALL
                SELECT x.id, 'generalised', ST_SetSRID(ST_MakePoint(floor(ST_X(x.geom) / 500) * 500 + 250,
                                                                    floor(ST_Y(x.geom) / 500) * 500 + 250), 27700)
                FROM incident x JOIN incident_category c ON c.code = x.category
                WHERE c.sensitive AND x.geom IS NOT NULL),
            expected_area AS (
                SELECT p.id AS incident_id, s.id AS set_id, p.located_as,
                       (SELECT b.id FROM boundary b WHERE b.set_id = s.id AND ST_Covers(b.geom, p.g) ORDER BY b.code LIMIT 1) AS boundary_id
                FROM boundary_set s CROSS JOIN incident_point p
                WHERE s.level <> 'neighbourhood'),
            expected AS (
                SELECT * FROM expected_area WHERE boundary_id IS NOT NULL
                UNION ALL
                SELECT e.incident_id, n.set_id, e.located_as, n.id FROM expected_area e
                JOIN neighbourhood_ward nw ON nw.ward_id = e.boundary_id JOIN boundary n ON n.id = nw.neighbourhood_id),
            -- each incident's areas as the rollups store them: those of its point
            stored AS (
                SELECT p.id AS incident_id, pa.set_id, p.located_as, pa.boundary_id
                FROM incident_point p JOIN point_area pa ON pa.x = ST_X(p.g) AND pa.y = ST_Y(p.g)),
            -- every placed point (also those no incident uses any more) at its areas by the tie rule
            expected_point_area AS (
                SELECT r.x, r.y, s.id AS set_id,
                       (SELECT b.id FROM boundary b WHERE b.set_id = s.id AND ST_Covers(b.geom, ST_SetSRID(ST_MakePoint(r.x, r.y), 27700))
                        ORDER BY b.code LIMIT 1) AS boundary_id
                FROM rollup_point r CROSS JOIN boundary_set s WHERE s.level <> 'neighbourhood'),
            expected_point AS (
                SELECT * FROM expected_point_area WHERE boundary_id IS NOT NULL
                UNION ALL
                SELECT e.x, e.y, n.set_id, n.id FROM expected_point_area e
                JOIN neighbourhood_ward nw ON nw.ward_id = e.boundary_id JOIN boundary n ON n.id = nw.neighbourhood_id),
            expected_count AS (
                SELECT e.boundary_id, date_trunc('month', x.occurred_at AT TIME ZONE 'Europe/London')::date AS month,
                       x.category, x.source, e.located_as, count(*)::integer AS n
                FROM expected e JOIN incident x ON x.id = e.incident_id GROUP BY 1, 2, 3, 4, 5),
            expected_cell AS (
                SELECT date_trunc('month', p.occurred_at AT TIME ZONE 'Europe/London')::date AS month,
                       floor(ST_X(p.g) / 50)::integer AS i, floor(ST_Y(p.g) / 50)::integer AS j, p.category, p.source, p.located_as,
                       count(*)::integer AS n
                FROM (SELECT x.occurred_at, x.category, x.source, 'exact' AS located_as, x.geom AS g FROM incident x WHERE x.geom IS NOT NULL
                      UNION ALL
                      SELECT x.occurred_at, x.category, x.source, 'generalised',
                             ST_SetSRID(ST_MakePoint(floor(ST_X(x.geom) / 500) * 500 + 250, floor(ST_Y(x.geom) / 500) * 500 + 250), 27700)
                      FROM incident x JOIN incident_category c ON c.code = x.category WHERE c.sensitive AND x.geom IS NOT NULL) p
                GROUP BY 1, 2, 3, 4, 5, 6),
            expected_total AS (
                SELECT month, i, j, sum(n)::integer AS n FROM expected_cell WHERE located_as = 'exact' GROUP BY 1, 2, 3),
            expected_point_total AS (
                SELECT date_trunc('month', x.occurred_at AT TIME ZONE 'Europe/London')::date AS month,
                       floor(ST_X(x.geom) / 50)::integer AS i, floor(ST_Y(x.geom) / 50)::integer AS j, ST_X(x.geom) AS x, ST_Y(x.geom) AS y,
                       count(*)::integer AS n
                FROM incident x WHERE x.geom IS NOT NULL GROUP BY 1, 2, 3, 4, 5),
            expected_area_total AS (
                SELECT boundary_id, month, sum(n)::integer AS n FROM expected_count WHERE located_as = 'exact' GROUP BY 1, 2)
            SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored) d),
                   (SELECT count(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected) d),
                   (SELECT count(*) FROM (SELECT * FROM expected_count EXCEPT SELECT * FROM area_month_count) d),
                   (SELECT count(*) FROM (SELECT * FROM area_month_count EXCEPT SELECT * FROM expected_count) d),
                   (SELECT count(*) FROM (SELECT * FROM expected_cell EXCEPT SELECT * FROM cell_month_count) d),
                   (SELECT count(*) FROM (SELECT * FROM cell_month_count EXCEPT SELECT * FROM expected_cell) d),
                   (SELECT count(*) FROM boundary_set s WHERE s.id NOT IN (SELECT set_id FROM rollup_set)),
                   (SELECT count(*) FROM (SELECT * FROM expected_total EXCEPT SELECT * FROM cell_month_total) d),
                   (SELECT count(*) FROM (SELECT * FROM cell_month_total EXCEPT SELECT * FROM expected_total) d),
                   (SELECT count(*) FROM incident_point p WHERE NOT EXISTS (SELECT 1 FROM rollup_point r WHERE r.x = ST_X(p.g) AND r.y = ST_Y(p.g))),
                   (SELECT count(*) FROM (SELECT x, y, set_id, boundary_id FROM point_area
                                          EXCEPT SELECT * FROM expected_point) d)
                   + (SELECT count(*) FROM (SELECT * FROM expected_point EXCEPT SELECT x, y, set_id, boundary_id FROM point_area) d),
                   (SELECT count(*) FROM stored), (SELECT coalesce(sum(n), 0) FROM cell_month_count),
                   (SELECT count(*) FROM (SELECT * FROM expected_point_total EXCEPT SELECT * FROM point_month_total) d)
                   + (SELECT count(*) FROM (SELECT * FROM point_month_total EXCEPT SELECT * FROM expected_point_total) d),
                   (SELECT count(*) FROM (SELECT * FROM expected_area_total EXCEPT SELECT * FROM area_month_total) d)
                   + (SELECT count(*) FROM (SELECT * FROM area_month_total EXCEPT SELECT * FROM expected_area_total) d)""";

    /** Asserts the rollups equal the recount; returns the number of assignment rows (to show they are not empty). */
    static long assertExact(String after) throws Exception {
        return assertRollupsEqualRecount(server.dataSource, after);
    }

    /** The one check of every rollup against a fresh recount (used by the partition, retention and piece tests too). */
    public static long assertRollupsEqualRecount(javax.sql.DataSource ds, String after) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            // a recount of everything is slow on a busy machine: no request timeout for it
            st.execute("SET statement_timeout = 0");
            ResultSet rs = st.executeQuery(DIFFERENCE);
            rs.next();
            List<Long> diff = new ArrayList<>();
            for (int i = 1; i <= 11; i++) diff.add(rs.getLong(i));
            diff.add(rs.getLong(14));
            diff.add(rs.getLong(15));
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), diff,
                    "after " + after + ": missing/extra assignments, missing/extra area counts, missing/extra cell counts, unassigned sets,"
                            + " missing/extra cell totals, unplaced points, misplaced points, missing and extra point totals, missing and extra area totals");
            long located = count(c, "SELECT count(*) FROM incident WHERE geom IS NOT NULL");
            assertEquals(located, rs.getLong(13) - count(c, """
                    SELECT count(*) FROM incident x JOIN incident_category c ON c.code = x.category WHERE c.sensitive AND x.geom IS NOT NULL"""),
                    "every located incident once in the exact cell counts");
            return rs.getLong(12);
        }
    }

    @Test
    @Order(1)
    void theBackfillAndSqlInsertsOverTheDemoBorough(@TempDir Path dir) throws Exception {
        AreaTestData.load(server, dir);
        warden = server.userToken("wes", Role.WARDEN);
        assertTrue(assertExact("the demo load") > 1000);
    }

    @Test
    @Order(2)
    void aPoliceImport() throws Exception {
        StringBuilder csv = new StringBuilder(String.join(",", PoliceCsvImporter.HEADER)).append('\n');
        List<double[]> points = wardPoints();
        for (int k = 0; k < 60; k++) {
            double[] p = points.get(k % points.size());
            String type = k % 4 == 0 ? "Violence and sexual offences" : "Burglary";
            csv.append(String.format(Locale.ROOT, "pol-%d,2025-%02d,Cleveland Police,Cleveland Police,%.6f,%.6f,On or near a street,,,%s,,%n",
                    k, 1 + k % 6, p[0] + (k % 7) * 0.0004, p[1] - (k % 5) * 0.0003, type));
        }
        HttpResponse<String> r = multipart("/api/incidents/import/police", "june.csv", csv.toString(), server.adminToken);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(60, json(r).path("imported").asInt(), r.body());
        assertExact("a police import");
    }

    @Test
    @Order(3)
    void aCouncilImport() throws Exception {
        StringBuilder csv = new StringBuilder("Ref,Type,Date Reported,X,Y\n");
        List<double[]> points = wardPointsBng();
        for (int k = 0; k < 40; k++) {
            double[] p = points.get(k % points.size());
            csv.append(String.format(Locale.ROOT, "C-%d,%s,%02d/0%d/2025,%.1f,%.1f%n", k, k % 2 == 0 ? "asb-noise" : "asb-neighbour-dispute",
                    1 + k % 27, 1 + k % 6, p[0] + k, p[1] - k));
        }
        String map = URLEncoder.encode("id=Ref,category=Type,occurred=Date Reported,easting=X,northing=Y", StandardCharsets.UTF_8);
        HttpResponse<String> r = server.send("POST", "/api/incidents/import/council?map=" + map, HttpRequest.BodyPublishers.ofString(csv.toString()),
                "Content-Type", "text/csv", "Authorization", "Bearer " + server.adminToken);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(40, json(r).path("imported").asInt(), r.body());
        assertExact("a council import");
    }

    @Test
    @Order(4)
    void aWardenReportAndAnEditThatMovesItToAnotherWardMonthAndSensitiveCategory() throws Exception {
        List<double[]> points = wardPoints();
        double[] p = points.get(2), q = points.get(15);
        HttpResponse<String> created = server.send("POST", "/api/reports", HttpRequest.BodyPublishers.ofString(String.format(Locale.ROOT, """
                        {"category": "fly-tipping", "lon": %s, "lat": %s, "occurredAt": "2025-04-30T22:30:00Z",
                         "flyTipping": {"size": "small-van", "wasteType": "household", "landType": "back-alley"}}""", p[0], p[1])),
                "Authorization", "Bearer " + warden, "Content-Type", "application/json", "Idempotency-Key", "rollup-1");
        assertEquals(201, created.statusCode(), created.body());
        reportId = json(created).path("id").asLong();
        assertExact("a warden report");
        HttpResponse<String> edited = server.send("PATCH", "/api/reports/" + reportId, HttpRequest.BodyPublishers.ofString(String.format(Locale.ROOT,
                        "{\"lon\": %s, \"lat\": %s, \"occurredAt\": \"2025-03-02T10:00:00Z\", \"category\": \"racially-motivated\"}", q[0], q[1])),
                "Authorization", "Bearer " + warden, "Content-Type", "application/json");
        assertEquals(200, edited.statusCode(), edited.body());
        assertEquals("2025-03", string("SELECT to_char(month, 'YYYY-MM') FROM area_month_count a JOIN point_area pa ON pa.boundary_id = a.boundary_id"
                + " JOIN incident i ON pa.x = ST_X(i.geom) AND pa.y = ST_Y(i.geom)"
                + " WHERE i.id = " + reportId + " AND a.category = 'racially-motivated' LIMIT 1"));
        assertExact("an edit");
        HttpResponse<String> status = server.send("PATCH", "/api/reports/" + reportId + "/status",
                HttpRequest.BodyPublishers.ofString("{\"status\": \"cleared\"}"), "Authorization", "Bearer " + warden, "Content-Type", "application/json");
        assertEquals(200, status.statusCode(), status.body());
        assertExact("a status change");
    }

    @Test
    @Order(5)
    void deletes() throws Exception {
        execute("DELETE FROM incident WHERE id = " + reportId + " OR external_key LIKE 'pol-1%' OR external_key LIKE 'bg-2%'");
        assertExact("deletes");
        execute("UPDATE incident SET geom = NULL, location_precision = 'area', area_code = 'E01099001' WHERE external_key LIKE 'bg-3%'");
        assertExact("located rows made area-only");
    }

    @Test
    @Order(6)
    void aNewBoundaryVersionItsNeighbourhoodsAndAReplacedVersion(@TempDir Path dir) throws Exception {
        DemoBoroughGenerator.WrittenFiles files = DemoBoroughGenerator.load().writeAll(dir);
        BoundaryImporter importer = new BoundaryImporter(server.dataSource);
        importer.importFile(files.wards(), new BoundaryImportOptions(BoundaryLevel.WARD, "demo-2", LocalDate.of(2026, 1, 1), null,
                null, null, null, false, false, null));
        assertExact("a new ward version");
        HttpResponse<String> defined = server.send("PUT", "/api/boundaries/neighbourhoods/demo-2", HttpRequest.BodyPublishers.ofString("""
                        {"wardVersion":"demo-2","validFrom":"2026-01-01","neighbourhoods":[
                          {"code":"N1","name":"One","wards":["%s", "%s"]}]}""".formatted(AreaTestData.wardCodes(server).get(0),
                        AreaTestData.wardCodes(server).get(1))),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken);
        assertEquals(201, defined.statusCode(), defined.body());
        assertExact("neighbourhoods on the new version");
        importer.importFile(files.wards(), new BoundaryImportOptions(BoundaryLevel.ZONE, "zones-2", LocalDate.of(2026, 1, 1), null,
                null, null, null, false, false, null));
        importer.importFile(files.wards(), new BoundaryImportOptions(BoundaryLevel.ZONE, "zones-2", LocalDate.of(2026, 2, 1), null,
                null, null, null, true, false, null));
        assertExact("a replaced version");
    }

    private static List<double[]> wardPoints() throws Exception {
        return points("ST_Transform(ST_PointOnSurface(b.geom), 4326)");
    }

    private static List<double[]> wardPointsBng() throws Exception {
        return points("ST_PointOnSurface(b.geom)");
    }

    private static List<double[]> points(String expression) throws Exception {
        List<double[]> out = new ArrayList<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT ST_X(p), ST_Y(p) FROM (SELECT %s AS p FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code) q""".formatted(expression))) {
            while (rs.next()) out.add(new double[]{rs.getDouble(1), rs.getDouble(2)});
        }
        return out;
    }

    private static HttpResponse<String> multipart(String path, String fileName, String csv, String token) throws Exception {
        String boundary = "aim-test-boundary-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(csv.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary, "Authorization", "Bearer " + token);
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(String sql) throws Exception {
        return Long.parseLong(string(sql));
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(String sql) throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
