package aim.web;

import aim.DemoLoader;
import aim.testing.Fresh;
import aim.testing.SharedData;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.geojson.GeoJsonReader;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The boundary API over HTTP against the started app and PostGIS, loaded with the demo borough. */
@Tag("postgis")
class BoundaryApiTest {
    @Fresh static TestServer server;
    static int demoWards;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        demoWards = json(server.get("/api/boundaries?level=ward")).path("features").size();
    }

    @Test
    void theMapConfigurationNamesTheCouncil() throws Exception {
        var response = server.get("/api/config");
        assertEquals(200, response.statusCode());
        JsonNode config = TestServer.json(response);
        assertEquals("Demo borough", config.path("council").path("name").asText(), response.body());
        assertTrue(config.path("tiles").has("maxZoom"), response.body());
    }

    @Test
    void healthReportsDatabaseAndPostgisVersionsToAdmins() throws Exception {
        var response = server.get("/api/health", "Authorization", "Bearer " + server.adminToken);
        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertTrue(body.path("migration").asInt() > 0, body.toString());
        assertTrue(body.path("database").asText().startsWith("PostgreSQL 1"), body.toString());
        assertTrue(body.path("postgis").asText().contains("POSTGIS=\"3"), body.toString());
    }

    @Test
    void wardsAreGeoJsonInWgs84WithPopulationAreaAndDemoLabel() throws Exception {
        var response = server.get("/api/boundaries?level=ward");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/geo+json"));
        JsonNode body = json(response);
        assertEquals("FeatureCollection", body.path("type").asText());
        assertTrue(body.path("meta").path("demo").asBoolean());
        assertTrue(body.path("meta").path("attribution").asText().toLowerCase().contains("demo"));
        assertTrue(demoWards >= 15 && demoWards <= 25, "about 20 demo wards, got " + demoWards);
        long total = 0;
        for (JsonNode f : body.path("features")) {
            JsonNode p = f.path("properties");
            assertEquals("ward", p.path("level").asText());
            assertEquals("demo", p.path("version").asText());
            assertTrue(p.path("population").asInt() > 1000, p.toString());
            assertTrue(p.path("area_km2").asDouble() > 0.1, p.toString());
            total += p.path("population").asLong();
            // WGS84 longitude/latitude near Middlesbrough
            JsonNode first = f.path("geometry").path("coordinates").get(0).get(0).get(0);
            assertTrue(first.get(0).asDouble() > -1.4 && first.get(0).asDouble() < -1.0, first.toString());
            assertTrue(first.get(1).asDouble() > 54.4 && first.get(1).asDouble() < 54.7, first.toString());
        }
        // neighbourhood populations are the sums of their wards
        long neighbourhoods = 0;
        JsonNode n = json(server.get("/api/boundaries?level=neighbourhood"));
        assertEquals(4, n.path("features").size());
        for (JsonNode f : n.path("features")) neighbourhoods += f.path("properties").path("population").asLong();
        assertEquals(total, neighbourhoods);
    }

    @Test
    void etagAnswersNotModifiedAndSimplifiedWardsStillShareTheirEdges() throws Exception {
        var first = server.get("/api/boundaries?level=ward&simplify=60");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(first.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
        assertEquals(304, server.get("/api/boundaries?level=ward&simplify=60", "If-None-Match", etag).statusCode());
        assertEquals(50, json(first).path("meta").path("simplify").asInt(), "rounded down to the 1-2-5 ladder");

        JsonNode full = json(server.get("/api/boundaries?level=ward"));
        JsonNode simple = json(first);
        assertTrue(vertices(simple) < vertices(full), "simplification removes vertices");
        // shared edges stay shared: the simplified wards still form a clean coverage
        GeoJsonReader reader = new GeoJsonReader();
        List<Geometry> wards = new ArrayList<>();
        for (JsonNode f : simple.path("features")) wards.add(reader.read(f.path("geometry").toString()));
        assertTrue(CoverageValidator.isValid(wards.toArray(Geometry[]::new)), "no gaps or overlaps after simplifying");
    }

    @Test
    void oneAreaByCodeWithItsNeighbourhood() throws Exception {
        JsonNode any = json(server.get("/api/boundaries?level=ward")).path("features").get(0).path("properties");
        var response = server.get("/api/boundaries/ward/" + any.path("code").asText());
        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertEquals(any.path("name").asText(), body.path("properties").path("name").asText());
        List<String> in = new ArrayList<>();
        body.path("neighbourhoods").forEach(v -> in.add(v.asText()));
        assertEquals(1, in.stream().filter(v -> v.startsWith("demo:DEMO-N-")).count(), in.toString());
    }

    @Test
    void versionsListEverySetWithTheCurrentOneMarked() throws Exception {
        JsonNode versions = json(server.get("/api/boundaries/versions"));
        Set<String> levels = new HashSet<>();
        for (JsonNode v : versions) {
            levels.add(v.path("level").asText());
            assertTrue(v.has("validFrom") && v.has("validTo") && v.has("featureCount") && v.has("current"));
        }
        assertEquals(Set.of("ward", "neighbourhood", "zone"), levels);
    }

    @Test
    void badRequestsGetProblemsNamingTheField() throws Exception {
        assertProblem(server.get("/api/boundaries?level=county"), 400, "level");
        assertProblem(server.get("/api/boundaries?level=ward&version=nope"), 404, "version");
        assertProblem(server.get("/api/boundaries?level=ward&simplify=-3"), 400, "simplify");
        assertProblem(server.get("/api/boundaries?level=ward&simplify=lots"), 400, "simplify");
        assertProblem(server.get("/api/boundaries/ward/E99999999"), 404, "code");
        assertProblem(server.get("/api/boundaries/parish/X"), 400, "level");
        var unknownRoute = server.get("/api/nothing-here");
        assertEquals(404, unknownRoute.statusCode());
        assertTrue(unknownRoute.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @Test
    void adminImportNeedsTheTokenAndReportsProblems(@TempDir Path dir) throws Exception {
        Path file = SharedData.path("geo-data/ons-wards-2013/E06000001.json");
        var noToken = server.send("POST", "/api/boundaries/import?level=zone&version=hpool", HttpRequest.BodyPublishers.ofFile(file));
        assertProblem(noToken, 401, "Authorization");
        assertProblem(server.postFile("/api/boundaries/import?level=zone&version=hpool", file, "application/geo+json", "wrong-token-wrong-token"), 401, "Authorization");
        String analyst = server.userToken("boundary-analyst", aim.accounts.Role.ANALYST);
        assertProblem(server.postFile("/api/boundaries/import?level=zone&version=hpool", file, "application/geo+json", analyst), 403, "role");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"type\":\"FeatureCollection\",\"features\":[{]}");
        var malformed = server.postFile("/api/boundaries/import?level=zone&version=broken", broken, "application/geo+json", server.adminToken);
        assertProblem(malformed, 422, "file");
        assertProblem(server.get("/api/boundaries?level=zone&version=broken"), 404, "version");

        var ok = server.postFile("/api/boundaries/import?level=zone&version=hpool&valid-from=2020-01-01", file, "application/geo+json", server.adminToken);
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(json(ok).path("read").asInt(), json(ok).path("imported").asInt());
        assertProblem(server.postFile("/api/boundaries/import?level=zone&version=hpool", file, "application/geo+json", server.adminToken), 409, "version");
        assertProblem(server.postFile("/api/boundaries/import?level=zone&valid-from=yesterday", file, "application/geo+json", server.adminToken), 400, "valid-from");
    }

    @Test
    void neighbourhoodsDefinedByApiWithUnknownWardsRejectedWhole() throws Exception {
        JsonNode wards = json(server.get("/api/boundaries?level=ward")).path("features");
        String a = wards.get(0).path("properties").path("code").asText();
        String b = wards.get(1).path("properties").path("code").asText();
        String bad = """
                {"wardVersion":"demo","neighbourhoods":[{"code":"N1","name":"One","wards":["%s","NOT-A-WARD"]}]}""".formatted(a);
        var rejected = server.send("PUT", "/api/boundaries/neighbourhoods/trial", HttpRequest.BodyPublishers.ofString(bad),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken);
        assertProblem(rejected, 422, "neighbourhoods");
        assertTrue(rejected.body().contains("NOT-A-WARD"));

        String good = """
                {"wardVersion":"demo","validFrom":"2020-01-01","neighbourhoods":[{"code":"N1","name":"One","wards":["%s","%s"]}]}""".formatted(a, b);
        var created = server.send("PUT", "/api/boundaries/neighbourhoods/trial", HttpRequest.BodyPublishers.ofString(good),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode one = json(server.get("/api/boundaries/neighbourhood/N1?version=trial"));
        assertEquals(List.of(a, b).stream().sorted().toList(), List.of(one.path("wards").get(0).asText(), one.path("wards").get(1).asText()));
        double area = one.path("properties").path("area_km2").asDouble();
        double sum = wards.get(0).path("properties").path("area_km2").asDouble() + wards.get(1).path("properties").path("area_km2").asDouble();
        assertEquals(sum, area, 0.01, "the neighbourhood is the union of its wards");

        var typo = server.send("PUT", "/api/boundaries/neighbourhoods/trial2", HttpRequest.BodyPublishers.ofString("{\"neighbourhods\":[]}"),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken);
        assertProblem(typo, 400, "neighbourhods");
    }

    @Test
    void openApiDescribesEveryRoute() throws Exception {
        JsonNode spec = json(server.get("/api/openapi.json"));
        assertEquals("3.0.3", spec.path("openapi").asText());
        var routes = server.app.unsafeConfig().pvt.internalRouter.allHttpHandlers();
        assertFalse(routes.isEmpty());
        for (var route : routes) {
            String path = route.getEndpoint().getPath();
            String method = route.getEndpoint().getMethod().name().toLowerCase();
            if (!path.startsWith("/api") || path.equals("/api/docs")) continue; // the reference page itself (ApiResponsesTest)
            assertNotNull(spec.path("paths").get(path), "OpenAPI lacks path " + path);
            assertTrue(spec.path("paths").path(path).has(method), "OpenAPI lacks " + method + " " + path);
        }
    }

    static void assertProblem(HttpResponse<String> response, int status, String field) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response.headers().toString());
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertEquals(status, body.path("status").asInt());
        assertEquals(field, body.path("field").asText(), response.body());
        assertFalse(body.path("detail").asText().isBlank());
    }

    private static int vertices(JsonNode collection) {
        return collection.toString().split("\\],\\[").length;
    }
}
