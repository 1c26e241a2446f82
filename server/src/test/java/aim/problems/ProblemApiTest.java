package aim.problems;

import aim.DemoLoader;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static aim.problems.LoopFixture.count;
import static aim.problems.LoopFixture.counts;
import static aim.problems.LoopFixture.get;
import static aim.problems.LoopFixture.json;
import static aim.problems.LoopFixture.patch;
import static aim.problems.LoopFixture.post;
import static aim.problems.LoopFixture.problemBody;
import static aim.problems.LoopFixture.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Problems over HTTP on PostGIS with the demo borough: creation, places, validation, the stage workflow, history. */
@Tag("postgis")
class ProblemApiTest {
    @Fresh static TestServer server;
    static String analyst;
    static String viewer;
    static String ward;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        ward = LoopFixture.ward(server, 2);
        LoopFixture.organisation(server, "police", "Cleveland Police", "police");
    }

    static long create(String body) throws Exception {
        var r = post(server, "/api/problems", analyst, body);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).path("id").asLong();
    }

    @Test
    void aWardProblemIsCreatedReadAndListed() throws Exception {
        var r = post(server, "/api/problems", analyst, problemBody("Precinct ASB", "\"ward:" + ward + "\"", "aim",
                "\"leadOrganisation\": \"police\", \"startDate\": \"2026-09-15\", \"reviewDate\": \"2026-12-15\""));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode p = json(r);
        long id = p.path("id").asLong();
        assertEquals("/api/problems/" + id, r.headers().firstValue("Location").orElseThrow());
        assertEquals(ward, p.path("area").path("ward").asText());
        assertEquals("objective", p.path("stage").asText());
        assertEquals("police", p.path("leadOrganisation").path("code").asText());
        assertEquals("MultiPolygon", p.path("geometry").path("type").asText());
        assertEquals("2026-09-15", p.path("startDate").asText());
        assertEquals(1, p.path("revision").asInt());
        assertEquals("created", p.path("history").get(0).path("kind").asText());
        assertEquals("anna", p.path("history").get(0).path("by").path("name").asText());
        assertTrue(p.path("progress").isNull());

        // a viewer reads it, without the author's name
        JsonNode seen = json(get(server, "/api/problems/" + id, viewer));
        assertTrue(seen.path("history").get(0).path("by").path("name").isNull(), seen.toString());

        var list = get(server, "/api/problems?stage=objective&owner=aim&organisation=police", viewer);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.headers().firstValue("Content-Type").orElseThrow().startsWith("application/geo+json"));
        JsonNode features = json(list).path("features");
        boolean found = false;
        for (JsonNode f : features) {
            if (f.path("id").asLong() == id) {
                found = true;
                assertEquals("Precinct ASB", f.path("properties").path("title").asText());
                assertEquals(0, f.path("properties").path("openActions").asInt());
                assertTrue(f.path("properties").path("escalation").isNull());
            }
        }
        assertTrue(found, features.toString());
        assertEquals(0, json(get(server, "/api/problems?stage=closed", viewer)).path("features").size());
    }

    @Test
    void cellsBuildTheSquaresTheHotspotGridNumbers() throws Exception {
        long[] sq = LoopFixture.squareInside(server, 4);
        long i = sq[0] / 250;
        long j = sq[1] / 250;
        String area = "{\"cell\": 250, \"cells\": [[%d, %d], [%d, %d], [%d, %d]]}".formatted(i, j, i + 1, j, i, j);
        long id = create(problemBody("Cells", area, "aim", null));
        String geometry = scalar(server, "SELECT ST_Area(geom) || ' ' || ST_XMin(geom) || ' ' || ST_YMin(geom) || ' ' || ST_XMax(geom) "
                + "|| ' ' || ST_YMax(geom) || ' ' || ST_NumGeometries(ST_UnaryUnion(geom)) FROM problem WHERE id = " + id);
        assertEquals((2 * 250 * 250) + " " + i * 250 + " " + j * 250 + " " + (i + 2) * 250 + " " + (j + 1) * 250 + " 1", geometry);
        JsonNode p = json(get(server, "/api/problems/" + id, viewer));
        assertEquals(250, p.path("area").path("cell").asInt());
        assertEquals(2, p.path("area").path("cells").size(), "duplicates are dropped");
        assertEquals("2 grid cells of 250 m", p.path("placeLabel").asText());
    }

    @Test
    void aPolygonAndANeighbourhoodArePlaces() throws Exception {
        long[] sq = LoopFixture.squareInside(server, 5);
        String polygon = scalar(server, "SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(%d, %d, %d, %d, 27700), 4326), 7)"
                .formatted(sq[0], sq[1], sq[0] + 300, sq[1] + 300));
        long id = create(problemBody("Drawn", polygon, "aim", null));
        assertTrue(json(get(server, "/api/problems/" + id, viewer)).path("area").path("polygon").asBoolean());
        String nap = LoopFixture.neighbourhood(server);
        if (nap != null) {
            long n = create(problemBody("NAP", "\"neighbourhood:" + nap + "\"", "nap:" + nap, null));
            assertEquals("nap:" + nap, json(get(server, "/api/problems/" + n, viewer)).path("owner").asText());
        }
    }

    @Test
    void everyBadInputIsA4xxNamingTheFieldAndWritesNothing() throws Exception {
        long[] sq = LoopFixture.squareInside(server, 3);
        String outside = "{\"type\": \"Polygon\", \"coordinates\": [[[10, 50], [10.01, 50], [10.01, 50.01], [10, 50]]]}";
        String bowtie = scalar(server, "SELECT ST_AsGeoJSON(ST_Transform(ST_GeomFromText('POLYGON((%d %d, %d %d, %d %d, %d %d, %d %d))', 27700), 4326))"
                .formatted(sq[0], sq[1], sq[0] + 200, sq[1] + 200, sq[0] + 200, sq[1], sq[0], sq[1] + 200, sq[0], sq[1]));
        String w = "\"ward:" + ward + "\"";
        List<String[]> cases = List.of(
                new String[]{problemBody("X", w, "aim", null).replace("[\"anti-social-behaviour\"]", "[\"no-such-category\"]"), "categories", "422"},
                new String[]{problemBody("X", w, "aim", null).replace("[\"anti-social-behaviour\"]", "[]"), "categories", "400"},
                new String[]{problemBody("X", w, "aim", "\"leadOrganisation\": \"nobody\""), "leadOrganisation", "422"},
                new String[]{problemBody("X", w, "nap:NO-SUCH-NAP", null), "owner", "422"},
                new String[]{problemBody("X", w, "council", null), "owner", "400"},
                new String[]{problemBody("X", "\"ward:NOPE\"", "aim", null), "area", "422"},
                new String[]{problemBody("X", "\"parish:X\"", "aim", null), "area", "400"},
                new String[]{problemBody("X", outside, "aim", null), "area", "422"},
                new String[]{problemBody("X", bowtie, "aim", null), "area", "422"},
                new String[]{problemBody("X", "{\"type\": \"Polygon\", \"coordinates\": [[[1, 2]]]}", "aim", null), "area", "422"},
                new String[]{problemBody("X", "{\"type\": \"Point\", \"coordinates\": [1, 2]}", "aim", null), "area", "400"},
                new String[]{problemBody("X", "{\"cell\": 250, \"cells\": [[0, 0]]}", "aim", null), "area", "422"},
                new String[]{problemBody("X", "{\"cell\": 7, \"cells\": [[0, 0]]}", "aim", null), "area.cell", "400"},
                new String[]{problemBody("X", "{\"cell\": 250, \"cells\": [[0]]}", "aim", null), "area.cells", "400"},
                new String[]{problemBody("X", "{\"cell\": 250, \"cells\": " + "[1,1],".repeat(2001).replaceAll(",$", "").transform(s -> "[" + s + "]") + "}", "aim", null), "area.cells", "400"},
                new String[]{problemBody("", w, "aim", null), "title", "400"},
                new String[]{problemBody("X", w, "aim", "\"stage\": \"done\""), "stage", "400"},
                new String[]{problemBody("X", w, "aim", "\"startDate\": \"2026-02-30\""), "startDate", "400"},
                new String[]{problemBody("X", w, "aim", "\"startDate\": \"2026-10-01\", \"reviewDate\": \"2026-09-01\""), "reviewDate", "400"},
                new String[]{problemBody("X", w, "aim", "\"target\": {\"percent\": -20, \"months\": 3, \"start\": \"2026-10-02\"}"), "target.start", "400"},
                new String[]{problemBody("X", w, "aim", "\"target\": {\"percent\": -20, \"months\": 0}"), "target.months", "400"},
                new String[]{problemBody("X", w, "aim", "\"target\": {\"percent\": -200, \"months\": 3}"), "target.percent", "400"},
                new String[]{problemBody("X", w, "aim", "\"target\": {\"percent\": -20, \"months\": 3, \"baseline\": \"last-week\"}"), "target.baseline", "400"},
                new String[]{problemBody("X", w, "aim", "\"colour\": \"red\""), "colour", "400"});
        List<Long> before = counts(server);
        for (String[] c : cases) {
            var r = post(server, "/api/problems", analyst, c[0]);
            assertEquals(Integer.parseInt(c[2]), r.statusCode(), c[0] + " → " + r.body());
            assertEquals(c[1], json(r).path("field").asText(), r.body());
        }
        assertEquals(before, counts(server));
        var forbidden = post(server, "/api/problems", viewer, problemBody("X", w, "aim", null));
        assertEquals(403, forbidden.statusCode());
        assertEquals(before, counts(server));
    }

    @Test
    void theStageWorkflowRejectsSkipsAndLogsEveryChange() throws Exception {
        long id = create(problemBody("Workflow", "\"ward:" + ward + "\"", "aim", "\"startDate\": \"2026-01-10\""));
        String path = "/api/problems/" + id;
        List<Long> before = counts(server);
        var skip = patch(server, path, analyst, "{\"stage\": \"analysis\"}");
        assertEquals(409, skip.statusCode(), skip.body());
        assertEquals("stage", json(skip).path("field").asText());
        assertTrue(json(skip).path("detail").asText().contains("'scanning'"), skip.body());
        var badCategory = patch(server, path, analyst, "{\"title\": \"New\", \"categories\": [\"nope\"]}");
        assertEquals(422, badCategory.statusCode());
        var stale = patch(server, path, analyst, "{\"title\": \"New\"}", "If-Match", "\"7\"");
        assertEquals(412, stale.statusCode(), stale.body());
        assertEquals("If-Match", json(stale).path("field").asText());
        assertEquals(before, counts(server));

        var ok = patch(server, path, analyst, "{\"stage\": \"scanning\", \"title\": \"Workflow 2\", \"target\": {\"percent\": -10, \"months\": 2}}",
                "If-Match", "\"1\"");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode p = json(ok);
        assertEquals(2, p.path("revision").asInt());
        assertEquals("2026-01-01", p.path("target").path("start").asText());
        JsonNode last = p.path("history").get(p.path("history").size() - 1);
        assertEquals("changed", last.path("kind").asText());
        assertEquals("objective", last.path("changes").path("stage").path("from").asText());
        assertEquals("scanning", last.path("changes").path("stage").path("to").asText());
        assertEquals("Workflow", last.path("changes").path("title").path("from").asText());
        assertTrue(last.path("changes").path("target").path("from").isNull());
        assertTrue(!last.path("changes").has("objective"));

        for (String s : List.of("analysis", "response", "assessment", "closed")) {
            assertEquals(200, patch(server, path, analyst, "{\"stage\": \"" + s + "\"}").statusCode(), s);
        }
        JsonNode closed = json(get(server, path, viewer));
        assertTrue(!closed.path("closedOn").isNull());
        var back = patch(server, path, analyst, "{\"stage\": \"scanning\", \"target\": null}");
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(json(back).path("closedOn").isNull());
        assertTrue(json(back).path("target").isNull());
        assertEquals(1 + 1 + 4 + 1, json(back).path("history").size());
        assertEquals(403, patch(server, path, viewer, "{\"title\": \"Mine\"}").statusCode());
    }

    @Test
    void fiftyParallelRetriesWithOneKeyCreateOneProblem() throws Exception {
        String body = problemBody("Retried", "\"ward:" + ward + "\"", "aim", null);
        long before = count(server, "problem");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        // a client retries a 503 (the server sheds load beyond 16 requests in progress) after its Retry-After
        for (int n = 0; n < 50; n++) {
            calls.add(() -> {
                var r = post(server, "/api/problems", analyst, body, "Idempotency-Key", "retry-key-1");
                for (int attempt = 0; r.statusCode() == 503 && attempt < 10; attempt++) {
                    Thread.sleep(1000);
                    r = post(server, "/api/problems", analyst, body, "Idempotency-Key", "retry-key-1");
                }
                return r;
            });
        }
        Set<Long> ids = new HashSet<>();
        int created = 0;
        for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
            var r = f.get();
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
            if (r.statusCode() == 201) created++;
            else assertEquals("true", r.headers().firstValue("Idempotent-Replayed").orElseThrow());
            ids.add(json(r).path("id").asLong());
        }
        pool.shutdown();
        assertEquals(1, created);
        assertEquals(1, ids.size());
        assertEquals(before + 1, count(server, "problem"));
        assertEquals("1", scalar(server, "SELECT count(*) FROM loop_request WHERE key = 'retry-key-1'"));
        var other = post(server, "/api/problems", analyst, body.replace("Retried", "Another"), "Idempotency-Key", "retry-key-1");
        assertEquals(422, other.statusCode(), other.body());
        assertEquals("Idempotency-Key", json(other).path("field").asText());
        assertEquals(before + 1, count(server, "problem"));
    }
}
