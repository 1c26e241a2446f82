package aim.incidents;

import aim.accounts.Role;
import aim.accounts.User;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.db.SqlFragment;
import aim.hotspots.HexGrid;
import aim.hotspots.SquareGrid;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one redaction rule ({@link Redaction}) on every endpoint that reads incidents, over HTTP with
 * real PostGIS. A crafted borough of two wards split at easting 450400 (TW west, TE east; one
 * neighbourhood each): four incidents of a sensitive category lie at 450450–450465, 515460–515475
 * (ward TE), all in the 500 m square 450000–450500 × 515000–515500, whose centre (450250, 515250)
 * lies in ward TW. One of them is a warden's report, with location text, an assignee and a history.
 * For a viewer, a planner and another warden, every answer must be what it would be if each of
 * those incidents were at the square's centre: bbox bisection, ward tricks and fine grids find
 * nothing more, and moving the incidents anywhere inside their square changes no answer at all.
 */
@Tag("postgis")
class RedactionApiTest {
    static final String SENSITIVE = "asb-neighbour-dispute";
    /** The warden's report, in ward TE; the square's centre, in ward TW. */
    static final double PX = 450450, PY = 515460, CX = 450250, CY = 515250;
    static final String YEAR = "from=2025-01-01&to=2025-12-31";

    @Fresh static TestServer server;
    static String analyst, viewer, planner, warden, otherWarden;
    static Map<String, String> redacted;
    static long reportId, noiseId;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path wards = dir.resolve("wards.json");
        Files.writeString(wards, """
                {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
                 "features": [
                  {"type": "Feature", "properties": {"code": "TW", "name": "West"}, "geometry": {"type": "Polygon",
                   "coordinates": [[[448000, 514000], [450400, 514000], [450400, 517000], [448000, 517000], [448000, 514000]]]}},
                  {"type": "Feature", "properties": {"code": "TE", "name": "East"}, "geometry": {"type": "Polygon",
                   "coordinates": [[[450400, 514000], [452000, 514000], [452000, 517000], [450400, 517000], [450400, 514000]]]}}]}""");
        new BoundaryImporter(server.dataSource).importFile(wards, new BoundaryImportOptions(BoundaryLevel.WARD, "test",
                LocalDate.of(2024, 1, 1), null, "code", "name", null, false, false, null));
        var defined = server.send("PUT", "/api/boundaries/neighbourhoods/testn", HttpRequest.BodyPublishers.ofString("""
                        {"wardVersion":"test","validFrom":"2024-01-01","neighbourhoods":[
                          {"code":"NW","name":"North West","wards":["TW"]},{"code":"NE","name":"North East","wards":["TE"]}]}"""),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken);
        assertEquals(201, defined.statusCode(), defined.body());

        analyst = server.userToken("ana", Role.ANALYST);
        viewer = server.userToken("vera", Role.VIEWER);
        planner = server.userToken("pat", Role.PLANNER);
        warden = server.userToken("wes", Role.WARDEN);
        otherWarden = server.userToken("wyn", Role.WARDEN);
        redacted = new LinkedHashMap<>();
        redacted.put("viewer", viewer);
        redacted.put("planner", planner);
        redacted.put("other warden", otherWarden);
        long wes = server.accounts.find("wes").orElseThrow().id(), ana = server.accounts.find("ana").orElseThrow().id();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            ResultSet rs = st.executeQuery("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, accuracy_m,
                                          location_text, status, assigned_to, description, reporter_name, recorded_by, external_key)
                    VALUES ('warden', '%s', '2025-03-10 10:00+00', 'minute', ST_SetSRID(ST_MakePoint(%s, %s), 27700), 'gps', 6,
                            'outside 14 Test Street', 'assigned', 'Officer Jane Smith', 'shouting over the fence', 'Mrs Resident',
                            %d, 'warden:%d:k1')
                    RETURNING id""".formatted(SENSITIVE, PX, PY, wes, wes));
            rs.next();
            reportId = rs.getLong(1);
            st.execute("""
                    INSERT INTO incident_event (incident_id, by_user, kind, from_status, to_status, changes) VALUES
                        (%1$d, %2$d, 'created', NULL, 'open', NULL),
                        (%1$d, %3$d, 'status', 'open', 'assigned', '{"assignedTo": [null, "Officer Jane Smith"], "note": "call back"}');
                    -- three council reports of the same category a few metres away, in other months
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, location_text, external_key)
                    SELECT 'council', '%4$s', t.at, 'day', ST_SetSRID(ST_MakePoint(%5$s + 5 * t.n, %6$s + 5 * t.n), 27700), 'exact',
                           'rear of 16 Test Street', 'nd-' || t.n
                    FROM (VALUES (1, timestamptz '2025-02-14 12:00+00'), (2, timestamptz '2025-05-20 12:00+01'),
                                 (3, timestamptz '2025-08-05 12:00+01')) AS t(n, at);
                    -- background of other categories over both wards through 2025
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', CASE WHEN d.path[1] %% 2 = 0 THEN 'env-graffiti' ELSE 'asb-noise' END,
                           timestamptz '2025-01-01 12:00+00' + ((d.path[1] * 7 %% 360) || ' days')::interval, 'day', d.geom, 'exact',
                           'bg-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(ST_MakeEnvelope(448500, 514500, 451500, 516500, 27700), 300, 5)) d;
                    """.formatted(reportId, wes, ana, SENSITIVE, PX, PY));
            rs = st.executeQuery("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, location_text, external_key)
                    VALUES ('council', 'asb-noise', '2025-03-11 12:00+00', 'day', ST_SetSRID(ST_MakePoint(%s, %s), 27700), 'exact',
                            'by the bus stop on Test Street', 'noise-1')
                    RETURNING id""".formatted(PX, PY));
            rs.next();
            noiseId = rs.getLong(1);
        }
    }

    // (a) bbox bisection

    @Test
    void bboxBisectionFindsTheSquareCentreOnly() throws Exception {
        String near = "/api/incidents?category=" + SENSITIVE + "&bbox=" + bbox(PX - 3, PY - 3, PX + 3, PY + 3);
        // a box holding every true point but not the square's centre
        String square = "/api/incidents?category=" + SENSITIVE + "&bbox=" + bbox(450300, 515300, 450499, 515499);
        String centre = "/api/incidents?category=" + SENSITIVE + "&bbox=" + bbox(CX - 3, CY - 3, CX + 3, CY + 3);
        for (var who : redacted.entrySet()) {
            assertEquals(0, features(get(near, who.getValue())).size(), who.getKey() + ": 3 m around the true point");
            assertEquals(0, features(get(square, who.getValue())).size(), who.getKey() + ": the square without its centre");
            List<JsonNode> found = features(get(centre, who.getValue()));
            assertEquals(4, found.size(), who.getKey() + ": 3 m around the square's centre");
            for (JsonNode f : found) assertGeneralised(f, who.getKey());
            // the non-sensitive incident at the very same point is where it is
            JsonNode all = get("/api/incidents?bbox=" + bbox(PX - 3, PY - 3, PX + 3, PY + 3), who.getValue());
            assertEquals(List.of(noiseId), ids(all), who.getKey());
        }
        assertEquals(List.of(reportId), ids(get(near, analyst)), "analysts see the exact point");
        assertEquals(4, features(get(square, analyst)).size());
        assertEquals(0, features(get(centre, analyst)).size());
        // the recording warden sees their own report exactly, and the others' generalised
        assertEquals(List.of(reportId), ids(get(near, warden)));
        assertEquals(3, features(get(centre, warden)).size());
    }

    // (b) ward, neighbourhood and area filters, area statistics

    @Test
    void wardsNeighbourhoodsAndStudyAreasCountTheSquareCentre() throws Exception {
        for (var who : redacted.entrySet()) {
            String token = who.getValue(), w = who.getKey();
            assertEquals(0, features(get("/api/incidents?category=" + SENSITIVE + "&ward=TE", token)).size(), w);
            assertEquals(4, features(get("/api/incidents?category=" + SENSITIVE + "&ward=TW", token)).size(), w);
            assertEquals(0, features(get("/api/incidents?category=" + SENSITIVE + "&neighbourhood=NE", token)).size(), w);
            assertEquals(4, features(get("/api/incidents?category=" + SENSITIVE + "&neighbourhood=NW", token)).size(), w);
            for (JsonNode f : features(get("/api/incidents?category=" + SENSITIVE, token))) {
                assertEquals("TW", f.path("properties").path("ward").asText(), w + ": the ward of the square's centre");
            }
            assertEquals(0, get("/api/hotspots?method=grid&cell=50&area=ward:TE&category=" + SENSITIVE, token)
                    .path("meta").path("incidents").asLong(), w);
            assertEquals(4, get("/api/hotspots?method=grid&cell=50&area=ward:TW&category=" + SENSITIVE, token)
                    .path("meta").path("incidents").asLong(), w);

            JsonNode stats = get("/api/areas/stats?level=ward&" + YEAR + "&category=" + SENSITIVE, token);
            assertEquals(Map.of("TW", 4L, "TE", 0L), counts(stats), w);
            assertEquals(500, stats.path("meta").path("redaction").path("generalised_metres").asInt(), w);
            assertEquals(Map.of("NW", 4L, "NE", 0L),
                    counts(get("/api/areas/stats?level=neighbourhood&" + YEAR + "&category=" + SENSITIVE, token)), w);
            assertEquals(0, total(get("/api/areas/ward/TE/series?" + YEAR + "&category=" + SENSITIVE, token)), w);
            assertEquals(4, total(get("/api/areas/neighbourhood/NW/series?" + YEAR + "&category=" + SENSITIVE, token)), w);
        }
        assertEquals(4, features(get("/api/incidents?category=" + SENSITIVE + "&ward=TE", analyst)).size());
        JsonNode stats = get("/api/areas/stats?level=ward&" + YEAR + "&category=" + SENSITIVE, analyst);
        assertEquals(Map.of("TW", 0L, "TE", 4L), counts(stats));
        assertFalse(stats.path("meta").has("redaction"), "no redaction for analysts");
        assertEquals(4, total(get("/api/areas/ward/TE/series?" + YEAR + "&category=" + SENSITIVE, analyst)));
    }

    // (c) fine grids: counts only in the square centre's cell, and meta says so

    @Test
    void fineGridsCountSensitiveIncidentsOnlyInTheSquareCentresCell() throws Exception {
        long centreSquare = new SquareGrid(50).cellOf(CX, CY), trueSquare = new SquareGrid(50).cellOf(PX, PY);
        long centreHex = new HexGrid(50).cellOf(CX, CY);
        for (var who : redacted.entrySet()) {
            String token = who.getValue(), w = who.getKey();
            JsonNode grid = get("/api/hotspots?method=grid&cell=50&" + YEAR + "&category=" + SENSITIVE, token);
            assertEquals(Map.of(centreSquare, 4L), nonEmptyCells(grid), w);
            assertEquals(500, grid.path("meta").path("redaction").path("generalised_metres").asInt(), w);
            assertTrue(grid.path("meta").path("redaction").path("note").asText().contains("centre of their 500 m"), w);
            assertEquals(Map.of(centreHex, 4L), nonEmptyCells(get("/api/hotspots?method=hex&cell=50&" + YEAR + "&category=" + SENSITIVE, token)), w);
            for (String method : List.of("gistar", "kde")) {
                JsonNode m = get("/api/hotspots?method=" + method + "&cell=50&" + YEAR + "&category=" + SENSITIVE, token);
                assertEquals(Map.of(centreSquare, 4L), nonEmptyCells(m), w + " " + method);
                assertTrue(m.path("meta").has("redaction"), w + " " + method);
            }
            JsonNode emerging = get("/api/hotspots/emerging?cell=50&all=true&" + YEAR + "&category=" + SENSITIVE, token);
            assertEquals(Map.of(centreSquare, 4L), nonEmptyCells(emerging), w);
            assertTrue(emerging.path("meta").has("redaction"), w);
            JsonNode accuracy = get("/api/hotspots/accuracy?method=grid&cell=50&from=2025-01-01&to=2025-06-30&category=" + SENSITIVE, token);
            assertEquals(3, accuracy.path("training").path("incidents").asInt(), w);
            assertEquals(500, accuracy.path("redaction").path("generalised_metres").asInt(), w);
            // a series for the cell of the true point is empty; the square centre's cell holds them all
            assertEquals(0, total(get("/api/areas/borough/all/series?cell=" + cell(trueSquare) + "&cellSize=50&" + YEAR
                    + "&category=" + SENSITIVE, token)), w);
            JsonNode series = get("/api/areas/borough/all/series?cell=" + cell(centreSquare) + "&cellSize=50&" + YEAR
                    + "&category=" + SENSITIVE, token);
            assertEquals(4, total(series), w);
            assertTrue(series.path("meta").has("redaction"), w);
            // the asset gap analysis looks under the hotspot cells the caller may see
            JsonNode gaps = get("/api/assets/gaps?category=youth-club&method=grid&cell=50&" + YEAR + "&incident_category=" + SENSITIVE, token);
            assertEquals(List.of("cell:" + cell(centreSquare).replace(',', ':')), gapIds(gaps), w);
            assertTrue(gaps.path("hotspots").has("redaction"), w);
        }
        assertEquals(List.of("cell:" + cell(trueSquare).replace(',', ':')), gapIds(get("/api/assets/gaps?category=youth-club&method=grid&cell=50&"
                + YEAR + "&incident_category=" + SENSITIVE, analyst)));
        assertEquals(Map.of(trueSquare, 4L), nonEmptyCells(get("/api/hotspots?method=grid&cell=50&" + YEAR + "&category=" + SENSITIVE, analyst)));
        Map<Long, Long> trueHexes = new LinkedHashMap<>();
        for (int n = 0; n < 4; n++) trueHexes.merge(new HexGrid(50).cellOf(PX + 5 * n, PY + 5 * n), 1L, Long::sum);
        assertEquals(trueHexes, nonEmptyCells(get("/api/hotspots?method=hex&cell=50&" + YEAR + "&category=" + SENSITIVE, analyst)));
        assertFalse(get("/api/hotspots?method=grid&cell=50&" + YEAR, analyst).path("meta").has("redaction"));
        assertEquals(4, total(get("/api/areas/borough/all/series?cell=" + cell(trueSquare) + "&cellSize=50&" + YEAR
                + "&category=" + SENSITIVE, analyst)));
    }

    /**
     * The attacker's view: moving every sensitive incident to another place in the same 500 m square
     * (and into the other ward) changes no answer a redacted caller gets, at any cell size or method.
     */
    @Test
    void movingTheIncidentsWithinTheirSquareChangesNothingARedactedCallerSees() throws Exception {
        long centreSquare = new SquareGrid(50).cellOf(CX, CY), trueSquare = new SquareGrid(50).cellOf(PX, PY);
        List<String> urls = new ArrayList<>();
        for (String c : List.of("", "&category=" + SENSITIVE)) {
            for (String m : List.of("method=grid&cell=50", "method=grid&cell=130", "method=hex&cell=50", "method=gistar&cell=50",
                    "method=kde&cell=50", "method=kde&cell=50&output=bands", "method=gistar&cell=50&area=ward:TE")) {
                urls.add("/api/hotspots?" + m + "&" + YEAR + c);
            }
            urls.add("/api/hotspots/emerging?cell=50&" + YEAR + c);
            urls.add("/api/hotspots?method=forecast&cell=50&all=true&" + YEAR + c);
            urls.add("/api/hotspots/accuracy?method=forecast&cell=50&from=2025-01-01&to=2025-06-30&test_to=2025-07-31" + c);
            urls.add("/api/hotspots/accuracy?method=grid&cell=50&from=2025-01-01&to=2025-06-30" + c);
            urls.add("/api/hotspots/accuracy?method=kde&cell=50&from=2025-01-01&to=2025-06-30" + c);
            urls.add("/api/areas/stats?level=ward&" + YEAR + c);
            urls.add("/api/areas/stats?level=neighbourhood&" + YEAR + c);
            urls.add("/api/areas/ward/TE/series?" + YEAR + c);
            urls.add("/api/areas/borough/all/series?cell=" + cell(trueSquare) + "&cellSize=50&" + YEAR + c);
            urls.add("/api/areas/borough/all/series?cell=" + cell(centreSquare) + "&cellSize=50&" + YEAR + c);
            urls.add("/api/incidents?ward=TE" + c);
            urls.add("/api/incidents?bbox=" + bbox(PX - 3, PY - 3, PX + 3, PY + 3) + c);
            urls.add("/api/assets/gaps?category=youth-club&method=grid&cell=50&" + YEAR + c.replace("category", "incident_category"));
        }
        urls.add("/api/incidents/" + reportId);
        Map<String, String> before = new LinkedHashMap<>();
        for (var who : redacted.entrySet()) for (String url : urls) before.put(who.getKey() + " " + url, body(url, who.getValue()));
        String analystBefore = body(urls.get(0), analyst);
        try {
            move(-420, -440); // to 450030–450045, 515020–515035: the same square, ward TW
            for (var who : redacted.entrySet()) {
                for (String url : urls) {
                    assertEquals(before.get(who.getKey() + " " + url), body(url, who.getValue()), who.getKey() + " " + url);
                }
            }
            assertNotEquals(analystBefore, body(urls.get(0), analyst), "the move is visible to analysts");
        } finally {
            move(420, 440);
        }
    }

    // (d) location text, (e) exact for analysts and the recorder

    @Test
    void locationTextAndAccuracyAreWithheldWhereTheLocationIsGeneralised() throws Exception {
        for (var who : redacted.entrySet()) {
            for (JsonNode f : features(get("/api/incidents?category=" + SENSITIVE, who.getValue()))) assertGeneralised(f, who.getKey());
            JsonNode one = get("/api/incidents/" + reportId, who.getValue());
            assertGeneralised(one, who.getKey());
            assertEquals("by the bus stop on Test Street",
                    get("/api/incidents/" + noiseId, who.getValue()).path("properties").path("location_text").asText(),
                    who.getKey() + ": not sensitive, not withheld");
        }
        // another warden gets 403 on the report, and from the incident endpoint exactly what a viewer gets
        var forbidden = server.get("/api/reports/" + reportId, "Authorization", "Bearer " + otherWarden);
        assertEquals(403, forbidden.statusCode(), forbidden.body());
        assertEquals(get("/api/incidents/" + reportId, viewer), get("/api/incidents/" + reportId, otherWarden));

        double[] p = lonLat(PX, PY);
        for (String token : List.of(analyst, warden)) {
            JsonNode one = get("/api/incidents/" + reportId, token);
            JsonNode props = one.path("properties");
            assertEquals("outside 14 Test Street", props.path("location_text").asText());
            assertEquals("gps", props.path("location_precision").asText());
            assertEquals(6.0, props.path("accuracy_m").asDouble());
            assertEquals("shouting over the fence", props.path("description").asText());
            assertEquals("TE", props.path("ward").asText());
            assertEquals(p[0], one.path("geometry").path("coordinates").get(0).asDouble(), 1e-6);
            assertEquals(p[1], one.path("geometry").path("coordinates").get(1).asDouble(), 1e-6);
        }
    }

    // (f) reports: the assignee and the history's authors

    @Test
    void reportsHideTheAssigneeAndHistoryAuthorsFromPlannersAndViewers() throws Exception {
        double[] c = lonLat(CX, CY);
        for (String token : List.of(planner, viewer)) {
            JsonNode r = get("/api/reports/" + reportId, token);
            for (String hidden : List.of("assignedTo", "locationText", "accuracyM", "description", "reporterName", "recordedBy")) {
                assertFalse(r.has(hidden), hidden + " is left out: " + r);
            }
            assertEquals("assigned", r.path("status").asText());
            assertEquals(c[0], r.path("lon").asDouble(), 1e-6);
            assertEquals(c[1], r.path("lat").asDouble(), 1e-6);
            JsonNode history = get("/api/reports/" + reportId + "/history", token);
            assertEquals(2, history.size());
            for (JsonNode e : history) {
                assertFalse(e.has("by"), "the author is left out: " + e);
                assertFalse(e.has("note"), e.toString());
                assertFalse(e.path("changes").has("assignedTo"), "the assignee is left out: " + e);
            }
        }
        for (String token : List.of(analyst, warden)) {
            JsonNode r = get("/api/reports/" + reportId, token);
            assertEquals("Officer Jane Smith", r.path("assignedTo").asText());
            assertEquals("outside 14 Test Street", r.path("locationText").asText());
            JsonNode history = get("/api/reports/" + reportId + "/history", token);
            assertEquals("wes", history.get(0).path("by").asText());
            assertEquals("ana", history.get(1).path("by").asText());
            assertEquals("Officer Jane Smith", history.get(1).path("changes").path("assignedTo").get(1).asText());
        }
    }

    /** The redacted incident table is flattened into the query, so a bbox still uses the spatial index. */
    @Test
    void theRedactedTableStillUsesTheSpatialIndex() throws Exception {
        User vera = server.accounts.find("vera").orElseThrow();
        SqlFragment box = SqlFragment.of("ST_MakeEnvelope(450000, 515000, 450100, 515100, 27700)");
        SqlFragment from = Redaction.incidents(vera, box);
        String plan;
        try (var c = server.dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("SET LOCAL enable_seqscan = off");
            }
            try (var ps = c.prepareStatement("EXPLAIN SELECT i.id, i.location_text FROM " + from.sql() + " WHERE i.geom && " + box.sql())) {
                for (int k = 0; k < from.params().size(); k++) ps.setObject(k + 1, from.params().get(k));
                StringBuilder lines = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) lines.append(rs.getString(1)).append('\n');
                }
                plan = lines.toString();
            } finally {
                c.rollback();
            }
        }
        // incident is partitioned by month (V11): a month's GiST index
        assertTrue(plan.matches("(?s).*incident_(\\d{4}_\\d{2}|default)_geom_idx.*"), plan);
        assertFalse(plan.contains("Subquery Scan"), "the derived table is flattened:\n" + plan);
        assertEquals("incident i", Redaction.incidents(server.accounts.find("ana").orElseThrow(), box).sql());
    }

    // helpers

    private static void assertGeneralised(JsonNode feature, String who) throws Exception {
        double[] c = lonLat(CX, CY);
        JsonNode p = feature.path("properties");
        assertEquals("generalised", p.path("location_precision").asText(), who + ": " + p);
        assertTrue(p.path("location_text").isNull(), who + ": " + p);
        assertTrue(p.path("accuracy_m").isNull(), who + ": " + p);
        assertEquals("TW", p.path("ward").asText(), who);
        for (String personal : List.of("description", "reporter_name", "reporter_contact", "recorded_by")) {
            assertFalse(p.has(personal), who + ": " + personal);
        }
        assertEquals(c[0], feature.path("geometry").path("coordinates").get(0).asDouble(), 1e-6, who);
        assertEquals(c[1], feature.path("geometry").path("coordinates").get(1).asDouble(), 1e-6, who);
    }

    private static void move(double dx, double dy) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("UPDATE incident SET geom = ST_Translate(geom, %s, %s) WHERE category = '%s'".formatted(dx, dy, SENSITIVE));
        }
    }

    private static String body(String url, String token) throws Exception {
        var response = server.get(url, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }

    private static JsonNode get(String url, String token) throws Exception {
        var response = server.get(url, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return json(response);
    }

    private static List<JsonNode> features(JsonNode collection) {
        List<JsonNode> out = new ArrayList<>();
        collection.path("features").forEach(out::add);
        return out;
    }

    private static List<String> gapIds(JsonNode gaps) {
        return features(gaps.path("gaps")).stream().map(f -> f.path("id").asText()).toList();
    }

    private static List<Long> ids(JsonNode collection) {
        return features(collection).stream().map(f -> f.path("id").asLong()).toList();
    }

    /** Cells with a count above zero: cell key → count. */
    private static Map<Long, Long> nonEmptyCells(JsonNode collection) {
        Map<Long, Long> out = new LinkedHashMap<>();
        for (JsonNode f : features(collection)) {
            JsonNode p = f.path("properties");
            if (p.path("count").asLong() > 0) out.put(aim.hotspots.Grid.key(p.path("i").asInt(), p.path("j").asInt()), p.path("count").asLong());
        }
        return out;
    }

    private static Map<String, Long> counts(JsonNode stats) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (JsonNode a : stats.path("areas")) out.put(a.path("code").asText(), a.path("count").asLong());
        return out;
    }

    private static long total(JsonNode series) {
        return series.path("meta").path("count").asLong();
    }

    private static String cell(long key) {
        return aim.hotspots.Grid.keyI(key) + "," + aim.hotspots.Grid.keyJ(key);
    }

    private static double[] lonLat(double x, double y) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 27700), 4326) p) x".formatted(x, y))) {
            rs.next();
            return new double[]{rs.getDouble(1), rs.getDouble(2)};
        }
    }

    /** A WGS84 bbox parameter just holding the EPSG:27700 box given. */
    private static String bbox(double minX, double minY, double maxX, double maxY) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                FROM (SELECT ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 27700), 4326) e) x""".formatted(minX, minY, maxX, maxY))) {
            rs.next();
            return rs.getDouble(1) + "," + rs.getDouble(2) + "," + rs.getDouble(3) + "," + rs.getDouble(4);
        }
    }
}
