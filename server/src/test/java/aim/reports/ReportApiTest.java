package aim.reports;

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
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static aim.reports.ReportFixture.create;
import static aim.reports.ReportFixture.flyTipping;
import static aim.reports.ReportFixture.get;
import static aim.reports.ReportFixture.post;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creating and reading warden reports over HTTP, on PostGIS with the demo borough. */
@Tag("postgis")
class ReportApiTest {
    @Fresh static TestServer server;
    static String warden;
    static String otherWarden;
    static String analyst;
    static String viewer;
    static String planner;
    static double[] inside;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        warden = server.userToken("wendy", Role.WARDEN);
        otherWarden = server.userToken("walt", Role.WARDEN);
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        planner = server.userToken("pia", Role.PLANNER);
        inside = ReportFixture.pointInWard(server, 3);
    }

    @Test
    void aNewReportIsCreatedWithItsKeyAndCreatedEvent() throws Exception {
        var response = post(server, warden, "create-1", flyTipping(inside, "Mattress and bags"));
        assertEquals(201, response.statusCode(), response.body());
        JsonNode r = json(response);
        long id = r.path("id").asLong();
        assertEquals("/api/reports/" + id, response.headers().firstValue("Location").orElseThrow());
        assertEquals("warden", r.path("source").asText());
        assertEquals("fly-tipping", r.path("category").asText());
        assertEquals("Fly-tipping", r.path("categoryLabel").asText());
        assertEquals("open", r.path("status").asText());
        assertTrue(r.path("assignedTo").isNull());
        assertEquals("2025-11-22T09:15:00Z", r.path("occurredAt").asText());
        assertTrue(Instant.parse(r.path("recordedAt").asText()).isAfter(Instant.now().minus(1, ChronoUnit.MINUTES)));
        assertEquals(inside[0], r.path("lon").asDouble(), 1e-6);
        assertEquals(inside[1], r.path("lat").asDouble(), 1e-6);
        assertEquals(8.5, r.path("accuracyM").asDouble());
        assertEquals("Back alley behind Acacia Avenue", r.path("locationText").asText());
        assertEquals("Mattress and bags", r.path("description").asText());
        assertEquals("Pat Resident", r.path("reporterName").asText());
        assertEquals("07700 900123", r.path("reporterContact").asText());
        assertEquals("wendy", r.path("recordedBy").asText());
        assertEquals("small-van", r.path("flyTipping").path("size").asText());
        assertEquals("household", r.path("flyTipping").path("wasteType").asText());
        assertEquals("back-alley", r.path("flyTipping").path("landType").asText());
        assertEquals(0, r.path("photos").size());
        List<String> names = new ArrayList<>();
        r.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "source", "category", "categoryLabel", "status", "assignedTo", "occurredAt", "recordedAt",
                "lon", "lat", "accuracyM", "locationText", "description", "reporterName", "reporterContact", "recordedBy",
                "flyTipping", "photos"), names);

        try (Connection c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT i.source, i.location_precision, i.occurred_precision, i.status, u.username, i.external_key,
                       ST_SRID(i.geom), i.accuracy_m, k.key, length(k.request_hash), e.kind, e.to_status, e.by_user = u.id
                FROM incident i JOIN app_user u ON u.id = i.recorded_by
                JOIN idempotency_key k ON k.incident_id = i.id
                JOIN incident_event e ON e.incident_id = i.id WHERE i.id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("warden", rs.getString(1));
                assertEquals("gps", rs.getString(2));
                assertEquals("minute", rs.getString(3));
                assertEquals("open", rs.getString(4));
                assertEquals("wendy", rs.getString(5));
                long userId = server.accounts.byApiToken(warden).orElseThrow().id();
                assertEquals("warden:" + userId + ":create-1", rs.getString(6));
                assertEquals(27700, rs.getInt(7));
                assertEquals(8.5f, rs.getFloat(8));
                assertEquals("create-1", rs.getString(9));
                assertEquals(32, rs.getInt(10), "a SHA-256");
                assertEquals("created", rs.getString(11));
                assertEquals("open", rs.getString(12));
                assertTrue(rs.getBoolean(13));
                assertFalse(rs.next(), "one key, one event");
            }
        }
    }

    @Test
    void aRetryWithTheSameKeyAndBodyReturnsTheSameReportAndCreatesNothing() throws Exception {
        String body = flyTipping(inside, "Retried");
        var first = post(server, warden, "retry-1", body);
        assertEquals(201, first.statusCode(), first.body());
        long id = json(first).path("id").asLong();
        // the same content, spelt differently (order, spacing, number format) is the same request
        String respelt = body.replace("\"accuracyM\": 8.5", "\"accuracyM\": 8.50").replace("{\"category\"", "{ \"category\"");
        for (String again : List.of(body, respelt)) {
            var retry = post(server, warden, "retry-1", again);
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
            assertEquals(id, json(retry).path("id").asLong());
            assertEquals("Retried", json(retry).path("description").asText());
        }
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE description = 'Retried'"));
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident_event WHERE incident_id = ?", id));

        // keys belong to a user: another warden's identical key is a new report
        var other = post(server, otherWarden, "retry-1", body);
        assertEquals(201, other.statusCode(), other.body());
        assertNotEquals(id, json(other).path("id").asLong());
    }

    @Test
    void theSameKeyWithADifferentBodyIsRefused() throws Exception {
        assertEquals(201, post(server, warden, "reuse-1", flyTipping(inside, "First")).statusCode());
        var reused = post(server, warden, "reuse-1", flyTipping(inside, "Second"));
        assertProblem(reused, 422, "Idempotency-Key");
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE description = 'Second'"));
    }

    @Test
    void concurrentDuplicatesCreateExactlyOneReport() throws Exception {
        String body = flyTipping(inside, "Concurrent");
        int threads = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<HttpResponse<String>> call = () -> {
                    go.await();
                    return post(server, warden, "concurrent-1", body);
                };
                results.add(pool.submit(call));
            }
            go.countDown();
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (var f : results) {
                HttpResponse<String> r = f.get();
                assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.statusCode() + " " + r.body());
                if (r.statusCode() == 201) created++;
                ids.add(json(r).path("id").asLong());
            }
            assertEquals(1, created);
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE description = 'Concurrent'"));
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM idempotency_key WHERE key = 'concurrent-1'"));
    }

    @Test
    void aDuplicateKeyIsDetectedByTheDatabaseNotOnlyByTheLookUp() throws Exception {
        // what the loser of a race sees: the insert itself hits the primary key and stores nothing
        var repository = new ReportRepository(server.dataSource, new aim.boundaries.BoundaryRepository(server.dataSource));
        long userId = server.accounts.byApiToken(warden).orElseThrow().id();
        var fields = ReportValidation.forCreate(new ReportRequest("env-graffiti", inside[0], inside[1], null, null,
                "Raced", null, null, null, null), repository.taxonomy(), Instant.now());
        byte[] hash = new byte[32];
        assertTrue(repository.create(fields, userId, "race-1", hash).isPresent());
        assertTrue(repository.create(fields, userId, "race-1", hash).isEmpty());
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE description = 'Raced'"));
    }

    @Test
    void theIdempotencyKeyIsRequiredAndChecked() throws Exception {
        assertProblem(post(server, warden, null, flyTipping(inside, "No key")), 400, "Idempotency-Key");
        assertProblem(post(server, warden, "k".repeat(101), flyTipping(inside, "Long key")), 400, "Idempotency-Key");
        assertEquals(201, post(server, warden, "k".repeat(100), flyTipping(inside, "Longest key")).statusCode());
    }

    @Test
    void aPointOutsideTheCouncilAreaIsRefused() throws Exception {
        // in England, well away from the demo borough; and on the other side of the world
        for (double[] p : List.of(new double[]{-1.0, 52.0}, new double[]{151.2, -33.9}, new double[]{-1.2, 54.0})) {
            var response = post(server, warden, "outside-" + p[0] + p[1], flyTipping(p, "Outside"));
            assertProblem(response, 422, "location");
            assertTrue(json(response).path("detail").asText().contains("outside the council area"), response.body());
        }
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE description = 'Outside'"));
    }

    @Test
    void withoutAWardSetTheCouncilAreaIsUnknown() throws Exception {
        try (TestServer bare = new TestServer()) {
            String token = bare.userToken("wendy", Role.WARDEN);
            var response = post(bare, token, "no-wards", flyTipping(inside, "No wards"));
            assertProblem(response, 409, "location");
            assertTrue(json(response).path("detail").asText().contains("no current ward boundaries"), response.body());
        }
    }

    @Test
    void eachInvalidValueIsAProblemNamingItsField() throws Exception {
        String lon = String.format(Locale.ROOT, "%s", inside[0]);
        String lat = String.format(Locale.ROOT, "%s", inside[1]);
        String at = "\"lon\": " + lon + ", \"lat\": " + lat;
        String fly = "\"flyTipping\": {\"size\": \"small-van\", \"wasteType\": \"household\"}";
        String future = Instant.now().plus(2, ChronoUnit.DAYS).toString();
        Object[][] cases = {
                {"{\"category\": \"unicorns\", " + at + "}", 400, "category"},
                {"{" + at + "}", 400, "category"},
                {"{\"category\": \"env-graffiti\", \"lat\": " + lat + "}", 400, "lon"},
                {"{\"category\": \"env-graffiti\", \"lon\": " + lon + "}", 400, "lat"},
                {"{\"category\": \"env-graffiti\", \"lon\": 181, \"lat\": " + lat + "}", 400, "lon"},
                {"{\"category\": \"env-graffiti\", \"lon\": " + lon + ", \"lat\": -90.5}", 400, "lat"},
                {"{\"category\": \"env-graffiti\", \"lon\": \"west\", \"lat\": " + lat + "}", 400, "lon"},
                {"{\"category\": \"env-graffiti\", " + at + ", \"accuracyM\": -1}", 400, "accuracyM"},
                {"{\"category\": \"burglary\", " + at + "}", 400, "category"},
                {"{\"category\": \"env-graffiti\", " + at + ", \"occurredAt\": \"yesterday\"}", 400, "occurredAt"},
                {"{\"category\": \"env-graffiti\", " + at + ", \"occurredAt\": \"2025-11-22 09:15\"}", 400, "occurredAt"},
                {"{\"category\": \"env-graffiti\", " + at + ", \"occurredAt\": \"" + future + "\"}", 422, "occurredAt"},
                {"{\"category\": \"fly-tipping\", " + at + "}", 400, "flyTipping.size"},
                {"{\"category\": \"fly-tipping\", " + at + ", \"flyTipping\": {\"size\": \"small-van\"}}", 400, "flyTipping.wasteType"},
                {"{\"category\": \"fly-tipping\", " + at + ", \"flyTipping\": {\"size\": \"lorry\", \"wasteType\": \"household\"}}", 400, "flyTipping.size"},
                {"{\"category\": \"fly-tipping\", " + at + ", \"flyTipping\": {\"size\": \"small-van\", \"wasteType\": \"gold\"}}", 400, "flyTipping.wasteType"},
                {"{\"category\": \"fly-tipping\", " + at + ", \"flyTipping\": {\"size\": \"small-van\", \"wasteType\": \"household\", \"landType\": \"moon\"}}", 400, "flyTipping.landType"},
                {"{\"category\": \"fly-tipping\", " + at + ", \"flyTipping\": {\"size\": \"small-van\", \"wasteType\": \"household\", \"colour\": \"red\"}}", 400, "colour"},
                {"{\"category\": \"env-graffiti\", " + at + ", " + fly + "}", 400, "flyTipping"},
                {"{\"category\": \"env-graffiti\", " + at + ", \"severity\": 3}", 400, "severity"},
                {"{\"category\": \"env-graffiti\", " + at + ", \"description\": \"a\\u0000b\"}", 400, "description"},
                {"{\"category\": \"env-graffiti\", " + at + ", \"description\": \"" + "x".repeat(4001) + "\"}", 400, "description"},
                {"{\"category\": \"env-graffiti\", " + at, 400, "body"},
                {"null", 400, "body"},
                {"[]", 400, "body"},
        };
        int n = 0;
        for (Object[] c : cases) {
            var response = post(server, warden, "invalid-" + n++, (String) c[0]);
            assertProblem(response, (int) c[1], (String) c[2]);
        }
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM idempotency_key WHERE key LIKE 'invalid-%'"));
    }

    @Test
    void occurredAtDefaultsToNowAndAllowsAFastClock() throws Exception {
        var now = post(server, warden, "time-1", ReportFixture.report(inside, "env-graffiti"));
        assertEquals(201, now.statusCode(), now.body());
        Instant occurred = Instant.parse(json(now).path("occurredAt").asText());
        assertTrue(Math.abs(Duration.between(occurred, Instant.now()).toSeconds()) < 60, occurred.toString());

        String soon = Instant.now().plus(3, ChronoUnit.MINUTES).toString();
        String body = ReportFixture.report(inside, "env-graffiti").replace("{", "{\"occurredAt\": \"" + soon + "\", ");
        assertEquals(201, post(server, warden, "time-2", body).statusCode());
        String withOffset = ReportFixture.report(inside, "env-graffiti").replace("{", "{\"occurredAt\": \"2025-06-01T10:15:00+01:00\", ");
        var offset = post(server, warden, "time-3", withOffset);
        assertEquals(201, offset.statusCode(), offset.body());
        assertEquals("2025-06-01T09:15:00Z", json(offset).path("occurredAt").asText());
    }

    @Test
    void onlyWardensAnalystsAndAdminsRecordReports() throws Exception {
        assertProblem(post(server, viewer, "viewer-1", flyTipping(inside, "Viewer")), 403, "role");
        assertProblem(post(server, planner, "planner-1", flyTipping(inside, "Planner")), 403, "role");
        var anonymous = server.send("POST", "/api/reports", java.net.http.HttpRequest.BodyPublishers.ofString(flyTipping(inside, "x")),
                "Content-Type", "application/json", "Idempotency-Key", "anon");
        assertEquals(401, anonymous.statusCode());
        assertEquals(201, post(server, analyst, "analyst-1", flyTipping(inside, "Analyst")).statusCode());
    }

    @Test
    void wardensReadOnlyTheirOwnReportsAndOthersSeeNoPersonalData() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Private words"));
        String path = "/api/reports/" + id;
        assertEquals(200, get(server, warden, path).statusCode());
        assertProblem(get(server, otherWarden, path), 403, "id");

        JsonNode full = json(get(server, analyst, path));
        assertEquals("Private words", full.path("description").asText());
        assertEquals("wendy", full.path("recordedBy").asText());

        for (String token : List.of(viewer, planner)) {
            var response = get(server, token, path);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode r = json(response);
            for (String personal : List.of("description", "reporterName", "reporterContact", "recordedBy")) {
                assertFalse(r.has(personal), personal + " is left out: " + r);
            }
            assertFalse(response.body().contains("Private words"));
            assertFalse(response.body().contains("Pat Resident"));
            // not a sensitive category: the exact point and its description
            assertEquals(inside[0], r.path("lon").asDouble(), 1e-6);
            assertEquals("Back alley behind Acacia Avenue", r.path("locationText").asText());
            assertEquals("small-van", r.path("flyTipping").path("size").asText());
        }
        assertProblem(get(server, viewer, "/api/reports/999999"), 404, "id");
        assertProblem(get(server, viewer, "/api/reports/abc"), 400, "id");
        assertEquals(401, server.get(path).statusCode());
    }

    @Test
    void sensitiveReportsShowOthersOnlyTheCentreOfTheirHalfKilometreSquare() throws Exception {
        String body = ReportFixture.report(inside, "asb-neighbour-dispute")
                .replace("{", "{\"locationText\": \"14 Example Street\", \"accuracyM\": 4, ");
        long id = create(server, warden, body);
        JsonNode own = json(get(server, warden, "/api/reports/" + id));
        assertEquals(inside[0], own.path("lon").asDouble(), 1e-6);
        assertEquals("14 Example Street", own.path("locationText").asText());
        assertEquals(inside[0], json(get(server, analyst, "/api/reports/" + id)).path("lon").asDouble(), 1e-6);

        JsonNode general = json(get(server, viewer, "/api/reports/" + id));
        assertEquals(0, general.path("photos").size(), "no photos of a sensitive report for a viewer");
        assertFalse(general.has("locationText"));
        assertFalse(general.has("accuracyM"));
        assertFalse(general.has("description"));
        try (Connection c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT ST_X(p), ST_Y(p), ST_Distance(p, (SELECT geom FROM incident WHERE id = ?))
                FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700) AS p) q""")) {
            ps.setLong(1, id);
            ps.setDouble(2, general.path("lon").asDouble());
            ps.setDouble(3, general.path("lat").asDouble());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(250, Math.floorMod(Math.round(rs.getDouble(1)), 500), "a square's centre easting");
                assertEquals(250, Math.floorMod(Math.round(rs.getDouble(2)), 500), "a square's centre northing");
                assertTrue(rs.getDouble(3) <= 354, "within the square: " + rs.getDouble(3));
            }
        }
    }

    @Test
    void myReportsAreTheCallersReportsOfTheDayNewestFirst() throws Exception {
        String me = server.userToken("mina", Role.WARDEN);
        long first = create(server, me, ReportFixture.report(inside, "env-graffiti"));
        long second = create(server, me, ReportFixture.report(inside, "env-dog-fouling"));
        create(server, otherWarden, ReportFixture.report(inside, "env-littering"));

        var today = get(server, me, "/api/reports/mine");
        assertEquals(200, today.statusCode(), today.body());
        JsonNode list = json(today);
        assertEquals(2, list.size(), list.toString());
        assertEquals(second, list.get(0).path("id").asLong());
        assertEquals(first, list.get(1).path("id").asLong());
        assertEquals("Seen by the warden", list.get(0).path("description").asText(), "the reporter sees their own details");

        String date = LocalDate.now(ReportController.ZONE).toString();
        assertEquals(2, json(get(server, me, "/api/reports/mine?date=" + date)).size());
        assertEquals(0, json(get(server, me, "/api/reports/mine?date=2020-01-01")).size());
        assertProblem(get(server, me, "/api/reports/mine?date=22-11-2026"), 400, "date");
        assertEquals(0, json(get(server, viewer, "/api/reports/mine")).size());
    }

    static void assertProblem(HttpResponse<String> response, int status, String field) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response.body());
        assertEquals(field, json(response).path("field").asText(), response.body());
    }
}
