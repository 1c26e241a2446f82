package aim.assets;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static aim.assets.AssetFixtures.count;
import static aim.assets.AssetFixtures.delete;
import static aim.assets.AssetFixtures.demoWardCode;
import static aim.assets.AssetFixtures.demoWardPoint;
import static aim.assets.AssetFixtures.get;
import static aim.assets.AssetFixtures.json;
import static aim.assets.AssetFixtures.lonLat;
import static aim.assets.AssetFixtures.place;
import static aim.assets.AssetFixtures.point;
import static aim.assets.AssetFixtures.post;
import static aim.assets.AssetFixtures.put;
import static aim.assets.AssetFixtures.square;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asset register over HTTP on the demo geography: create/read/replace/retire by role, people assets
 * (personal data) hidden from viewers, planners and wardens and audited on every read, the taxonomy,
 * search with distances, nearest, CSV import by API, and every bad input as a 4xx problem.
 */
@Tag("postgis")
class AssetApiTest {
    @Fresh static TestServer server;
    static String admin, analyst, planner, viewer, warden;
    static double[] ward1, ward2;
    static long peopleId;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        admin = server.adminToken;
        analyst = server.userToken("ana", Role.ANALYST);
        planner = server.userToken("pat", Role.PLANNER);
        viewer = server.userToken("vera", Role.VIEWER);
        warden = server.userToken("wes", Role.WARDEN);
        ward1 = demoWardPoint(server, 1);
        ward2 = demoWardPoint(server, 2);
        var people = post(server, "/api/assets", admin, """
                {"kind": "people", "category": "community-champion", "name": "Pat Champion", "geometry": %s,
                 "contacts": [{"name": "Pat Champion", "email": "pat@example.org", "phones": ["01632 960555"]}]}"""
                .formatted(point(server, ward2[0], ward2[1])));
        assertEquals(201, people.statusCode(), people.body());
        peopleId = json(people).path("id").asLong();
    }

    private static JsonNode create(String token, String body) throws Exception {
        var response = post(server, "/api/assets", token, body);
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Location").orElse("").startsWith("/api/assets/"));
        return json(response);
    }

    private static JsonNode features(String query, String token) throws Exception {
        var response = get(server, "/api/assets" + query, token);
        assertEquals(200, response.statusCode(), response.body());
        return json(response).path("features");
    }

    private static List<String> names(JsonNode features) {
        List<String> names = new ArrayList<>();
        for (JsonNode f : features) names.add(f.path("properties").path("name").asText());
        return names;
    }

    private static void assertProblem(int status, String field, java.net.http.HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response.body());
        if (field != null) assertEquals(field, json(response).path("field").asText(), response.body());
    }

    @Test
    void plannerCreatesAPlaceEveryoneSignedInReadsItAndNobodySignedOutDoes() throws Exception {
        JsonNode created = create(planner, """
                {"kind": "place", "category": "library", "name": "Ward One Library", "description": "Books and computers",
                 "geometry": %s, "address": {"address_1": "1 High Street", "postal_code": "TS1 1AA"},
                 "url": "https://library.example.org", "last_checked": "2025-06-01"}""".formatted(point(server, ward1[0], ward1[1])));
        JsonNode p = created.path("properties");
        assertEquals("Library", p.path("category_label").asText());
        assertEquals("place", p.path("kind").asText());
        assertEquals(demoWardCode(server, 1), p.path("ward").asText());
        assertEquals("TS1 1AA", p.path("address").path("postal_code").asText());
        assertEquals("Point", created.path("geometry").path("type").asText());
        double[] expected = lonLat(server, ward1[0], ward1[1]);
        assertEquals(expected[0], created.path("geometry").path("coordinates").get(0).asDouble(), 1e-6);
        long id = created.path("id").asLong();
        for (String token : List.of(viewer, warden, planner, analyst)) {
            assertEquals(200, get(server, "/api/assets/" + id, token).statusCode());
        }
        assertEquals(401, server.get("/api/assets/" + id).statusCode());
        assertEquals(401, server.get("/api/assets").statusCode());
        assertEquals(200, server.get("/api/assets/categories").statusCode(), "the taxonomy is public");
        assertProblem(403, "role", post(server, "/api/assets", viewer, place("library", "Nope", point(server, ward1[0], ward1[1]))));
        assertProblem(403, "role", post(server, "/api/assets", warden, place("library", "Nope", point(server, ward1[0], ward1[1]))));
    }

    @Test
    void replaceAndRetire() throws Exception {
        JsonNode created = create(planner, place("park-green-space", "Old Park", square(server, ward1[0], ward1[1], 100)));
        long id = created.path("id").asLong();
        assertEquals("Polygon", created.path("geometry").path("type").asText());
        // a client may send back what it read (read-only members are ignored)
        var props = (com.fasterxml.jackson.databind.node.ObjectNode) created.path("properties").deepCopy();
        props.put("name", "Renamed Park");
        props.set("geometry", created.path("geometry"));
        var replaced = put(server, "/api/assets/" + id, planner, props.toString());
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals("Renamed Park", json(replaced).path("properties").path("name").asText());
        assertEquals(created.path("properties").path("uid").asText(), json(replaced).path("properties").path("uid").asText());
        assertProblem(403, "role", put(server, "/api/assets/" + id, viewer, props.toString()));
        assertProblem(404, "id", put(server, "/api/assets/99999999", planner, props.toString()));

        assertEquals(204, delete(server, "/api/assets/" + id, planner).statusCode());
        assertProblem(404, "id", get(server, "/api/assets/" + id, viewer));
        JsonNode retired = json(get(server, "/api/assets/" + id + "?include_retired=true", viewer));
        assertFalse(retired.path("properties").path("retired_at").isNull());
        assertFalse(names(features("?category=park-green-space", viewer)).contains("Renamed Park"));
        assertTrue(names(features("?category=park-green-space&include_retired=true", viewer)).contains("Renamed Park"));
        assertEquals(1, count(server, "SELECT count(*) FROM asset WHERE id = " + id + " AND retired_at IS NOT NULL"), "kept, not deleted");
    }

    @Test
    void peopleAssetsOnlyForAdminsAndAnalystsAndEveryReadIsAudited() throws Exception {
        // viewers, planners and wardens never see people, and asking for them is a 403
        for (String token : List.of(viewer, planner, warden)) {
            JsonNode all = features("?limit=5000", token);
            for (JsonNode f : all) assertFalse("people".equals(f.path("properties").path("kind").asText()), "people leaked: " + f);
            assertFalse(all.toString().contains("pat@example.org"));
            assertProblem(403, "kind", get(server, "/api/assets?kind=people", token));
            assertProblem(403, "kind", get(server, "/api/assets/search?kind=people", token));
            assertProblem(403, "kind", get(server, "/api/assets/" + peopleId, token));
            var search = json(get(server, "/api/assets/search?q=Champion", token));
            assertEquals(0, search.path("features").size(), search.toString());
            var near = json(get(server, "/api/assets/nearest?lon=" + lonLat(server, ward2[0], ward2[1])[0] + "&lat="
                    + lonLat(server, ward2[0], ward2[1])[1], token));
            assertFalse(near.toString().contains("Pat Champion"));
            var export = get(server, "/api/assets/export?format=openreferral", token);
            assertEquals(200, export.statusCode());
            assertFalse(export.body().contains("Pat Champion"));
        }
        assertProblem(403, "kind", post(server, "/api/assets", planner, """
                {"kind": "people", "category": "volunteer", "name": "Someone", "geometry": %s}""".formatted(point(server, ward1[0], ward1[1]))));
        assertProblem(403, "kind", delete(server, "/api/assets/" + peopleId, planner));
        assertEquals(0, count(server, "SELECT count(*) FROM asset_audit WHERE username IN ('vera', 'pat', 'wes')"),
                "nothing personal was read, so nothing is audited");

        long before = count(server, "SELECT count(*) FROM asset_audit");
        JsonNode listed = features("?kind=people", analyst);
        assertEquals(List.of("Pat Champion"), names(listed));
        assertEquals("pat@example.org", listed.get(0).path("properties").path("contacts").get(0).path("email").asText());
        assertEquals(200, get(server, "/api/assets/" + peopleId, analyst).statusCode());
        assertEquals(200, get(server, "/api/assets/search?q=champion", admin).statusCode());
        assertEquals(before + 3, count(server, "SELECT count(*) FROM asset_audit"));
        assertEquals(3, count(server, "SELECT count(*) FROM asset_audit WHERE " + peopleId + " = ANY (asset_ids) AND at > now() - interval '1 minute'"
                + " AND username IN ('ana', 'admin') AND role IN ('analyst', 'admin') AND endpoint LIKE 'GET %'"));
        assertEquals(1, count(server, "SELECT count(*) FROM asset_audit WHERE endpoint = 'POST /api/assets' AND " + peopleId + " = ANY (asset_ids)"),
                "the response to the admin who created it is a read too");
        assertEquals("GET /api/assets?kind=people", AssetFixtures.string(server,
                "SELECT endpoint FROM asset_audit WHERE username = 'ana' ORDER BY id LIMIT 1"));
        assertTrue(AssetFixtures.string(server, "SELECT string_agg(endpoint, ' ') FROM asset_audit WHERE username = 'ana'")
                .contains("GET /api/assets/" + peopleId));
        // a list without people in it writes no audit row
        long now = count(server, "SELECT count(*) FROM asset_audit");
        features("?kind=place", analyst);
        assertEquals(now, count(server, "SELECT count(*) FROM asset_audit"));
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndStoresNothing() throws Exception {
        String inside = point(server, ward1[0], ward1[1]);
        long before = count(server, "SELECT count(*) FROM asset");
        assertProblem(400, "category", post(server, "/api/assets", planner, place("no-such-category", "X", inside)));
        var bowTie = "{\"type\":\"Polygon\",\"coordinates\":[[" + corner(0, 0) + "," + corner(200, 200) + "," + corner(200, 0) + ","
                + corner(0, 200) + "," + corner(0, 0) + "]]}";
        var invalid = post(server, "/api/assets", planner, place("park-green-space", "Bow tie", bowTie));
        assertProblem(422, "geometry", invalid);
        assertTrue(json(invalid).path("detail").asText().contains("Self-intersection"), invalid.body());
        var outside = post(server, "/api/assets", planner, place("library", "British Library", "{\"type\":\"Point\",\"coordinates\":[-0.1276,51.5299]}"));
        assertProblem(422, "geometry", outside);
        assertTrue(json(outside).path("detail").asText().contains("outside the council area"), outside.body());
        assertProblem(400, "body", post(server, "/api/assets", planner, "{\"kind\": \"place\", "));
        assertProblem(400, "body", post(server, "/api/assets", planner, "null"));
        assertProblem(400, "body", post(server, "/api/assets", planner, ""));
        assertProblem(400, "colour", post(server, "/api/assets", planner, "{\"kind\": \"place\", \"colour\": \"red\"}"));
        assertProblem(400, "last_checked", post(server, "/api/assets", planner,
                "{\"kind\":\"place\",\"category\":\"library\",\"name\":\"X\",\"geometry\":" + inside + ",\"last_checked\":\"yesterday\"}"));
        assertProblem(400, "geometry", post(server, "/api/assets", planner, "{\"kind\":\"place\",\"category\":\"library\",\"name\":\"X\"}"));
        assertProblem(400, "kind", post(server, "/api/assets", planner, place("library", "X", inside).replace("\"place\"", "\"building\"")));
        assertProblem(400, "name", post(server, "/api/assets", planner, place("library", " ", inside)));
        assertProblem(400, "geometry.type", post(server, "/api/assets", planner, """
                {"kind": "service", "category": "youth-club", "name": "Club", "geometry": %s}""".formatted(square(server, ward1[0], ward1[1], 50))));
        assertProblem(400, "geometry.coordinates", post(server, "/api/assets", planner, place("library", "X", "{\"type\":\"Point\",\"coordinates\":[500,1]}")));
        assertProblem(400, "service_area.wards[1]", post(server, "/api/assets", planner, """
                {"kind": "service", "category": "youth-club", "name": "Club", "service_area": {"wards": ["%s", "E05999999"]}}"""
                .formatted(demoWardCode(server, 1))));
        assertProblem(400, "schedules[0].opens_at", post(server, "/api/assets", planner, """
                {"kind": "service", "category": "youth-club", "name": "Club", "schedules": [{"byday": "MO", "opens_at": "25:00"}]}"""));
        assertProblem(400, "eligibility[0].maximum_age", post(server, "/api/assets", planner, """
                {"kind": "service", "category": "youth-club", "name": "Club", "eligibility": [{"minimum_age": 19, "maximum_age": 11}]}"""));
        assertProblem(400, "email", post(server, "/api/assets", planner, """
                {"kind": "service", "category": "youth-club", "name": "Club", "email": "not an address"}"""));
        assertProblem(400, "category", get(server, "/api/assets?category=nope", viewer));
        assertProblem(400, "bbox", get(server, "/api/assets?bbox=1,2,3", viewer));
        assertProblem(400, "limit", get(server, "/api/assets?limit=0", viewer));
        assertProblem(400, "near", get(server, "/api/assets/search?near=abc", viewer));
        assertProblem(400, "radius", get(server, "/api/assets/search?radius=100", viewer));
        assertProblem(400, "ward", get(server, "/api/assets/search?ward=NOPE", viewer));
        assertProblem(400, "lat", get(server, "/api/assets/nearest?lon=-1.2", viewer));
        assertProblem(400, "category", get(server, "/api/assets/gaps", viewer));
        assertProblem(400, "incident_category", get(server, "/api/assets/gaps?category=youth-provision&incident_category=nope", viewer));
        assertProblem(400, "method", get(server, "/api/assets/gaps?category=youth-provision&method=magic", viewer));
        assertProblem(400, "level", get(server, "/api/assets/coverage?level=county", viewer));
        assertProblem(400, "distance", get(server, "/api/assets/coverage?distance=-5", viewer));
        assertEquals(before, count(server, "SELECT count(*) FROM asset"), "nothing was stored");
    }

    private static String corner(double dx, double dy) throws Exception {
        double[] p = lonLat(server, ward1[0] + dx, ward1[1] + dy);
        return "[" + p[0] + "," + p[1] + "]";
    }

    @Test
    void adminsExtendTheTaxonomyAndCategoryFiltersIncludeDescendants() throws Exception {
        var created = post(server, "/api/assets/categories", admin, "{\"code\": \"boxing-club\", \"label\": \"Boxing club\", \"parent\": \"youth-provision\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertProblem(409, "code", post(server, "/api/assets/categories", admin, "{\"code\": \"boxing-club\", \"label\": \"Again\"}"));
        assertProblem(400, "parent", post(server, "/api/assets/categories", admin, "{\"code\": \"x-club\", \"label\": \"X\", \"parent\": \"nope\"}"));
        assertProblem(400, "code", post(server, "/api/assets/categories", admin, "{\"code\": \"Bad Code\", \"label\": \"X\"}"));
        assertProblem(403, "role", post(server, "/api/assets/categories", planner, "{\"code\": \"y-club\", \"label\": \"Y\"}"));
        JsonNode categories = json(server.get("/api/assets/categories")).path("categories");
        boolean found = false;
        for (JsonNode c : categories) found |= c.path("code").asText().equals("boxing-club") && c.path("parent").asText().equals("youth-provision");
        assertTrue(found, categories.toString());
        create(planner, place("boxing-club", "Ward Two Boxing (test)", point(server, ward2[0] + 50, ward2[1])));
        assertTrue(names(features("?category=children-young-people", viewer)).contains("Ward Two Boxing (test)"));
        assertTrue(names(features("?category=youth-provision", viewer)).contains("Ward Two Boxing (test)"));
        assertFalse(names(features("?category=health", viewer)).contains("Ward Two Boxing (test)"));
    }

    @Test
    void staleAfterTheConfiguredAge() throws Exception {
        create(planner, """
                {"kind": "place", "category": "pharmacy", "name": "Old Pharmacy (test)", "geometry": %s,
                 "last_checked": "%s"}""".formatted(point(server, ward1[0] + 30, ward1[1]), java.time.LocalDate.now().minusDays(400)));
        create(planner, """
                {"kind": "place", "category": "pharmacy", "name": "New Pharmacy (test)", "geometry": %s}""".formatted(point(server, ward1[0] - 30, ward1[1])));
        JsonNode stale = features("?category=pharmacy&stale=true", viewer);
        assertEquals(List.of("Old Pharmacy (test)"), names(stale));
        assertTrue(stale.get(0).path("properties").path("stale").asBoolean());
        assertEquals(List.of("New Pharmacy (test)"), names(features("?category=pharmacy&stale=false", viewer)));
    }

    @Test
    void searchGivesDistancesThatMatchPostgis() throws Exception {
        double[][] offsets = {{120, 0}, {0, 450}, {-900, -300}};
        for (int k = 0; k < offsets.length; k++) {
            create(planner, """
                    {"kind": "place", "category": "gp-surgery", "name": "Search Surgery %d", "description": "General practice with nurse clinics",
                     "geometry": %s}""".formatted(k, point(server, ward2[0] + offsets[k][0], ward2[1] + offsets[k][1])));
        }
        create(planner, """
                {"kind": "service", "category": "money-advice", "name": "Debt clinic (test)", "organisation": {"name": "Advice Org Test"},
                 "geometry": %s}""".formatted(point(server, ward2[0] + 200, ward2[1] + 200)));
        double[] near = lonLat(server, ward2[0], ward2[1]);
        String nearParam = near[0] + "," + near[1];
        var response = get(server, "/api/assets/search?category=gp-surgery&near=" + nearParam, viewer);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode results = json(response).path("features");
        assertEquals("distance", json(response).path("meta").path("order").asText());
        double last = -1;
        List<String> found = new ArrayList<>();
        for (JsonNode f : results) {
            double d = f.path("properties").path("distance_m").asDouble();
            assertTrue(d >= last, "ordered by distance");
            last = d;
            long id = f.path("id").asLong();
            double independent;
            try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement(
                    "SELECT ST_Distance(geom, ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700)) FROM asset WHERE id = ?")) {
                ps.setDouble(1, near[0]);
                ps.setDouble(2, near[1]);
                ps.setLong(3, id);
                var rs = ps.executeQuery();
                rs.next();
                independent = rs.getDouble(1);
            }
            assertEquals(independent, d, 0.06, "distance of " + f.path("properties").path("name"));
            found.add(f.path("properties").path("name").asText());
        }
        assertEquals(List.of("Search Surgery 0", "Search Surgery 1", "Search Surgery 2"), found.subList(0, 3));
        assertEquals(120.0, results.get(0).path("properties").path("distance_m").asDouble(), 0.5, "the BNG offset, as the crow flies");

        JsonNode within = json(get(server, "/api/assets/search?category=gp-surgery&near=" + nearParam + "&radius=500", viewer)).path("features");
        assertEquals(List.of("Search Surgery 0", "Search Surgery 1"), names(within));
        // free text: full-text stems ("clinics" matches "clinic"), substrings of names, the organisation's name
        assertTrue(names(json(get(server, "/api/assets/search?q=clinics", viewer)).path("features")).contains("Debt clinic (test)"));
        assertTrue(names(json(get(server, "/api/assets/search?q=surg", viewer)).path("features")).contains("Search Surgery 2"));
        assertTrue(names(json(get(server, "/api/assets/search?q=Advice%20Org", viewer)).path("features")).contains("Debt clinic (test)"));
        assertTrue(names(json(get(server, "/api/assets/search?q=nurse&near=" + nearParam, viewer)).path("features")).contains("Search Surgery 1"));
        String ward = demoWardCode(server, 2);
        JsonNode inWard = json(get(server, "/api/assets/search?category=gp-surgery&ward=" + ward, viewer)).path("features");
        assertTrue(names(inWard).contains("Search Surgery 0"), inWard.toString());
        for (JsonNode f : inWard) assertEquals(ward, f.path("properties").path("ward").asText());
    }

    @Test
    void aMisspeltSearchSuggestsNamesSpeltAlike() throws Exception {
        create(planner, place("library", "Quarrybank Library", point(server, ward1[0] + 60, ward1[1] + 60)));
        var exact = json(get(server, "/api/assets/search?q=Quarrybank%20library", viewer));
        assertFalse(exact.path("meta").path("suggestions").asBoolean(), exact.path("meta").toString());
        assertTrue(names(exact.path("features")).contains("Quarrybank Library"));

        var misspelt = get(server, "/api/assets/search?q=libary", viewer);
        assertEquals(200, misspelt.statusCode(), misspelt.body());
        JsonNode body = json(misspelt);
        assertTrue(body.path("meta").path("suggestions").asBoolean(), "nothing is spelt \"libary\": suggestions " + body.path("meta"));
        assertEquals("similarity", body.path("meta").path("order").asText());
        List<String> found = names(body.path("features"));
        assertTrue(found.contains("Quarrybank Library"), "suggested: " + found);
        for (String name : found) assertTrue(name.toLowerCase().contains("librar"), "every suggestion is spelt alike: " + found);

        var misspeltNear = json(get(server, "/api/assets/search?q=Quarybank&category=library", viewer));
        assertEquals(List.of("Quarrybank Library"), names(misspeltNear.path("features")), "suggestions keep the other filters");

        var nothing = json(get(server, "/api/assets/search?q=zqxjvw", viewer));
        assertEquals(0, nothing.path("features").size(), nothing.toString());
        // suggestions never show what the caller may not see: people assets stay hidden from a viewer
        var champion = json(get(server, "/api/assets/search?q=Pat%20Champoin", viewer));
        assertFalse(champion.toString().contains("Pat Champion"), champion.toString());
        var championAdmin = json(get(server, "/api/assets/search?q=Pat%20Champoin", admin));
        assertTrue(names(championAdmin.path("features")).contains("Pat Champion"), championAdmin.toString());
    }

    @Test
    void nearestAssetAndServicesWithinWalkingDistance() throws Exception {
        double[] at = demoWardPoint(server, 3);
        // the point on surface of the demo ward farthest from ward 3's
        double[] far = new double[2];
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(b.geom) p FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo') x ORDER BY ST_Distance(p, ST_SetSRID(ST_MakePoint(?, ?), 27700)) DESC LIMIT 1""")) {
            ps.setDouble(1, at[0]);
            ps.setDouble(2, at[1]);
            var rs = ps.executeQuery();
            rs.next();
            far[0] = rs.getDouble(1);
            far[1] = rs.getDouble(2);
        }
        assertTrue(Math.hypot(far[0] - at[0], far[1] - at[1]) > 2000);
        create(planner, place("community-hub", "Near Hub (test)", point(server, at[0] + 300, at[1])));
        create(planner, place("community-hub", "Far Hub (test)", point(server, far[0], far[1])));
        create(planner, """
                {"kind": "service", "category": "youth-club", "name": "Walkable club (test)", "geometry": %s}"""
                .formatted(point(server, at[0], at[1] + 500)));
        create(planner, """
                {"kind": "service", "category": "youth-club", "name": "Too far club (test)", "geometry": %s}"""
                .formatted(point(server, far[0] + 10, far[1])));
        double[] p = lonLat(server, at[0], at[1]);
        var response = get(server, "/api/assets/nearest?lon=" + p[0] + "&lat=" + p[1] + "&category=community-hub", viewer);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        JsonNode nearest = body.path("nearest").get(0);
        assertEquals("Near Hub (test)", nearest.path("properties").path("name").asText());
        assertEquals(300, nearest.path("properties").path("distance_m").asDouble(), 0.5);
        assertEquals(800, body.path("walk_m").asDouble());
        List<String> walkable = names(body.path("services_within_walk").path("features"));
        assertTrue(walkable.contains("Walkable club (test)"), walkable.toString());
        assertFalse(walkable.contains("Too far club (test)"));
        JsonNode wider = json(get(server, "/api/assets/nearest?lon=" + p[0] + "&lat=" + p[1] + "&category=community-hub&walk=10000&count=2", viewer));
        assertEquals(List.of("Near Hub (test)", "Far Hub (test)"), names(wider.path("nearest")));
        assertTrue(names(wider.path("services_within_walk").path("features")).contains("Too far club (test)"));
    }

    @Test
    void csvImportByApiKeepsGoodRowsAndReportsBadOnesByLine() throws Exception {
        double[] a = lonLat(server, ward1[0], ward1[1]);
        String csv = """
                name,category,lon,lat,easting,northing,wkt,last_checked,organisation
                Lon Lat Hub,community-hub,%s,%s,,,,2025-01-02,Hub Trust (csv)
                Grid Hub,community-hub,,,%s,%s,,,hub trust (CSV)
                Footprint Hub,community-hub,,,,,"POLYGON ((%s %s, %s %s, %s %s, %s %s))",,
                Nowhere Hub,community-hub,,,,,,,
                Bad Category,not-a-category,%s,%s,,,,,
                Far Hub,community-hub,,,530000,180000,,,Far Away Trust (csv)
                Broken Hub,community-hub,,,,,"POLYGON ((%s %s, %s %s, %s %s, %s %s, %s %s))",,
                """.formatted(a[0], a[1], ward1[0] + 10, ward1[1] + 10,
                ward1[0], ward1[1], ward1[0] + 20, ward1[1], ward1[0] + 20, ward1[1] + 20, ward1[0], ward1[1],
                a[0], a[1],
                ward1[0], ward1[1], ward1[0] + 20, ward1[1] + 20, ward1[0] + 20, ward1[1], ward1[0], ward1[1] + 20, ward1[0], ward1[1]);
        var response = server.send("POST", "/api/assets/import?format=csv", HttpRequest.BodyPublishers.ofString(csv),
                "Content-Type", "text/csv", "Authorization", "Bearer " + planner);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = json(response);
        assertEquals(7, report.path("read").asInt());
        assertEquals(3, report.path("imported").asInt());
        assertEquals(4, report.path("rejected").asInt());
        List<String> where = new ArrayList<>();
        for (JsonNode issue : report.path("issues")) where.add(issue.path("where").asText() + ": " + issue.path("message").asText());
        assertTrue(where.get(0).startsWith("line 5: no geometry"), where.toString());
        assertTrue(where.get(1).startsWith("line 6: unknown category"), where.toString());
        assertTrue(where.get(2).startsWith("line 7: outside the council area"), where.toString());
        assertTrue(where.get(3).startsWith("line 8: invalid polygon: Self-intersection"), where.toString());
        JsonNode hubs = features("?category=community-hub", viewer);
        assertTrue(names(hubs).containsAll(List.of("Lon Lat Hub", "Grid Hub", "Footprint Hub")));
        assertEquals(1, count(server, "SELECT count(*) FROM organisation WHERE lower(name) = 'hub trust (csv)'"), "one organisation, matched by name");
        assertEquals(2, count(server, "SELECT count(*) FROM asset a JOIN organisation o ON o.id = a.organisation_id WHERE o.name = 'Hub Trust (csv)'"));
        assertEquals(0, count(server, "SELECT count(*) FROM organisation WHERE name = 'Far Away Trust (csv)'"), "nothing of a rejected row is stored");
        assertEquals(403, server.send("POST", "/api/assets/import?format=csv", HttpRequest.BodyPublishers.ofString(csv),
                "Content-Type", "text/csv", "Authorization", "Bearer " + viewer).statusCode());
        assertProblem(400, "format", server.send("POST", "/api/assets/import?format=xlsx", HttpRequest.BodyPublishers.ofString(csv),
                "Content-Type", "text/csv", "Authorization", "Bearer " + planner));
        assertProblem(422, "file", server.send("POST", "/api/assets/import?format=csv", HttpRequest.BodyPublishers.ofString("name,category\nX,library\n"),
                "Content-Type", "text/csv", "Authorization", "Bearer " + planner));
    }

    @Test
    void demoAssetsAreGeneratedInsideTheDemoWardsAndLabelledDemo(@TempDir Path dir) throws Exception {
        try (TestServer other = new TestServer()) {
            var loader = new DemoLoader(other.dataSource, dir);
            loader.loadIfMissing();
            int n = loader.loadDemoAssets();
            assertTrue(n > 60, n + " demo assets");
            assertEquals(n, loader.loadDemoAssets(), "loading again adds nothing");
            assertEquals(0, count(other, "SELECT count(*) FROM asset WHERE NOT demo OR name NOT LIKE '% (demo)'"));
            assertEquals(0, count(other, """
                    SELECT count(*) FROM asset a WHERE a.geom IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                        WHERE s.version = 'demo' AND s.level = 'ward' AND ST_Intersects(b.geom, a.geom))"""));
            for (String kind : List.of("place", "service", "people")) {
                assertTrue(count(other, "SELECT count(*) FROM asset WHERE kind = '" + kind + "'") > 0, kind);
            }
            assertEquals(String.valueOf(n), AssetFixtures.string(other, "SELECT count(DISTINCT uid) FROM asset"));
            assertNotNull(AssetFixtures.string(other, "SELECT name FROM asset WHERE category = 'youth-club' AND kind = 'place' LIMIT 1"));
        }
    }
}
