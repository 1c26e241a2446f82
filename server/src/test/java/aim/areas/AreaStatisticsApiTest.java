package aim.areas;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/areas/stats over HTTP on PostGIS, checked against independent SQL counts. */
@Tag("postgis")
class AreaStatisticsApiTest {
    @Fresh static TestServer server;
    static String analyst, viewer;
    static List<String> wards;
    static final String WINDOW = "from=2025-04-01&to=2025-06-30";

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        wards = AreaTestData.load(server, dir);
        analyst = server.userToken("ana", Role.ANALYST);
        viewer = server.userToken("vera", Role.VIEWER);
    }

    private static JsonNode stats(String query) throws Exception {
        HttpResponse<String> r = server.get("/api/areas/stats?" + query, "Authorization", "Bearer " + analyst);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertFalse(r.body().contains("Infinity") || r.body().contains("NaN"), r.body());
        return json(r);
    }

    private static Map<String, JsonNode> byCode(JsonNode body) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : body.path("areas")) out.put(a.path("code").asText(), a);
        return out;
    }

    @Test
    void wardCountsEqualAnIndependentPostgisCount() throws Exception {
        JsonNode body = stats("level=ward&" + WINDOW);
        Map<String, Long> current = AreaTestData.independentWardCounts(server, "2025-04-01", "2025-06-30", null);
        Map<String, Long> previous = AreaTestData.independentWardCounts(server, "2025-01-01", "2025-03-31", null);
        Map<String, JsonNode> areas = byCode(body);
        assertEquals(20, areas.size());
        long total = 0;
        for (String code : wards) {
            assertEquals(current.get(code), areas.get(code).path("count").asLong(), code);
            assertEquals(previous.get(code), areas.get(code).path("previous").path("count").asLong(), code);
            total += current.get(code);
        }
        assertTrue(total > 500, "the fixture spreads hundreds of incidents over the window: " + total);
        JsonNode meta = body.path("meta");
        assertEquals(total, meta.path("count").asLong());
        assertEquals("ward", meta.path("level").asText());
        assertEquals("demo", meta.path("version").asText());
        assertTrue(meta.path("demo").asBoolean());
        // ward 6's four area-only rows carry its code and count there
        assertEquals(4, meta.path("areaOnly").path("counted").path("count").asLong());
        // no LSOA set: 3 rows of E01099001, 2 of an unknown LSOA and 1 without a code are unlocated
        assertEquals(6, meta.path("unlocated").path("count").asLong());
        assertEquals(1, meta.path("unlocated").path("previousCount").asLong());
        assertTrue(meta.path("changeTest").asText().contains("binomial"), meta.toString());
    }

    @Test
    void thePreviousPeriodIsTheSameNumberOfWholeMonthsOrDays() throws Exception {
        JsonNode months = stats(WINDOW).path("meta");
        assertEquals("2025-01-01", months.path("previousFrom").asText());
        assertEquals("2025-03-31", months.path("previousTo").asText());
        assertTrue(months.path("wholeMonths").asBoolean());
        assertEquals(91, months.path("days").asInt());
        assertEquals(90, months.path("previousDays").asInt());
        JsonNode days = stats("from=2025-06-10&to=2025-06-16").path("meta");
        assertEquals("2025-06-03", days.path("previousFrom").asText());
        assertEquals("2025-06-09", days.path("previousTo").asText());
        assertFalse(days.path("wholeMonths").asBoolean());
    }

    @Test
    void twentyAgainstEightIsASignificantRise() throws Exception {
        // 1–28 May against 3–30 April (28 days each): ward 5 has 20 abandoned vehicles against 8
        JsonNode body = stats("category=env-abandoned-vehicle&from=2025-05-01&to=2025-05-28");
        assertEquals("2025-04-03", body.path("meta").path("previousFrom").asText());
        assertEquals("2025-04-30", body.path("meta").path("previousTo").asText());
        JsonNode w = byCode(body).get(wards.get(5));
        assertEquals(20, w.path("count").asLong());
        assertEquals(8, w.path("previous").path("count").asLong());
        assertEquals(12, w.path("change").path("count").asLong());
        assertEquals(150.0, w.path("change").path("percent").asDouble());
        // by hand: 2 · Σ_{k=20..28} C(28,k) / 2^28 = 2 · 4,791,323 / 268,435,456
        assertEquals(0.0356981382, w.path("change").path("pValue").asDouble(), 1e-9);
        assertTrue(w.path("change").path("significant").asBoolean());
        assertEquals(1, w.path("rank").asInt());
        JsonNode other = byCode(body).get(wards.get(4));
        assertEquals(0, other.path("count").asLong());
        assertEquals(1.0, other.path("change").path("pValue").asDouble());
        assertFalse(other.path("change").path("significant").asBoolean());
        assertTrue(other.path("change").path("percent").isNull());
    }

    @Test
    void ratesAndRanksWithZeroOrMissingPopulation() throws Exception {
        JsonNode body = stats(WINDOW);
        List<JsonNode> rows = new ArrayList<>();
        body.path("areas").forEach(rows::add);
        JsonNode zero = byCode(body).get(wards.get(0)), missing = byCode(body).get(wards.get(1));
        assertEquals(0, zero.path("population").asInt());
        assertTrue(missing.path("population").isNull());
        for (JsonNode none : List.of(zero, missing)) {
            assertTrue(none.path("rate").isNull(), none.toString());
            assertEquals("no population", none.path("rateNote").asText());
            assertTrue(none.path("rank").isNull());
            assertTrue(none.path("previous").path("rate").isNull());
            assertTrue(none.path("count").asLong() > 0, "still counted");
        }
        // unranked areas last; the ranked ones in rate order with competition ranks
        assertEquals(List.of(wards.get(0), wards.get(1)), List.of(rows.get(18).path("code").asText(), rows.get(19).path("code").asText()));
        assertEquals(18, body.path("meta").path("rankedAmong").asInt());
        for (int i = 0; i < 18; i++) {
            JsonNode r = rows.get(i);
            double expected = BigDecimal.valueOf(r.path("count").asLong() * 1000.0 / r.path("population").asInt())
                    .setScale(2, RoundingMode.HALF_UP).doubleValue();
            assertEquals(expected, r.path("rate").asDouble(), 1e-9, r.toString());
            assertEquals(2021, r.path("populationYear").asInt());
            assertTrue(r.path("rateNote").isNull());
            if (i == 0) assertEquals(1, r.path("rank").asInt());
            else {
                JsonNode before = rows.get(i - 1);
                long a = before.path("count").asLong() * r.path("population").asLong();
                long b = r.path("count").asLong() * before.path("population").asLong();
                assertTrue(a >= b, "rate order");
                assertEquals(a == b ? before.path("rank").asInt() : i + 1, r.path("rank").asInt(), r.toString());
            }
        }
    }

    @Test
    void neighbourhoodCountsAreTheSumsOfTheirWards() throws Exception {
        Map<String, JsonNode> wardRows = byCode(stats("level=ward&" + WINDOW));
        JsonNode body = stats("level=neighbourhood&" + WINDOW);
        Map<String, List<String>> members = AreaTestData.neighbourhoods(server);
        assertEquals(4, body.path("areas").size());
        assertEquals("neighbourhood", body.path("meta").path("level").asText());
        for (JsonNode n : body.path("areas")) {
            List<String> ws = members.get(n.path("code").asText());
            long sum = 0, previous = 0;
            Long population = 0L;
            for (String w : ws) {
                sum += wardRows.get(w).path("count").asLong();
                previous += wardRows.get(w).path("previous").path("count").asLong();
                JsonNode p = wardRows.get(w).path("population");
                population = p.isNull() || population == null ? null : population + p.asLong();
            }
            assertEquals(sum, n.path("count").asLong(), n.toString());
            assertEquals(previous, n.path("previous").path("count").asLong());
            if (population == null) {
                // a neighbourhood with a ward lacking a figure has no population (latest_population) and no rate
                assertTrue(ws.contains(wards.get(1)));
                assertTrue(n.path("population").isNull());
                assertEquals("no population", n.path("rateNote").asText());
            } else {
                assertEquals(population.longValue(), n.path("population").asLong());
                assertEquals(BigDecimal.valueOf(sum * 1000.0 / population).setScale(2, RoundingMode.HALF_UP).doubleValue(),
                        n.path("rate").asDouble(), 1e-9);
            }
        }
    }

    @Test
    void theStudyAreaNarrowsTheListButNotTheRanks() throws Exception {
        Map<String, List<String>> members = AreaTestData.neighbourhoods(server);
        String neighbourhood = members.keySet().iterator().next();
        Map<String, JsonNode> all = byCode(stats(WINDOW));
        JsonNode some = stats("area=neighbourhood:" + neighbourhood + "&" + WINDOW);
        assertEquals(members.get(neighbourhood).size(), some.path("areas").size());
        for (JsonNode r : some.path("areas")) {
            assertTrue(members.get(neighbourhood).contains(r.path("code").asText()));
            assertEquals(all.get(r.path("code").asText()).path("rank"), r.path("rank"));
        }
        JsonNode containing = stats("level=neighbourhood&area=ward:" + members.get(neighbourhood).get(0) + "&" + WINDOW);
        assertEquals(1, containing.path("areas").size());
        assertEquals(neighbourhood, containing.path("areas").get(0).path("code").asText());
        assertEquals(stats("level=neighbourhood&" + WINDOW).path("meta").path("rankedAmong"), containing.path("meta").path("rankedAmong"),
                "ranks are among every neighbourhood, not just the listed one");
    }

    @Test
    void areaOnlyRowsCountThroughALoadedLsoaSet() throws Exception {
        // an LSOA boundary set holding E01099001 as a 50 m disc around ward 9's point-on-surface
        AreaTestData.execute(server, """
                WITH s AS (INSERT INTO boundary_set (level, version, valid_from) VALUES ('lsoa', 'test-lsoa', '2020-01-01') RETURNING id)
                INSERT INTO boundary (set_id, code, name, geom)
                SELECT s.id, 'E01099001', 'Test LSOA', ST_Multi(ST_Buffer(ST_PointOnSurface(b.geom), 50))
                FROM s, boundary b JOIN boundary_set ws ON ws.id = b.set_id
                WHERE ws.level = 'ward' AND ws.version = 'demo' AND b.code = '%s'""".formatted(wards.get(9)));
        try {
            JsonNode body = stats(WINDOW);
            Map<String, Long> independent = AreaTestData.independentWardCounts(server, "2025-04-01", "2025-06-30", null);
            JsonNode ward9 = byCode(body).get(wards.get(9));
            assertEquals(independent.get(wards.get(9)) + 3, ward9.path("count").asLong(), "the three E01099001 rows now count in ward 9");
            assertEquals(independent.get(wards.get(8)), byCode(body).get(wards.get(8)).path("count").asLong());
            assertEquals(3, body.path("meta").path("unlocated").path("count").asLong());
            assertEquals(7, body.path("meta").path("areaOnly").path("counted").path("count").asLong());
            // and in the ward's series, in May
            HttpResponse<String> r = server.get("/api/areas/ward/" + wards.get(9) + "/series?category=burglary,drugs&" + WINDOW,
                    "Authorization", "Bearer " + analyst);
            JsonNode series = json(r);
            long located = AreaTestData.independentWardCounts(server, "2025-05-01", "2025-05-31", "i.category IN ('burglary', 'drugs')")
                    .get(wards.get(9));
            assertEquals(located + 3, series.path("periods").get(1).path("count").asLong(), series.toString());
        } finally {
            AreaTestData.execute(server, "DELETE FROM boundary_set WHERE level = 'lsoa' AND version = 'test-lsoa'");
        }
    }

    @Test
    void theFastWindowRuleSelectsExactlyWhatOccurredWindowSelects() throws Exception {
        // rows on both sides of midnight and of the clock changes, for every precision
        AreaTestData.execute(server, """
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', 'env-graffiti', t, p, NULL, 'area', 'edge-' || p || '-' || t
                FROM unnest(ARRAY['minute', 'day']) p,
                     unnest(ARRAY[timestamptz '2025-03-29 23:59:59.999+00', '2025-03-30 00:00+00', '2025-03-30 00:30+00',
                                  '2025-03-30 01:00+00', '2025-03-30 22:59:59+00', '2025-03-30 23:30+01', '2025-03-31 00:00+01',
                                  '2025-10-25 23:59+01', '2025-10-26 00:00+01', '2025-10-26 01:30+01', '2025-10-26 01:30+00',
                                  '2025-10-26 23:59+00', '2025-10-27 00:00+00', '2025-12-31 23:59:59+00', '2026-01-01 00:00+00']) t;
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'police', 'drugs', t, 'month', NULL, 'area', 'edge-month-' || t
                FROM unnest(ARRAY[timestamptz '2025-03-01 00:00+00', '2025-04-01 00:00+01', '2025-10-01 00:00+01',
                                  '2025-11-01 00:00+00', '2025-03-15 12:00+00', '2025-01-31 00:00+00']) t""");
        try {
            String[][] windows = {{"2025-03-30", "2025-03-30"}, {"2025-03-31", "2025-10-26"}, {"2025-10-26", "2025-10-26"},
                    {"2025-03-01", "2025-03-31"}, {"2025-02-28", "2025-03-30"}, {"2025-03-16", "2025-04-15"},
                    {"2025-10-27", "2025-12-31"}, {"2025-01-01", "2026-01-01"}, {"2025-02-01", "2025-02-28"}};
            for (String[] w : windows) {
                var exact = AreaIncidentSql.window(java.time.LocalDate.parse(w[0]), java.time.LocalDate.parse(w[1]));
                var fast = definitionOfTheWindow(java.time.LocalDate.parse(w[0]), java.time.LocalDate.parse(w[1]));
                String sql = "SELECT count(*) FILTER (WHERE " + exact.sql() + "), count(*) FILTER (WHERE " + fast.sql()
                        + "), count(*) FILTER (WHERE (" + exact.sql() + ") IS DISTINCT FROM (" + fast.sql() + ")) FROM incident i";
                try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
                    int k = 1;
                    for (Object p : exact.params()) ps.setObject(k++, p);
                    for (Object p : fast.params()) ps.setObject(k++, p);
                    for (Object p : exact.params()) ps.setObject(k++, p);
                    for (Object p : fast.params()) ps.setObject(k++, p);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        assertTrue(rs.getLong(1) > 0, w[0] + ".." + w[1]);
                        assertEquals(rs.getLong(1), rs.getLong(2), w[0] + ".." + w[1]);
                        assertEquals(0, rs.getLong(3), w[0] + ".." + w[1]);
                    }
                }
            }
        } finally {
            AreaTestData.execute(server, "DELETE FROM incident WHERE external_key LIKE 'edge-%'");
        }
    }

    @Test
    void csvHasTheSameNumbersAsJson() throws Exception {
        JsonNode body = stats(WINDOW);
        for (String[] how : new String[][]{{"format=csv&" + WINDOW, "*/*"}, {WINDOW, "text/csv"}}) {
            HttpResponse<String> r = server.get("/api/areas/stats?" + how[0], "Authorization", "Bearer " + analyst, "Accept", how[1]);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            assertEquals("attachment; filename=\"area-stats-ward-demo-2025-04-01-to-2025-06-30.csv\"",
                    r.headers().firstValue("Content-Disposition").orElse(""));
            assertTrue(r.body().contains("\r\n"), "RFC 4180 line ends");
            List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new StringReader(r.body())).getRecords();
            assertEquals(body.path("areas").size(), records.size());
            for (int i = 0; i < records.size(); i++) {
                CSVRecord c = records.get(i);
                JsonNode j = body.path("areas").get(i);
                assertEquals(j.path("code").asText(), c.get("code"));
                assertEquals(j.path("name").asText(), c.get("name"));
                assertEquals(j.path("count").asLong(), Long.parseLong(c.get("count")));
                assertEquals(text(j.path("population")), c.get("population"));
                assertEquals(text(j.path("populationYear")), c.get("population_year"));
                assertEquals(text(j.path("rate")), c.get("rate_per_1000"));
                assertEquals(text(j.path("rateNote")), c.get("rate_note"));
                assertEquals(text(j.path("rank")), c.get("rank"));
                assertEquals(j.path("previous").path("count").asLong(), Long.parseLong(c.get("previous_count")));
                assertEquals(text(j.path("previous").path("rate")), c.get("previous_rate_per_1000"));
                assertEquals(text(j.path("previous").path("rank")), c.get("previous_rank"));
                assertEquals(j.path("change").path("count").asLong(), Long.parseLong(c.get("change")));
                assertEquals(text(j.path("change").path("percent")), c.get("change_percent"));
                assertEquals(text(j.path("change").path("rate")), c.get("change_rate_per_1000"));
                assertEquals(j.path("change").path("pValue").asDouble(), Double.parseDouble(c.get("p_value")));
                assertEquals(j.path("change").path("significant").asBoolean(), Boolean.parseBoolean(c.get("significant")));
                assertEquals("2025-01-01", c.get("previous_from"));
            }
        }
    }

    /** A JSON value as the CSV writes it: empty for null. */
    private static String text(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? "" : n.asText();
    }

    @Test
    void anyoneSignedInButNobodyElse() throws Exception {
        assertEquals(401, server.get("/api/areas/stats?" + WINDOW).statusCode());
        assertEquals(401, server.get("/api/areas/stats?" + WINDOW + "&format=csv").statusCode());
        assertEquals(200, server.get("/api/areas/stats?" + WINDOW, "Authorization", "Bearer " + viewer).statusCode());
    }

    @Test
    void badParametersAreProblemsNamingTheField() throws Exception {
        for (String[] c : new String[][]{
                {"level=zone&" + WINDOW, "level", "400"}, {"level=borough&" + WINDOW, "level", "400"},
                {"to=2025-06-30", "from", "400"}, {"from=2025-04-01", "to", "400"},
                {"from=2025-13-01&to=2025-06-30", "from", "400"}, {"from=2025-04-01&to=30/06/2025", "to", "400"},
                {"from=2025-06-01&to=2025-04-01", "to", "400"}, {"from=0001-01-01&to=2025-04-01", "from", "400"},
                {"category=arson-ish&" + WINDOW, "category", "400"}, {"source=twitter&" + WINDOW, "source", "400"},
                {"area=ward:NOPE&" + WINDOW, "area", "400"}, {"area=county:X&" + WINDOW, "area", "400"},
                {"format=xml&" + WINDOW, "format", "400"}, {"version=nope&" + WINDOW, "version", "404"}}) {
            HttpResponse<String> r = server.get("/api/areas/stats?" + c[0], "Authorization", "Bearer " + analyst);
            assertEquals(Integer.parseInt(c[2]), r.statusCode(), c[0] + " → " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertEquals(c[1], json(r).path("field").asText(), c[0] + " → " + r.body());
        }
    }

    /**
     * The window rule as defined, converting every row to local time: the reference the
     * production SQL (which compares with precomputed instants) must agree with.
     */
    private static aim.db.SqlFragment definitionOfTheWindow(java.time.LocalDate from, java.time.LocalDate to) {
        String local = "(i.occurred_at AT TIME ZONE 'Europe/London')";
        return aim.db.SqlFragment.of(local + " >= ?::date AND CASE WHEN i.occurred_precision = 'month'"
                + " THEN " + local + " + interval '1 month' <= ?::date + 1 ELSE " + local + " < ?::date + 1 END",
                java.sql.Date.valueOf(from), java.sql.Date.valueOf(to), java.sql.Date.valueOf(to));
    }
}
