package aim.hotspots;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code method=forecast} over HTTP on the demo borough, with incidents over 2025: month-precise
 * police.uk rows (120 a month, uniform, dated the 1st) and exact-time council reports, 40 a month in
 * one persistent cell P and 60 a month spread over the borough.
 */
@Tag("postgis")
class ForecastApiTest {
    static final String AREA = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
            + " WHERE s.level = 'ward' AND s.version = 'demo')";
    @Fresh static TestServer server;
    static String analyst;
    static int[] persistent;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("ana", Role.ANALYST);
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("DELETE FROM incident");
            var rs = st.executeQuery("SELECT g.i, g.j FROM ST_SquareGrid(250, " + AREA + ") g"
                    + " WHERE ST_ContainsProperly(ST_Buffer(" + AREA + ", -1500), g.geom) ORDER BY g.i, g.j LIMIT 1");
            rs.next();
            persistent = new int[]{rs.getInt(1), rs.getInt(2)};
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'burglary', make_timestamptz(2025, m, 1, 0, 0, 0, 'Europe/London'), 'month', d.geom, 'snapped',
                           'police-' || m || '-' || d.path[1]
                    FROM generate_series(1, 12) m, ST_Dump(ST_GeneratePoints(%s, 120, m)) d""".formatted(AREA));
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', make_timestamptz(2025, m, 1 + d.path[1] %% 27, 12, 0, 0, 'UTC'), 'day', d.geom, 'exact',
                           'bg-' || m || '-' || d.path[1]
                    FROM generate_series(1, 12) m, ST_Dump(ST_GeneratePoints(%s, 60, 50 + m)) d""".formatted(AREA));
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', make_timestamptz(2025, m, 1 + d.path[1] %% 27, 12, 0, 0, 'UTC'), 'day', d.geom, 'exact',
                           'p-' || m || '-' || d.path[1]
                    FROM generate_series(1, 12) m,
                         ST_Dump(ST_GeneratePoints(ST_SetSRID(ST_Square(250, %d, %d), 27700), 40, 100 + m)) d""".formatted(persistent[0], persistent[1]));
        }
    }

    private JsonNode get(String query) throws Exception {
        var response = server.get(query, "Authorization", "Bearer " + analyst);
        assertEquals(200, response.statusCode(), query + " → " + response.body());
        return json(response);
    }

    private static Map<String, Long> counts(JsonNode map) {
        Map<String, Long> m = new HashMap<>();
        for (JsonNode f : map.path("features")) {
            JsonNode p = f.path("properties");
            if (p.path("count").asLong() > 0) m.put(p.path("i").asInt() + "," + p.path("j").asInt(), p.path("count").asLong());
        }
        return m;
    }

    @Test
    void theMapForecastsTheMonthAfterTheSelectionAndSaysHowItWasChosen() throws Exception {
        JsonNode map = get("/api/hotspots?method=forecast&cell=250&from=2025-07-01&to=2025-12-31");
        JsonNode meta = map.path("meta");
        assertEquals("forecast", meta.path("method").asText());
        assertEquals("2026-01", meta.path("forecast_period").path("label").asText());
        assertEquals("2026-01-01", meta.path("forecast_period").path("from").asText());
        assertEquals("2025-07-01", meta.path("from").asText());
        assertEquals("2025-12-31", meta.path("to").asText());
        assertTrue(meta.path("enough_history").asBoolean(), meta.toString());
        assertTrue(meta.path("note").isNull());
        assertEquals(6, meta.path("folds").size());
        assertEquals(6, meta.path("folds_counted").asInt());
        assertEquals("2025-12", meta.path("folds").get(0).path("test").asText(), "the newest fold first");
        assertEquals("naive", meta.path("naive").path("id").asText());
        assertEquals("Counts over the selection (6 months)", meta.path("naive").path("label").asText());
        Set<String> families = new HashSet<>();
        for (JsonNode c : meta.path("candidates")) families.add(c.path("family").asText());
        assertEquals(Set.of("counts", "time-weighted", "kde", "gistar", "blend", "near-repeat"), families,
                "exact-time council reports bring the near-repeat candidates");
        assertTrue(meta.path("winner").path("mean_pai").asDouble() >= meta.path("naive").path("mean_pai").asDouble());
        assertTrue(meta.path("legend").asText().matches("Forecast: top 3 % of the area, expected to hold ~\\d+ % of next month's incidents; "
                + "the simple count map would hold ~\\d+ %"), meta.path("legend").asText());
        // the persistent cell is the top of the forecast, and the hotspot cells are the top 3 % of the area
        int hot = 0;
        boolean top = false;
        for (JsonNode f : map.path("features")) {
            JsonNode p = f.path("properties");
            if (p.path("hotspot").asBoolean()) hot++;
            if (p.path("rank").asInt() == 1) top = p.path("i").asInt() == persistent[0] && p.path("j").asInt() == persistent[1];
            assertTrue(p.path("score").asDouble() > 0);
        }
        assertEquals(TopShare.count(meta.path("n_cells").asInt(), 3), hot);
        assertEquals(hot, meta.path("hotspot_cells").asInt());
        assertTrue(top, "the persistent cell ranks first");
    }

    @Test
    void theCountsAreTheCountMapOfTheSameWholeMonthsMonthPreciseRowsIncluded() throws Exception {
        JsonNode forecast = get("/api/hotspots?method=forecast&cell=250&from=2025-10-01&to=2025-12-31");
        JsonNode grid = get("/api/hotspots?method=grid&cell=250&from=2025-10-01&to=2025-12-31");
        assertEquals(grid.path("meta").path("incidents").asLong(), forecast.path("meta").path("incidents").asLong());
        assertEquals(3 * 220, forecast.path("meta").path("incidents").asLong(), "120 police + 100 council rows a month");
        assertEquals(counts(grid), counts(forecast));
        // to in the middle of a month: that month is not over, so the forecast is for it, from the months before
        JsonNode partial = get("/api/hotspots?method=forecast&cell=250&from=2025-10-01&to=2025-12-15");
        assertEquals("2025-12", partial.path("meta").path("forecast_period").path("label").asText());
        assertEquals("2025-11-30", partial.path("meta").path("to").asText());
        assertEquals(2 * 220, partial.path("meta").path("incidents").asLong());
        // a window running into the future stops at yesterday: the forecast is for this month, from the months before
        JsonNode future = get("/api/hotspots?method=forecast&cell=250&from=2025-10-01&to=2099-12-31");
        java.time.YearMonth now = java.time.YearMonth.now(aim.core.Council.UK);
        assertEquals(now.toString(), future.path("meta").path("forecast_period").path("label").asText());
        assertEquals(now.minusMonths(1).atEndOfMonth().toString(), future.path("meta").path("to").asText());
        // police rows only: no exact times, no near-repeat candidates
        JsonNode police = get("/api/hotspots?method=forecast&cell=250&from=2025-10-01&to=2025-12-31&source=police");
        for (JsonNode c : police.path("meta").path("candidates")) assertNotEquals("near-repeat", c.path("family").asText());
    }

    /** The database's decayed sums of recent exact-time incidents equal the same sums made in Java from the raw rows. */
    @Test
    void theRecentExactTimeSumsEqualTheSumsOfTheRawRows() throws Exception {
        var borough = aim.boundaries.StudyArea.resolve(new aim.boundaries.BoundaryRepository(server.dataSource), null, null);
        var user = new aim.accounts.User(1, "ana", "Ana", Role.ANALYST);
        var filter = new aim.incidents.IncidentFilter(java.time.LocalDate.of(2025, 1, 1), java.time.LocalDate.of(2025, 12, 31),
                List.of(), List.of(), borough, user);
        var repository = new HotspotRepository(server.dataSource);
        GridCounts cells = repository.gridCounts(filter, new SquareGrid(250));
        java.time.LocalDate first = java.time.LocalDate.of(2025, 1, 1);
        java.time.LocalDate[] starts = new java.time.LocalDate[13];
        int[] monthDays = new int[13];
        for (int m = 0; m <= 12; m++) {
            monthDays[m] = (int) java.time.temporal.ChronoUnit.DAYS.between(first, first.plusMonths(m));
            if (m >= 6) starts[m] = first.plusMonths(m);
        }
        Forecast.RecentCounts fromDatabase = Forecast.RecentCounts.of(cells, repository.recentExactTimeSums(new SquareGrid(250), filter, starts), 13);
        List<int[]> rows = new java.util.ArrayList<>();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT floor(ST_X(geom) / 250)::int, floor(ST_Y(geom) / 250)::int,
                       (occurred_at AT TIME ZONE 'Europe/London')::date - date '2025-01-01'
                FROM incident WHERE occurred_precision <> 'month'""")) {
            while (rs.next()) rows.add(new int[]{cells.indexOf(rs.getInt(1), rs.getInt(2)), rs.getInt(3)});
        }
        int[] cell = rows.stream().mapToInt(r -> r[0]).toArray(), day = rows.stream().mapToInt(r -> r[1]).toArray();
        int[] one = new int[cell.length];
        java.util.Arrays.fill(one, 1);
        Forecast.RecentCounts fromRows = Forecast.RecentCounts.of(cells.n(), cell, day, one, monthDays);
        assertFalse(fromDatabase.isEmpty());
        for (int m = 0; m <= 12; m++) {
            if (starts[m] == null) {
                assertEquals(null, fromDatabase.decayed()[m]);
                continue;
            }
            for (int d = 0; d < Forecast.DECAY_DAYS.length; d++) {
                for (int k = 0; k < cells.n(); k++) {
                    assertEquals(fromRows.decayed()[m][d][k], fromDatabase.decayed()[m][d][k], 1e-9, "month " + m + " cell " + k);
                }
            }
        }
    }

    @Test
    void hexagonsAndAWardWork() throws Exception {
        JsonNode hex = get("/api/hotspots?method=forecast&grid=hex&cell=250&from=2025-07-01&to=2025-12-31");
        assertEquals("hex", hex.path("meta").path("grid").asText());
        assertEquals(counts(get("/api/hotspots?method=hex&cell=250&from=2025-07-01&to=2025-12-31")), counts(hex));
        String ward = get("/api/boundaries?level=ward").path("features").get(0).path("properties").path("code").asText();
        JsonNode inWard = get("/api/hotspots?method=forecast&cell=100&area=ward:" + ward + "&from=2025-07-01&to=2025-12-31");
        assertEquals(counts(get("/api/hotspots?method=grid&cell=100&area=ward:" + ward + "&from=2025-07-01&to=2025-12-31")), counts(inWard));
        assertTrue(inWard.path("meta").path("area").asText().contains(ward) || !inWard.path("meta").path("area").asText().isEmpty());
    }

    @Test
    void withTooLittleHistoryTheMapIsTheCountMapAndSaysWhy() throws Exception {
        JsonNode map = get("/api/hotspots?method=forecast&cell=250&from=2025-01-01&to=2025-02-28");
        JsonNode meta = map.path("meta");
        assertFalse(meta.path("enough_history").asBoolean());
        assertEquals("naive", meta.path("winner").path("id").asText());
        assertTrue(meta.path("note").asText().startsWith("Only 1 month before 2025-03 holds incidents"), meta.path("note").asText());
        assertTrue(meta.path("legend").asText().startsWith("Counts:"), meta.path("legend").asText());
        JsonNode grid = get("/api/hotspots?method=grid&cell=250&from=2025-01-01&to=2025-02-28");
        assertEquals(counts(grid), counts(map));
    }

    @Test
    void accuracyComparesTheForecastWithTheCountMapGiStarAndDensityOnTheHeldOutMonth() throws Exception {
        String windows = "cell=250&from=2025-06-01&to=2025-11-30&test_to=2025-12-31";
        JsonNode forecast = get("/api/hotspots/accuracy?method=forecast&" + windows);
        JsonNode grid = get("/api/hotspots/accuracy?method=grid&" + windows);
        JsonNode gistar = get("/api/hotspots/accuracy?method=gistar&" + windows);
        assertEquals("forecast", forecast.path("method").asText());
        assertEquals(grid.path("pai").asDouble(), forecast.path("baseline").path("pai").asDouble(), 1e-9, "the baseline is the count map");
        assertEquals(gistar.path("pai").asDouble(), forecast.path("gistar").path("pai").asDouble(), 1e-9);
        assertTrue(forecast.path("kde").has("bandwidth"));
        assertEquals(220, forecast.path("test").path("incidents").asLong());
        assertEquals(6 * 220, forecast.path("training").path("incidents").asLong());
        assertTrue(forecast.path("backtest").path("enough_history").asBoolean());
        assertFalse(forecast.path("winner").path("id").asText().isEmpty());
        assertTrue(forecast.path("winner").path("mean_pai").asDouble() >= forecast.path("backtest").path("naive").path("mean_pai").asDouble());
        // the forecast never sees the test month: its winner and backtest are the map's made from the same months
        JsonNode map = get("/api/hotspots?method=forecast&cell=250&from=2025-06-01&to=2025-11-30");
        assertEquals(map.path("meta").path("winner"), forecast.path("winner"));
        assertEquals(map.path("meta").path("candidates"), forecast.path("backtest").path("candidates"));
    }

    @Test
    void aCachedForecastIsNeverStale() throws Exception {
        String url = "/api/hotspots?method=forecast&cell=250&from=2025-07-01&to=2025-12-31&category=burglary";
        JsonNode first = get(url);
        assertEquals(first, get(url), "the same data gives the same forecast");
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'burglary', make_timestamptz(2025, 12, 1, 0, 0, 0, 'Europe/London'), 'month',
                           ST_Centroid(ST_SetSRID(ST_Square(250, %d, %d), 27700)), 'snapped', 'late-' || n
                    FROM generate_series(1, 30) n""".formatted(persistent[0] + 3, persistent[1] + 3));
        }
        try {
            JsonNode after = get(url);
            assertEquals(first.path("meta").path("incidents").asLong() + 30, after.path("meta").path("incidents").asLong());
            assertNotEquals(first.path("meta").path("candidates"), after.path("meta").path("candidates"), "the backtest ran again");
        } finally {
            try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
                st.execute("DELETE FROM incident WHERE external_key LIKE 'late-%'");
            }
        }
    }

    @Test
    void aRepeatedRunIsServedFromTheCacheUntilTheDataChanges() throws Exception {
        var forecaster = new HotspotForecaster(new HotspotRepository(server.dataSource));
        var borough = aim.boundaries.StudyArea.resolve(new aim.boundaries.BoundaryRepository(server.dataSource), null, null);
        var filter = new aim.incidents.IncidentFilter(null, null, java.util.List.of("burglary"), java.util.List.of(), borough,
                new aim.accounts.User(1, "analyst", "Analyst", aim.accounts.Role.ANALYST));
        var origin = java.time.YearMonth.of(2026, 1);
        var first = forecaster.run(filter, new SquareGrid(250), origin, 6, 1, 6, 3);
        assertSame(first, forecaster.run(filter, new SquareGrid(250), origin, 6, 1, 6, 3), "nothing changed: the cached run");
        assertNotSame(first, forecaster.run(filter, new SquareGrid(250), origin, 6, 1, 6, 5), "another share: another run");
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            // any change to the incidents (here one of another category) bumps their data version
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    VALUES ('council', 'fly-tipping', timestamptz '2025-06-02 10:00 Europe/London', 'day',
                            ST_SetSRID(ST_MakePoint(%d * 250 + 10, %d * 250 + 10), 27700), 'exact', 'cache-1')""".formatted(persistent[0], persistent[1]));
        }
        try {
            var after = forecaster.run(filter, new SquareGrid(250), origin, 6, 1, 6, 3);
            assertNotSame(first, after, "new data: read again");
            assertSame(after, forecaster.run(filter, new SquareGrid(250), origin, 6, 1, 6, 3));
        } finally {
            try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
                st.execute("DELETE FROM incident WHERE external_key = 'cache-1'");
            }
        }
    }

    @Test
    void badParametersAreProblemsNamingThem() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("/api/hotspots?method=forecast&band=500", "band");
        cases.put("/api/hotspots?method=forecast&bandwidth=500", "bandwidth");
        cases.put("/api/hotspots?method=forecast&output=bands", "output");
        cases.put("/api/hotspots?method=forecast&bbox=-1.3,54.5,-1.2,54.6", "bbox");
        cases.put("/api/hotspots?method=forecast&folds=2", "folds");
        cases.put("/api/hotspots?method=forecast&folds=13", "folds");
        cases.put("/api/hotspots?method=forecast&share=0", "share");
        cases.put("/api/hotspots?method=forecast&from=2025-12-05&to=2025-12-20", "from");
        cases.put("/api/hotspots?method=forecast&from=2022-01-01&to=2025-12-31", "from");
        cases.put("/api/hotspots/accuracy?method=forecast&from=2025-06-02&to=2025-11-30", "from");
        cases.put("/api/hotspots/accuracy?method=forecast&from=2025-06-01&to=2025-11-29", "to");
        cases.put("/api/hotspots/accuracy?method=forecast&from=2025-06-01&to=2025-11-30&test_from=2026-01-01&test_to=2026-01-31", "test_from");
        cases.put("/api/hotspots/accuracy?method=forecast&from=2025-06-01&to=2025-11-30&test_to=2025-12-30", "test_to");
        cases.put("/api/hotspots/accuracy?method=forecast&from=2025-06-01&to=2025-06-30&test_to=2026-07-31", "test_to");
        for (var e : cases.entrySet()) {
            var response = server.get(e.getKey(), "Authorization", "Bearer " + analyst);
            assertEquals(400, response.statusCode(), e.getKey() + " → " + response.body());
            JsonNode problem = json(response);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), e.getKey());
            assertEquals(e.getValue(), problem.path("field").asText(), e.getKey() + " → " + problem);
        }
    }
}
