package aim.places;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.boundaries.BoundaryRepository;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/places on the demo borough with a gazetteer imported as a council would (postcode CSV with
 * bad rows, OS Open Names without its header) and the demo gazetteer: areas by name and code, misspelt
 * names, postcodes however written, districts, and bad input as 400 problems naming the parameter.
 */
@Tag("postgis")
class PlacesApiTest {
    @Fresh static TestServer server;
    static String viewer;
    static String wardName, wardCode, neighbourhoodName;
    static double[] ward1; // EPSG:27700 point in the first demo ward
    static GazetteerImportReport postcodes, names;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        viewer = server.userToken("vera", Role.VIEWER);
        wardName = string("SELECT b.name FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' ORDER BY b.code LIMIT 1");
        wardCode = string("SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' ORDER BY b.code LIMIT 1");
        neighbourhoodName = string("SELECT b.name FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'neighbourhood' ORDER BY b.code LIMIT 1");
        ward1 = point("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(b.geom) p FROM boundary b JOIN boundary_set s ON s.id = b.set_id "
                + "WHERE s.level = 'ward' ORDER BY b.code LIMIT 1) x");
        long e = Math.round(ward1[0]), n = Math.round(ward1[1]);
        var importer = new GazetteerImporter(server.dataSource, new BoundaryRepository(server.dataSource));
        // ONSPD-style: header, pcds with and without spaces, a terminated postcode, bad rows, one far away (Cornwall)
        String onspd = """
                pcd,pcds,doterm,oseast1m,osnrth1m,lat,long
                TS1 2AB,TS1 2AB,,%d,%d,,
                TS1 2AD,TS1 2AD,,%d,%d,,
                TS1 3XY,TS1 3XY,,%d,%d,,
                TS12 9ZZ,TS12 9ZZ,,%d,%d,,
                TS1 9ZA,TS1 9ZA,201004,%d,%d,,
                NOTAPOSTCODE,NOTAPOSTCODE,,%d,%d,,
                TS1 4BB,TS1 4BB,,,,99.999999,0.000000
                TS1 5CC,TS1 5CC,,east,%d,,
                TR1 1AA,TR1 1AA,,182000,44900,,
                """.formatted(e, n, e + 100, n, e + 200, n + 300, e - 200, n - 200, e, n, e, n, n);
        postcodes = importer.importCsv(new StringReader(onspd), "ONSPD_TEST.csv", null, false, false);
        // OS Open Names as the product ships it: no header row, 34 columns
        String road = openNamesRow("osgb4000000000000001", "Acklam Test Road", "transportNetwork", "Named Road", e + 50, n + 50, "TS1");
        String broken = openNamesRow("osgb4000000000000002", "Nowhere Lane", "transportNetwork", "Named Road", -5, n, "TS1");
        names = importer.importCsv(new StringReader(road + "\n" + broken + "\n"), "OpenNames_TEST.csv", null, false, false);
        DemoGazetteer.load(server.dataSource, DemoLoader.VERSION);
    }

    private static String openNamesRow(String id, String name, String type, String localType, long x, long y, String district) {
        List<String> cells = new ArrayList<>(List.of(id, "http://data.ordnancesurvey.co.uk/id/" + id, name, "", "", "", type, localType,
                String.valueOf(x), String.valueOf(y), "1000", "25000", String.valueOf(x - 100), String.valueOf(y - 20),
                String.valueOf(x + 100), String.valueOf(y + 20), district, "", "Middlesbrough", "", "City", "Middlesbrough", "", "UnitaryAuthority",
                "", "", "", "North East", "", "England", "", "", "", ""));
        return String.join(",", cells);
    }

    @Test
    void theImportKeepsGoodRowsAndReportsBadOnesByLine() {
        assertEquals("onspd", postcodes.format());
        assertEquals(9, postcodes.read());
        assertEquals(4, postcodes.imported(), postcodes.toString());
        assertEquals(1, postcodes.outside(), "the Cornwall postcode is far outside the demo wards");
        assertEquals(1, postcodes.terminated());
        assertEquals(3, postcodes.rejected());
        assertEquals(List.of(7, 8, 9), postcodes.issues().stream().map(i -> i.line()).toList());
        assertTrue(postcodes.issues().get(0).message().contains("not a postcode"), postcodes.issues().toString());
        assertTrue(postcodes.licence().contains("Open Government Licence"), postcodes.licence());
        assertEquals("os-open-names", names.format());
        assertEquals(1, names.imported());
        assertEquals(1, names.rejected());
        assertEquals(2, names.issues().get(0).line());
    }

    @Test
    void aReimportReplacesInsteadOfAddingTwice() throws Exception {
        long before = count("SELECT count(*) FROM gazetteer");
        var again = new GazetteerImporter(server.dataSource, new BoundaryRepository(server.dataSource)).importCsv(
                new StringReader("postcode,easting,northing\nts1 2ab,%d,%d\n".formatted(Math.round(ward1[0]), Math.round(ward1[1]))),
                "again.csv", null, false, false);
        assertEquals("postcodes", again.format());
        assertEquals(1, again.imported());
        assertEquals(before, count("SELECT count(*) FROM gazetteer"));
    }

    @Test
    void findsWardsByNameAndByCode() throws Exception {
        JsonNode byName = places(wardName);
        assertFalse(byName.path("meta").path("suggestions").asBoolean());
        JsonNode first = byName.path("places").get(0);
        assertEquals("ward", first.path("kind").asText(), byName.toString());
        assertEquals(wardName, first.path("name").asText());
        assertEquals(wardCode, first.path("code").asText());
        assertEquals(2, first.path("centre").size());
        assertEquals(4, first.path("bbox").size());
        assertTrue(first.path("bbox").get(0).asDouble() < first.path("centre").get(0).asDouble());
        JsonNode byCode = places(wardCode.toLowerCase());
        assertEquals(wardCode, byCode.path("places").get(0).path("code").asText(), byCode.toString());
        assertTrue(kinds(places(neighbourhoodName)).contains("neighbourhood"));
    }

    @Test
    void aMisspeltNameGetsSuggestions() throws Exception {
        // drop one letter from the middle of the ward's name: nothing contains it, but it is spelt alike
        int k = wardName.length() / 2;
        String misspelt = wardName.substring(0, k) + wardName.substring(k + 1);
        JsonNode answer = places(misspelt);
        assertTrue(answer.path("meta").path("suggestions").asBoolean(), answer.toString());
        assertEquals("similarity", answer.path("meta").path("order").asText());
        assertTrue(names(answer).contains(wardName), answer.toString());
        JsonNode road = places("Acklam Tst Road");
        assertTrue(names(road).contains("Acklam Test Road"), road.toString());
    }

    @Test
    void postcodesAreFoundHoweverWritten() throws Exception {
        for (String written : List.of("TS1 2AB", "ts1 2ab", "ts12ab", " Ts1  2aB ")) {
            JsonNode answer = places(written);
            JsonNode first = answer.path("places").get(0);
            assertEquals("postcode", first.path("kind").asText(), written + ": " + answer);
            assertEquals("TS1 2AB", first.path("name").asText());
            assertEquals("TS1 2AB", answer.path("meta").path("postcode").asText());
            assertTrue(first.path("licence").asText().contains("Open Government Licence"));
        }
        // a district: the extent of its postcodes first, then its postcodes (not TS12's)
        JsonNode district = places("ts1");
        JsonNode first = district.path("places").get(0);
        assertEquals("postcode-district", first.path("kind").asText(), district.toString());
        assertEquals("TS1", first.path("code").asText());
        assertTrue(first.path("bbox").get(2).asDouble() > first.path("bbox").get(0).asDouble(), "three postcodes apart");
        assertTrue(names(district).contains("TS1 3XY"));
        // a sector prefix
        List<String> sector = names(places("TS1 2"));
        assertTrue(sector.containsAll(List.of("TS1 2AB", "TS1 2AD")), sector.toString());
        assertFalse(names(places("TS1 9ZA")).contains("TS1 9ZA"), "terminated postcodes are left out");
    }

    @Test
    void streetsAndPlacesComeWithWhereTheyAre() throws Exception {
        JsonNode street = places("acklam test").path("places").get(0);
        assertEquals("street", street.path("kind").asText());
        assertEquals("Middlesbrough", street.path("context").asText());
        assertNull(street.path("code").textValue());
        assertTrue(street.path("bbox").get(2).asDouble() > street.path("bbox").get(0).asDouble(), "the road's extent");
        JsonNode demo = places("ZZ1");
        assertEquals("postcode-district", demo.path("places").get(0).path("kind").asText(), demo.toString());
        assertEquals(DemoGazetteer.LICENCE, demo.path("places").get(0).path("licence").asText());
        assertTrue(kinds(places(wardName + " Green")).contains("place"));
    }

    @Test
    void theLimitIsKept() throws Exception {
        assertEquals(2, places("ZZ", "&limit=2").path("places").size());
    }

    @Test
    void badInputIsAProblemNamingTheParameter() throws Exception {
        problem("/api/places", "q");
        problem("/api/places?q=", "q");
        problem("/api/places?q=%20%20", "q");
        problem("/api/places?q=a", "q");
        problem("/api/places?q=" + "x".repeat(101), "q");
        problem("/api/places?q=ward&limit=0", "limit");
        problem("/api/places?q=ward&limit=51", "limit");
        problem("/api/places?q=ward&limit=ten", "limit");
        problem("/api/places?q=%00ab", "q");
        assertEquals(200, get("/api/places?q=%25_%5C'%22").statusCode(), "LIKE wildcards and quotes are text");
        assertEquals(401, server.get("/api/places?q=ward").statusCode());
    }

    private static void problem(String path, String field) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(400, response.statusCode(), path + ": " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(field, TestServer.json(response).path("field").asText(), response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return server.get(path, "Authorization", "Bearer " + viewer);
    }

    private static JsonNode places(String q) throws Exception {
        return places(q, "");
    }

    private static JsonNode places(String q, String more) throws Exception {
        var response = get("/api/places?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more);
        assertEquals(200, response.statusCode(), response.body());
        return TestServer.json(response);
    }

    private static List<String> names(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("places").forEach(p -> out.add(p.path("name").asText()));
        return out;
    }

    private static List<String> kinds(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("places").forEach(p -> out.add(p.path("kind").asText()));
        return out;
    }

    private static String string(String sql) throws Exception {
        try (var c = server.dataSource.getConnection(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(String sql) throws Exception {
        return Long.parseLong(string(sql));
    }

    private static double[] point(String sql) throws Exception {
        try (var c = server.dataSource.getConnection(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new double[]{rs.getDouble(1), rs.getDouble(2)};
        }
    }
}
