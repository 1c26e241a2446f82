package aim.indicators;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/indicators, POST /api/indicators/import and PUT /api/indicators/{code}/targets over HTTP on PostGIS,
 * on the demo geography (20 wards, four neighbourhoods) with incidents inserted by SQL:
 * <ul>
 *   <li>ward 2: 8 council graffiti rows on 1–8 July 2025 and 20 on 1–20 August 2025; 6 month-precise police
 *       burglaries for January 2025 and 2 for April 2025;</li>
 *   <li>one sensitive council row (neighbour dispute, ASB) in September 2025 at a point whose 500 m square's centre
 *       lies in another ward;</li>
 *   <li>1,000 council/public/warden rows spread over the borough, July–September 2025.</li>
 * </ul>
 */
@Tag("postgis")
class IndicatorApiTest {
    @Fresh static TestServer server;
    static String analyst, viewer;
    static List<String> wards;
    static String sensitiveTrueWard, sensitiveSeenWard;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("ana", Role.ANALYST);
        viewer = server.userToken("vera", Role.VIEWER);
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TEMP VIEW demo_ward AS
                    SELECT b.id, b.code, b.geom, row_number() OVER (ORDER BY b.code) - 1 AS n
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo';
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'env-graffiti', (date '2025-07-01' + d - 1)::timestamp AT TIME ZONE 'Europe/London' + interval '10 hours',
                           'day', ST_PointOnSurface(w.geom), 'exact', 'g-jul-' || d
                    FROM demo_ward w, generate_series(1, 8) d WHERE w.n = 2;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'env-graffiti', (date '2025-08-01' + d - 1)::timestamp AT TIME ZONE 'Europe/London' + interval '10 hours',
                           'day', ST_PointOnSurface(w.geom), 'exact', 'g-aug-' || d
                    FROM demo_ward w, generate_series(1, 20) d WHERE w.n = 2;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'burglary', timestamptz '2025-01-01 00:00+00', 'month', ST_PointOnSurface(w.geom), 'snapped', 'b-jan-' || d
                    FROM demo_ward w, generate_series(1, 6) d WHERE w.n = 2;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'burglary', timestamptz '2025-04-01 00:00+01', 'month', ST_PointOnSurface(w.geom), 'snapped', 'b-apr-' || d
                    FROM demo_ward w, generate_series(1, 2) d WHERE w.n = 2;
                    SELECT setseed(0.25);
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT (ARRAY['council', 'public', 'warden'])[1 + k % 3],
                           (ARRAY['asb-noise', 'env-graffiti', 'fly-tipping', 'env-littering'])[1 + k % 4],
                           timestamptz '2025-07-01 00:00+01' + random() * interval '91 days', 'minute', geom, 'exact', 'bg-' || k
                    FROM (SELECT row_number() OVER () AS k, geom FROM (SELECT (ST_Dump(ST_GeneratePoints(
                              (SELECT ST_Union(geom) FROM demo_ward), 1000, 5))).geom) d) p;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-neighbour-dispute', timestamptz '2025-09-10 20:00+01', 'minute', p, 'exact', 'sensitive-1'
                    FROM demo_ward a, LATERAL (SELECT (ST_Dump(ST_GeneratePoints(a.geom, 400, 3))).geom AS p) g
                    WHERE NOT ST_Intersects(a.geom, rollup_generalised(p))
                      AND EXISTS (SELECT 1 FROM demo_ward b WHERE ST_Contains(b.geom, rollup_generalised(p)))
                    ORDER BY a.n LIMIT 1;
                    """);
            try (ResultSet rs = st.executeQuery("""
                    SELECT a.code, b.code FROM incident i JOIN demo_ward a ON ST_Contains(a.geom, i.geom)
                    JOIN demo_ward b ON ST_Contains(b.geom, rollup_generalised(i.geom)) WHERE i.category = 'asb-neighbour-dispute'""")) {
                assertTrue(rs.next(), "a sensitive incident whose generalised place is in another ward");
                sensitiveTrueWard = rs.getString(1);
                sensitiveSeenWard = rs.getString(2);
            }
            wards = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT code FROM demo_ward ORDER BY n")) {
                while (rs.next()) wards.add(rs.getString(1));
            }
        }
    }

    private static JsonNode get(String query, String token) throws Exception {
        HttpResponse<String> r = server.get("/api/indicators?" + query, "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    /** The cells of one indicator and area. */
    private static JsonNode cells(JsonNode table, String indicator, String area) {
        for (JsonNode row : table.path("rows")) {
            if (row.path("indicator").asText().equals(indicator) && row.path("area").path("code").asText().equals(area)) return row.path("cells");
        }
        throw new AssertionError("no row " + indicator + " " + area);
    }

    private static List<Long> values(JsonNode cells) {
        List<Long> out = new ArrayList<>();
        cells.forEach(c -> out.add(c.path("value").asLong()));
        return out;
    }

    private static HttpResponse<String> importCsv(String query, String csv, String token) throws Exception {
        return server.send("POST", "/api/indicators/import?" + query, HttpRequest.BodyPublishers.ofString(csv),
                "Content-Type", "text/csv", "Authorization", "Bearer " + token);
    }

    private static Map<String, Long> independentCounts(String from, String toExclusive, String condition) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT w.code, count(i.id) FROM boundary w JOIN boundary_set s ON s.id = w.set_id
                LEFT JOIN incident i ON ST_Covers(w.geom, i.geom)
                     AND i.occurred_at >= (date '%s')::timestamp AT TIME ZONE 'Europe/London'
                     AND i.occurred_at < (date '%s')::timestamp AT TIME ZONE 'Europe/London' AND (%s)
                WHERE s.level = 'ward' AND s.version = 'demo' GROUP BY w.code""".formatted(from, toExclusive, condition))) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    /** Two-sided exact binomial p-value for x of n with p = ½, by exact integer arithmetic: 2·P(X ≤ min(x, n − x)), capped at 1. */
    private static double exactHalf(int x, int n) {
        BigInteger tail = BigInteger.ZERO, choose = BigInteger.ONE;
        int k = Math.min(x, n - x);
        for (int i = 0; i <= k; i++) {
            if (i > 0) choose = choose.multiply(BigInteger.valueOf(n - i + 1)).divide(BigInteger.valueOf(i));
            tail = tail.add(choose);
        }
        double p = new BigDecimal(tail.shiftLeft(1)).divide(new BigDecimal(BigInteger.TWO.pow(n)), MathContext.DECIMAL64).doubleValue();
        return Math.min(1, p);
    }

    @Test
    void monthlyCountsWithTheExactPoissonTest() throws Exception {
        JsonNode t = get("indicator=incidents-public&interval=month&from=2025-08-01&to=2025-08-31", analyst);
        assertEquals("2025-08", t.path("meta").path("periods").get(0).path("label").asText());
        String w = wards.get(2);
        Map<String, Long> aug = independentCounts("2025-08-01", "2025-09-01", "i.source IN ('council', 'public')");
        Map<String, Long> jul = independentCounts("2025-07-01", "2025-08-01", "i.source IN ('council', 'public')");
        for (String ward : wards) {
            JsonNode cell = cells(t, "incidents-public", ward).get(0);
            assertEquals(aug.get(ward), cell.path("value").asLong(), ward);
            assertEquals(jul.get(ward), cell.path("previous").asLong(), ward);
        }
        JsonNode cell = cells(t, "incidents-public", w).get(0);
        long now = aug.get(w), before = jul.get(w);
        assertTrue(now >= 20 && before >= 8);
        // July and August both have 31 days, so the exact test is the binomial test with p = ½
        assertEquals(exactHalf((int) now, (int) (now + before)), cell.path("pValue").asDouble(), 1e-9);
        assertEquals(cell.path("pValue").asDouble() < 0.05, cell.path("significant").asBoolean());
        assertEquals(now - before, cell.path("change").asLong());
        JsonNode area = null;
        for (JsonNode row : t.path("rows")) if (row.path("area").path("code").asText().equals(w)) area = row.path("area");
        int population = area.path("population").asInt();
        assertTrue(population > 0);
        assertEquals(Math.round(now * 1000.0 / population * 100) / 100.0, cell.path("rate").asDouble(), 1e-9);
        // the hand-computed case itself: 20 against 8 over equal periods, p = 0.0357
        assertEquals(0.035698, exactHalf(20, 28), 1e-6);
    }

    @Test
    void policeAndPublicReportedByFinancialQuarterAcrossTheYearEnd() throws Exception {
        JsonNode t = get("indicator=incidents-police,incidents-public&interval=quarter&from=2025-01-01&to=2025-09-30", analyst);
        List<String> labels = new ArrayList<>();
        t.path("meta").path("periods").forEach(p -> labels.add(p.path("label").asText()));
        assertEquals(List.of("Q4 24/25", "Q1 25/26", "Q2 25/26"), labels);
        assertEquals("2025-01-01", t.path("meta").path("periods").get(0).path("start").asText());
        assertEquals("2025-03-31", t.path("meta").path("periods").get(0).path("end").asText());
        assertEquals(0, t.path("meta").path("incomplete").size(), "every period has ended");
        JsonNode now = get("indicator=incidents-police", analyst);
        assertEquals(8, now.path("meta").path("periods").size(), "default: the last eight complete quarters");
        assertEquals(0, now.path("meta").path("incomplete").size());
        JsonNode running = get("indicator=incidents-police&to=" + java.time.LocalDate.now(aim.core.Council.UK), analyst);
        assertEquals(1, running.path("meta").path("incomplete").size(), "the quarter still running is flagged");
        String w = wards.get(2);
        // month-precise police rows for January count in Q4 24/25 (the financial year that began in April 2024)
        assertEquals(List.of(6L, 2L, 0L), values(cells(t, "incidents-police", w)));
        assertEquals(0, cells(t, "incidents-police", w).get(0).path("previous").asLong());
        Map<String, Long> q2 = independentCounts("2025-07-01", "2025-10-01", "i.source IN ('council', 'public')");
        for (String ward : wards) assertEquals(q2.get(ward), cells(t, "incidents-public", ward).get(2).path("value").asLong(), ward);
        assertEquals(wards.size() * 2, t.path("rows").size());
    }

    @Test
    void neighbourhoodsAreTheSumOfTheirWards() throws Exception {
        String q = "indicator=incidents-public,incidents-warden&interval=quarter&from=2025-07-01&to=2025-09-30";
        JsonNode byWard = get(q, analyst), byNeighbourhood = get(q + "&level=neighbourhood", analyst);
        Map<String, List<String>> members = new HashMap<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT n.code, w.code FROM boundary n JOIN boundary_set s ON s.id = n.set_id AND s.level = 'neighbourhood'
                JOIN neighbourhood_ward nw ON nw.neighbourhood_id = n.id JOIN boundary w ON w.id = nw.ward_id""")) {
            while (rs.next()) members.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
        assertEquals(4, members.size());
        for (String indicator : List.of("incidents-public", "incidents-warden")) {
            for (var n : members.entrySet()) {
                long sum = 0;
                for (String ward : n.getValue()) sum += cells(byWard, indicator, ward).get(0).path("value").asLong();
                assertEquals(sum, cells(byNeighbourhood, indicator, n.getKey()).get(0).path("value").asLong(), n.getKey());
            }
        }
    }

    @Test
    void aViewerSeesSensitiveIncidentsOnlyAtTheirGeneralisedPlace() throws Exception {
        String q = "indicator=asb-public,incidents-public&interval=quarter&from=2025-07-01&to=2025-09-30";
        JsonNode asAnalyst = get(q, analyst), asViewer = get(q, viewer);
        assertNotEquals(sensitiveTrueWard, sensitiveSeenWard);
        for (String indicator : List.of("asb-public", "incidents-public")) {
            long a = cells(asAnalyst, indicator, sensitiveTrueWard).get(0).path("value").asLong();
            long v = cells(asViewer, indicator, sensitiveTrueWard).get(0).path("value").asLong();
            assertEquals(a - 1, v, indicator + ": the viewer does not see the incident in its true ward");
            long a2 = cells(asAnalyst, indicator, sensitiveSeenWard).get(0).path("value").asLong();
            long v2 = cells(asViewer, indicator, sensitiveSeenWard).get(0).path("value").asLong();
            assertEquals(a2 + 1, v2, indicator + ": the viewer sees it in the ward of its square's centre");
        }
        assertTrue(asViewer.path("meta").has("redaction"));
        // every ward: the viewer's indicator equals the viewer's area statistics (the same redaction, the same counts)
        HttpResponse<String> r = server.get("/api/areas/stats?source=council,public&from=2025-07-01&to=2025-09-30",
                "Authorization", "Bearer " + viewer);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode area : json(r).path("areas")) {
            assertEquals(area.path("count").asLong(), cells(asViewer, "incidents-public", area.path("code").asText()).get(0).path("value").asLong());
        }
        // and the CSV says the same as the JSON
        HttpResponse<String> csv = server.get("/api/indicators?" + q + "&format=csv", "Authorization", "Bearer " + viewer);
        String line = csv.body().lines().filter(l -> l.startsWith("asb-public,") && l.contains("," + sensitiveTrueWard + ",")).findFirst().orElseThrow();
        assertTrue(line.contains(",Q2 25/26,"), line);
    }

    @Test
    void surveyImportKeepsGoodRowsAndReportsBadOnesByLine() throws Exception {
        String w0 = wards.get(0), w1 = wards.get(1), w3 = wards.get(3);
        String csv = "area,measure,period,value,n\n"
                + w0 + ",feel-safe-dark,2025-05-15,40,200\n"      // line 2
                + w0 + ",feel-safe-dark,2025-08-20,50,200\n"      // line 3
                + w1 + ",feel-safe-dark,2025-05-15,abc,200\n"     // line 4: not a number
                + "E05999999,feel-safe-dark,2025-05-15,40,100\n"  // line 5: unknown area
                + w3 + ",feel-safe-dark,Q5 25/26,40,100\n"        // line 6: no such period
                + w3 + ",feel-safe-dark,2025-05-15,40,\n"         // line 7: no n
                + w3 + ",feel-safe-dark,2025-05-15,140,100\n"     // line 8: not a percentage
                + w0 + ",feel-safe-dark,2025-05-15,41,100\n"      // line 9: the same area and wave again
                + w1 + ",feel-safe-dark,2025-05-15,30,100\n";     // line 10
        HttpResponse<String> r = importCsv("kind=survey", csv, analyst);
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode problem = json(r);
        List<Integer> lines = new ArrayList<>();
        problem.path("issues").forEach(i -> lines.add(i.path("line").asInt()));
        assertEquals(List.of(4, 5, 6, 7, 8, 9), lines, problem.toString());
        assertEquals("value", problem.path("issues").get(0).path("field").asText());
        assertTrue(problem.path("issues").get(5).path("message").asText().contains("line 2"));
        assertTrue(problem.path("detail").asText().contains("3 values were stored"), problem.toString());

        JsonNode t = get("indicator=feel-safe-dark&from=2025-04-01&to=2025-09-30", analyst);
        JsonNode cells = cells(t, "feel-safe-dark", w0);
        assertEquals("Q1 25/26", cells.get(0).path("period").asText());
        assertEquals(40.0, cells.get(0).path("value").asDouble());
        assertEquals(200, cells.get(0).path("n").asInt());
        assertEquals(33.5, cells.get(0).path("low").asDouble());
        assertEquals(46.9, cells.get(0).path("high").asDouble());
        assertTrue(cells.get(0).path("pValue").isNull(), "no previous wave");
        JsonNode q2 = cells.get(1);
        assertEquals(50.0, q2.path("value").asDouble());
        assertEquals(40.0, q2.path("previous").asDouble());
        assertEquals(10.0, q2.path("change").asDouble());
        assertEquals(0.044423, q2.path("pValue").asDouble(), 1e-6); // prop.test(c(100, 80), c(200, 200), correct = FALSE)
        assertTrue(q2.path("significant").asBoolean());
        assertTrue(cells(t, "feel-safe-dark", w3).get(0).path("value").isNull());
        JsonNode definition = null;
        for (JsonNode i : t.path("indicators")) if (i.path("code").asText().equals("feel-safe-dark")) definition = i;
        assertEquals("survey", definition.path("kind").asText());
        assertEquals("up", definition.path("direction").asText());
    }

    @Test
    void reImportingAMeasureAndPeriodReplacesIt() throws Exception {
        String w0 = wards.get(0), w1 = wards.get(1);
        String first = "area,measure,period,value\n" + w0 + ",ambulance-callouts,2025-07,12\n" + w1 + ",ambulance-callouts,2025-07,7\n"
                + w0 + ",ambulance-callouts,2025-08,9\n";
        HttpResponse<String> r = importCsv("kind=count", first, analyst);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(3, json(r).path("imported").asInt());
        HttpResponse<String> again = importCsv("kind=count", first, analyst);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(3, json(again).path("replaced").asInt(), "the same file again replaces its own values");
        JsonNode t = get("indicator=ambulance-callouts&interval=quarter&from=2025-07-01&to=2025-09-30", analyst);
        assertEquals(21, cells(t, "ambulance-callouts", w0).get(0).path("value").asLong(), "July and August summed into Q2");
        assertEquals(7, cells(t, "ambulance-callouts", w1).get(0).path("value").asLong());

        // a corrected July: only ward 0 now; ward 1's July value is gone (the period is replaced), August untouched
        HttpResponse<String> corrected = importCsv("kind=count", "area,measure,period,value\n" + w0 + ",ambulance-callouts,2025-07,15\n", analyst);
        assertEquals(2, json(corrected).path("replaced").asInt());
        t = get("indicator=ambulance-callouts&interval=month&from=2025-07-01&to=2025-08-31", analyst);
        assertEquals(List.of(15L, 9L), values(cells(t, "ambulance-callouts", w0)));
        assertTrue(cells(t, "ambulance-callouts", w1).get(0).path("value").isNull());
        // counts get a rate per 1,000 and the Poisson test, like computed ones
        JsonNode aug = cells(t, "ambulance-callouts", w0).get(1);
        assertEquals(exactHalf(9, 24), aug.path("pValue").asDouble(), 1e-9);
        assertFalse(aug.path("rate").isNull());
        // the wrong kind for an existing measure is a bad row
        HttpResponse<String> wrongKind = importCsv("kind=score", "area,measure,period,value\n" + w0 + ",ambulance-callouts,2025-07,1.5\n", analyst);
        assertEquals(422, wrongKind.statusCode());
        assertEquals(2, json(wrongKind).path("issues").get(0).path("line").asInt());
    }

    @Test
    void ragAgainstTheAreaTargetOrTheDefaultTarget() throws Exception {
        String w0 = wards.get(0), w1 = wards.get(1), w2 = wards.get(2);
        HttpResponse<String> r = importCsv("kind=survey&indicator=feel-safe-day", "area,period,value,n\n"
                + w0 + ",2025-06-01,40,100\n" + w1 + ",2025-06-01,44,100\n" + w2 + ",2025-06-01,60,100\n", analyst);
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> put = server.send("PUT", "/api/indicators/feel-safe-day/targets", HttpRequest.BodyPublishers.ofString(
                        "{\"targets\":[{\"area\":\"*\",\"target\":45},{\"area\":\"" + w2 + "\",\"target\":70,\"tolerance\":20}]}"),
                "Content-Type", "application/json", "Authorization", "Bearer " + analyst);
        assertEquals(200, put.statusCode(), put.body());
        // the stored targets, readable by any signed-in user (the web map's target form starts from them)
        HttpResponse<String> stored = server.get("/api/indicators/feel-safe-day/targets", "Authorization", "Bearer " + viewer);
        assertEquals(200, stored.statusCode(), stored.body());
        JsonNode storedTargets = json(stored).path("targets");
        assertEquals(2, storedTargets.size(), stored.body());
        assertEquals("*", storedTargets.get(0).path("areaCode").asText());
        assertEquals(45.0, storedTargets.get(0).path("target").asDouble());
        assertEquals(w2, storedTargets.get(1).path("areaCode").asText());
        assertEquals(20.0, storedTargets.get(1).path("tolerancePercent").asDouble());
        assertEquals(404, server.get("/api/indicators/no-such/targets", "Authorization", "Bearer " + viewer).statusCode());
        JsonNode t = get("indicator=feel-safe-day&from=2025-04-01&to=2025-06-30", analyst);
        // up is good; the default target 45 with 10 %: amber from 40.5
        assertEquals("red", cells(t, "feel-safe-day", w0).get(0).path("rag").asText());
        assertEquals("amber", cells(t, "feel-safe-day", w1).get(0).path("rag").asText());
        // ward 2's own target 70 with 20 %: amber from 56
        assertEquals("amber", cells(t, "feel-safe-day", w2).get(0).path("rag").asText());
        assertEquals(70.0, cells(t, "feel-safe-day", w2).get(0).path("target").asDouble());
        // a computed indicator against a rate per 1,000: down is good
        put = server.send("PUT", "/api/indicators/incidents-police/targets", HttpRequest.BodyPublishers.ofString(
                "{\"targets\":[{\"area\":\"*\",\"target\":0,\"measure\":\"rate\"}]}"), "Content-Type", "application/json",
                "Authorization", "Bearer " + analyst);
        assertEquals(200, put.statusCode(), put.body());
        t = get("indicator=incidents-police&from=2025-01-01&to=2025-06-30", analyst);
        assertEquals("red", cells(t, "incidents-police", w2).get(0).path("rag").asText());
        assertEquals("red", cells(t, "incidents-police", w2).get(1).path("rag").asText(), "2 burglaries in April: above a rate of 0");
        assertEquals("green", cells(t, "incidents-police", wards.get(5)).get(0).path("rag").asText());
        // a viewer may read but not set targets
        assertEquals(403, server.send("PUT", "/api/indicators/incidents-police/targets", HttpRequest.BodyPublishers.ofString("{\"targets\":[]}"),
                "Content-Type", "application/json", "Authorization", "Bearer " + viewer).statusCode());
    }

    @Test
    void lsoaScoresAggregateToWardsWeightedByPopulation() throws Exception {
        String ward = wards.get(4);
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            // two LSOAs: the west and east halves of ward 4 (by its bounding box), populations 1,000 and 3,000
            st.execute("""
                    INSERT INTO boundary_set (level, version, valid_from) VALUES ('lsoa', 'test-lsoa', date '2021-03-21');
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT s.id, 'E01900001', 'west', ST_Multi(ST_Intersection(w.geom, ST_MakeEnvelope(ST_XMin(w.geom), ST_YMin(w.geom),
                           (ST_XMin(w.geom) + ST_XMax(w.geom)) / 2, ST_YMax(w.geom), 27700)))
                    FROM boundary_set s, boundary w WHERE s.version = 'test-lsoa' AND w.code = '%1$s'
                      AND w.set_id = (SELECT id FROM boundary_set WHERE level = 'ward' AND version = 'demo');
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT s.id, 'E01900002', 'east', ST_Multi(ST_Intersection(w.geom, ST_MakeEnvelope((ST_XMin(w.geom) + ST_XMax(w.geom)) / 2,
                           ST_YMin(w.geom), ST_XMax(w.geom), ST_YMax(w.geom), 27700)))
                    FROM boundary_set s, boundary w WHERE s.version = 'test-lsoa' AND w.code = '%1$s'
                      AND w.set_id = (SELECT id FROM boundary_set WHERE level = 'ward' AND version = 'demo');
                    INSERT INTO population (boundary_id, year, population, method)
                    SELECT id, 2021, CASE code WHEN 'E01900001' THEN 1000 ELSE 3000 END, 'imported' FROM boundary WHERE code LIKE 'E019000%%';
                    """.formatted(ward));
        }
        HttpResponse<String> r = importCsv("kind=score", "lsoa,measure,period,value,name,direction\n"
                + "E01900001,imd-score,2025-04,10,Index of Multiple Deprivation score,down\n"
                + "E01900002,imd-score,2025-04,30,,\n", analyst);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode t = get("indicator=imd-score&from=2025-04-01&to=2025-06-30", analyst);
        // (10 · 1000 + 30 · 3000) / 4000 = 25
        assertEquals(25.0, cells(t, "imd-score", ward).get(0).path("value").asDouble(), 1e-9);
        assertTrue(cells(t, "imd-score", ward).get(0).path("pValue").isNull(), "scores have no change test");
        assertTrue(cells(t, "imd-score", wards.get(3)).get(0).path("value").isNull());

        // level=lsoa: the imported values as given, one row per LSOA of the study area (for the LSOA choropleth)
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            // an LSOA 200 km away from the borough: not in the study area, so not listed
            st.execute("""
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT s.id, 'E01900003', 'far away', ST_Multi(ST_Translate(l.geom, 200000, 0))
                    FROM boundary_set s, boundary l WHERE s.version = 'test-lsoa' AND l.code = 'E01900001'""");
        }
        // (a re-import replaces the period's values: the file holds all three)
        assertEquals(200, importCsv("kind=score", "lsoa,measure,period,value\nE01900001,imd-score,2025-04,10\n"
                + "E01900002,imd-score,2025-04,30\nE01900003,imd-score,2025-04,99\n", analyst).statusCode());
        JsonNode lsoa = get("level=lsoa&indicator=imd-score&from=2025-04-01&to=2025-06-30", analyst);
        assertEquals("lsoa", lsoa.path("meta").path("level").asText());
        assertEquals("test-lsoa", lsoa.path("meta").path("version").asText());
        List<String> listed = new ArrayList<>();
        lsoa.path("rows").forEach(row -> listed.add(row.path("area").path("code").asText()));
        assertEquals(List.of("E01900001", "E01900002"), listed, "the LSOAs whose point-on-surface lies in a ward of the study area");
        assertEquals(10.0, cells(lsoa, "imd-score", "E01900001").get(0).path("value").asDouble(), 1e-9);
        assertEquals(30.0, cells(lsoa, "imd-score", "E01900002").get(0).path("value").asDouble(), 1e-9);
        assertEquals(1000, lsoa.path("rows").get(0).path("area").path("population").asInt());
        // without indicator=, an LSOA table holds the imported indicators only
        JsonNode every = get("level=lsoa&from=2025-04-01&to=2025-06-30", analyst);
        every.path("indicators").forEach(i -> assertFalse(i.path("kind").asText().equals("computed"), i.toString()));
        HttpResponse<String> computed = server.get("/api/indicators?level=lsoa&indicator=incidents-police", "Authorization", "Bearer " + analyst);
        assertEquals(400, computed.statusCode(), computed.body());
        assertEquals("indicator", json(computed).path("field").asText());
        HttpResponse<String> csv = server.get("/api/indicators?level=lsoa&indicator=imd-score&from=2025-04-01&to=2025-06-30&format=csv",
                "Authorization", "Bearer " + analyst);
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals(3, csv.body().lines().count(), csv.body());
    }

    @Test
    void csvIsFormulaSafe() throws Exception {
        HttpResponse<String> r = importCsv("kind=score", "area,measure,period,value,name\n"
                + wards.get(6) + ",odd-name,2025-05,1.5,\"=HYPERLINK(\"\"http://x\"\")\"\n", analyst);
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> csv = server.get("/api/indicators?indicator=odd-name&from=2025-04-01&to=2025-06-30&format=csv",
                "Authorization", "Bearer " + analyst);
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        List<String> lines = csv.body().lines().toList();
        assertEquals(String.join(",", IndicatorCsv.HEADER), lines.get(0));
        assertEquals(1 + wards.size(), lines.size());
        String row = lines.stream().filter(l -> l.contains("," + wards.get(6) + ",")).findFirst().orElseThrow();
        assertTrue(row.startsWith("odd-name,\"'=HYPERLINK(\"\"http://x\"\")\",score,down,ward,"), row);
        assertTrue(row.contains(",Q1 25/26,2025-04-01,2025-06-30,1.5,"), row);
    }

    @Test
    void zonesHaveTheirOwnValuesAndComputedCounts() throws Exception {
        List<String> layers = new ArrayList<>(), zones = new ArrayList<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM boundary_set WHERE level = 'zone' ORDER BY version")) {
            while (rs.next()) layers.add(rs.getString(1));
        }
        assertTrue(layers.size() > 1, "the demo has several zone layers: " + layers);
        HttpResponse<String> which = server.get("/api/indicators?level=zone", "Authorization", "Bearer " + analyst);
        assertEquals(400, which.statusCode(), which.body());
        assertEquals("zones", json(which).path("field").asText());
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'zone' AND s.version = '"
                        + layers.get(0) + "' ORDER BY b.code")) {
            while (rs.next()) zones.add(rs.getString(1));
        }
        HttpResponse<String> r = importCsv("kind=count&indicator=zone-closures", "zone,period,value\n" + zones.get(0) + ",Q2 25/26,3\n", analyst);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode t = get("level=zone&zones=" + layers.get(0) + "&indicator=zone-closures,incidents-public&from=2025-07-01&to=2025-09-30", analyst);
        assertEquals(layers.get(0), t.path("meta").path("version").asText());
        assertEquals(3, cells(t, "zone-closures", zones.get(0)).get(0).path("value").asLong());
        // computed counts in zones: the incidents whose point lies in the zone (independently, by ST_Covers)
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT z.code, count(i.id) FROM boundary z JOIN boundary_set s ON s.id = z.set_id AND s.level = 'zone' AND s.version = '%s'
                LEFT JOIN incident i ON ST_Covers(z.geom, i.geom) AND i.source IN ('council', 'public')
                     AND i.occurred_at >= timestamptz '2025-07-01 00:00+01' AND i.occurred_at < timestamptz '2025-10-01 00:00+01'
                GROUP BY z.code""".formatted(layers.get(0)))) {
            int n = 0;
            while (rs.next()) {
                assertEquals(rs.getLong(2), cells(t, "incidents-public", rs.getString(1)).get(0).path("value").asLong(), rs.getString(1));
                n++;
            }
            assertEquals(zones.size(), n);
        }
    }

    @Test
    void theCommandLineImportReportsBadRowsAndExitsWithOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("survey.csv");
        java.nio.file.Files.writeString(file, "ward,measure,wave,value,n\n" + wards.get(7) + ",cli-survey,2025-06-01,55,120\n"
                + wards.get(7) + ",cli-survey,2025-06-01,55,0\n");
        var out = new java.io.ByteArrayOutputStream();
        int exit = IndicatorCommand.importFile(server.dataSource, file, "survey", null, new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(1, exit);
        JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(1, report.path("imported").asInt());
        assertEquals(1, report.path("rejected").asInt());
        assertEquals(3, report.path("issues").get(0).path("line").asInt());
        assertEquals("n", report.path("issues").get(0).path("field").asText());
        assertEquals(55.0, cells(get("indicator=cli-survey&from=2025-04-01&to=2025-06-30", analyst), "cli-survey", wards.get(7))
                .get(0).path("value").asDouble());
    }

    @Test
    void badParametersAreProblems() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("level=borough", "level");
        bad.put("level=lsoa&indicator=incidents-public", "indicator");
        bad.put("interval=week", "interval");
        bad.put("from=2025-13-01", "from");
        bad.put("from=2025-06-01&to=2025-01-01", "to");
        bad.put("from=1800-01-01&to=2025-01-01", "from");
        bad.put("interval=month&from=2000-01-01&to=2025-01-01", "from");
        bad.put("indicator=nope", "indicator");
        bad.put("format=xml", "format");
        bad.put("version=nope", "version");
        for (var e : bad.entrySet()) {
            HttpResponse<String> r = server.get("/api/indicators?" + e.getKey(), "Authorization", "Bearer " + analyst);
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, e.getKey() + ": " + r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), e.getKey());
            assertEquals(e.getValue(), json(r).path("field").asText(), e.getKey() + ": " + r.body());
        }
        assertEquals(401, server.get("/api/indicators").statusCode());
        assertEquals(400, importCsv("", "area,measure,period,value\n", analyst).statusCode());
        assertEquals(400, importCsv("kind=computed", "area,measure,period,value\n", analyst).statusCode());
        assertEquals(403, importCsv("kind=count", "area,measure,period,value\n", viewer).statusCode());
        HttpResponse<String> noColumn = importCsv("kind=count", "area,measure,value\nx,y,1\n", analyst);
        assertEquals(422, noColumn.statusCode());
        assertEquals("file", json(noColumn).path("field").asText());
        HttpResponse<String> unknown = server.send("PUT", "/api/indicators/" + URLEncoder.encode("no such", StandardCharsets.UTF_8) + "/targets",
                HttpRequest.BodyPublishers.ofString("{\"targets\":[]}"), "Content-Type", "application/json", "Authorization", "Bearer " + analyst);
        assertEquals(404, unknown.statusCode());
        HttpResponse<String> badTarget = server.send("PUT", "/api/indicators/incidents-public/targets",
                HttpRequest.BodyPublishers.ofString("{\"targets\":[{\"area\":\"*\",\"target\":1,\"measure\":\"median\"}]}"),
                "Content-Type", "application/json", "Authorization", "Bearer " + analyst);
        assertEquals(400, badTarget.statusCode());
        assertEquals("targets[0].measure", json(badTarget).path("field").asText());
    }
}
