package aim.hotspots;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hotspot endpoints over HTTP on the demo borough with seeded incidents over 2025: 150 uniform
 * background points a month, a persistent cluster (30 points every month in cell P) and a new one
 * (50 points in December only, in cell Q).
 */
@Tag("postgis")
class HotspotApiTest {
    static final String AREA = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
            + " WHERE s.level = 'ward' AND s.version = 'demo')";
    @Fresh static TestServer server;
    static String viewer;
    static int[] persistent, fresh;
    static long total;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        viewer = server.userToken("vera", Role.VIEWER);
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT g.i, g.j FROM ST_SquareGrid(250, " + AREA + ") g"
                    + " WHERE ST_ContainsProperly(ST_Buffer(" + AREA + ", -1500), g.geom) ORDER BY g.i, g.j");
            List<int[]> inner = new java.util.ArrayList<>();
            while (rs.next()) inner.add(new int[]{rs.getInt(1), rs.getInt(2)});
            persistent = inner.get(0);
            fresh = inner.get(inner.size() - 1);
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', make_timestamptz(2025, m, 1 + d.path[1] %% 27, 12, 0, 0, 'UTC'), 'day', d.geom, 'exact',
                           'bg-' || m || '-' || d.path[1]
                    FROM generate_series(1, 12) m, ST_Dump(ST_GeneratePoints(%s, 150, m)) d""".formatted(AREA));
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'warden', 'fly-tipping', make_timestamptz(2025, m, 1 + d.path[1] %% 27, 12, 0, 0, 'UTC'), 'minute', d.geom, 'gps',
                           'p-' || m || '-' || d.path[1]
                    FROM generate_series(1, 12) m,
                         ST_Dump(ST_GeneratePoints(ST_SetSRID(ST_Square(250, %d, %d), 27700), 30, 100 + m)) d""".formatted(persistent[0], persistent[1]));
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'warden', 'fly-tipping', timestamptz '2025-12-10 12:00+00', 'minute', d.geom, 'gps', 'q-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(ST_SetSRID(ST_Square(250, %d, %d), 27700), 50, 7)) d""".formatted(fresh[0], fresh[1]));
            // a council report at 00:30 on 1 July, British Summer Time (23:30 UTC on 30 June), and a
            // month-precise police row for March: slices follow local calendar periods
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'env-graffiti', timestamptz '2025-06-30 23:30+00', 'minute', ST_PointOnSurface(%1$s), 'exact', 'bst'
                    UNION ALL
                    SELECT 'police', 'burglary', timestamptz '2025-03-01 00:00+00', 'month', ST_PointOnSurface(%1$s), 'snapped', 'month'
                    """.formatted(AREA));
            var count = st.executeQuery("SELECT count(*) FROM incident");
            count.next();
            total = count.getLong(1);
        }
    }

    private JsonNode get(String query) throws Exception {
        var response = server.get(query, "Authorization", "Bearer " + viewer);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private void bad(String query, String field) throws Exception {
        var response = server.get(query, "Authorization", "Bearer " + viewer);
        assertEquals(400, response.statusCode(), query + " → " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(field, json(response).path("field").asText(), query + " → " + response.body());
    }

    private static JsonNode cell(JsonNode collection, int[] ij) {
        for (JsonNode f : collection.path("features")) {
            JsonNode p = f.path("properties");
            if (p.path("i").asInt() == ij[0] && p.path("j").asInt() == ij[1]) return f;
        }
        return null;
    }

    private static long independentCellCount(String function, int size) throws Exception {
        // cells whose intersection with the borough has an area: the study area's cells, computed another way
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM (SELECT " + AREA + " AS geom) a, " + function + "(" + size
                     + ", a.geom) g WHERE ST_Area(ST_Intersection(g.geom, a.geom)) > 0")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void signInIsRequired() throws Exception {
        for (String path : List.of("/api/hotspots", "/api/hotspots/emerging", "/api/hotspots/accuracy?from=2025-01-01&to=2025-06-30")) {
            var response = server.get(path);
            assertEquals(401, response.statusCode(), path);
        }
    }

    @Test
    void gridCountsAreGeoJsonCellsWithMeta() throws Exception {
        var response = server.get("/api/hotspots?method=grid", "Authorization", "Bearer " + viewer);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/geo+json"));
        JsonNode fc = json(response);
        assertEquals("FeatureCollection", fc.path("type").asText());
        long sum = 0;
        Set<String> seen = new HashSet<>();
        for (JsonNode f : fc.path("features")) {
            assertEquals("Feature", f.path("type").asText());
            assertEquals("Polygon", f.path("geometry").path("type").asText());
            JsonNode ring = f.path("geometry").path("coordinates").get(0);
            assertEquals(5, ring.size());
            double lon = ring.get(0).get(0).asDouble(), lat = ring.get(0).get(1).asDouble();
            assertTrue(lon > -1.4 && lon < -1.0 && lat > 54.4 && lat < 54.7, "WGS84 " + lon + "," + lat);
            JsonNode p = f.path("properties");
            assertTrue(p.has("i") && p.has("j"));
            assertTrue(p.path("count").asLong() > 0, "by default only cells with incidents");
            assertTrue(seen.add(p.path("i").asInt() + "," + p.path("j").asInt()), "each cell once");
            sum += p.path("count").asLong();
        }
        JsonNode meta = fc.path("meta");
        assertEquals(total, sum);
        assertEquals(total, meta.path("incidents").asLong());
        assertEquals("grid", meta.path("method").asText());
        assertEquals("square", meta.path("grid").asText());
        assertEquals(250, meta.path("cell").asDouble());
        assertEquals(independentCellCount("ST_SquareGrid", 250), meta.path("n_cells").asLong());
        assertEquals((double) total / meta.path("n_cells").asLong(), meta.path("mean").asDouble(), 1e-9);
        assertTrue(meta.path("std_dev").asDouble() > 0);
        assertEquals("borough (demo wards)", meta.path("area").asText());
        assertEquals(fc.path("features").size(), meta.path("returned").asInt());
        // the persistent cell holds its 360 points plus whatever background fell in it
        assertTrue(cell(fc, persistent).path("properties").path("count").asLong() >= 360);
    }

    @Test
    void allReturnsEveryCellOfTheStudyAreaIncludingEmptyOnes() throws Exception {
        JsonNode fc = get("/api/hotspots?method=grid&all=true&cell=500");
        long expected = independentCellCount("ST_SquareGrid", 500);
        assertEquals(expected, fc.path("features").size());
        assertEquals(expected, fc.path("meta").path("n_cells").asLong());
        long zeros = 0, sum = 0;
        for (JsonNode f : fc.path("features")) {
            long n = f.path("properties").path("count").asLong();
            if (n == 0) zeros++;
            sum += n;
        }
        assertTrue(zeros > 0, "zero cells included");
        assertEquals(total, sum);
        // a category filter: only fly-tipping (the two clusters)
        JsonNode fly = get("/api/hotspots?method=grid&category=fly-tipping&source=warden");
        assertEquals(12 * 30 + 50, fly.path("meta").path("incidents").asLong());
        assertEquals(2, fly.path("features").size());
        assertEquals("fly-tipping", fly.path("meta").path("categories").get(0).asText());
    }

    @Test
    void hexagonCounts() throws Exception {
        JsonNode fc = get("/api/hotspots?method=hex&cell=200&all=true");
        assertEquals("hex", fc.path("meta").path("grid").asText());
        assertEquals(independentCellCount("ST_HexagonGrid", 200), fc.path("features").size());
        long sum = 0;
        for (JsonNode f : fc.path("features")) {
            assertEquals(7, f.path("geometry").path("coordinates").get(0).size());
            sum += f.path("properties").path("count").asLong();
        }
        assertEquals(total, sum);
    }

    @Test
    void giStarCellsCarryZPAndBinWithTheCriticalValues() throws Exception {
        JsonNode fc = get("/api/hotspots?method=gistar");
        JsonNode meta = fc.path("meta");
        assertEquals("gistar", meta.path("method").asText());
        assertEquals(375, meta.path("band").asDouble(), "default band 1.5 × cell");
        assertTrue(meta.path("fdr").asBoolean());
        for (String level : List.of("0.10", "0.05", "0.01")) assertTrue(meta.path("critical_p").has(level), level);
        assertTrue(meta.path("critical_p").path("0.01").asDouble() <= 0.01);
        JsonNode p = cell(fc, persistent).path("properties");
        assertEquals(3, p.path("bin").asInt());
        assertTrue(p.path("z").asDouble() > 3 && p.path("p").asDouble() < 0.001);
        for (JsonNode f : fc.path("features")) {
            JsonNode q = f.path("properties");
            assertTrue(q.path("count").asLong() > 0 || q.path("bin").asInt() != 0);
            assertTrue(q.path("bin").asInt() >= -3 && q.path("bin").asInt() <= 3);
        }
        JsonNode raw = get("/api/hotspots?method=gistar&fdr=false&band=500&all=true").path("meta");
        assertEquals(0.10, raw.path("critical_p").path("0.10").asDouble());
        assertEquals(0.01, raw.path("critical_p").path("0.01").asDouble());
        assertEquals(500, raw.path("band").asDouble());
        assertEquals(raw.path("n_cells").asInt(), raw.path("returned").asInt());
    }

    @Test
    void kernelDensityCellsAndBands() throws Exception {
        JsonNode fc = get("/api/hotspots?method=kde&cell=100&all=true");
        JsonNode meta = fc.path("meta");
        double h = meta.path("bandwidth").asDouble();
        assertTrue(h >= 200 && h <= 2000, "bandwidth " + h);
        int n = meta.path("n_cells").asInt(), hot = 0;
        for (JsonNode f : fc.path("features")) {
            assertTrue(f.path("properties").has("density"));
            if (f.path("properties").path("hotspot").asBoolean()) hot++;
        }
        assertEquals((int) Math.ceil(n * 0.05), hot, "the top 5% of the study area's cells");
        assertEquals(hot, meta.path("hotspot_cells").asInt());
        assertTrue(cell(get("/api/hotspots?method=kde&cell=250&bandwidth=300"), persistent).path("properties").path("hotspot").asBoolean());

        JsonNode bands = get("/api/hotspots?method=kde&output=bands&top=2");
        boolean hotBand = false;
        Set<Integer> classes = new HashSet<>();
        for (JsonNode f : bands.path("features")) {
            String type = f.path("geometry").path("type").asText();
            assertTrue(type.equals("Polygon") || type.equals("MultiPolygon"), type);
            JsonNode p = f.path("properties");
            classes.add(p.path("class").asInt());
            hotBand |= p.path("hotspot").asBoolean();
            assertTrue(p.path("min_density").asDouble() <= p.path("max_density").asDouble());
        }
        assertTrue(hotBand);
        assertEquals(Set.of(1, 2, 3, 4, 5), classes);
        assertEquals("bands", bands.path("meta").path("output").asText());
        assertEquals(4, bands.path("meta").path("class_breaks").size());
    }

    @Test
    void emergingHotspots() throws Exception {
        JsonNode fc = get("/api/hotspots/emerging?interval=month&from=2025-01-01&to=2025-12-31");
        JsonNode meta = fc.path("meta");
        assertEquals(12, meta.path("slices").size());
        assertEquals("2025-12", meta.path("slices").get(11).path("label").asText());
        JsonNode q = cell(fc, fresh).path("properties");
        assertEquals("new hot spot", q.path("pattern").asText());
        assertEquals(12, q.path("slices").size());
        assertEquals(3, q.path("slices").get(11).asInt());
        assertTrue(q.path("trend").has("z") && q.path("trend").has("p"));
        assertTrue(q.path("counts").get(11).asLong() >= 50);
        assertTrue(q.path("counts").get(10).asLong() < 10, "before December only background");
        JsonNode p = cell(fc, persistent).path("properties");
        assertTrue(Set.of("persistent hot spot", "intensifying hot spot", "diminishing hot spot").contains(p.path("pattern").asText()),
                p.toString());
        for (JsonNode b : p.path("slices")) assertTrue(b.asInt() >= 1);
        for (JsonNode f : fc.path("features")) assertFalse(f.path("properties").path("pattern").asText().equals("no pattern detected"));
        assertTrue(meta.path("patterns").path("new hot spot").asInt() >= 1);
        long sliced = 0;
        for (JsonNode slice : meta.path("slices")) sliced += slice.path("incidents").asLong();
        assertEquals(total, sliced, "every incident of 2025 in one slice");
        JsonNode edges = get("/api/hotspots/emerging?from=2025-01-01&to=2025-12-31&category=env-graffiti,burglary&cell=2000")
                .path("meta").path("slices");
        assertEquals(1, edges.get(2).path("incidents").asLong(), "the police row of March");
        assertEquals(0, edges.get(5).path("incidents").asLong(), "00:30 BST on 1 July is not June");
        assertEquals(1, edges.get(6).path("incidents").asLong(), "00:30 BST on 1 July is July");
        // every cell with all=true
        JsonNode all = get("/api/hotspots/emerging?from=2025-01-01&to=2025-12-31&all=true&cell=500");
        assertEquals(all.path("meta").path("n_cells").asInt(), all.path("features").size());
    }

    @Test
    void accuracyOfAMethodAndTheBaseline() throws Exception {
        JsonNode r = get("/api/hotspots/accuracy?method=kde&from=2025-01-01&to=2025-06-30&share=3");
        assertEquals("kde", r.path("method").asText());
        assertEquals("grid", r.path("baseline").path("method").asText());
        assertEquals("2025-07-01", r.path("test").path("from").asText());
        assertEquals("2025-12-31", r.path("test").path("to").asText());
        for (JsonNode figures : List.of(r, r.path("baseline"))) {
            for (String key : List.of("a", "A", "n", "N", "hitRate", "pai")) assertTrue(figures.has(key), key);
            assertEquals(figures.path("n").asDouble() / figures.path("N").asDouble(), figures.path("hitRate").asDouble(), 1e-12);
            assertEquals(figures.path("hitRate").asDouble() / (figures.path("a").asDouble() / figures.path("A").asDouble()),
                    figures.path("pai").asDouble(), 1e-9);
            assertTrue(figures.path("pai").asDouble() > 1, figures.toString());
        }
        // N: every test-period incident (6 months × 150 background + 6 × 30 persistent + 50 new + 1 July report)
        assertEquals(6 * 150 + 6 * 30 + 50 + 1, r.path("N").asLong());
        JsonNode given = get("/api/hotspots/accuracy?method=gistar&from=2025-01-01&to=2025-03-31&test_from=2025-10-01&test_to=2025-12-31");
        assertEquals("2025-10-01", given.path("test").path("from").asText());
        assertEquals(375, given.path("band").asDouble());
    }

    @Test
    void badParametersAre400ProblemsNamingTheField() throws Exception {
        bad("/api/hotspots?method=voronoi", "method");
        bad("/api/hotspots?cell=10", "cell");
        bad("/api/hotspots?cell=5000", "cell");
        bad("/api/hotspots?cell=abc", "cell");
        bad("/api/hotspots?method=gistar&band=100", "band");
        bad("/api/hotspots?method=gistar&cell=100&band=2001", "band");
        bad("/api/hotspots?method=kde&bandwidth=-3", "bandwidth");
        bad("/api/hotspots?from=2025-06-01&to=2025-01-01", "to");
        bad("/api/hotspots?from=yesterday", "from");
        bad("/api/hotspots?method=gistar&output=bands", "output");
        bad("/api/hotspots?output=contours", "output");
        bad("/api/hotspots?fdr=maybe", "fdr");
        bad("/api/hotspots?all=1", "all");
        bad("/api/hotspots?method=kde&top=0", "top");
        bad("/api/hotspots?method=hex&grid=square", "grid");
        bad("/api/hotspots?category=arson", "category");
        bad("/api/hotspots?area=ward:NOPE", "area");
        bad("/api/hotspots/emerging?from=2025-01-01&to=2025-06-30", "from");
        bad("/api/hotspots/emerging?interval=quarter&from=2024-04-01&to=2025-12-31", "from");
        bad("/api/hotspots/emerging?interval=week", "interval");
        bad("/api/hotspots/accuracy?method=gistar", "from");
        bad("/api/hotspots/accuracy?from=2025-01-01&to=2025-06-30&share=80", "share");
        bad("/api/hotspots/accuracy?from=2025-01-01&to=2025-06-30&test_from=2025-03-01", "test_from");
        bad("/api/hotspots/accuracy?from=2025-01-01&to=2025-06-30&test_from=2025-09-01&test_to=2025-08-01", "test_to");
    }

    @Test
    void aBoxLimitsTheCountsToTheWholeCellsMeetingIt() throws Exception {
        // the south-west quarter of the borough's WGS84 extent
        double[] box;
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform("
                     + AREA + ", 4326)) AS e) x")) {
            rs.next();
            box = new double[]{rs.getDouble(1), rs.getDouble(2), (rs.getDouble(1) + rs.getDouble(3)) / 2, (rs.getDouble(2) + rs.getDouble(4)) / 2};
        }
        String bbox = box[0] + "," + box[1] + "," + box[2] + "," + box[3];
        JsonNode borough = get("/api/hotspots?method=grid&all=true");
        JsonNode view = get("/api/hotspots?method=grid&all=true&bbox=" + bbox);
        java.util.Map<String, Long> whole = new java.util.HashMap<>();
        for (JsonNode f : borough.path("features")) {
            whole.put(f.path("properties").path("i").asInt() + "," + f.path("properties").path("j").asInt(), f.path("properties").path("count").asLong());
        }
        Set<String> returned = new HashSet<>();
        long sum = 0;
        for (JsonNode f : view.path("features")) {
            String key = f.path("properties").path("i").asInt() + "," + f.path("properties").path("j").asInt();
            returned.add(key);
            // every cell is counted whole: as in the unlimited answer
            assertEquals(whole.get(key), f.path("properties").path("count").asLong(), "cell " + key);
            sum += f.path("properties").path("count").asLong();
        }
        assertEquals(sum, view.path("meta").path("incidents").asLong());
        assertTrue(view.path("meta").path("n_cells").asInt() < borough.path("meta").path("n_cells").asInt() / 2);
        assertEquals(box[0], view.path("meta").path("bbox").get(0).asDouble());
        // every cell of the study area that meets the box is there (computed independently)
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT g.i, g.j FROM (SELECT " + AREA + " AS geom) a, ST_SquareGrid(250, a.geom) g"
                     + " WHERE ST_Area(ST_Intersection(g.geom, a.geom)) > 0 AND ST_Intersects(g.geom, ST_Transform(ST_MakeEnvelope("
                     + bbox + ", 4326), 27700))")) {
            int n = 0;
            while (rs.next()) {
                assertTrue(returned.contains(rs.getInt(1) + "," + rs.getInt(2)), "cell " + rs.getInt(1) + "," + rs.getInt(2));
                n++;
            }
            assertTrue(n > 10);
        }
        // a small box inside the persistent cell: that cell alone, with its whole count
        JsonNode centre;
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_Centroid(ST_SetSRID(ST_Square(250, "
                     + persistent[0] + ", " + persistent[1] + "), 27700)), 4326) AS p) x")) {
            rs.next();
            JsonNode one = get("/api/hotspots?method=grid&bbox=" + (rs.getDouble(1) - 1e-4) + "," + (rs.getDouble(2) - 1e-4) + ","
                    + (rs.getDouble(1) + 1e-4) + "," + (rs.getDouble(2) + 1e-4));
            assertEquals(1, one.path("features").size(), one.toString());
            assertEquals(whole.get(persistent[0] + "," + persistent[1]), one.path("meta").path("incidents").asLong());
        }
        // a box far from the borough: no cells, no incidents; Gi* over it is empty too, never a 500
        JsonNode away = get("/api/hotspots?method=grid&bbox=0,0,1,1");
        assertEquals(0, away.path("features").size());
        assertEquals(0, away.path("meta").path("incidents").asLong());
        assertEquals(0, get("/api/hotspots?method=gistar&bbox=0,0,1,1").path("features").size());
        bad("/api/hotspots?method=grid&bbox=1,2,3", "bbox");
        bad("/api/hotspots?method=grid&bbox=2,0,1,1", "bbox");
        bad("/api/hotspots?method=grid&bbox=a,b,c,d", "bbox");
    }

    @Test
    void aNeighbourhoodIsAStudyAreaToo() throws Exception {
        JsonNode all = get("/api/hotspots?method=grid&all=true&area=neighbourhood:DEMO-N-NORTH&version=demo");
        JsonNode borough = get("/api/hotspots?method=grid&all=true");
        assertTrue(all.path("meta").path("n_cells").asInt() < borough.path("meta").path("n_cells").asInt());
        assertEquals("neighbourhood DEMO-N-NORTH", all.path("meta").path("area").asText());
    }
}
