package aim.assets;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static aim.assets.AssetFixtures.count;
import static aim.assets.AssetFixtures.demoWardCode;
import static aim.assets.AssetFixtures.demoWardPoint;
import static aim.assets.AssetFixtures.get;
import static aim.assets.AssetFixtures.json;
import static aim.assets.AssetFixtures.lonLat;
import static aim.assets.AssetFixtures.point;
import static aim.assets.AssetFixtures.post;
import static aim.assets.AssetFixtures.square;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Open Referral UK export and import: services exported from one database and imported into an empty one
 * (same wards) come back field by field, and the second export equals the first; people and places are
 * never exported; malformed files are 4xx problems naming the field, and nothing is half-imported.
 */
@Tag("postgis")
class OpenReferralRoundTripTest {
    @Fresh static TestServer source;
    @Fresh static TestServer target;
    static String sourcePlanner, targetPlanner;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start(@TempDir Path a, @TempDir Path b) throws Exception {
        new DemoLoader(source.dataSource, a).loadIfMissing();
        DemoAssets.load(source.dataSource);
        new DemoLoader(target.dataSource, b).loadIfMissing();
        sourcePlanner = source.userToken("pat", Role.PLANNER);
        targetPlanner = target.userToken("pat", Role.PLANNER);
        double[] at = demoWardPoint(source, 2);
        var created = post(source, "/api/assets", sourcePlanner, """
                {"kind": "service", "category": "youth-club", "name": "Full Service (test)",
                 "description": "Every Open Referral field filled in",
                 "geometry": %s, "venue": "Ward Two Hall",
                 "address": {"address_1": "2 Hall Road", "city": "Middlesbrough", "state_province": "North Yorkshire",
                             "postal_code": "TS2 2AA", "country": "GB"},
                 "organisation": {"name": "Test Youth Org", "description": "Runs clubs", "email": "org@example.org",
                                  "url": "https://org.example.org", "logo": "https://org.example.org/logo.png", "uri": "https://org.example.org/id"},
                 "url": "https://service.example.org", "email": "service@example.org", "phone": "01632 960999",
                 "status": "temporarily closed", "fees": "£1 a session", "referral": "Self-referral or via school",
                 "attending_type": "venue", "attending_access": "drop-in", "deliverable_type": "advice",
                 "contacts": [{"name": "Chris Worker", "title": "Lead youth worker", "email": "chris@example.org",
                               "phones": ["01632 960111", "07700 900111"]},
                              {"title": "Office", "phones": ["01632 960112"]}],
                 "schedules": [{"description": "Weekly", "byday": "MO,WE", "opens_at": "16:00", "closes_at": "19:30",
                                "freq": "WEEKLY", "interval": 1, "valid_from": "2025-01-06", "valid_to": "2025-12-31", "dtstart": "2025-01-06"},
                               {"description": "First Saturday", "byday": "1SA", "opens_at": "10:00:00", "closes_at": "12:00:00",
                                "freq": "MONTHLY", "bymonthday": "1"}],
                 "eligibility": [{"eligibility": "Young people living in the borough", "minimum_age": 11, "maximum_age": 19},
                                 {"eligibility": "Carers"}],
                 "cost_options": [{"option": "Session", "amount": 1.50, "amount_description": "per session",
                                   "valid_from": "2025-01-01", "valid_to": "2025-12-31"}],
                 "languages": ["English", "Urdu", "Polish"],
                 "service_area": {"wards": ["%s", "%s"], "name": "Ward two and around", "geometry": %s},
                 "last_checked": "2025-02-03"}"""
                .formatted(point(source, at[0], at[1]), demoWardCode(source, 2), demoWardCode(source, 3), square(source, at[0], at[1], 600)));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(201, post(source, "/api/assets", sourcePlanner,
                "{\"kind\": \"service\", \"category\": \"money-advice\", \"name\": \"Phone advice (test)\"}").statusCode());
    }

    private static JsonNode export(TestServer server, String token) throws Exception {
        var response = get(server, "/api/assets/export?format=openreferral", token);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> importJson(TestServer server, String token, String body, String query) throws Exception {
        return server.send("POST", "/api/assets/import?format=openreferral" + query, HttpRequest.BodyPublishers.ofString(body),
                "Content-Type", "application/json", "Authorization", "Bearer " + token);
    }

    private static Map<String, JsonNode> servicesByUid(TestServer server, String token) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode f : json(get(server, "/api/assets?kind=service&limit=5000", token)).path("features")) {
            out.put(f.path("properties").path("uid").asText(), f);
        }
        return out;
    }

    @Test
    void exportThenImportIntoAnEmptyDatabaseLosesNothing() throws Exception {
        JsonNode first = export(source, source.adminToken);
        long services = count(source, "SELECT count(*) FROM asset WHERE kind = 'service' AND retired_at IS NULL");
        assertEquals(services, first.size());
        assertTrue(services >= 6);
        String text = first.toString();
        assertFalse(text.contains("Demo Community Champion"), "people are never exported");
        assertFalse(text.contains("Primary School"), "places are not services");

        JsonNode full = null;
        for (JsonNode s : first) if (s.path("name").asText().equals("Full Service (test)")) full = s;
        assertEquals("Test Youth Org", full.path("organization").path("name").asText());
        assertEquals("Ward Two Hall", full.path("service_at_locations").get(0).path("location").path("name").asText());
        assertEquals("TS2 2AA", full.path("service_at_locations").get(0).path("location").path("physical_addresses").get(0).path("postal_code").asText());
        assertEquals("2025-02-03", full.path("assured_date").asText());
        assertEquals(11, full.path("eligibilitys").get(0).path("minimum_age").asInt());
        assertEquals("Urdu", full.path("languages").get(1).path("language").asText());
        assertEquals("youth-club", full.path("service_taxonomys").get(0).path("taxonomy").path("id").asText());
        assertEquals("youth-provision", full.path("service_taxonomys").get(0).path("taxonomy").path("parent").asText());
        assertEquals(3, full.path("service_areas").size(), "two wards and a polygon");
        assertTrue(full.path("service_areas").get(2).path("extent").asText().contains("Polygon"));

        assertEquals(0, count(target, "SELECT count(*) FROM asset"));
        var imported = importJson(target, targetPlanner, text, "");
        assertEquals(200, imported.statusCode(), imported.body());
        JsonNode report = json(imported);
        assertEquals(services, report.path("imported").asInt());
        assertEquals(services, report.path("inserted").asInt());
        assertEquals(0, report.path("ignored").size(), "every member AIM exports, AIM imports: " + report.path("ignored"));

        JsonNode second = export(target, target.adminToken);
        assertEquals(first, second, "the second export equals the first");
        // ./aim export assets --out FILE writes the same
        Path file = java.nio.file.Files.createTempFile("aim-export", ".json");
        try {
            var out = new java.io.ByteArrayOutputStream();
            assertEquals(0, AssetCommand.export(target.dataSource, file, null, null, new java.io.PrintStream(out, true)));
            assertEquals(first, JSON.readTree(file.toFile()));
            assertTrue(out.toString().contains("exported " + services + " services"));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }

        // and field by field, the stored assets
        Map<String, JsonNode> a = servicesByUid(source, source.adminToken), b = servicesByUid(target, target.adminToken);
        assertEquals(a.keySet(), b.keySet());
        Set<String> provenance = Set.of("id", "created_at", "updated_at", "source", "demo");
        for (String uid : a.keySet()) {
            JsonNode pa = a.get(uid).path("properties"), pb = b.get(uid).path("properties");
            var fields = pa.fieldNames();
            while (fields.hasNext()) {
                String field = fields.next();
                if (provenance.contains(field)) continue;
                if (field.equals("service_area")) {
                    assertEquals(pa.path(field).path("wards"), pb.path(field).path("wards"), uid);
                    assertEquals(pa.path(field).path("name"), pb.path(field).path("name"), uid);
                    assertCoordinates(pa.path(field).path("geometry"), pb.path(field).path("geometry"));
                    continue;
                }
                assertEquals(pa.get(field), pb.get(field), pa.path("name").asText() + ": " + field);
            }
            assertCoordinates(a.get(uid).path("geometry"), b.get(uid).path("geometry"));
        }
        JsonNode fb = null;
        for (JsonNode f : b.values()) if (f.path("properties").path("name").asText().equals("Full Service (test)")) fb = f.path("properties");
        assertEquals("temporarily closed", fb.path("status").asText());
        assertEquals("01632 960999", fb.path("phone").asText());
        assertEquals("07700 900111", fb.path("contacts").get(0).path("phones").get(1).asText());
        assertEquals("1SA", fb.path("schedules").get(1).path("byday").asText());
        assertEquals("2025-12-31", fb.path("schedules").get(0).path("valid_to").asText());
        assertEquals(1.5, fb.path("cost_options").get(0).path("amount").asDouble());
        assertEquals("Self-referral or via school", fb.path("referral").asText());
        assertEquals("https://org.example.org/id", fb.path("organisation").path("uri").asText());

        // importing the same file again updates, adds nothing
        JsonNode again = json(importJson(target, targetPlanner, text, ""));
        assertEquals(0, again.path("inserted").asInt());
        assertEquals(services, again.path("updated").asInt());
        assertEquals(services, count(target, "SELECT count(*) FROM asset"));
    }

    /** Coordinates equal to 6 decimals (about 0.1 m), walking any GeoJSON geometry. */
    private static void assertCoordinates(JsonNode a, JsonNode b) {
        if (a.isNumber()) {
            assertEquals(a.asDouble(), b.asDouble(), 1e-6);
            return;
        }
        assertEquals(a.isNull() || a.isMissingNode(), b.isNull() || b.isMissingNode());
        if (a.isObject() && a.has("type")) assertEquals(a.path("type"), b.path("type"));
        if (a.isObject() && a.has("coordinates")) assertCoordinates(a.path("coordinates"), b.path("coordinates"));
        if (a.isArray()) {
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) assertCoordinates(a.get(i), b.get(i));
        }
    }

    private static void assertRejected(int status, String field, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(field, json(response).path("field").asText(), response.body());
    }

    @Test
    void malformedOpenReferralIsAProblemNamingTheFieldAndNothingIsImported(@TempDir Path dir) throws Exception {
        try (TestServer empty = new TestServer()) {
            new DemoLoader(empty.dataSource, dir).loadIfMissing();
            String planner = empty.userToken("pat", Role.PLANNER);
            double[] at = lonLat(empty, demoWardPoint(empty, 1)[0], demoWardPoint(empty, 1)[1]);
            ObjectNode good = (ObjectNode) JSON.readTree("""
                    {"id": "b0d6c7b2-5a1f-4c56-9d1e-0d1e2a3b4c5d", "name": "Good service",
                     "service_at_locations": [{"location": {"latitude": %s, "longitude": %s}}],
                     "service_taxonomys": [{"taxonomy": {"id": "money-advice", "vocabulary": "AIM community asset categories"}}]}"""
                    .formatted(at[1], at[0]));
            String goodText = good.toString();

            assertRejected(400, "body", importJson(empty, planner, "[{\"id\": \"x\",", ""));
            assertRejected(400, "body", importJson(empty, planner, "{\"services\": []}", ""));
            assertRejected(400, "[1].name", importJson(empty, planner, "[" + goodText + ", {\"id\": \"second\"}]", ""));
            assertRejected(400, "[1].id", importJson(empty, planner, "[" + goodText + "," + goodText + "]", ""));
            assertRejected(400, "[0].eligibilitys[0].minimum_age", importJson(empty, planner,
                    "[" + with(good, "eligibilitys", "[{\"minimum_age\": \"eleven\"}]") + "]", ""));
            assertRejected(400, "[0].eligibilitys[0].maximum_age", importJson(empty, planner,
                    "[" + with(good, "eligibilitys", "[{\"minimum_age\": 19, \"maximum_age\": 11}]") + "]", ""));
            assertRejected(400, "[0].regular_schedules[0].opens_at", importJson(empty, planner,
                    "[" + with(good, "regular_schedules", "[{\"byday\": \"MO\", \"opens_at\": \"9am\"}]") + "]", ""));
            assertRejected(400, "[0].service_taxonomys[0].taxonomy.id", importJson(empty, planner,
                    "[" + with(good, "service_taxonomys", "[{\"taxonomy\": {\"id\": \"astrology\", \"vocabulary\": \"AIM community asset categories\"}}]") + "]", ""));
            assertRejected(400, "[0].service_taxonomys", importJson(empty, planner, "[" + with(good, "service_taxonomys", "[]") + "]", ""));
            assertRejected(400, "[0].service_areas[0].uri", importJson(empty, planner,
                    "[" + with(good, "service_areas", "[{\"service_area\": \"Nowhere\", \"uri\": \"http://statistics.data.gov.uk/id/statistical-geography/E05999999\"}]") + "]", ""));
            assertRejected(400, "[0].service_areas[0].extent.type", importJson(empty, planner,
                    "[" + with(good, "service_areas", "[{\"extent\": \"{\\\"type\\\": \\\"Point\\\", \\\"coordinates\\\": [0, 0]}\"}]") + "]", ""));
            assertRejected(400, "[0].cost_options", importJson(empty, planner, "[" + with(good, "cost_options", "{\"amount\": 1}") + "]", ""));
            assertRejected(400, "[0].status", importJson(empty, planner, "[" + with(good, "status", "\"open\"") + "]", ""));
            assertRejected(400, "[0].name", importJson(empty, planner, "[" + with(good, "name", "42") + "]", ""));
            var outside = importJson(empty, planner, "[" + goodText + "," + with(good, "id", "\"elsewhere\"")
                    .replace("\"latitude\":" + at[1], "\"latitude\":51.5299").replace("\"longitude\":" + at[0], "\"longitude\":-0.1276") + "]", "");
            assertRejected(422, "[1].service_at_locations[0].location", outside);
            assertTrue(json(outside).path("detail").asText().contains("outside the council area"), outside.body());
            assertEquals(403, importJson(empty, empty.userToken("vera", Role.VIEWER), "[" + goodText + "]", "").statusCode());
            assertEquals(0, count(empty, "SELECT count(*) FROM asset"), "nothing half-imported");
            assertEquals(0, count(empty, "SELECT count(*) FROM organisation"));

            // a foreign feed: no AIM category (given for the whole import), weekday names, "locations", members AIM does not keep
            String foreign = """
                    {"content": [{"id": "1234", "name": "Foreign advice", "accreditations": "Quality mark",
                      "fundings": [{"source": "Lottery"}],
                      "locations": [{"name": "Town hall", "latitude": %s, "longitude": %s, "accessibility_for_disabilities": [{"accessibility": "ramp"}]}],
                      "regular_schedules": [{"weekday": "Tuesday", "opens_at": "09:00", "closes_at": "17:00"}],
                      "service_taxonomys": [{"taxonomy": {"id": "ab12", "vocabulary": "esdServiceTypes", "name": "Debt advice"}}]}]}"""
                    .formatted(at[1], at[0]);
            var ok = importJson(empty, planner, foreign, "&category=money-advice");
            assertEquals(200, ok.statusCode(), ok.body());
            JsonNode report = json(ok);
            assertEquals(1, report.path("inserted").asInt());
            List<String> ignored = JSON.convertValue(report.path("ignored"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            assertTrue(ignored.containsAll(List.of("service.accreditations", "service.fundings", "location.accessibility_for_disabilities",
                    "service_taxonomys (other vocabularies)")), ignored.toString());
            JsonNode stored = json(get(empty, "/api/assets?kind=service", planner)).path("features").get(0).path("properties");
            assertEquals("TU", stored.path("schedules").get(0).path("byday").asText());
            assertEquals("Town hall", stored.path("venue").asText());
            assertEquals("money-advice", stored.path("category").asText());
        }
    }

    private static String with(ObjectNode service, String member, String json) throws Exception {
        ObjectNode copy = service.deepCopy();
        copy.set(member, JSON.readTree(json));
        return copy.toString();
    }
}
