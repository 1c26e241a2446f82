package aim.assets;

import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.PopulationImporter;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static aim.assets.AssetFixtures.get;
import static aim.assets.AssetFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage, gaps and overlaps on a crafted borough: two 2 km square wards side by side (EPSG:27700
 * 450000–452000 and 452000–454000 × 515000–517000) with 4,000 and 2,000 residents, a library and a GP in
 * the west, two youth clubs 300 m apart in the east, one hotspot planted in the west far from any youth
 * provision and one beside the youth clubs. Expected figures come from PostGIS computed independently.
 */
@Tag("postgis")
class AssetCoverageGapsTest {
    @Fresh static TestServer server;
    static String viewer;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path wards = dir.resolve("test-wards.json");
        Files.writeString(wards, """
                {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
                 "features": [
                  {"type": "Feature", "properties": {"code": "T01", "name": "West Test"}, "geometry": {"type": "Polygon",
                   "coordinates": [[[450000, 515000], [452000, 515000], [452000, 517000], [450000, 517000], [450000, 515000]]]}},
                  {"type": "Feature", "properties": {"code": "T02", "name": "East Test"}, "geometry": {"type": "Polygon",
                   "coordinates": [[[452000, 515000], [454000, 515000], [454000, 517000], [452000, 517000], [452000, 515000]]]}}]}""");
        new BoundaryImporter(server.dataSource).importFile(wards, new BoundaryImportOptions(BoundaryLevel.WARD, "test",
                LocalDate.of(2024, 1, 1), null, "code", "name", null, false, false, null));
        new PopulationImporter(server.dataSource, new BoundaryRepository(server.dataSource)).importCsv(
                new StringReader("code,population,year\nT01,4000,2021\nT02,2000,2021\n"), BoundaryLevel.WARD, "test", null,
                new PopulationImporter.Columns(null, null, null));
        String csv = """
                name,category,kind,easting,northing
                West Library,library,place,451000,516000
                West Surgery,gp-surgery,place,450500,515500
                East Youth Club,youth-club,place,453000,516000
                East Youth Project,youth-club,service,453300,516000
                West Champion,community-champion,people,451200,516200
                """;
        var imported = server.send("POST", "/api/assets/import?format=csv", HttpRequest.BodyPublishers.ofString(csv),
                "Content-Type", "text/csv", "Authorization", "Bearer " + server.adminToken);
        assertEquals(200, imported.statusCode(), imported.body());
        assertEquals(5, json(imported).path("imported").asInt(), imported.body());
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            // 40 ASB reports in the cell 450250–450500 × 515250–515500 (no youth provision within 800 m),
            // 40 beside the youth clubs, 40 burglaries (another category) elsewhere, and 30 cells with one report each
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-03-10 12:00+00', 'day',
                           ST_SetSRID(ST_MakePoint(450300 + (n % 7) * 20, 515300 + (n / 7) * 20), 27700), 'exact', 'west-' || n
                    FROM generate_series(0, 39) n;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-03-11 12:00+00', 'day',
                           ST_SetSRID(ST_MakePoint(453050 + (n % 7) * 20, 516050 + (n / 7) * 20), 27700), 'exact', 'east-' || n
                    FROM generate_series(0, 39) n;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'burglary', timestamptz '2025-03-12 12:00+00', 'day',
                           ST_SetSRID(ST_MakePoint(451510 + (n % 7) * 20, 516510 + (n / 7) * 20), 27700), 'exact', 'burglary-' || n
                    FROM generate_series(0, 39) n;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-03-15 12:00+00', 'day',
                           ST_SetSRID(ST_MakePoint(450125 + (n % 15) * 250 + (n / 15) * 125, 515625 + (n / 15) * 1000), 27700), 'exact', 'bg-' || n
                    FROM generate_series(0, 29) n;
                    -- for Gi*: two clusters of nuisance reports, 3 × 3 cells each (40 in the middle cell, 15 in each
                    -- of the 8 around it), centred on cells (1802, 2062) in the west and (1812, 2064) by the youth clubs
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-nuisance', timestamptz '2025-03-20 12:00+00', 'day',
                           ST_SetSRID(ST_MakePoint((ci + di + 0.2 + (k % 6) * 0.1) * 250, (cj + dj + 0.2 + (k / 6) * 0.08) * 250), 27700),
                           'exact', 'block-' || ci || '-' || di || '-' || dj || '-' || k
                    FROM (VALUES (1802, 2062), (1812, 2064)) AS centre(ci, cj), generate_series(-1, 1) di, generate_series(-1, 1) dj,
                         LATERAL generate_series(1, CASE WHEN di = 0 AND dj = 0 THEN 40 ELSE 15 END) k;
                    """);
        }
        viewer = server.userToken("vera", Role.VIEWER);
    }

    private static double sql(String query) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static JsonNode area(JsonNode coverage, String code) {
        for (JsonNode a : coverage.path("areas")) if (a.path("code").asText().equals(code)) return a;
        throw new AssertionError("no area " + code + " in " + coverage);
    }

    @Test
    void coveragePerWardCountsPerThousandAndAreaShareWithinTheDistance() throws Exception {
        var response = get(server, "/api/assets/coverage?level=ward&category=library&distance=800", viewer);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode coverage = json(response);
        assertEquals("test", coverage.path("version").asText());
        JsonNode west = area(coverage, "T01"), east = area(coverage, "T02");
        assertEquals(4000, west.path("population").asInt());
        assertEquals(1, west.path("assets").asInt());
        assertEquals(0.25, west.path("per_1000").asDouble(), 1e-9);
        assertEquals("library", west.path("by_category").get(0).path("category").asText());
        // a whole 800 m circle inside a 2 km × 2 km ward: π × 800² / 4,000,000
        assertEquals(Math.PI * 800 * 800 / 4e6, west.path("covered_share").asDouble(), 0.001);
        assertEquals(0, east.path("assets").asInt());
        assertEquals(0.0, east.path("per_1000").asDouble());
        assertEquals(0.0, east.path("covered_share").asDouble(), "the library is 1 km from the east ward");

        JsonNode all = json(get(server, "/api/assets/coverage?distance=800", viewer));
        west = area(all, "T01");
        east = area(all, "T02");
        assertEquals(2, west.path("assets").asInt(), "people are never counted");
        assertEquals(0.5, west.path("per_1000").asDouble(), 1e-9);
        assertEquals(2, east.path("assets").asInt());
        assertEquals(1.0, east.path("per_1000").asDouble(), 1e-9);
        double westShare = sql("""
                SELECT ST_Area(ST_Intersection(ST_MakeEnvelope(450000, 515000, 452000, 517000, 27700),
                       ST_Union(ST_Buffer(ST_SetSRID(ST_MakePoint(451000, 516000), 27700), 800, 256),
                                ST_Buffer(ST_SetSRID(ST_MakePoint(450500, 515500), 27700), 800, 256)))) / 4e6""");
        assertEquals(westShare, west.path("covered_share").asDouble(), 0.001);

        JsonNode youth = json(get(server, "/api/assets/coverage?category=youth-provision", viewer));
        double eastShare = sql("""
                SELECT ST_Area(ST_Intersection(ST_MakeEnvelope(452000, 515000, 454000, 517000, 27700),
                       ST_Union(ST_Buffer(ST_SetSRID(ST_MakePoint(453000, 516000), 27700), 800, 256),
                                ST_Buffer(ST_SetSRID(ST_MakePoint(453300, 516000), 27700), 800, 256)))) / 4e6""");
        assertEquals(eastShare, area(youth, "T02").path("covered_share").asDouble(), 0.001);
        assertEquals(0.0, area(youth, "T01").path("covered_share").asDouble());
        assertEquals(800, youth.path("distance_m").asDouble(), "800 m by default");
    }

    private static List<String> ids(JsonNode collection) {
        List<String> ids = new ArrayList<>();
        for (JsonNode f : collection.path("features")) ids.add(f.path("id").asText());
        return ids;
    }

    @Test
    void gapsAreHotspotsWithNoYouthProvisionWithin800Metres() throws Exception {
        String filter = "&from=2025-03-01&to=2025-03-31&incident_category=asb-noise";
        var response = get(server, "/api/assets/gaps?category=youth-provision&distance=800&method=grid" + filter, viewer);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("grid", body.path("hotspots").path("method").asText());
        assertEquals(2, body.path("hotspots").path("hot_cells").asInt(), body.toString());
        assertEquals(List.of("cell:1801:2061"), ids(body.path("gaps")), "the planted western hotspot; the eastern one has youth clubs");
        JsonNode gap = body.path("gaps").path("features").get(0).path("properties");
        assertEquals(40, gap.path("incidents").asInt());
        assertEquals(Math.hypot(453000 - 450375, 516000 - 515375), gap.path("nearest").path("distance_m").asDouble(), 0.1);
        assertEquals("East Youth Club", gap.path("nearest").path("name").asText());
        assertEquals(1, body.path("gaps").path("meta").path("covered_hot_cells").asInt());

        // Getis-Ord Gi* on the two 3 × 3 clusters: only the western one is a gap
        JsonNode gi = json(get(server, "/api/assets/gaps?category=youth-provision&method=gistar"
                + "&from=2025-03-01&to=2025-03-31&incident_category=asb-nuisance", viewer));
        assertEquals("gistar", gi.path("hotspots").path("method").asText());
        List<String> giGaps = ids(gi.path("gaps"));
        assertTrue(giGaps.contains("cell:1802:2062"), gi.toString());
        for (JsonNode f : gi.path("gaps").path("features")) {
            JsonNode p = f.path("properties");
            assertTrue(p.path("bin").asInt() >= 2);
            assertTrue(Math.abs(p.path("i").asInt() - 1802) <= 1 && Math.abs(p.path("j").asInt() - 2062) <= 1, "a gap in the western cluster: " + f);
        }
        assertTrue(gi.path("hotspots").path("hot_cells").asInt() > giGaps.size(), "the eastern cluster is hot and covered: " + gi);

        // other incident categories are not counted: the burglary cluster is no hotspot of ASB
        assertFalse(ids(body.path("gaps")).contains("cell:1806:2066"));
        JsonNode burglary = json(get(server, "/api/assets/gaps?category=youth-provision&from=2025-03-01&to=2025-03-31&incident_category=burglary", viewer));
        assertEquals(List.of("cell:1806:2066"), ids(burglary.path("gaps")));
        // the library is 884 m from the western hotspot's centre: a gap at 800 m, covered at 900 m
        JsonNode library = json(get(server, "/api/assets/gaps?category=library" + filter, viewer));
        assertEquals(List.of("cell:1801:2061", "cell:1812:2064"), ids(library.path("gaps")), library.toString());
        JsonNode wider = json(get(server, "/api/assets/gaps?category=library&distance=900" + filter, viewer));
        assertEquals(List.of("cell:1812:2064"), ids(wider.path("gaps")), wider.toString());
    }

    @Test
    void eachGapNamesItsWardFromPostgis() throws Exception {
        String filter = "&from=2025-03-01&to=2025-03-31&incident_category=asb-noise";
        JsonNode library = json(get(server, "/api/assets/gaps?category=library" + filter, viewer));
        JsonNode west = library.path("gaps").path("features").get(0), east = library.path("gaps").path("features").get(1);
        assertEquals("cell:1801:2061", west.path("id").asText());
        assertEquals("T01", west.path("properties").path("ward").path("code").asText(), west.toString());
        assertEquals("West Test", west.path("properties").path("ward").path("name").asText());
        assertEquals("cell:1812:2064", east.path("id").asText());
        assertEquals("East Test", east.path("properties").path("ward").path("name").asText(), east.toString());

        // 1,600 m cells: cell 282 spans 451,200–452,800 m, so its centre lies on the wards' shared edge at 452,000 m;
        // every gap's ward is the ward PostGIS finds covering its centre (on the edge: equal halves, the lower code)
        List<JsonNode> gaps = new ArrayList<>();
        json(get(server, "/api/assets/gaps?category=youth-provision&cell=1600" + filter, viewer)).path("gaps").path("features").forEach(gaps::add);
        // the burglaries (451,510–451,630 m east) make cell 282:322 hot; the library is 1 km from its centre
        JsonNode edge = json(get(server, "/api/assets/gaps?category=library&cell=1600&from=2025-03-01&to=2025-03-31&incident_category=burglary", viewer));
        assertEquals(List.of("cell:282:322"), ids(edge.path("gaps")), edge.toString());
        assertEquals(452000, edge.path("gaps").path("features").get(0).path("properties").path("easting").asDouble());
        edge.path("gaps").path("features").forEach(gaps::add);
        for (JsonNode f : gaps) {
            JsonNode p = f.path("properties");
            double x = p.path("easting").asDouble(), y = p.path("northing").asDouble();
            String expected;
            try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                    SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.version = 'test' AND ST_Covers(b.geom, ST_SetSRID(ST_MakePoint(?, ?), 27700))
                    ORDER BY b.code LIMIT 1""")) {
                ps.setDouble(1, x);
                ps.setDouble(2, y);
                try (var rs = ps.executeQuery()) {
                    expected = rs.next() ? rs.getString(1) : null;
                }
            }
            assertEquals(expected, p.path("ward").path("code").textValue(), f.toString());
        }
    }

    @Test
    void overlapsAreClustersOfTheSameProvisionWithin400Metres() throws Exception {
        JsonNode body = json(get(server, "/api/assets/gaps?category=youth-provision&from=2025-03-01&to=2025-03-31", viewer));
        JsonNode overlaps = body.path("overlaps");
        assertEquals(1, overlaps.path("features").size(), overlaps.toString());
        JsonNode cluster = overlaps.path("features").get(0).path("properties");
        assertEquals(2, cluster.path("count").asInt());
        assertEquals(300, cluster.path("spread_m").asDouble(), 0.01);
        List<String> members = new ArrayList<>();
        for (JsonNode m : cluster.path("members")) members.add(m.path("name").asText());
        assertEquals(List.of("East Youth Club", "East Youth Project"), members);
        assertEquals(400, overlaps.path("meta").path("eps_m").asDouble());
        JsonNode tighter = json(get(server, "/api/assets/gaps?category=youth-provision&overlap_distance=250", viewer));
        assertEquals(0, tighter.path("overlaps").path("features").size());
        JsonNode libraries = json(get(server, "/api/assets/gaps?category=library", viewer));
        assertEquals(0, libraries.path("overlaps").path("features").size());
    }
}
