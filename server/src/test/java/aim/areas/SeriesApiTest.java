package aim.areas;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/areas/{level}/{code}/series over HTTP on PostGIS. */
@Tag("postgis")
class SeriesApiTest {
    @Fresh static TestServer server;
    static String analyst, viewer;
    static List<String> wards;
    static final String HALF_YEAR = "from=2025-01-01&to=2025-06-30";

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        wards = AreaTestData.load(server, dir);
        analyst = server.userToken("ana", Role.ANALYST);
        viewer = server.userToken("vera", Role.VIEWER);
    }

    private static JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> r = server.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static List<String> labels(JsonNode series) {
        List<String> out = new ArrayList<>();
        series.path("periods").forEach(p -> out.add(p.path("label").asText()));
        return out;
    }

    private static long total(JsonNode series) {
        long n = 0;
        for (JsonNode p : series.path("periods")) n += p.path("count").asLong();
        return n;
    }

    @Test
    void monthsOfAWardMatchIndependentCounts() throws Exception {
        String ward = wards.get(5);
        JsonNode s = get("/api/areas/ward/" + ward + "/series?interval=month&" + HALF_YEAR, analyst);
        assertEquals(List.of("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"), labels(s));
        String[][] months = {{"2025-01-01", "2025-01-31"}, {"2025-02-01", "2025-02-28"}, {"2025-03-01", "2025-03-31"},
                {"2025-04-01", "2025-04-30"}, {"2025-05-01", "2025-05-31"}, {"2025-06-01", "2025-06-30"}};
        for (int i = 0; i < 6; i++) {
            JsonNode p = s.path("periods").get(i);
            assertEquals(months[i][0], p.path("start").asText());
            assertEquals(months[i][1], p.path("end").asText());
            assertFalse(p.path("partial").asBoolean());
            assertEquals(AreaTestData.independentWardCounts(server, months[i][0], months[i][1], null).get(ward),
                    p.path("count").asLong(), months[i][0]);
        }
        JsonNode stats = get("/api/areas/stats?area=ward:" + ward + "&" + HALF_YEAR, analyst);
        assertEquals(stats.path("areas").get(0).path("count").asLong(), total(s), "the series adds up to the area's count");
        assertEquals(total(s), s.path("meta").path("count").asLong());
        assertEquals("ward", s.path("meta").path("level").asText());
        assertEquals(ward, s.path("meta").path("code").asText());
    }

    @Test
    void quartersAreFinancialYearQuarters() throws Exception {
        String ward = wards.get(5);
        JsonNode months = get("/api/areas/ward/" + ward + "/series?" + HALF_YEAR, analyst);
        JsonNode quarters = get("/api/areas/ward/" + ward + "/series?interval=quarter&" + HALF_YEAR, analyst);
        assertEquals(List.of("Q4 24/25", "Q1 25/26"), labels(quarters));
        JsonNode q4 = quarters.path("periods").get(0), q1 = quarters.path("periods").get(1);
        assertEquals("2025-01-01", q4.path("start").asText());
        assertEquals("2025-03-31", q4.path("end").asText());
        assertEquals("2025-04-01", q1.path("start").asText());
        assertEquals("2025-06-30", q1.path("end").asText());
        long firstThree = 0, lastThree = 0;
        for (int i = 0; i < 3; i++) firstThree += months.path("periods").get(i).path("count").asLong();
        for (int i = 3; i < 6; i++) lastThree += months.path("periods").get(i).path("count").asLong();
        assertEquals(firstThree, q4.path("count").asLong());
        assertEquals(lastThree, q1.path("count").asLong());
        assertEquals("quarter", quarters.path("meta").path("interval").asText());
    }

    @Test
    void monthPreciseRowsCountInTheirMonthAndQuarter() throws Exception {
        // three police rows for March 2024 (month precision) in ward 7
        String base = "/api/areas/ward/" + wards.get(7) + "/series?category=possession-of-weapons&";
        JsonNode q = get(base + "interval=quarter&from=2024-01-01&to=2024-03-31", analyst);
        assertEquals(List.of("Q4 23/24"), labels(q));
        assertEquals(3, q.path("periods").get(0).path("count").asLong());
        JsonNode m = get(base + "from=2024-01-01&to=2024-03-31", analyst);
        assertEquals(List.of(0L, 0L, 3L), List.of(m.path("periods").get(0).path("count").asLong(),
                m.path("periods").get(1).path("count").asLong(), m.path("periods").get(2).path("count").asLong()));
        // a window ending mid-March clips the quarter; the March rows might lie after the 15th, so they are not counted
        JsonNode clipped = get(base + "interval=quarter&from=2024-01-01&to=2024-03-15", analyst);
        JsonNode p = clipped.path("periods").get(0);
        assertEquals("Q4 23/24", p.path("label").asText());
        assertTrue(p.path("partial").asBoolean());
        assertEquals("2024-03-15", p.path("to").asText());
        assertEquals("2024-03-31", p.path("end").asText());
        assertEquals(0, p.path("count").asLong());
        // a window starting mid-quarter but holding all of March counts them
        JsonNode late = get(base + "interval=quarter&from=2024-03-01&to=2024-04-30", analyst);
        assertEquals(List.of("Q4 23/24", "Q1 24/25"), labels(late));
        assertEquals(3, late.path("periods").get(0).path("count").asLong());
        assertTrue(late.path("periods").get(0).path("partial").asBoolean());
        assertEquals(0, late.path("periods").get(1).path("count").asLong());
    }

    @Test
    void neighbourhoodAndBoroughAddUpTheirWards() throws Exception {
        Map<String, List<String>> members = AreaTestData.neighbourhoods(server);
        JsonNode stats = get("/api/areas/stats?" + HALF_YEAR, analyst);
        long wardSum = 0;
        for (JsonNode a : stats.path("areas")) wardSum += a.path("count").asLong();
        JsonNode borough = get("/api/areas/borough/all/series?interval=quarter&" + HALF_YEAR, analyst);
        assertEquals(wardSum, total(borough));
        assertEquals("borough", borough.path("meta").path("level").asText());
        String n = members.keySet().iterator().next();
        JsonNode ns = get("/api/areas/neighbourhood/" + n + "/series?" + HALF_YEAR, analyst);
        long nSum = 0;
        for (JsonNode a : stats.path("areas")) if (members.get(n).contains(a.path("code").asText())) nSum += a.path("count").asLong();
        assertEquals(nSum, total(ns));
        assertEquals(n, ns.path("meta").path("code").asText());
    }

    @Test
    void oneGridCell() throws Exception {
        // the cell holding ward 8's point-on-surface, where 5 fly-tips and 2 sensitive violence rows were put
        long[] ij = new long[2];
        ij[0] = AreaTestData.number(server, cellSql("floor(ST_X(p) / 250)"));
        ij[1] = AreaTestData.number(server, cellSql("floor(ST_Y(p) / 250)"));
        String cell = "cell=" + ij[0] + "," + ij[1];
        long independent = AreaTestData.number(server, """
                SELECT count(*) FROM incident i
                WHERE floor(ST_X(i.geom) / 250) = %d AND floor(ST_Y(i.geom) / 250) = %d
                  AND i.occurred_at >= timestamptz '2025-05-01 00:00+01' AND i.occurred_at < timestamptz '2025-06-01 00:00+01'
                  AND ST_Intersects(i.geom, (SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                             WHERE s.level = 'ward' AND s.version = 'demo'))""".formatted(ij[0], ij[1]));
        assertTrue(independent >= 7);
        JsonNode s = get("/api/areas/borough/all/series?" + cell + "&cellSize=250&from=2025-05-01&to=2025-05-31", analyst);
        assertEquals(independent, total(s));
        JsonNode meta = s.path("meta").path("cell");
        assertEquals(ij[0], meta.path("i").asLong());
        assertEquals(250, meta.path("size").asInt());
        assertEquals(ij[0] * 250.0, meta.path("bbox").get(0).asDouble());
        assertEquals(ij[1] * 250.0 + 250, meta.path("bbox").get(3).asDouble());
        // default size 250
        assertEquals(independent, total(get("/api/areas/borough/all/series?" + cell + "&from=2025-05-01&to=2025-05-31", analyst)));

        // a viewer counts sensitive incidents at the centre of their 500 m square (aim.incidents.Redaction):
        // in this 250 m cell only if that centre is in it, whatever the cell size
        long visible = AreaTestData.number(server, """
                SELECT count(*) FROM incident x JOIN incident_category k ON k.code = x.category
                CROSS JOIN LATERAL (SELECT CASE WHEN k.sensitive THEN ST_SetSRID(ST_MakePoint(floor(ST_X(x.geom) / 500) * 500 + 250,
                                                floor(ST_Y(x.geom) / 500) * 500 + 250), 27700) ELSE x.geom END AS geom) i
                WHERE floor(ST_X(i.geom) / 250) = %d AND floor(ST_Y(i.geom) / 250) = %d
                  AND x.occurred_at >= timestamptz '2025-05-01 00:00+01' AND x.occurred_at < timestamptz '2025-06-01 00:00+01'
                  AND ST_Intersects(i.geom, (SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                             WHERE s.level = 'ward' AND s.version = 'demo'))""".formatted(ij[0], ij[1]));
        JsonNode v = get("/api/areas/borough/all/series?" + cell + "&from=2025-05-01&to=2025-05-31", viewer);
        assertEquals(visible, total(v));
        assertEquals(500, v.path("meta").path("redaction").path("generalised_metres").asInt());
        assertFalse(s.path("meta").has("redaction"), "nothing is generalised for analysts");
        long i500 = AreaTestData.number(server, cellSql("floor(ST_X(p) / 500)"));
        long j500 = AreaTestData.number(server, cellSql("floor(ST_Y(p) / 500)"));
        String whole = "/api/areas/borough/all/series?cell=" + i500 + "," + j500 + "&cellSize=500&from=2025-05-01&to=2025-05-31";
        assertEquals(total(get(whole, analyst)), total(get(whole, viewer)), "whole 500 m squares show what the map shows");
        JsonNode top = get(whole, viewer).path("topCategories");
        boolean hasViolence = false;
        for (JsonNode t : top) hasViolence |= t.path("category").asText().equals("violence-and-sexual-offences");
        assertTrue(hasViolence);
    }

    private static String cellSql(String expression) {
        return """
                SELECT %s FROM (SELECT ST_PointOnSurface(b.geom) AS p FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                WHERE s.level = 'ward' AND s.version = 'demo' AND b.code = '%s') x""".formatted(expression, wards.get(8));
    }

    @Test
    void topCategoriesOfTheArea() throws Exception {
        String ward = wards.get(5);
        JsonNode top = get("/api/areas/ward/" + ward + "/series?" + HALF_YEAR, analyst).path("topCategories");
        assertTrue(top.size() >= 1 && top.size() <= 5, top.toString());
        assertEquals("env-abandoned-vehicle", top.get(0).path("category").asText());
        assertEquals("Environmental: abandoned vehicle", top.get(0).path("label").asText());
        assertEquals(28 + AreaTestData.independentWardCounts(server, "2025-01-01", "2025-06-30",
                "i.category = 'env-abandoned-vehicle' AND i.external_key NOT LIKE 'av-%'").get(ward), top.get(0).path("count").asLong());
        for (int i = 0; i < top.size(); i++) {
            String category = top.get(i).path("category").asText();
            assertEquals(AreaTestData.independentWardCounts(server, "2025-01-01", "2025-06-30", "i.category = '" + category + "'").get(ward),
                    top.get(i).path("count").asLong(), category);
            if (i > 0) assertTrue(top.get(i - 1).path("count").asLong() >= top.get(i).path("count").asLong());
        }
    }

    @Test
    void topGroupsPutPoliceAndCouncilAntiSocialBehaviourTogether() throws Exception {
        // a ward with both police.uk "Anti-social behaviour" and the council's "ASB: noise" in the window
        String ward = null;
        long police = 0, noise = 0;
        var policeCounts = AreaTestData.independentWardCounts(server, "2025-01-01", "2025-06-30", "i.category = 'anti-social-behaviour'");
        var noiseCounts = AreaTestData.independentWardCounts(server, "2025-01-01", "2025-06-30", "i.category = 'asb-noise'");
        for (String w : wards) {
            if (policeCounts.getOrDefault(w, 0L) > 0 && noiseCounts.getOrDefault(w, 0L) > 0) {
                ward = w;
                police = policeCounts.get(w);
                noise = noiseCounts.get(w);
                break;
            }
        }
        assertTrue(ward != null, "the test data has a ward with both");
        JsonNode groups = get("/api/areas/ward/" + ward + "/series?" + HALF_YEAR, analyst).path("topGroups");
        JsonNode asb = null;
        for (JsonNode g : groups) {
            if ("asb".equals(g.path("group").asText())) asb = g;
            long parts = 0;
            for (JsonNode p : g.path("parts")) parts += p.path("count").asLong();
            assertEquals(g.path("count").asLong(), parts, "a group counts its parts: " + g);
            assertFalse(g.path("category").asText().equals("anti-social-behaviour"), "police ASB is inside the group: " + groups);
        }
        for (int i = 1; i < groups.size(); i++) {
            assertTrue(groups.get(i - 1).path("count").asLong() >= groups.get(i).path("count").asLong(), groups.toString());
        }
        // the group is among the top five unless five single categories each outnumber all ASB together
        assertTrue(asb != null, groups.toString());
        assertEquals("Anti-social behaviour", asb.path("label").asText());
        assertEquals(police + noise, asb.path("count").asLong());
        java.util.Map<String, Long> parts = new java.util.HashMap<>();
        for (JsonNode p : asb.path("parts")) parts.put(p.path("category").asText(), p.path("count").asLong());
        assertEquals(java.util.Map.of("anti-social-behaviour", police, "asb-noise", noise), parts);
    }

    @Test
    void signInRequiredAndBadRequestsNameTheField() throws Exception {
        assertEquals(401, server.get("/api/areas/ward/" + wards.get(0) + "/series").statusCode());
        assertEquals(401, server.get("/api/areas/borough/all/series").statusCode());
        String w = wards.get(0);
        for (String[] c : new String[][]{
                {"/api/areas/county/x/series", "level", "400"},
                {"/api/areas/zone/x/series", "level", "400"},
                {"/api/areas/ward/NOPE/series", "code", "404"},
                {"/api/areas/neighbourhood/NOPE/series", "code", "404"},
                {"/api/areas/borough/everything/series", "code", "404"},
                {"/api/areas/ward/" + w + "/series?interval=week", "interval", "400"},
                {"/api/areas/ward/" + w + "/series?from=2025-02-30", "from", "400"},
                {"/api/areas/ward/" + w + "/series?from=2025-06-01&to=2025-01-01", "to", "400"},
                {"/api/areas/ward/" + w + "/series?from=1000-01-01&to=2025-01-01", "from", "400"},
                {"/api/areas/ward/" + w + "/series?category=nope", "category", "400"},
                {"/api/areas/ward/" + w + "/series?version=nope", "version", "404"},
                {"/api/areas/borough/all/series?cell=a,b", "cell", "400"},
                {"/api/areas/borough/all/series?cell=1", "cell", "400"},
                {"/api/areas/borough/all/series?cell=-1,5", "cell", "400"},
                {"/api/areas/borough/all/series?cell=1,2&cellSize=5", "cellSize", "400"},
                {"/api/areas/borough/all/series?cellSize=250", "cell", "400"}}) {
            HttpResponse<String> r = server.get(c[0], "Authorization", "Bearer " + analyst);
            assertEquals(Integer.parseInt(c[2]), r.statusCode(), c[0] + " → " + r.body());
            assertEquals(c[1], json(r).path("field").asText(), c[0] + " → " + r.body());
        }
    }

    @Test
    void withoutDatesTheLastTwelveWholeMonths() throws Exception {
        JsonNode s = get("/api/areas/borough/all/series", viewer);
        assertEquals(12, s.path("periods").size());
        for (JsonNode p : s.path("periods")) assertFalse(p.path("partial").asBoolean(), p.toString());
        java.time.LocalDate lastMonthEnd = java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).withDayOfMonth(1).minusDays(1);
        assertEquals(lastMonthEnd.toString(), s.path("meta").path("to").asText());
        JsonNode q = get("/api/areas/borough/all/series?interval=quarter", viewer);
        assertEquals(8, q.path("periods").size());
        assertTrue(q.path("periods").get(0).path("label").asText().startsWith("Q"));
    }
}
