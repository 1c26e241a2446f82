package aim.tiles;

import aim.accounts.Role;
import aim.accounts.User;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.db.SqlFragment;
import aim.hotspots.HotCells;
import aim.hotspots.HotspotEngine;
import aim.hotspots.HotspotRepository;
import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector tiles over HTTP with real PostGIS, each tile decoded by GDAL's MVT driver ({@code ogr2ogr},
 * open options Z, X, Y). The borough is two wards split at easting 450400 (as RedactionApiTest): a
 * warden's report of a sensitive category at (450450, 515460) and three more of that category a few
 * metres away, all in the 500 m square whose centre is (450250, 515250); a tight cluster of 60
 * incidents near (449300, 515800) (a hotspot) and 300 background incidents.
 */
@Tag("postgis")
class TileApiTest {
    static final String SENSITIVE = "asb-neighbour-dispute";
    static final double PX = 450450, PY = 515460, CX = 450250, CY = 515250;
    static final ObjectMapper JSON = new ObjectMapper();

    @Fresh static TestServer server;
    static String analyst, viewer, warden;
    static long reportId;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
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
        warden = server.userToken("wes", Role.WARDEN);
        long wes = server.accounts.find("wes").orElseThrow().id();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            ResultSet rs = st.executeQuery("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, location_text,
                                          status, recorded_by, external_key)
                    VALUES ('warden', '%s', '2025-03-10 10:00+00', 'minute', ST_SetSRID(ST_MakePoint(%s, %s), 27700), 'gps',
                            'outside 14 Test Street', 'open', %d, 'warden:%d:k1')
                    RETURNING id""".formatted(SENSITIVE, PX, PY, wes, wes));
            rs.next();
            reportId = rs.getLong(1);
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', '%1$s', timestamptz '2025-02-14 12:00+00' + (n || ' days')::interval, 'day',
                           ST_SetSRID(ST_MakePoint(%2$s + 5 * n, %3$s + 5 * n), 27700), 'exact', 'nd-' || n
                    FROM generate_series(1, 3) n;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-04-01 12:00+00' + (n || ' hours')::interval, 'minute',
                           ST_SetSRID(ST_MakePoint(449300 + (n %% 8) * 9, 515800 + (n / 8) * 9), 27700), 'exact', 'hot-' || n
                    FROM generate_series(1, 60) n;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', CASE WHEN d.path[1] %% 2 = 0 THEN 'env-graffiti' ELSE 'asb-noise' END,
                           timestamptz '2025-01-01 12:00+00' + ((d.path[1] * 7 %% 360) || ' days')::interval, 'day', d.geom, 'exact',
                           'bg-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(ST_MakeEnvelope(448500, 514500, 451500, 516500, 27700), 300, 5)) d;
                    """.formatted(SENSITIVE, PX, PY));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** The tile at zoom z holding the EPSG:27700 point (x, y). */
    static TileAddress tileAt(int z, double x, double y) throws Exception {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 27700), 4326) p")) {
            ps.setDouble(1, x);
            ps.setDouble(2, y);
            try (var rs = ps.executeQuery()) {
                rs.next();
                double lon = rs.getDouble(1), lat = Math.toRadians(rs.getDouble(2));
                int n = 1 << z;
                int tx = (int) Math.floor((lon + 180) / 360 * n);
                int ty = (int) Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n);
                return new TileAddress(z, tx, ty);
            }
        }
    }

    static HttpResponse<byte[]> fetch(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(server.url(path))).GET();
        if (headers.length > 0) b.headers(headers);
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String path(String layer, TileAddress t, String query) {
        return "/tiles/" + layer + "/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt" + (query == null ? "" : "?" + query);
    }

    /** The features of a tile as GDAL's MVT driver reads them (GeoJSON, EPSG:3857); none for 204. */
    static List<JsonNode> decode(HttpResponse<byte[]> response, TileAddress t) throws Exception {
        if (response.statusCode() == 204) return List.of();
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/vnd.mapbox-vector-tile", response.headers().firstValue("Content-Type").orElse(""));
        Path file = Files.createTempFile(dir, "tile", ".mvt");
        Files.write(file, response.body());
        Path out = dir.resolve("out-" + System.nanoTime() + ".geojson");
        Process p = new ProcessBuilder("ogr2ogr", "-f", "GeoJSON", out.toString(), "MVT:" + file,
                "-oo", "Z=" + t.z(), "-oo", "X=" + t.x(), "-oo", "Y=" + t.y(), "-oo", "CLIP=NO").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        List<JsonNode> features = new ArrayList<>();
        JSON.readTree(out.toFile()).get("features").forEach(features::add);
        return features;
    }

    static List<JsonNode> tile(String layer, TileAddress t, String query, String token) throws Exception {
        return token == null ? decode(fetch(path(layer, t, query)), t)
                : decode(fetch(path(layer, t, query), "Authorization", "Bearer " + token), t);
    }

    /** The EPSG:3857 coordinates of an EPSG:27700 point. */
    static double[] mercator(double x, double y) throws Exception {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 27700), 3857) p")) {
            ps.setDouble(1, x);
            ps.setDouble(2, y);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    // ---- layers ----------------------------------------------------------------------------------

    @Test
    void boundaryTilesDecodeWithTheirFields() throws Exception {
        TileAddress t = tileAt(10, 450000, 515500);
        List<JsonNode> wards = tile("wards", t, null, null);
        assertEquals(Set.of("TW", "TE"), codes(wards));
        for (JsonNode f : wards) {
            assertEquals("test", f.at("/properties/version").asText());
            assertTrue(f.at("/geometry/type").asText().endsWith("Polygon"));
        }
        assertEquals("West", wards.stream().filter(f -> f.at("/properties/code").asText().equals("TW")).findFirst().orElseThrow()
                .at("/properties/name").asText());
        List<JsonNode> neighbourhoods = tile("neighbourhoods", t, null, null);
        assertEquals(Set.of("NW", "NE"), codes(neighbourhoods));
        assertEquals("testn", neighbourhoods.get(0).at("/properties/version").asText());
        var response = fetch(path("wards", t, null));
        assertEquals("public, max-age=300", response.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void boundaryTilesAreKeptUntilTheBoundariesChange() throws Exception {
        // the server keeps made boundary tiles by the boundaries' data version: a moved ward is never answered from them
        TileAddress t = tileAt(12, 450400, 515500);
        var before = fetch(path("wards", t, null));
        assertEquals(200, before.statusCode());
        assertTrue(java.util.Arrays.equals(before.body(), fetch(path("wards", t, null)).body()), "the kept tile");
        try {
            moveWard(300);
            var moved = fetch(path("wards", t, null));
            assertNotEquals(outlines(before, t), outlines(moved, t), "a new boundary version makes the tile afresh");
        } finally {
            moveWard(-300);
        }
        // moved back: the same outlines as before (perhaps in another order: the moved rows are stored anew)
        assertEquals(outlines(before, t), outlines(fetch(path("wards", t, null)), t), "moved back");
    }

    /** A tile's features as GDAL reads them: geometry by code. */
    static Map<String, String> outlines(HttpResponse<byte[]> response, TileAddress t) throws Exception {
        Map<String, String> byCode = new TreeMap<>();
        for (JsonNode f : decode(response, t)) byCode.put(f.at("/properties/code").asText(), f.at("/geometry").toString());
        return byCode;
    }

    /** Moves ward TW east by {@code dx} metres and assigns its set again (committed), as a boundary import does. */
    static void moveWard(double dx) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("UPDATE boundary SET geom = ST_Translate(geom, " + dx + ", 0) WHERE code = 'TW'"
                    + " AND set_id = (SELECT id FROM boundary_set WHERE level = 'ward' AND version = 'test')");
            st.execute("SELECT rollup_assign_set(id) FROM boundary_set WHERE level = 'ward' AND version = 'test'");
            c.commit();
        }
    }

    static Set<String> codes(List<JsonNode> features) {
        Set<String> codes = new HashSet<>();
        for (JsonNode f : features) codes.add(f.at("/properties/code").asText());
        return codes;
    }

    @Test
    void anEmptyTileIs204() throws Exception {
        assertEquals(204, fetch("/tiles/wards/10/0/0.mvt").statusCode());
        // wards smaller than one unit of the tile's 4096 × 4096 grid (about 10 km at zoom 0) vanish
        assertEquals(204, fetch("/tiles/wards/0/0/0.mvt").statusCode());
        assertEquals(2, tile("wards", tileAt(6, 450000, 515500), null, null).size());
    }

    @Test
    void incidentPointsAreEveryIncidentInTheTile() throws Exception {
        TileAddress t = tileAt(15, 449300, 515800);
        List<JsonNode> points = tile("incidents", t, null, analyst);
        Set<Long> ids = new HashSet<>();
        for (JsonNode f : points) {
            assertEquals("point", f.at("/properties/kind").asText());
            assertEquals("Point", f.at("/geometry/type").asText());
            ids.add(f.at("/properties/id").asLong());
        }
        Set<Long> expected = new HashSet<>();
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT id FROM incident WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(?, ?, ?, margin => 64.0 / 4096))""")) {
            ps.setInt(1, t.z());
            ps.setInt(2, t.x());
            ps.setInt(3, t.y());
            try (var rs = ps.executeQuery()) {
                while (rs.next()) expected.add(rs.getLong(1));
            }
        }
        assertTrue(expected.size() >= 60, "the cluster is in the tile");
        assertEquals(expected, ids);
        JsonNode one = points.get(0).get("properties");
        for (String field : List.of("id", "category", "source", "occurred_at", "occurred_precision", "location_precision")) {
            assertTrue(one.has(field), field + " in " + one);
        }
        // a period and a category narrow the points as they narrow the JSON list
        List<JsonNode> april = tile("incidents", t, "from=2025-04-01&to=2025-04-30&category=asb-noise", analyst);
        assertEquals(60, april.size());
    }

    @Test
    void aRedactedCallerNeverGetsTheExactPointOfASensitiveIncident() throws Exception {
        double[] centre = mercator(CX, CY);
        for (int z : new int[]{14, 18, 22}) {
            TileAddress exact = tileAt(z, PX, PY);
            for (String query : new String[]{null, "category=" + SENSITIVE, "category=" + SENSITIVE + "&source=warden&from=2025-03-10&to=2025-03-10"}) {
                for (JsonNode f : tile("incidents", exact, query, viewer)) {
                    if (!SENSITIVE.equals(f.at("/properties/category").asText())) continue;
                    // only at the square's centre (in this tile at z 14, whose grid is about 0.6 m)
                    assertEquals("generalised", f.at("/properties/location_precision").asText());
                    assertEquals(centre[0], f.at("/geometry/coordinates/0").asDouble(), 1.0, "at zoom " + z);
                    assertEquals(centre[1], f.at("/geometry/coordinates/1").asDouble(), 1.0, "at zoom " + z);
                }
            }
            if (z == 22) {
                assertTrue(tile("incidents", exact, "category=" + SENSITIVE, viewer).isEmpty(), "nothing at the true point");
                // the analyst and the warden who recorded it see it there
                assertTrue(ids(tile("incidents", exact, null, analyst)).contains(reportId));
                assertTrue(ids(tile("incidents", exact, null, warden)).contains(reportId));
                // the viewer finds the four at the centre
                List<JsonNode> atCentre = tile("incidents", tileAt(22, CX, CY), "category=" + SENSITIVE, viewer);
                assertEquals(4, atCentre.size());
                assertTrue(ids(atCentre).contains(reportId));
            }
        }
    }

    static Set<Long> ids(List<JsonNode> features) {
        Set<Long> ids = new HashSet<>();
        for (JsonNode f : features) ids.add(f.at("/properties/id").asLong());
        return ids;
    }

    @Test
    void lowZoomCountsEqualTheSqlCountsForEachCaller() throws Exception {
        for (String token : new String[]{analyst, viewer}) {
            User user = server.accounts.byApiToken(token).orElseThrow();
            for (int z : new int[]{11, 12, 13}) {
                int cell = TileRepository.cellForZoom(z);
                // every tile over the borough, each cell once (a cell at a tile's edge is in both, with its whole count)
                Map<String, Long> fromTiles = new TreeMap<>();
                TileAddress a = tileAt(z, 448000, 517000), b = tileAt(z, 452000, 514000);
                for (int x = a.x(); x <= b.x(); x++) {
                    for (int y = a.y(); y <= b.y(); y++) {
                        for (JsonNode f : tile("incidents", new TileAddress(z, x, y), "from=2025-01-01&to=2025-12-31", token)) {
                            assertEquals("cell", f.at("/properties/kind").asText());
                            assertEquals(cell, f.at("/properties/cell_m").asInt());
                            String key = f.at("/properties/i").asInt() + "," + f.at("/properties/j").asInt();
                            Long before = fromTiles.put(key, f.at("/properties/count").asLong());
                            if (before != null) assertEquals(before, fromTiles.get(key), "the same count in every tile");
                        }
                    }
                }
                assertEquals(sqlCounts(user, cell), fromTiles, "zoom " + z + " for " + user.role());
            }
        }
    }

    /** Raw counts per square of the borough's incidents as the user may see them. */
    static Map<String, Long> sqlCounts(User user, int cell) throws Exception {
        SqlFragment from = Redaction.incidents(user);
        String sql = "SELECT floor(ST_X(i.geom) / ?)::int, floor(ST_Y(i.geom) / ?)::int, count(*) FROM " + from.sql()
                + " WHERE i.geom IS NOT NULL AND ST_Intersects(i.geom, ST_MakeEnvelope(448000, 514000, 452000, 517000, 27700))"
                + " GROUP BY 1, 2";
        Map<String, Long> counts = new TreeMap<>();
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            int k = 1;
            ps.setInt(k++, cell);
            ps.setInt(k++, cell);
            for (Object p : from.params()) ps.setObject(k++, p);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) counts.put(rs.getInt(1) + "," + rs.getInt(2), rs.getLong(3));
            }
        }
        return counts;
    }

    @Test
    void hotspotTilesHoldTheGiStarHotCells() throws Exception {
        User user = server.accounts.byApiToken(analyst).orElseThrow();
        var area = aim.boundaries.StudyArea.resolve(new aim.boundaries.BoundaryRepository(server.dataSource), null, null);
        HotCells hot = new HotspotEngine(new HotspotRepository(server.dataSource))
                .hotCells(new IncidentFilter(null, null, null, null, area, user), "gistar", 250);
        assertFalse(hot.cells().isEmpty(), "the cluster is a hotspot");
        Set<String> expected = new HashSet<>();
        for (HotCells.Cell c : hot.cells()) expected.add(c.i() + "," + c.j());
        Set<String> found = new HashSet<>();
        TileAddress a = tileAt(12, 448000, 517000), b = tileAt(12, 452000, 514000);
        for (int x = a.x(); x <= b.x(); x++) {
            for (int y = a.y(); y <= b.y(); y++) {
                for (JsonNode f : tile("hotspots", new TileAddress(12, x, y), null, analyst)) {
                    assertTrue(f.at("/properties/bin").asInt() >= 2);
                    assertTrue(f.at("/properties/gi_z").asDouble() > 0);
                    assertEquals(250, f.at("/properties/cell_m").asInt());
                    found.add(f.at("/properties/i").asInt() + "," + f.at("/properties/j").asInt());
                }
            }
        }
        assertEquals(expected, found);
    }

    // ---- caching -----------------------------------------------------------------------------------

    @Test
    void theETagChangesWithNewIncidentsAndAnswers304Otherwise() throws Exception {
        TileAddress t = tileAt(16, 451000, 514700);
        String auth = "Bearer " + analyst;
        var first = fetch(path("incidents", t, null), "Authorization", auth);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals("private, no-cache", first.headers().firstValue("Cache-Control").orElse(""));
        int before = decode(first, t).size();
        var again = fetch(path("incidents", t, null), "Authorization", auth, "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        // another caller, other parameters and another tile have other tags
        assertNotEquals(etag, fetch(path("incidents", t, null), "Authorization", "Bearer " + viewer).headers().firstValue("ETag").orElseThrow());
        assertNotEquals(etag, fetch(path("incidents", t, "category=asb-noise"), "Authorization", auth).headers().firstValue("ETag").orElseThrow());
        assertNotEquals(etag, fetch(path("incidents", new TileAddress(t.z(), t.x() + 1, t.y()), null), "Authorization", auth)
                .headers().firstValue("ETag").orElseThrow());

        // an import of one incident in the tile: a cache holding the old tile must not be answered 304
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', '2025-06-01 12:00+01', 'day', ST_Transform(ST_Centroid(ST_TileEnvelope(%d, %d, %d)), 27700),
                           'exact', 'new-one'""".formatted(t.z(), t.x(), t.y()));
        }
        var after = fetch(path("incidents", t, null), "Authorization", auth, "If-None-Match", etag);
        assertEquals(200, after.statusCode());
        assertNotEquals(etag, after.headers().firstValue("ETag").orElseThrow());
        assertEquals(before + 1, decode(after, t).size());
    }

    // ---- bad input ---------------------------------------------------------------------------------

    @Test
    void badTilesAreProblemsNever500() throws Exception {
        Map<String, Integer> cases = new HashMap<>();
        cases.put("/tiles/nope/1/0/0.mvt", 404);
        cases.put("/tiles/wards/23/0/0.mvt", 404);
        cases.put("/tiles/wards/2/4/0.mvt", 404);
        cases.put("/tiles/wards/2/0/4.mvt", 404);
        cases.put("/tiles/wards/a/0/0.mvt", 400);
        cases.put("/tiles/wards/-1/0/0.mvt", 400);
        cases.put("/tiles/wards/99999999999/0/0.mvt", 400);
        cases.put("/tiles/wards/1/0/0.5.mvt", 400);
        cases.put("/tiles/wards/10/0/0.mvt?version=nope", 404);
        cases.put("/tiles/nope.json", 404);
        cases.put("/tiles/wards", 404);
        for (var e : cases.entrySet()) {
            var r = server.get(e.getKey());
            assertEquals(e.getValue(), r.statusCode(), e.getKey() + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), e.getKey());
        }
        assertEquals(401, server.get("/tiles/incidents/14/0/0.mvt").statusCode());
        assertEquals(401, server.get("/tiles/hotspots.json").statusCode());
        String auth = "Bearer " + analyst;
        for (String q : List.of("from=yesterday", "from=2025-02-01&to=2025-01-01", "category=nope", "source=nope", "area=ward:XX", "cell=7")) {
            var r = server.get("/tiles/hotspots/12/2000/1000.mvt?" + q, "Authorization", auth);
            assertEquals(400, r.statusCode(), q + ": " + r.body());
            assertTrue(r.body().contains("\"field\""), r.body());
        }
    }

    // ---- TileJSON ----------------------------------------------------------------------------------

    @Test
    void tileJsonDescribesEachLayer() throws Exception {
        JsonNode wards = TestServer.json(server.get("/tiles/wards.json"));
        assertEquals("3.0.0", wards.get("tilejson").asText());
        assertEquals(server.url("/tiles/wards/{z}/{x}/{y}.mvt"), wards.at("/tiles/0").asText());
        assertEquals(0, wards.get("minzoom").asInt());
        assertEquals(22, wards.get("maxzoom").asInt());
        assertEquals(4, wards.get("bounds").size());
        assertEquals(-1.260, wards.at("/bounds/0").asDouble(), 0.01, wards.toString()); // the wards' extent, WGS84
        assertEquals(54.546, wards.at("/bounds/3").asDouble(), 0.01, wards.toString());
        assertEquals("wards", wards.at("/vector_layers/0/id").asText());
        assertEquals("String", wards.at("/vector_layers/0/fields/code").asText());
        JsonNode incidents = TestServer.json(server.get("/tiles/incidents.json?from=2025-01-01&category=asb-noise",
                "Authorization", "Bearer " + analyst));
        assertEquals(server.url("/tiles/incidents/{z}/{x}/{y}.mvt?from=2025-01-01&category=asb-noise"), incidents.at("/tiles/0").asText());
        assertEquals("Number", incidents.at("/vector_layers/0/fields/count").asText());
        assertEquals(400, server.get("/tiles/incidents.json?category=nope", "Authorization", "Bearer " + analyst).statusCode());
    }
}
