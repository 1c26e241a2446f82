package aim.ogc;

import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static aim.ogc.OgcFixture.count;
import static aim.ogc.OgcFixture.column;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OGC API – Features over HTTP with real PostGIS, modelled on the abstract test suites of Part 1 (landing page,
 * API definition, conformance, collections, items with limit, bbox, datetime, paging and numberMatched, one
 * feature, error cases) and Part 2 (crs, bbox-crs, Content-Crs, coordinates in EPSG:27700 equal to the stored
 * ones), plus the role redaction of incidents, assets without people, problems, hotspots and ETags.
 */
@Tag("postgis")
class OgcFeaturesApiTest {
    static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    static final String BNG = "http://www.opengis.net/def/crs/EPSG/0/27700";
    static final String DEMO_WARDS = "FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo'";

    @Fresh static TestServer server;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        OgcFixture.load(server, dir);
    }

    // ---- Part 1: landing page, API definition, conformance

    @Test
    void theLandingPageLinksEverythingWithTypes() throws Exception {
        var r = get("/ogc", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode links = json(r).path("links");
        for (String rel : List.of("self", "service-desc", "conformance", "data")) {
            JsonNode link = link(links, rel);
            assertNotNull(link, rel);
            assertTrue(link.path("href").asText().startsWith("http://"), rel + " links are absolute");
            assertFalse(link.path("type").asText().isEmpty(), rel + " has a type");
        }
        var api = getUrl(link(links, "service-desc").path("href").asText(), null);
        assertEquals(200, api.statusCode());
        assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.oai.openapi+json"));
        JsonNode doc = json(api);
        assertTrue(doc.path("openapi").asText().startsWith("3.0"));
        assertTrue(doc.path("paths").has("/collections/{collectionId}/items"));
        assertEquals(5000, doc.path("paths").path("/collections/{collectionId}/items").path("get").path("parameters")
                .findValues("maximum").get(0).asInt(), "the largest limit is the configured one");
        assertEquals(200, get("/ogc?f=json", null).statusCode());
        assertProblem(get("/ogc?f=html", null), 400, "f");
        assertProblem(get("/ogc?foo=1", null), 400, "foo");
    }

    @Test
    void conformanceListsOnlyTheClassesImplemented() throws Exception {
        JsonNode body = json(get("/ogc/conformance", null));
        Set<String> classes = new HashSet<>();
        body.path("conformsTo").forEach(c -> classes.add(c.asText()));
        assertEquals(Set.of("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"), classes);
    }

    // ---- collections

    @Test
    void signedOutCallersSeeOnlyThePublicCollections() throws Exception {
        assertEquals(List.of("wards", "neighbourhoods", "zones", "lsoa"), ids(json(get("/ogc/collections", null)).path("collections")));
        assertEquals(List.of("wards", "neighbourhoods", "zones", "lsoa", "assets", "incidents", "hotspots", "problems"),
                ids(json(get("/ogc/collections", OgcFixture.viewer)).path("collections")));
        for (String id : List.of("assets", "incidents", "hotspots", "problems")) {
            for (String path : List.of("", "/items", "/items/1", "/schema")) {
                var r = get("/ogc/collections/" + id + path, null);
                assertProblem(r, 401, "Authorization");
                assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
            }
        }
        assertProblem(get("/ogc/collections/incidents/items", "not-a-token"), 401, "Authorization");
    }

    @Test
    void eachCollectionDescribesItselfItsCrsAndItsSchema() throws Exception {
        for (JsonNode c : json(get("/ogc/collections", OgcFixture.analyst)).path("collections")) {
            String id = c.path("id").asText();
            assertFalse(id.contains("."), id);
            JsonNode one = json(get("/ogc/collections/" + id, OgcFixture.analyst));
            assertEquals(id, one.path("id").asText());
            assertEquals("feature", one.path("itemType").asText());
            assertEquals(List.of(CRS84, BNG), texts(one.path("crs")));
            assertEquals(BNG, one.path("storageCrs").asText());
            JsonNode box = one.path("extent").path("spatial").path("bbox").get(0);
            assertEquals(Double.parseDouble(OgcFixture.scalar(server, "SELECT ST_XMin(ST_Extent(ST_Transform(b.geom, 4326))) " + DEMO_WARDS)),
                    box.get(0).asDouble(), 1e-9, "the borough's extent");
            assertEquals("application/geo+json", link(one.path("links"), "items").path("type").asText());
            JsonNode describedBy = link(one.path("links"), "describedby");
            var schema = getUrl(describedBy.path("href").asText(), OgcFixture.analyst);
            assertEquals(200, schema.statusCode());
            JsonNode properties = json(schema).path("properties");
            assertEquals("primary-geometry", properties.path("geometry").path("x-ogc-role").asText());
            // every field a feature has is in the schema
            JsonNode feature = json(get("/ogc/collections/" + id + "/items?limit=1", OgcFixture.analyst)).path("features").get(0);
            if (feature == null) continue;
            feature.path("properties").fieldNames().forEachRemaining(f -> assertTrue(properties.has(f), id + "." + f));
        }
        assertProblem(get("/ogc/collections/nope", null), 404, "collectionId");
        assertProblem(get("/ogc/collections/nope/items", null), 404, "collectionId");
        assertProblem(get("/ogc/collections/wards.json/items", null), 404, "collectionId");
    }

    // ---- items: limit, paging, numberMatched

    @Test
    void wardsArePagedInIdOrderWithNextAndPrevLinks() throws Exception {
        List<String> expected = column(server, "SELECT b.id " + DEMO_WARDS + " ORDER BY b.id");
        List<String> seen = new ArrayList<>();
        String url = server.url("/ogc/collections/wards/items?limit=6");
        int pages = 0;
        while (url != null) {
            var r = getUrl(url, null);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("<" + CRS84 + ">", r.headers().firstValue("Content-Crs").orElse(""));
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/geo+json"));
            JsonNode page = json(r);
            assertEquals("FeatureCollection", page.path("type").asText());
            assertEquals(expected.size(), page.path("numberMatched").asInt());
            assertEquals(page.path("features").size(), page.path("numberReturned").asInt());
            assertFalse(page.path("timeStamp").asText().isEmpty());
            assertNotNull(link(page.path("links"), "self"));
            if (pages > 0) assertNotNull(link(page.path("links"), "prev"), "page " + pages + " links back");
            page.path("features").forEach(f -> seen.add(f.path("id").asText()));
            JsonNode next = link(page.path("links"), "next");
            url = next == null ? null : next.path("href").asText();
            pages++;
        }
        assertEquals(4, pages);
        assertEquals(expected, seen);
        // the prev link of the second page gives the first page again
        JsonNode second = json(get("/ogc/collections/wards/items?limit=6&offset=6", null));
        JsonNode first = json(getUrl(link(second.path("links"), "prev").path("href").asText(), null));
        assertEquals(expected.subList(0, 6), featureIds(first));
        assertEquals(expected.subList(6, 12), featureIds(second));
    }

    @Test
    void limitDefaultsTo100IsClampedAtTheMaximumAndRefusesNonsense() throws Exception {
        JsonNode page = json(get("/ogc/collections/incidents/items", OgcFixture.analyst));
        assertEquals(100, page.path("numberReturned").asInt());
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL"), page.path("numberMatched").asLong());
        assertEquals(200, get("/ogc/collections/incidents/items?limit=1000000", OgcFixture.analyst).statusCode(), "clamped, not refused");
        for (String bad : List.of("0", "-1", "abc", "1.5", "")) {
            if (bad.isEmpty()) continue;
            assertProblem(get("/ogc/collections/wards/items?limit=" + bad, null), 400, "limit");
        }
        assertProblem(get("/ogc/collections/wards/items?offset=-1", null), 400, "offset");
        assertProblem(get("/ogc/collections/wards/items?after=x", null), 400, "after");
        assertProblem(get("/ogc/collections/hotspots/items?after=1", OgcFixture.analyst), 400, "after");
    }

    @Test
    void aLimitAboveTheConfiguredMaximumIsClampedAndLinksUseThePublicOrigin() throws Exception {
        var config = aim.Config.fromEnvironment(java.util.Map.of("AIM_MAX_PAGE_SIZE", "7", "AIM_TILE_URL", "",
                "AIM_PUBLIC_ORIGIN", "https://aim.example.gov.uk")).withPort(0);
        var app = aim.web.App.create(config, server.dataSource).start(0);
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + app.port()
                    + "/ogc/collections/wards/items?limit=1000")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode page = json(r);
            assertEquals(7, page.path("numberReturned").asInt());
            String next = link(page.path("links"), "next").path("href").asText();
            assertTrue(next.startsWith("https://aim.example.gov.uk/ogc/collections/wards/items?"), next);
            assertTrue(next.contains("limit=7") && next.contains("offset=7"), next);
            var api = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/ogc/api")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("https://aim.example.gov.uk/ogc", json(api).path("servers").get(0).path("url").asText());
        } finally {
            app.stop();
        }
    }

    // ---- bbox, bbox-crs, datetime, filters

    @Test
    void aBboxGivesWhatPostgisSaysInEitherCrs() throws Exception {
        String box = "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(b.geom, 4326)) AS e "
                + DEMO_WARDS + ") x";
        List<String> ext = new ArrayList<>();
        try (var c = server.dataSource.getConnection(); var rs = c.createStatement().executeQuery(box)) {
            rs.next();
            for (int k = 1; k <= 4; k++) ext.add(rs.getString(k));
        }
        double x0 = Double.parseDouble(ext.get(0)), y0 = Double.parseDouble(ext.get(1));
        double x1 = Double.parseDouble(ext.get(2)), y1 = Double.parseDouble(ext.get(3));
        // the south-west third of the borough, in CRS84
        double bx1 = x0 + (x1 - x0) / 3, by1 = y0 + (y1 - y0) / 3;
        String bbox = String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f", x0, y0, bx1, by1);
        List<String> expected = column(server, "SELECT id FROM incident WHERE geom IS NOT NULL AND ST_Intersects(ST_Transform(geom, 4326), "
                + "ST_MakeEnvelope(?, ?, ?, ?, 4326)) ORDER BY id", x0, y0, bx1, by1);
        assertTrue(expected.size() > 20 && expected.size() < 400, "a real subset: " + expected.size());
        JsonNode page = json(get("/ogc/collections/incidents/items?limit=5000&bbox=" + bbox, OgcFixture.analyst));
        assertEquals(expected, featureIds(page));
        assertEquals(expected.size(), page.path("numberMatched").asInt());
        // the same question in British National Grid
        String bng = "/ogc/collections/incidents/items?limit=5000&bbox-crs=" + enc(BNG) + "&bbox=430000,500000,440000,520000";
        assertEquals(column(server, "SELECT id FROM incident WHERE geom IS NOT NULL AND ST_Intersects(geom, "
                + "ST_MakeEnvelope(430000, 500000, 440000, 520000, 27700)) ORDER BY id"), featureIds(json(get(bng, OgcFixture.analyst))));
        // wards meeting a box, in CRS84
        assertEquals(column(server, "SELECT b.id " + DEMO_WARDS + " AND ST_Intersects(ST_Transform(b.geom, 4326), "
                        + "ST_MakeEnvelope(?, ?, ?, ?, 4326)) ORDER BY b.id", x0, y0, bx1, by1),
                featureIds(json(get("/ogc/collections/wards/items?bbox=" + bbox, null))));
        // a box far from Britain meets nothing (and is not an error)
        assertEquals(0, json(get("/ogc/collections/wards/items?bbox=100,10,101,11", null)).path("numberMatched").asInt());
        assertEquals(0, json(get("/ogc/collections/wards/items?bbox=-180,-90,180,-89", null)).path("numberMatched").asInt());
        assertEquals(20, json(get("/ogc/collections/wards/items?bbox=-180,-90,180,90", null)).path("numberMatched").asInt());
        for (String bad : List.of("1,2,3", "a,b,c,d", "3,2,1,4", "1,4,3,2", "-190,0,0,1", "0,0,1,91", "1,2,3,4,5", "NaN,0,1,1", "1,,2,3")) {
            assertProblem(get("/ogc/collections/wards/items?bbox=" + enc(bad), null), 400, "bbox");
        }
        assertProblem(get("/ogc/collections/wards/items?bbox=0,0,1,1&bbox-crs=EPSG:4326", null), 400, "bbox-crs");
        assertProblem(get("/ogc/collections/wards/items?bbox-crs=" + enc(BNG), null), 400, "bbox-crs");
    }

    @Test
    void datetimeFiltersIncidentsByWhenTheyOccurred() throws Exception {
        String base = "/ogc/collections/incidents/items?limit=1&datetime=";
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL AND occurred_at >= '2025-02-01T00:00:00Z' "
                        + "AND occurred_at <= '2025-03-31T23:59:59.999999Z'"),
                json(get(base + enc("2025-02-01/2025-03-31"), OgcFixture.analyst)).path("numberMatched").asLong());
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL AND occurred_at >= '2025-04-01T00:00:00Z'"),
                json(get(base + enc("2025-04-01T00:00:00Z/.."), OgcFixture.analyst)).path("numberMatched").asLong());
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL AND occurred_at <= '2025-01-15T12:00:00Z'"),
                json(get(base + enc("../2025-01-15T12:00:00Z"), OgcFixture.analyst)).path("numberMatched").asLong());
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL AND occurred_at = '2025-03-10T10:00:00Z'"),
                json(get(base + enc("2025-03-10T10:00:00Z"), OgcFixture.analyst)).path("numberMatched").asLong());
        // a police.uk row is dated the first instant of its month
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE source = 'police' AND occurred_at = '2025-02-01 00:00 Europe/London'"),
                json(get(base + enc("2025-02-01T00:00:00Z") + "&source=police", OgcFixture.analyst)).path("numberMatched").asLong());
        for (String bad : List.of("yesterday", "../..", "/", "2025-13-01", "2025-03-01/2025-02-01", "2025-01-01/2025-02-01/2025-03-01",
                "99999-01-01T00:00:00Z", "2025-01-01T00:00:00")) {
            assertProblem(get(base + enc(bad), OgcFixture.analyst), 400, "datetime");
        }
        // collections without time ignore a valid datetime, and still refuse a malformed one
        assertEquals(20, json(get("/ogc/collections/wards/items?datetime=2025-01-01", null)).path("numberMatched").asInt());
        assertProblem(get("/ogc/collections/wards/items?datetime=soon", null), 400, "datetime");
    }

    @Test
    void queryablesFilterByEqualityAndAnythingElseIsRefused() throws Exception {
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL AND category = 'burglary' AND source = 'council'"),
                json(get("/ogc/collections/incidents/items?category=burglary&source=council", OgcFixture.analyst)).path("numberMatched").asLong());
        String code = OgcFixture.scalar(server, "SELECT b.code " + DEMO_WARDS + " ORDER BY b.code LIMIT 1");
        JsonNode one = json(get("/ogc/collections/wards/items?code=" + enc(code), null));
        assertEquals(1, one.path("numberMatched").asInt());
        assertEquals(code, one.path("features").get(0).path("properties").path("code").asText());
        assertEquals(count(server, "SELECT count(*) FROM asset WHERE kind = 'place' AND retired_at IS NULL"),
                json(get("/ogc/collections/assets/items?kind=place", OgcFixture.viewer)).path("numberMatched").asLong());
        assertProblem(get("/ogc/collections/incidents/items?location_text=x", OgcFixture.analyst), 400, "location_text");
        assertProblem(get("/ogc/collections/incidents/items?description=x", OgcFixture.viewer), 400, "description");
        assertProblem(get("/ogc/collections/wards/items?category=burglary", null), 400, "category");
        assertProblem(get("/ogc/collections/wards/items?crs=EPSG:27700", null), 400, "crs");
        assertProblem(get("/ogc/collections/wards/items?version=nope", null), 400, "version");
        assertEquals(20, json(get("/ogc/collections/wards/items?version=demo", null)).path("numberMatched").asInt());
    }

    // ---- one feature

    @Test
    void oneFeatureByIdAndUnknownIds() throws Exception {
        String id = OgcFixture.scalar(server, "SELECT b.id " + DEMO_WARDS + " ORDER BY b.code LIMIT 1");
        var r = get("/ogc/collections/wards/items/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("<" + CRS84 + ">", r.headers().firstValue("Content-Crs").orElse(""));
        JsonNode f = json(r);
        assertEquals("Feature", f.path("type").asText());
        assertEquals(id, f.path("id").asText());
        assertNotNull(link(f.path("links"), "self"));
        assertNotNull(link(f.path("links"), "collection"));
        assertProblem(get("/ogc/collections/wards/items/999999999", null), 404, "featureId");
        assertProblem(get("/ogc/collections/wards/items/abc", null), 404, "featureId");
        assertProblem(get("/ogc/collections/wards/items/1.5", null), 404, "featureId");
        assertProblem(get("/ogc/collections/incidents/items/99999999999999999999", OgcFixture.analyst), 404, "featureId");
        assertProblem(get("/ogc/collections/wards/items/" + id + "?limit=3", null), 400, "limit");
    }

    // ---- Part 2: crs

    @Test
    void britishNationalGridCoordinatesAreTheStoredOnes() throws Exception {
        String id = OgcFixture.scalar(server, "SELECT id FROM incident WHERE external_key = 'ogc-7'");
        var r = get("/ogc/collections/incidents/items/" + id + "?crs=" + enc(BNG), OgcFixture.analyst);
        assertEquals("<" + BNG + ">", r.headers().firstValue("Content-Crs").orElse(""));
        JsonNode xy = json(r).path("geometry").path("coordinates");
        assertEquals(Double.parseDouble(OgcFixture.scalar(server, "SELECT round(ST_X(geom)::numeric, 2) FROM incident WHERE id = ?",
                Long.parseLong(id))), xy.get(0).asDouble(), 1e-9);
        assertEquals(Double.parseDouble(OgcFixture.scalar(server, "SELECT round(ST_Y(geom)::numeric, 2) FROM incident WHERE id = ?",
                Long.parseLong(id))), xy.get(1).asDouble(), 1e-9);
        // CRS84: longitude first, as ST_Transform gives it
        JsonNode lonLat = json(get("/ogc/collections/incidents/items/" + id + "?crs=" + enc(CRS84), OgcFixture.analyst))
                .path("geometry").path("coordinates");
        assertEquals(Double.parseDouble(OgcFixture.scalar(server, "SELECT ST_X(ST_Transform(geom, 4326)) FROM incident WHERE id = ?",
                Long.parseLong(id))), lonLat.get(0).asDouble(), 1e-6);
        // a whole ward page in 27700 equals PostGIS's own GeoJSON of the stored polygons
        var page = get("/ogc/collections/wards/items?limit=3&crs=" + enc(BNG), null);
        assertEquals("<" + BNG + ">", page.headers().firstValue("Content-Crs").orElse(""));
        for (JsonNode f : json(page).path("features")) {
            String geo = OgcFixture.scalar(server, "SELECT ST_AsGeoJSON(geom, 2, 0) FROM boundary WHERE id = ?", f.path("id").asLong());
            assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(geo), f.path("geometry"));
        }
        assertProblem(get("/ogc/collections/wards/items?crs=" + enc("http://www.opengis.net/def/crs/EPSG/0/4326"), null), 400, "crs");
        assertProblem(get("/ogc/collections/wards/items/" + page.body().length() + "?crs=x", null), 400, "crs");
    }

    // ---- redaction, people, problems, hotspots

    @Test
    void incidentsKeepTheJsonApisRedaction() throws Exception {
        double cx = Math.floor(OgcFixture.PX / 500) * 500 + 250, cy = Math.floor(OgcFixture.PY / 500) * 500 + 250;
        String one = "/ogc/collections/incidents/items/" + OgcFixture.reportId + "?crs=" + enc(BNG);
        for (String token : List.of(OgcFixture.viewer)) {
            JsonNode f = json(get(one, token));
            assertEquals(cx, f.path("geometry").path("coordinates").get(0).asDouble(), 1e-9);
            assertEquals(cy, f.path("geometry").path("coordinates").get(1).asDouble(), 1e-9);
            JsonNode p = f.path("properties");
            assertEquals("generalised", p.path("location_precision").asText());
            for (String withheld : List.of("location_text", "accuracy_m", "description", "reporter_name", "reporter_contact")) {
                assertTrue(p.path(withheld).isNull(), withheld + " is withheld");
            }
            // the same as the JSON API's answer for the caller
            JsonNode api = json(server.get("/api/incidents/" + OgcFixture.reportId, "Authorization", "Bearer " + token));
            assertEquals(api.path("properties").path("location_precision").asText(), p.path("location_precision").asText());
            // a box around the true point finds nothing of the category; one around the square's centre finds all four
            String near = String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f", OgcFixture.PX - 2, OgcFixture.PY - 2, OgcFixture.PX + 20, OgcFixture.PY + 20);
            String centre = String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f", cx - 1, cy - 1, cx + 1, cy + 1);
            String q = "/ogc/collections/incidents/items?category=" + OgcFixture.SENSITIVE + "&bbox-crs=" + enc(BNG) + "&bbox=";
            assertEquals(0, json(get(q + near, token)).path("numberMatched").asInt());
            JsonNode atCentre = json(get(q + centre + "&crs=" + enc(BNG), token));
            assertEquals(4, atCentre.path("numberMatched").asInt());
            for (JsonNode g : atCentre.path("features")) {
                assertTrue(g.path("properties").path("description").isNull());
                assertTrue(g.path("properties").path("location_text").isNull());
            }
        }
        // analysts see the exact point and the personal fields; the recording warden sees their own report
        for (String token : List.of(OgcFixture.analyst, OgcFixture.warden)) {
            JsonNode f = json(get(one, token));
            assertEquals(OgcFixture.PX, f.path("geometry").path("coordinates").get(0).asDouble(), 1e-9);
            assertEquals("shouting over the fence", f.path("properties").path("description").asText());
            assertEquals("outside 14 Quiet Lane", f.path("properties").path("location_text").asText());
        }
        // the other three are generalised for the warden, who did not record them
        String near = String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f", OgcFixture.PX - 2, OgcFixture.PY - 2, OgcFixture.PX + 20, OgcFixture.PY + 20);
        String q = "/ogc/collections/incidents/items?category=" + OgcFixture.SENSITIVE + "&bbox-crs=" + enc(BNG) + "&bbox=" + near;
        assertEquals(List.of(Long.toString(OgcFixture.reportId)), featureIds(json(get(q, OgcFixture.warden))));
        assertEquals(4, json(get(q, OgcFixture.analyst)).path("numberMatched").asInt());
    }

    @Test
    void assetsAreThePlacesAndServicesNeverPeople() throws Exception {
        long people = count(server, "SELECT count(*) FROM asset WHERE kind = 'people'");
        assertTrue(people > 0, "the demo has people assets to leave out");
        JsonNode page = json(get("/ogc/collections/assets/items?limit=5000", OgcFixture.analyst));
        assertEquals(count(server, "SELECT count(*) FROM asset WHERE kind IN ('place', 'service') AND retired_at IS NULL"),
                page.path("numberMatched").asLong());
        page.path("features").forEach(f -> assertTrue(Set.of("place", "service").contains(f.path("properties").path("kind").asText())));
        String person = OgcFixture.scalar(server, "SELECT id FROM asset WHERE kind = 'people' LIMIT 1");
        assertProblem(get("/ogc/collections/assets/items/" + person, OgcFixture.analyst), 404, "featureId");
        assertEquals(0, json(get("/ogc/collections/assets/items?kind=people", OgcFixture.analyst)).path("numberMatched").asInt());
    }

    @Test
    void problemsAndTheHotspotGrid() throws Exception {
        JsonNode problems = json(get("/ogc/collections/problems/items", OgcFixture.viewer));
        assertEquals(count(server, "SELECT count(*) FROM problem"), problems.path("numberMatched").asLong());
        assertEquals("Precinct ASB", problems.path("features").get(0).path("properties").path("title").asText());

        var quarter = HotspotGrid.quarter(java.time.LocalDate.now(aim.core.Council.UK));
        JsonNode api = json(server.get("/api/hotspots?method=gistar&cell=250&from=" + quarter.start() + "&to=" + quarter.end(),
                "Authorization", "Bearer " + OgcFixture.analyst));
        JsonNode cells = json(get("/ogc/collections/hotspots/items?limit=5000", OgcFixture.analyst));
        assertEquals(api.path("features").size(), cells.path("numberMatched").asInt());
        assertTrue(cells.path("numberMatched").asInt() > 0);
        Set<String> fromApi = new HashSet<>();
        api.path("features").forEach(f -> fromApi.add(f.path("properties").path("i").asInt() + "_" + f.path("properties").path("j").asInt()
                + ":" + f.path("properties").path("bin").asInt()));
        Set<String> fromOgc = new HashSet<>();
        for (JsonNode f : cells.path("features")) {
            assertFalse(f.path("id").asText().contains("."));
            assertEquals(quarter.label(), f.path("properties").path("quarter").asText());
            fromOgc.add(f.path("id").asText() + ":" + f.path("properties").path("bin").asInt());
        }
        assertEquals(fromApi, fromOgc);
        assertTrue(cells.path("features").findValues("bin").stream().anyMatch(b -> b.asInt() == 3), "the cluster is a hot spot");
        String id = cells.path("features").get(0).path("id").asText();
        assertEquals(200, get("/ogc/collections/hotspots/items/" + id, OgcFixture.analyst).statusCode());
        assertProblem(get("/ogc/collections/hotspots/items/1_2_3", OgcFixture.analyst), 404, "featureId");
    }

    @Test
    void etagsAnswerIfNoneMatchAndChangeWithTheData() throws Exception {
        var first = get("/ogc/collections/wards/items?limit=2", null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        var again = server.get("/ogc/collections/wards/items?limit=2", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(200, server.get("/ogc/collections/wards/items?limit=3", "If-None-Match", etag).statusCode(), "another request");
        // per caller: a viewer's incidents are not an analyst's
        String a = get("/ogc/collections/incidents/items?limit=2", OgcFixture.analyst).headers().firstValue("ETag").orElseThrow();
        String v = get("/ogc/collections/incidents/items?limit=2", OgcFixture.viewer).headers().firstValue("ETag").orElseThrow();
        assertFalse(a.equals(v));
        assertEquals(304, server.get("/ogc/collections/incidents/items?limit=2", "If-None-Match", a,
                "Authorization", "Bearer " + OgcFixture.analyst).statusCode());
        OgcFixture.scalar(server, "UPDATE incident SET status = 'closed' WHERE external_key = 'ogc-3' RETURNING id");
        assertEquals(200, server.get("/ogc/collections/incidents/items?limit=2", "If-None-Match", a,
                "Authorization", "Bearer " + OgcFixture.analyst).statusCode(), "a change to incidents changes the ETag");
        assertEquals(304, server.get("/ogc/collections/wards/items?limit=2", "If-None-Match", etag).statusCode(), "but not the wards'");
    }

    // ---- helpers

    static HttpResponse<String> get(String path, String token) throws Exception {
        return token == null ? server.get(path) : server.get(path, "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> getUrl(String url, String token) throws Exception {
        URI uri = URI.create(url);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        assertEquals(URI.create(server.url("/")).getPort(), uri.getPort(), "links point at this server");
        return get(path, token);
    }

    static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
        if (field != null) assertEquals(field, json(r).path("field").asText(), r.body());
    }

    static JsonNode link(JsonNode links, String rel) {
        for (JsonNode l : links) if (l.path("rel").asText().equals(rel)) return l;
        return null;
    }

    static List<String> ids(JsonNode collections) {
        List<String> ids = new ArrayList<>();
        collections.forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }

    static List<String> texts(JsonNode array) {
        List<String> t = new ArrayList<>();
        array.forEach(a -> t.add(a.asText()));
        return t;
    }

    static List<String> featureIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("features").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
