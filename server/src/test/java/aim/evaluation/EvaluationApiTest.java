package aim.evaluation;

import aim.accounts.Organisations;
import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.incidents.PoliceCsvImporter;
import aim.testing.Fresh;
import aim.testing.SharedData;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Did it work?" on real data: Darlington's 2013 ONS wards and the real Durham Constabulary police.uk files
 * (Oct 2018 – Feb 2019, every row of the force, so the buffer reaches beyond the borough). Every count is
 * checked against an independent plain SQL count over the raw rows (ST_Covers / ST_DWithin, local dates),
 * and RES and WDQ against the formulas applied here to those counts.
 */
@Tag("postgis")
class EvaluationApiTest {
    @Fresh static TestServer server;
    static String analyst, viewer;
    /** the ward with the most incidents, and two others far from it */
    static String ward, farA, farB;
    static final String BEFORE = "before_from=2018-10-01&before_to=2018-12-31", AFTER = "after_from=2019-01-01&after_to=2019-02-28";

    @BeforeAll
    static void load() throws Exception {
        analyst = server.userToken("ana", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        new BoundaryImporter(server.dataSource).importFile(SharedData.path("geo-data/ons-wards-2013/E06000005.json"),
                BoundaryImportOptions.of(BoundaryLevel.WARD));
        List<Path> files;
        try (Stream<Path> s = Files.list(SharedData.path("data/police-uk-durham-2018-10_2019-02"))) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        var police = new PoliceCsvImporter(server.dataSource);
        for (Path file : files) police.importFile(file);
        List<String> byCount = strings("""
                SELECT b.code FROM boundary b LEFT JOIN incident i ON ST_Covers(b.geom, i.geom)
                GROUP BY b.code ORDER BY count(i.id) DESC, b.code""");
        ward = byCount.get(0);
        List<String> far = strings("""
                SELECT o.code FROM boundary o, boundary w WHERE w.code = '%s' AND NOT ST_DWithin(o.geom, w.geom, 1000)
                ORDER BY o.code""".formatted(ward));
        farA = far.get(0);
        farB = far.get(1);
    }

    @Test
    void aWardAgainstTheBoroughMatchesAnIndependentCount() throws Exception {
        JsonNode e = get("/api/evaluation?area=ward:" + ward + "&" + BEFORE + "&" + AFTER, analyst);
        long[] n = independent(ward, null, 500, null, false, "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        assertCounts(n, e);
        assertTrue(n[0] > 100 && n[4] > 1000, "real volumes: " + java.util.Arrays.toString(n));
        assertFormulas(n, e);
        assertEquals("borough", e.path("controlAreas").path("kind").asText());
        assertEquals(500, e.path("bufferMetres").asInt());
        assertEquals(92, e.path("periods").path("before").path("days").asInt());
        for (String zone : List.of("target", "buffer", "control")) {
            assertEquals("MultiPolygon", e.path("zones").path(zone).path("type").asText().replace("Polygon", "MultiPolygon")
                    .replace("MultiMultiPolygon", "MultiPolygon"), zone);
        }
        assertTrue(e.path("redaction").isMissingNode() || e.path("redaction").isNull(), "an analyst sees exact places");
        String body = server.get("/api/evaluation?area=ward:" + ward + "&" + BEFORE + "&" + AFTER, "Authorization", "Bearer " + analyst).body();
        assertFalse(body.contains("NaN") || body.contains("Infinity"), body);
    }

    @Test
    void chosenControlWardsABufferAndACategoryMatchAnIndependentCount() throws Exception {
        JsonNode e = get("/api/evaluation?area=ward:" + ward + "&" + BEFORE + "&" + AFTER + "&category=anti-social-behaviour"
                + "&buffer=300&control=ward:" + farA + ",ward:" + farB, analyst);
        long[] n = independent(ward, List.of(farA, farB), 300, "anti-social-behaviour", false,
                "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        assertCounts(n, e);
        assertFormulas(n, e);
        assertEquals(List.of(farA, farB), List.of(e.path("controlAreas").path("wards").get(0).asText(),
                e.path("controlAreas").path("wards").get(1).asText()));
        assertEquals(List.of("anti-social-behaviour"), List.of(e.path("categories").get(0).asText()));
    }

    @Test
    void aViewerCountsSensitiveIncidentsWhereTheyAreShownToThem() throws Exception {
        // violence and sexual offences is a sensitive category: a viewer sees it at the centre of its 500 m square
        String q = "/api/evaluation?area=ward:" + ward + "&" + BEFORE + "&" + AFTER + "&category=violence-and-sexual-offences";
        JsonNode seen = get(q, viewer), exact = get(q, analyst);
        long[] generalised = independent(ward, null, 500, "violence-and-sexual-offences", true,
                "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        assertCounts(generalised, seen);
        assertCounts(independent(ward, null, 500, "violence-and-sexual-offences", false,
                "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28"), exact);
        assertNotEquals(exact.path("target").toString() + exact.path("buffer"), seen.path("target").toString() + seen.path("buffer"),
                "the generalised places move some incidents between zones");
        assertEquals(500, seen.path("redaction").path("generalised_metres").asInt(), seen.path("redaction").toString());
    }

    @Test
    void aNeighbourhoodIsTheUnionOfItsWardsAndMatchesAnIndependentCount() throws Exception {
        // a neighbourhood of the busiest ward and the two wards nearest to it, defined on the real Darlington wards
        List<String> members = strings("""
                SELECT o.code FROM boundary o, boundary w WHERE w.code = '%s' AND o.set_id = w.set_id
                ORDER BY ST_Distance(ST_Centroid(o.geom), ST_Centroid(w.geom)), o.code LIMIT 3""".formatted(ward));
        String version = strings("SELECT s.version FROM boundary_set s WHERE s.level = 'ward'").get(0);
        var defined = server.send("PUT", "/api/boundaries/neighbourhoods/eval-test?ward-version=" + version,
                HttpRequest.BodyPublishers.ofString("ward_code,neighbourhood_name,neighbourhood_code\n"
                        + String.join("", members.stream().map(m -> m + ",Town centre,NBH-TC\n").toList())),
                "Content-Type", "text/csv", "Authorization", "Bearer " + server.adminToken);
        assertEquals(201, defined.statusCode(), defined.body());

        JsonNode e = get("/api/evaluation?area=neighbourhood:NBH-TC&" + BEFORE + "&" + AFTER + "&buffer=400", analyst);
        long[] n = independent(members, null, 400, null, false, null, "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        assertCounts(n, e);
        assertFormulas(n, e);
        long[] one = independent(ward, null, 400, null, false, "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        assertTrue(n[0] > one[0], "three wards hold more than one: " + n[0] + " vs " + one[0]);
    }

    @Test
    void aWardensOwnSensitiveIncidentsCountAtTheirTruePoint() throws Exception {
        String token = server.userToken("wendy", Role.WARDEN);
        long warden = Long.parseLong(strings("SELECT id FROM app_user WHERE username = 'wendy'").get(0));
        long other = Long.parseLong(strings("SELECT id FROM app_user WHERE username = 'ana'").get(0));
        // points inside the busiest ward whose 500 m square's centre is outside it (generalising moves them to the buffer)
        int planted;
        try (Connection c = server.dataSource.getConnection(); var st = c.createStatement()) {
            planted = st.executeUpdate("""
                    WITH w AS (SELECT geom FROM boundary WHERE code = '%1$s'),
                    pts AS (SELECT ST_SetSRID(ST_MakePoint(x, y), 27700) AS p
                            FROM w, generate_series(floor(ST_XMin(w.geom))::int, ceil(ST_XMax(w.geom))::int, 37) x,
                                    generate_series(floor(ST_YMin(w.geom))::int, ceil(ST_YMax(w.geom))::int, 37) y),
                    moved AS (SELECT p FROM pts, w WHERE ST_Covers(w.geom, p)
                                AND NOT ST_Covers(w.geom, ST_SetSRID(ST_MakePoint(floor(ST_X(p) / 500) * 500 + 250, floor(ST_Y(p) / 500) * 500 + 250), 27700))
                              ORDER BY ST_X(p), ST_Y(p) LIMIT 5)
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT 'warden', 'violence-and-sexual-offences', timestamptz '2019-01-15 12:00 Europe/London', 'day', moved.p, 'exact',
                           'warden-own-' || k || '-' || row_number() OVER (), CASE k WHEN 1 THEN %2$d ELSE %3$d END
                    FROM moved, generate_series(1, 2) k""".formatted(ward, warden, other));
        }
        assertEquals(10, planted, "five points, each once recorded by the warden and once by someone else");
        String q = "/api/evaluation?area=ward:" + ward + "&" + BEFORE + "&" + AFTER + "&category=violence-and-sexual-offences";
        JsonNode seen = get(q, token);
        long[] own = independent(List.of(ward), null, 500, "violence-and-sexual-offences", true, warden,
                "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        long[] nobody = independent(List.of(ward), null, 500, "violence-and-sexual-offences", true, null,
                "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        assertCounts(own, seen);
        assertEquals(nobody[1] + 5, own[1], "the warden's five are in the target at their true point");
        assertEquals(nobody[3] - 5, own[3], "and not in the buffer where their squares' centres are");
        assertEquals(500, seen.path("redaction").path("generalised_metres").asInt());
        // a viewer sees all ten generalised
        assertCounts(nobody, get(q, viewer));
    }

    @Test
    void aProblemAndAnActionUseTheProblemsPlaceCategoriesAndTheActionsDates() throws Exception {
        new Organisations(server.dataSource).create("durham-police", "Durham Constabulary", "police");
        var created = post("/api/problems", """
                {"title": "ASB in the busiest ward", "categories": ["anti-social-behaviour"], "area": "ward:%s", "owner": "aim",
                 "objective": "Less ASB", "startDate": "2018-12-01"}""".formatted(ward));
        long problem = json(created).path("id").asLong();
        var action = post("/api/problems/" + problem + "/actions", """
                {"title": "Week of action", "organisation": "durham-police", "due": "2019-02-28", "startsOn": "2019-01-01", "endsOn": "2019-02-28"}""");
        long actionId = json(action).path("id").asLong();

        JsonNode byAction = get("/api/evaluation?action=" + actionId, analyst);
        assertEquals("2018-11-01", byAction.path("periods").path("before").path("from").asText(), "the same two whole months before");
        assertEquals("2018-12-31", byAction.path("periods").path("before").path("to").asText());
        assertEquals("2019-01-01", byAction.path("periods").path("after").path("from").asText());
        assertEquals(actionId, byAction.path("subject").path("actionId").asLong());
        assertEquals(problem, byAction.path("subject").path("problemId").asLong());
        assertEquals("anti-social-behaviour", byAction.path("categories").get(0).asText());
        assertCounts(independent(ward, null, 500, "anti-social-behaviour", false, "2018-11-01", "2018-12-31", "2019-01-01", "2019-02-28"),
                byAction);

        JsonNode byProblem = get("/api/evaluation?area=problem:" + problem + "&" + BEFORE + "&" + AFTER, analyst);
        assertCounts(independent(ward, null, 500, "anti-social-behaviour", false, "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28"),
                byProblem);

        // a partner of another organisation does not see the action
        new Organisations(server.dataSource).create("housing", "Housing", "housing");
        new aim.accounts.Accounts(server.dataSource).create("other", "Other", Role.PARTNER, TestServer.PASSWORD, "housing");
        String other = new aim.accounts.Accounts(server.dataSource).createApiToken("other", "t");
        assertProblem("/api/evaluation?action=" + actionId, other, 404, "action");
    }

    @Test
    void aPeriodSplittingAMonthLeavesThatMonthsPoliceRowsOut() throws Exception {
        JsonNode e = get("/api/evaluation?area=ward:" + ward + "&" + BEFORE + "&after_from=2019-01-15&after_to=2019-02-28", analyst);
        long[] n = independent(ward, null, 500, null, false, "2018-10-01", "2018-12-31", "2019-02-01", "2019-02-28");
        assertCounts(n, e);
        boolean noted = false;
        for (JsonNode note : e.path("notes")) noted |= note.asText().contains("inside a month");
        assertTrue(noted, e.path("notes").toString());
    }

    @Test
    void suggestedControlsAreTheMostAlikeWardsOtherThanTheTarget() throws Exception {
        JsonNode s = get("/api/evaluation/controls?area=ward:" + ward + "&" + BEFORE + "&" + AFTER + "&k=3", analyst);
        assertEquals(3, s.path("controls").size(), s.toString());
        double last = -1;
        for (JsonNode c : s.path("controls")) {
            assertNotEquals(ward, c.path("code").asText());
            assertTrue(c.path("distance").asDouble() >= last, s.toString());
            last = c.path("distance").asDouble();
        }
        // the first suggestion's level is its independent mean per month over Oct–Dec 2018
        String first = s.path("controls").get(0).path("code").asText();
        long[] own = independent(first, List.of(first), 0, null, false, "2018-10-01", "2018-12-31", "2019-01-01", "2019-02-28");
        assertEquals(own[0] / 3.0, s.path("controls").get(0).path("level").asDouble(), 0.001);
    }

    @Test
    void badParametersAreProblemsNamingTheField() throws Exception {
        String area = "area=ward:" + ward + "&";
        assertProblem("/api/evaluation?" + AFTER, analyst, 400, "area");
        assertProblem("/api/evaluation?area=parish:X&" + AFTER, analyst, 400, "area");
        assertProblem("/api/evaluation?area=problem:abc&" + AFTER, analyst, 400, "area");
        assertProblem("/api/evaluation?area=problem:999999&" + AFTER, analyst, 404, "area");
        assertProblem("/api/evaluation?area=ward:NOPE&" + AFTER, analyst, 422, "area");
        assertProblem("/api/evaluation?action=999999", analyst, 404, "action");
        assertProblem("/api/evaluation?action=x", analyst, 400, "action");
        assertProblem("/api/evaluation?" + area + "action=1&" + AFTER, analyst, 400, "action");
        assertProblem("/api/evaluation?" + area + "after_to=2019-02-28", analyst, 400, "after_from");
        assertProblem("/api/evaluation?" + area + "after_from=2019-01-01", analyst, 400, "after_to");
        assertProblem("/api/evaluation?" + area + "after_from=2019-13-01&after_to=2019-02-28", analyst, 400, "after_from");
        assertProblem("/api/evaluation?" + area + "after_from=2019-03-01&after_to=2019-02-28", analyst, 400, "after_to");
        assertProblem("/api/evaluation?" + area + AFTER + "&before_from=2018-10-01", analyst, 400, "before_to");
        assertProblem("/api/evaluation?" + area + AFTER + "&before_from=2018-10-01&before_to=2019-01-01", analyst, 400, "before_to");
        assertProblem("/api/evaluation?" + area + "after_from=1800-01-01&after_to=2019-02-28", analyst, 400, "after_from");
        assertProblem("/api/evaluation?" + area + "after_from=1990-01-01&after_to=2019-02-28", analyst, 400, "after_from");
        assertProblem("/api/evaluation?" + area + AFTER + "&buffer=-1", analyst, 400, "buffer");
        assertProblem("/api/evaluation?" + area + AFTER + "&buffer=NaN", analyst, 400, "buffer");
        assertProblem("/api/evaluation?" + area + AFTER + "&control=county", analyst, 400, "control");
        assertProblem("/api/evaluation?" + area + AFTER + "&control=ward:NOPE", analyst, 422, "control");
        assertProblem("/api/evaluation?" + area + AFTER + "&category=nope", analyst, 400, "category");
        assertProblem("/api/evaluation/controls?" + area + AFTER + "&k=0", analyst, 400, "k");
        assertEquals(401, server.get("/api/evaluation?" + area + AFTER).statusCode());
    }

    // ---- the independent count ----

    /**
     * {target before, target after, buffer before, buffer after, control before, control after} by plain SQL
     * over the raw rows: local dates of the incidents (police rows are on the 1st of their month), ST_Covers
     * of the ward, ST_DWithin of the buffer, the union of the control wards (null: all). With
     * {@code generalised}, sensitive categories are moved to the centre of their 500 m grid square first.
     */
    static long[] independent(String target, List<String> control, int buffer, String category, boolean generalised,
                              String beforeFrom, String beforeTo, String afterFrom, String afterTo) throws Exception {
        return independent(List.of(target), control, buffer, category, generalised, null, beforeFrom, beforeTo, afterFrom, afterTo);
    }

    /**
     * As above, with the target the union of {@code targetWards} (a neighbourhood), and with {@code owner}
     * (a user id, or null) the recorder whose own sensitive incidents keep their true point.
     */
    static long[] independent(List<String> targetWards, List<String> control, int buffer, String category, boolean generalised, Long owner,
                              String beforeFrom, String beforeTo, String afterFrom, String afterTo) throws Exception {
        String point = generalised
                ? "CASE WHEN c.sensitive" + (owner == null ? "" : " AND i.recorded_by IS DISTINCT FROM " + owner)
                + " THEN ST_SetSRID(ST_MakePoint(floor(ST_X(i.geom) / 500) * 500 + 250, floor(ST_Y(i.geom) / 500) * 500 + 250), 27700) ELSE i.geom END"
                : "i.geom";
        String sql = """
                WITH t AS MATERIALIZED (SELECT ST_Union(b.geom) AS g FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                        WHERE s.level = 'ward' AND b.code = ANY (?::text[])),
                ctl AS MATERIALIZED (SELECT ST_Union(b.geom) AS g FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                      WHERE s.level = 'ward' AND (?::text[] IS NULL OR b.code = ANY (?::text[]))),
                p AS (SELECT %s AS pt, (i.occurred_at AT TIME ZONE 'Europe/London')::date AS day
                      FROM incident i JOIN incident_category c ON c.code = i.category
                      WHERE i.geom IS NOT NULL AND (?::text IS NULL OR i.category = ?)
                        -- only rows near Darlington (every buffer here is under 1 km, a generalised point moves < 400 m)
                        AND i.geom && (SELECT ST_Expand(ST_Extent(b.geom)::geometry, 2000) FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                       WHERE s.level = 'ward')),
                z AS (SELECT p.day, CASE WHEN ST_Covers(t.g, p.pt) THEN 0
                                         WHEN ST_DWithin(t.g, p.pt, ?) THEN 1
                                         WHEN ST_Covers(ctl.g, p.pt) THEN 2 END AS zone
                      FROM p, t, ctl)
                SELECT zone, count(*) FILTER (WHERE day BETWEEN ?::date AND ?::date), count(*) FILTER (WHERE day BETWEEN ?::date AND ?::date)
                FROM z WHERE zone IS NOT NULL GROUP BY zone""".formatted(point);
        long[] out = new long[6];
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            String[] codes = control == null ? null : control.toArray(String[]::new);
            Object[] params = {targetWards.toArray(String[]::new), codes, codes, category, category, (double) buffer, beforeFrom, beforeTo, afterFrom, afterTo};
            for (int k = 0; k < params.length; k++) ps.setObject(k + 1, params[k]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out[rs.getInt(1) * 2] = rs.getLong(2);
                    out[rs.getInt(1) * 2 + 1] = rs.getLong(3);
                }
            }
        }
        return out;
    }

    private static void assertCounts(long[] n, JsonNode e) {
        long[] got = {e.path("target").path("before").asLong(), e.path("target").path("after").asLong(),
                e.path("buffer").path("before").asLong(), e.path("buffer").path("after").asLong(),
                e.path("control").path("before").asLong(), e.path("control").path("after").asLong()};
        assertEquals(java.util.Arrays.toString(n), java.util.Arrays.toString(got), "target, buffer, control before/after");
    }

    /** RES, its interval and WDQ from the formulas of the issue, on the independent counts (all non-zero here). */
    private static void assertFormulas(long[] n, JsonNode e) {
        double a = n[0], b = n[1], c = n[4], d = n[5];
        double res = a * d / (b * c), se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
        assertEquals(res, e.path("res").path("value").asDouble(), 1e-9);
        assertEquals(Math.exp(Math.log(res) - 1.96 * se), e.path("res").path("low").asDouble(), 1e-4 * res);
        assertEquals(Math.exp(Math.log(res) + 1.96 * se), e.path("res").path("high").asDouble(), 1e-4 * res);
        double wdq = ((double) n[3] / n[5] - (double) n[2] / n[4]) / ((double) n[1] / n[5] - (double) n[0] / n[4]);
        assertEquals(wdq, e.path("wdq").asDouble(), 1e-9);
        assertFalse(e.path("interpretation").path("text").asText().isBlank());
    }

    private static JsonNode get(String path, String token) throws Exception {
        var response = server.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), path + " → " + response.body());
        return json(response);
    }

    private static java.net.http.HttpResponse<String> post(String path, String body) throws Exception {
        var response = server.send("POST", path, HttpRequest.BodyPublishers.ofString(body), "Authorization", "Bearer " + analyst,
                "Content-Type", "application/json");
        assertEquals(201, response.statusCode(), response.body());
        return response;
    }

    private static void assertProblem(String path, String token, int status, String field) throws Exception {
        var response = server.get(path, "Authorization", "Bearer " + token);
        assertEquals(status, response.statusCode(), path + " → " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), path);
        assertEquals(field, json(response).path("field").asText(), path + " → " + response.body());
    }

    private static List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
