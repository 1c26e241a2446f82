package aim.incidents;

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/incidents over HTTP: filters, cursor paging, and what each role may see. */
@Tag("postgis")
class IncidentApiTest {
    @Fresh static TestServer server;
    static String analyst, viewer, warden, otherWarden;
    static long wardenUserId;
    static String wardCode;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("ana", Role.ANALYST);
        viewer = server.userToken("vera", Role.VIEWER);
        warden = server.userToken("wes", Role.WARDEN);
        otherWarden = server.userToken("wyn", Role.WARDEN);
        wardenUserId = server.accounts.find("wes").orElseThrow().id();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            var rs = st.executeQuery("""
                    SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code LIMIT 1""");
            rs.next();
            wardCode = rs.getString(1);
            // 10 council ASB rows in that ward over Oct 2025, one sensitive racially motivated incident,
            // one warden fly-tip with personal data, and one police row with no location
            st.execute("""
                    WITH w AS (SELECT b.geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                               WHERE s.level = 'ward' AND s.version = 'demo' AND b.code = '%s')
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          external_key, description, reporter_name)
                    SELECT 'council', 'asb-noise', timestamptz '2025-10-01 12:00+01' + (n || ' days')::interval, 'day',
                           ST_PointOnSurface(w.geom), 'exact', 'c' || n, 'loud music at no. ' || n, 'Resident ' || n
                    FROM w, generate_series(1, 10) AS n;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, description)
                    VALUES ('council', 'racially-motivated', '2025-10-05 10:00+01', 'minute',
                            ST_SetSRID(ST_MakePoint(450123, 515321), 27700), 'exact', 'hate-1', 'details');
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          external_key, description, recorded_by, fly_size, fly_waste_type)
                    VALUES ('warden', 'fly-tipping', '2025-11-02 09:00+00', 'minute',
                            ST_SetSRID(ST_MakePoint(450600, 516200), 27700), 'gps', 'w-1', 'sofa and bags', %d, 'small-van', 'household');
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, area_code)
                    VALUES ('police', 'burglary', '2025-10-01 00:00+01', 'month', NULL, 'area', 'p-nowhere', 'E01000001');
                    """.formatted(wardCode, wardenUserId));
        }
    }

    private JsonNode page(String query, String token) throws Exception {
        var response = server.get("/api/incidents" + query, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/geo+json"));
        return json(response);
    }

    private static JsonNode byCategory(JsonNode collection, String category) {
        for (JsonNode f : collection.path("features")) if (category.equals(f.path("properties").path("category").asText())) return f;
        return null;
    }

    @Test
    void signedOutCallersGetNothing() throws Exception {
        assertEquals(401, server.get("/api/incidents").statusCode());
        assertEquals(200, server.get("/api/incidents/categories").statusCode(), "the taxonomy is public");
    }

    @Test
    void analystsSeeEverythingLocatedWithPersonalDataAndTheWard() throws Exception {
        JsonNode all = page("", analyst);
        assertEquals(12, all.path("features").size(), "area-only rows are never listed");
        JsonNode asb = byCategory(all, "asb-noise").path("properties");
        assertTrue(asb.path("description").asText().startsWith("loud music"));
        assertEquals(wardCode, asb.path("ward").asText());
        assertEquals("ASB: noise", asb.path("category_label").asText());
        JsonNode hate = byCategory(all, "racially-motivated");
        assertEquals("exact", hate.path("properties").path("location_precision").asText());
    }

    @Test
    void viewersGetNoPersonalDataAndOnlyGeneralisedSensitiveLocations() throws Exception {
        JsonNode all = page("", viewer);
        for (JsonNode f : all.path("features")) {
            JsonNode p = f.path("properties");
            for (String personal : List.of("description", "reporter_name", "reporter_contact", "recorded_by")) {
                assertFalse(p.has(personal), personal + " leaked to a viewer: " + p);
            }
        }
        JsonNode hate = byCategory(all, "racially-motivated");
        assertEquals("generalised", hate.path("properties").path("location_precision").asText());
        // the generalised point is the centre of the 500 m square (450000..450500, 515000..515500)
        var centre = server.dataSource.getConnection().createStatement().executeQuery(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(450250, 515250), 27700), 4326) p) x");
        centre.next();
        JsonNode xy = hate.path("geometry").path("coordinates");
        assertEquals(centre.getDouble(1), xy.get(0).asDouble(), 1e-6);
        assertEquals(centre.getDouble(2), xy.get(1).asDouble(), 1e-6);
        assertFalse(page("", viewer).toString().contains("Resident 1"));
    }

    @Test
    void wardensSeePersonalDataOfTheirOwnReportsOnly() throws Exception {
        JsonNode own = byCategory(page("", warden), "fly-tipping").path("properties");
        assertEquals("sofa and bags", own.path("description").asText());
        assertEquals("wes", own.path("recorded_by").asText());
        assertEquals("small-van", own.path("fly_size").asText());
        JsonNode others = byCategory(page("", otherWarden), "fly-tipping").path("properties");
        assertFalse(others.has("description"));
        assertFalse(byCategory(page("", warden), "asb-noise").path("properties").has("reporter_name"));
    }

    @Test
    void cursorPagingVisitsEveryIncidentOnce() throws Exception {
        Set<Long> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode p = page("?limit=5" + (cursor == null ? "" : "&cursor=" + cursor), analyst);
            for (JsonNode f : p.path("features")) assertTrue(seen.add(f.path("id").asLong()), "duplicate " + f.path("id"));
            assertTrue(p.path("features").size() <= 5);
            cursor = p.path("meta").path("next_cursor").isNull() ? null : p.path("meta").path("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(12, seen.size());
        assertEquals(3, pages);
    }

    @Test
    void newestFirstPagesBackwardsAndAfterKeepsOnlyNewerIncidents() throws Exception {
        List<Long> oldest = new ArrayList<>();
        for (JsonNode f : page("?limit=100", analyst).path("features")) oldest.add(f.path("id").asLong());
        List<Long> newest = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode p = page("?order=newest&limit=5" + (cursor == null ? "" : "&cursor=" + cursor), analyst);
            for (JsonNode f : p.path("features")) newest.add(f.path("id").asLong());
            cursor = p.path("meta").path("next_cursor").textValue();
        } while (cursor != null);
        List<Long> reversed = new ArrayList<>(oldest);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, newest);
        long pivot = oldest.get(8);
        assertEquals(oldest.subList(9, oldest.size()), page("?after=" + pivot, analyst).findValues("id").stream()
                .filter(JsonNode::isNumber).map(JsonNode::asLong).distinct().toList());
        assertEquals(400, server.get("/api/incidents?order=random", "Authorization", "Bearer " + analyst).statusCode());
    }

    @Test
    void filtersNarrowTheList() throws Exception {
        assertEquals(10, page("?category=asb-noise", analyst).path("features").size());
        assertEquals(1, page("?source=warden", analyst).path("features").size());
        assertEquals(11, page("?category=asb-noise,racially-motivated&source=council", analyst).path("features").size());
        // 2025-10-02 .. 2025-10-04 inclusive: three of the daily ASB rows
        assertEquals(3, page("?category=asb-noise&from=2025-10-02&to=2025-10-04", analyst).path("features").size());
        assertEquals(10, page("?ward=" + wardCode, analyst).path("features").size());
        JsonNode none = page("?bbox=-1.0,54.0,-0.9,54.1", analyst);
        assertEquals(0, none.path("features").size());
        assertNull(none.path("meta").path("next_cursor").textValue());
        String neighbourhood = json(server.get("/api/boundaries/ward/" + wardCode)).path("neighbourhoods").get(0).asText().split(":")[1];
        assertTrue(page("?neighbourhood=" + neighbourhood, analyst).path("features").size() >= 10);
        List<Long> ids = new ArrayList<>();
        for (JsonNode f : page("?category=asb-noise", analyst).path("features")) ids.add(f.path("id").asLong());
        JsonNode one = json(server.get("/api/incidents/" + ids.get(0), "Authorization", "Bearer " + viewer));
        assertEquals("asb-noise", one.path("properties").path("category").asText());
        assertFalse(one.path("properties").has("description"));
    }

    @Test
    void badParametersAreProblemsNamingTheField() throws Exception {
        for (String[] c : new String[][]{
                {"?bbox=1,2,3", "bbox"}, {"?bbox=a,b,c,d", "bbox"}, {"?bbox=10,10,5,5", "bbox"},
                {"?category=arson-ish", "category"}, {"?source=twitter", "source"}, {"?status=done", "status"},
                {"?limit=0", "limit"}, {"?limit=999999", "limit"}, {"?cursor=garbage!", "cursor"},
                {"?from=2025-13-01", "from"}, {"?from=2025-10-05&to=2025-10-01", "to"},
                {"?ward=NOPE", "ward"}, {"?version=nope", "version"}}) {
            var response = server.get("/api/incidents" + c[0], "Authorization", "Bearer " + analyst);
            assertTrue(response.statusCode() == 400 || response.statusCode() == 404, c[0] + " → " + response.statusCode());
            assertEquals(c[1], json(response).path("field").asText(), c[0] + " → " + response.body());
        }
        var missing = server.get("/api/incidents/999999", "Authorization", "Bearer " + analyst);
        assertEquals(404, missing.statusCode());
        assertEquals(400, server.get("/api/incidents/abc", "Authorization", "Bearer " + analyst).statusCode());
    }
}
