package aim.publicdata;

import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public endpoints over HTTP on PostGIS, signed out, on the demo wards with incidents placed so that
 * wards hold 1, 3, 4, 5 and 12 burglaries in March 2025, one ward a single burglary in April, one ward the
 * only bicycle theft, and one ward only sensitive incidents: no public answer (areas, grid, CSV, GeoJSON)
 * shows a count from 1 to 4 or names a sensitive category, and totals and differences give nothing away.
 */
@Tag("postgis")
class PublicDataApiTest {
    @Fresh static TestServer server;
    static List<String> wards;
    static final String MARCH_APRIL = "from=2025-03&to=2025-04";
    static final List<String> SENSITIVE = PublicTestData.SENSITIVE;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        wards = PublicTestData.load(server.dataSource, dir);
    }

    private static HttpResponse<String> get(String query) throws Exception {
        return server.get(query);
    }

    private static JsonNode ok(String query) throws Exception {
        HttpResponse<String> r = get(query);
        assertEquals(200, r.statusCode(), r.body());
        assertPublic(r);
        return json(r);
    }

    /** No count 1–4 anywhere, no sensitive category, public caching. */
    private static void assertPublic(HttpResponse<String> r) throws Exception {
        for (String s : SENSITIVE) assertFalse(r.body().contains(s), "names a sensitive category: " + s);
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").startsWith("public, max-age="), r.headers().toString());
        assertTrue(r.headers().firstValue("ETag").isPresent());
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("text/csv")) {
            assertCsvCounts(r.body());
        } else {
            assertNoSmallNumber(json(r), "");
        }
    }

    /** Walks the JSON: no integer from 1 to 4, and every count-like text ("count", "total", months) hides them too. */
    private static void assertNoSmallNumber(JsonNode node, String field) {
        if (node.isIntegralNumber()) {
            long n = node.asLong();
            assertFalse(n >= 1 && n <= 4, field + " = " + n);
        } else if (node.isTextual() && isCountField(field)) {
            assertCountText(node.asText(), field);
        } else if (node.isArray()) {
            for (JsonNode child : node) assertNoSmallNumber(child, field);
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> assertNoSmallNumber(e.getValue(), e.getKey()));
        }
    }

    private static boolean isCountField(String field) {
        return field.equals("count") || field.equals("counts") || field.equals("total") || field.equals("monthTotals")
                || field.matches("\\d{4}-\\d{2}");
    }

    private static void assertCountText(String text, String field) {
        assertTrue(text.matches("\\d+|<\\d+|\\d+–\\d+"), field + ": " + text);
        for (String number : text.split("[^0-9]+")) {
            if (number.isEmpty()) continue;
            long n = Long.parseLong(number);
            assertFalse(n >= 1 && n <= 4, field + " shows " + text);
        }
    }

    private static List<CSVRecord> csv(String body) throws Exception {
        try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(body))) {
            return p.getRecords();
        }
    }

    private static void assertCsvCounts(String body) throws Exception {
        try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(body))) {
            for (CSVRecord r : p) {
                for (String column : p.getHeaderNames()) {
                    if (isCountField(column)) assertCountText(r.get(column), column);
                }
                assertTrue(r.get("licence").startsWith("Open Government Licence v3.0"), r.get("licence"));
                assertTrue(r.get("attribution").contains("Contains OS data © Crown copyright and database right"));
                assertTrue(r.get("attribution").contains("Office for National Statistics"));
                assertTrue(r.get("attribution").contains("Contains public sector information licensed under the Open Government Licence v3.0"));
            }
        }
    }

    private static Map<String, JsonNode> byCode(JsonNode body) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : body.path("areas")) out.put(a.path("code").asText(), a);
        return out;
    }

    @Test
    void wardCountsFrom1To4AreSuppressedAndTheRestExact() throws Exception {
        Map<String, JsonNode> areas = byCode(ok("/api/public/areas?level=ward&category=burglary&" + MARCH_APRIL));
        assertEquals("[\"<5\",0]", areas.get(wards.get(0)).path("counts").toString());
        assertEquals("[\"<5\",0]", areas.get(wards.get(1)).path("counts").toString());
        assertEquals("[\"<5\",0]", areas.get(wards.get(2)).path("counts").toString());
        assertEquals("[5,\"<5\"]", areas.get(wards.get(3)).path("counts").toString());
        assertEquals("[12,0]", areas.get(wards.get(4)).path("counts").toString());
        assertEquals(12, areas.get(wards.get(4)).path("total").asLong());
        assertEquals("<5", areas.get(wards.get(0)).path("total").asText());
        assertEquals(wards.size(), areas.size());
    }

    @Test
    void totalsAndOverlappingWindowsGiveNoSuppressedCountAway() throws Exception {
        JsonNode both = ok("/api/public/areas?level=ward&category=burglary&" + MARCH_APRIL);
        JsonNode march = ok("/api/public/areas?level=ward&category=burglary&from=2025-03&to=2025-03");
        JsonNode april = ok("/api/public/areas?level=ward&category=burglary&from=2025-04&to=2025-04");
        String ward3 = wards.get(3);
        // 5 in March and a single burglary in April: the two-month total is not 6 (6 − 5 would give the 1 away)
        assertEquals(5, byCode(march).get(ward3).path("total").asLong());
        assertEquals("<5", byCode(april).get(ward3).path("total").asText());
        assertEquals("6–9", byCode(both).get(ward3).path("total").asText());
        // the borough's March total holds three suppressed wards (1, 3, 4) beside 5 + 12: a range, never 25
        assertEquals("20–29", march.path("monthTotals").get(0).asText());
        assertEquals("20–29", march.path("total").asText());
        assertNotEquals("25", both.path("monthTotals").get(0).asText());
    }

    @Test
    void aCategoryWithOneIncidentAndAllCategoriesTogetherGiveNothingAway() throws Exception {
        String ward6 = wards.get(6);
        assertEquals("<5", byCode(ok("/api/public/areas?category=bicycle-theft&" + MARCH_APRIL)).get(ward6).path("total").asText());
        JsonNode all = ok("/api/public/areas?" + MARCH_APRIL);
        assertEquals("all", all.path("category").asText());
        // all categories of a ward are summed from its suppressed categories: the single bicycle theft stays "<5"
        assertEquals("<5", byCode(all).get(ward6).path("counts").get(0).asText());
        // 5 + 12 burglaries and 6 police ASB rows are exact; the month-precise police rows count in March
        assertEquals(6, byCode(all).get(wards.get(8)).path("total").asLong());
        assertEquals("<5", byCode(all).get(wards.get(7)).path("total").asText());
        // the ward holding only sensitive incidents shows none of them
        assertEquals(0, byCode(all).get(wards.get(5)).path("total").asLong());
        // the page's choice of categories lists the non-sensitive ones only
        List<String> codes = new ArrayList<>();
        all.path("categories").forEach(c -> codes.add(c.path("code").asText()));
        assertTrue(codes.contains("burglary") && codes.contains("fly-tipping"), codes.toString());
        assertFalse(codes.contains("violence-and-sexual-offences") || codes.contains("racially-motivated")
                || codes.contains("asb-neighbour-dispute"), codes.toString());
    }

    @Test
    void neighbourhoodsAreSumsOfTheirSuppressedWards() throws Exception {
        JsonNode body = ok("/api/public/areas?level=neighbourhood&category=burglary&" + MARCH_APRIL);
        assertEquals("neighbourhood", body.path("level").asText());
        assertEquals(4, body.path("areas").size());
        long exact = 0;
        for (JsonNode a : body.path("areas")) if (a.path("total").isNumber()) exact += a.path("total").asLong();
        assertTrue(exact <= 17, "only wholly exact neighbourhoods are exact: " + body);
    }

    @Test
    void theGridIsAtLeast500MetresAndSuppressed() throws Exception {
        JsonNode grid = ok("/api/public/hotspots?cell=500&category=burglary&from=2025-03&to=2025-03");
        assertEquals("FeatureCollection", grid.path("type").asText());
        List<String> counts = new ArrayList<>();
        for (JsonNode f : grid.path("features")) counts.add(f.path("properties").path("count").asText());
        // the five burglary wards' points: 1, 3, 4 (suppressed), 5 and 12, each in its own 500 m square
        assertEquals(List.of("12", "5", "<5", "<5", "<5"), counts.stream().sorted().toList());
        assertEquals("Open Government Licence v3.0", grid.path("licence").path("name").asText());
        assertEquals(2, grid.path("attribution").size());
        assertEquals(500, grid.path("meta").path("cellMetres").asInt());
        // a coarser grid is summed from the 500 m squares, so it says no more than they do
        ok("/api/public/hotspots?cell=5000&" + MARCH_APRIL);
        HttpResponse<String> csv = get("/api/public/hotspots?cell=1000&format=csv&category=burglary&" + MARCH_APRIL);
        assertEquals(200, csv.statusCode(), csv.body());
        assertPublic(csv);
        assertEquals(5, csv(csv.body()).size());
    }

    @Test
    void downloadsCarryTheLicenceAndAttributions() throws Exception {
        HttpResponse<String> csv = get("/api/public/areas?format=csv&category=burglary&" + MARCH_APRIL);
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").contains(".csv"));
        assertPublic(csv);
        List<CSVRecord> rows = csv(csv.body());
        assertEquals(wards.size() + 1, rows.size());
        assertEquals("<5", rows.get(0).get("2025-03"));
        assertEquals("borough", rows.get(rows.size() - 1).get("level"));

        HttpResponse<String> geo = get("/api/public/areas?format=geojson&level=ward&" + MARCH_APRIL);
        assertEquals(200, geo.statusCode(), geo.body());
        assertTrue(geo.headers().firstValue("Content-Type").orElse("").startsWith("application/geo+json"));
        assertPublic(geo);
        JsonNode body = json(geo);
        assertEquals(wards.size(), body.path("features").size());
        assertEquals("Open Government Licence v3.0", body.path("licence").path("name").asText());
        assertTrue(body.path("attribution").get(0).asText().startsWith("Contains OS data © Crown copyright and database right 20"));
        JsonNode props = body.path("features").get(0).path("properties");
        assertEquals(List.of("code", "name", "category", "total", "2025-03", "2025-04"), fieldNames(props));
    }

    @Test
    void anUnchangedAnswerIsNotSentAgain() throws Exception {
        HttpResponse<String> first = get("/api/public/areas?category=burglary&" + MARCH_APRIL);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, server.get("/api/public/areas?category=burglary&" + MARCH_APRIL, "If-None-Match", etag).statusCode());
        assertNotEquals(etag, get("/api/public/areas?category=drugs&" + MARCH_APRIL).headers().firstValue("ETag").orElseThrow());
        assertNotEquals(etag, get("/api/public/areas?format=csv&category=burglary&" + MARCH_APRIL).headers().firstValue("ETag").orElseThrow());
        // new incidents (anywhere, any time) make a new data version: a new ETag, and the answer is counted again
        try (java.sql.Connection c = server.dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'env-graffiti', timestamptz '2024-01-15 10:00+00', 'day', ST_PointOnSurface(geom), 'exact', 'etag-1'
                    FROM boundary WHERE code = '%s'""".formatted(wards.get(10)));
        }
        HttpResponse<String> after = server.get("/api/public/areas?category=burglary&" + MARCH_APRIL, "If-None-Match", etag);
        assertEquals(200, after.statusCode());
        assertNotEquals(etag, after.headers().firstValue("ETag").orElseThrow());
        assertEquals(first.body(), after.body());
    }

    @Test
    void aCategoryMadeSensitiveLeavesEveryAnswerAtOnce() throws Exception {
        String before = get("/api/public/areas?" + MARCH_APRIL).headers().firstValue("ETag").orElseThrow();
        try (java.sql.Connection c = server.dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("UPDATE incident_category SET sensitive = true WHERE code = 'bicycle-theft'");
            HttpResponse<String> all = server.get("/api/public/areas?" + MARCH_APRIL, "If-None-Match", before);
            assertEquals(200, all.statusCode(), "not the cached answer");
            assertFalse(all.body().contains("bicycle"), all.body());
            assertEquals(0, byCode(json(all)).get(wards.get(6)).path("total").asLong());
            HttpResponse<String> one = get("/api/public/areas?category=bicycle-theft&" + MARCH_APRIL);
            assertEquals(400, one.statusCode(), one.body());
            assertEquals(400, get("/api/public/hotspots?category=bicycle-theft&" + MARCH_APRIL).statusCode());
        } finally {
            try (java.sql.Connection c = server.dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("UPDATE incident_category SET sensitive = false WHERE code = 'bicycle-theft'");
            }
        }
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("/api/public/areas?category=violence-and-sexual-offences&" + MARCH_APRIL, "category");
        cases.put("/api/public/areas?category=racially-motivated&" + MARCH_APRIL, "category");
        cases.put("/api/public/areas?category=no-such-thing&" + MARCH_APRIL, "category");
        cases.put("/api/public/hotspots?category=asb-neighbour-dispute&" + MARCH_APRIL, "category");
        cases.put("/api/public/areas?level=county&" + MARCH_APRIL, "level");
        cases.put("/api/public/areas?level=lsoa&" + MARCH_APRIL, "level");
        cases.put("/api/public/areas?from=2025-13&to=2025-04", "from");
        cases.put("/api/public/areas?from=2025-03-01&to=2025-04", "from");
        cases.put("/api/public/areas?to=2025-04", "from");
        cases.put("/api/public/areas?from=2025-03", "to");
        cases.put("/api/public/areas?from=2025-04&to=2025-03", "to");
        cases.put("/api/public/areas?from=2020-01&to=2025-03", "to");
        cases.put("/api/public/areas?from=2025-01&to=2099-01", "to");
        cases.put("/api/public/areas?format=xlsx&" + MARCH_APRIL, "format");
        cases.put("/api/public/hotspots?cell=499&" + MARCH_APRIL, "cell");
        cases.put("/api/public/hotspots?cell=100&" + MARCH_APRIL, "cell");
        cases.put("/api/public/hotspots?cell=750&" + MARCH_APRIL, "cell");
        cases.put("/api/public/hotspots?cell=-500&" + MARCH_APRIL, "cell");
        cases.put("/api/public/hotspots?cell=10000&" + MARCH_APRIL, "cell");
        cases.put("/api/public/hotspots?cell=abc&" + MARCH_APRIL, "cell");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = get(c.getKey());
            assertEquals(400, r.statusCode(), c.getKey() + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), c.getKey());
            assertTrue(r.body().contains("\"" + c.getValue() + "\""), c.getKey() + ": " + r.body());
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
