package aim.areas;

import aim.accounts.Role;
import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.boundaries.StudyArea;
import aim.incidents.IncidentFilter;
import aim.incidents.TaxonomyRepository;
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
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollup path of the area statistics and series (area_month_count for whole months, raw rows joined to
 * point_area by their points for the edges) gives exactly the raw point-in-polygon path's answers on the same data:
 * month-precise police rows at both window edges (and one off its month's start), day and minute rows on the
 * first and last day and just outside, sensitive incidents for an analyst, a viewer and the warden who
 * recorded some of them, points exactly on a shared ward edge, category and source filters, ward and
 * neighbourhood levels, month and quarter series.
 */
@Tag("postgis")
class RollupEqualityTest {
    @Fresh static TestServer server;
    static List<String> wards;
    static User analyst, viewer, warden;
    static String analystToken;
    static AreaStatisticsRepository rollups, raw;
    static AreaStatisticsService rollupService, rawService;
    static BoundaryRepository boundaries;
    static String edgeWard, otherEdgeWard;

    static final List<LocalDate[]> WINDOWS = List.of(
            window("2025-04-01", "2025-06-30"),  // whole months (previous: Jan–Mar)
            window("2025-01-01", "2025-03-31"),  // a quarter
            window("2025-03-15", "2025-06-20"),  // partial months at both edges
            window("2025-04-01", "2025-06-20"),  // partial at the end only
            window("2025-02-10", "2025-05-31"),  // partial at the start only
            window("2025-05-03", "2025-05-20"),  // no whole month: raw both ways
            window("2024-03-01", "2025-06-30")); // long, with the March 2024 police rows

    private static LocalDate[] window(String from, String to) {
        return new LocalDate[]{LocalDate.parse(from), LocalDate.parse(to)};
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        wards = AreaTestData.load(server, dir);
        analystToken = server.userToken("ana", Role.ANALYST);
        analyst = user("ana", Role.ANALYST);
        server.userToken("vera", Role.VIEWER);
        viewer = user("vera", Role.VIEWER);
        server.userToken("wes", Role.WARDEN);
        warden = user("wes", Role.WARDEN);
        execute("""
                CREATE VIEW demo_ward AS
                SELECT b.id, b.code, b.geom, row_number() OVER (ORDER BY b.code) - 1 AS n
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo';
                SELECT setseed(0.25);
                -- sensitive incidents spread over the borough, half recorded by the warden
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                SELECT CASE WHEN mod(k, 2) = 0 THEN 'warden' ELSE 'council' END,
                       CASE WHEN mod(k, 3) = 0 THEN 'asb-neighbour-dispute' ELSE 'violence-and-sexual-offences' END,
                       timestamptz '2025-01-01 00:00+00' + random() * (timestamptz '2025-07-01 00:00+01' - timestamptz '2025-01-01 00:00+00'),
                       'minute', geom, 'gps', 'sens-' || k, CASE WHEN mod(k, 2) = 0 THEN %d END
                FROM (SELECT row_number() OVER () AS k, geom FROM (SELECT (ST_Dump(ST_GeneratePoints(
                          (SELECT ST_Union(geom) FROM demo_ward), 400, 13))).geom) d) p;
                -- police month rows at the edges, sensitive ones too, and one off its month's start (01:00 BST on 1 June)
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'police', c, m, 'month', ST_PointOnSurface(w.geom), 'snapped', 'edge-' || c || '-' || m || '-' || w.n
                FROM demo_ward w,
                     unnest(ARRAY['burglary', 'violence-and-sexual-offences']) c,
                     unnest(ARRAY[timestamptz '2025-03-01 00:00+00', timestamptz '2025-04-01 00:00+01', timestamptz '2025-06-01 00:00+01',
                                  timestamptz '2025-07-01 00:00+01', timestamptz '2025-06-01 00:00+00', timestamptz '2025-02-01 00:00+00']) m
                WHERE w.n IN (2, 11);
                -- day and minute rows on the first and last day of the windows, and just outside
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', 'env-littering', t, p, ST_PointOnSurface(w.geom), 'exact', 'day-edge-' || t || '-' || p || '-' || w.n
                FROM demo_ward w,
                     unnest(ARRAY[timestamptz '2025-04-01 00:00+01', timestamptz '2025-03-31 23:59+01', timestamptz '2025-06-30 23:59+01',
                                  timestamptz '2025-07-01 00:00+01', timestamptz '2025-03-15 00:00+00', timestamptz '2025-03-14 23:59+00',
                                  timestamptz '2025-06-20 23:59+01', timestamptz '2025-06-21 00:00+01', timestamptz '2025-02-10 00:00+00',
                                  timestamptz '2025-05-31 23:59+01', timestamptz '2025-01-01 00:00+00']) t,
                     unnest(ARRAY['day', 'minute']) p
                WHERE w.n IN (3, 12);
                """.formatted(warden.id()));
        // three rows (and three sensitive ones) on a vertex shared by two wards: counted once, in the ward with
        // the smallest code among those the point touches
        List<String> edge = strings("""
                SELECT a.code, b.code FROM demo_ward a JOIN demo_ward b ON a.code < b.code AND ST_Touches(a.geom, b.geom)
                ORDER BY 1, 2 LIMIT 1""");
        execute("""
                CREATE TABLE edge_point AS
                SELECT v.g FROM (SELECT (ST_DumpPoints(a.geom)).geom AS g FROM demo_ward a WHERE a.code = '%s') v
                WHERE ST_Intersects(v.g, (SELECT geom FROM demo_ward WHERE code = '%s')) LIMIT 1;
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                SELECT 'warden', c, timestamptz '2025-05-14 12:00+01', 'minute', p.g, 'gps', 'on-edge-' || c || '-' || k, %d
                FROM edge_point p CROSS JOIN generate_series(1, 3) k
                     CROSS JOIN unnest(ARRAY['asb-youths-congregating', 'racially-motivated']) c;
                """.formatted(edge.get(0), edge.get(1), warden.id()));
        List<String> touched = strings("SELECT w.code FROM demo_ward w, edge_point p WHERE ST_Intersects(w.geom, p.g) ORDER BY 1");
        assertTrue(touched.size() >= 2, "the point lies on an edge: " + touched);
        edgeWard = touched.get(0);
        otherEdgeWard = touched.get(1);
        boundaries = new BoundaryRepository(server.dataSource);
        rollups = new AreaStatisticsRepository(server.dataSource, true);
        raw = new AreaStatisticsRepository(server.dataSource, false);
        rollupService = new AreaStatisticsService(boundaries, rollups);
        rawService = new AreaStatisticsService(boundaries, raw);
    }

    private static List<IncidentFilter> filters(LocalDate from, LocalDate to) {
        StudyArea borough = StudyArea.resolve(boundaries, null, "demo");
        List<IncidentFilter> out = new ArrayList<>();
        for (User u : List.of(analyst, viewer, warden)) {
            out.add(new IncidentFilter(from, to, List.of(), List.of(), borough, u));
            out.add(new IncidentFilter(from, to, List.of("violence-and-sexual-offences", "burglary", "racially-motivated"), List.of(), borough, u));
            out.add(new IncidentFilter(from, to, List.of(), List.of("police"), borough, u));
            out.add(new IncidentFilter(from, to, List.of("env-littering", "asb-neighbour-dispute"), List.of("council", "warden"), borough, u));
        }
        return out;
    }

    @Test
    void areaStatisticsEqualTheRawPathForEveryWindowCallerFilterAndLevel() {
        int compared = 0;
        for (LocalDate[] w : WINDOWS) {
            for (IncidentFilter f : filters(w[0], w[1])) {
                for (BoundaryLevel level : List.of(BoundaryLevel.WARD, BoundaryLevel.NEIGHBOURHOOD)) {
                    AreaStatisticsService.Stats a = rollupService.stats(level, f);
                    AreaStatisticsService.Stats b = rawService.stats(level, f);
                    String what = level + " " + w[0] + ".." + w[1] + " " + f.viewer().username() + " " + f.categories() + f.sources();
                    assertEquals(b.rows(), a.rows(), what);
                    assertEquals(nonZero(b.counts()), nonZero(a.counts()), what);
                    compared++;
                }
            }
        }
        assertEquals(WINDOWS.size() * 12 * 2, compared);
        BoundarySet demo = boundaries.find(BoundaryLevel.WARD, "demo").orElseThrow();
        assertTrue(rollups.readsRollups(demo, LocalDate.parse("2025-03-15"), LocalDate.parse("2025-06-20")), "the rollups were read");
        assertFalse(rollups.readsRollups(demo, LocalDate.parse("2025-05-03"), LocalDate.parse("2025-05-20")), "no whole month: raw");
        // the unfiltered analyst's ward counts read the area totals (V26); everyone else the per-category rollup
        List<IncidentFilter> fs = filters(LocalDate.parse("2025-04-01"), LocalDate.parse("2025-06-30"));
        assertTrue(fs.get(0).countsEveryIncidentExact(), "an unfiltered analyst reads area_month_total");
        assertTrue(AreaRollupSql.period(0, demo.id(), null, fs.get(0), LocalDate.parse("2025-04-01"), LocalDate.parse("2025-06-30"),
                false, false).sql().contains("area_month_total"));
        for (IncidentFilter f : fs.subList(1, fs.size())) assertFalse(f.countsEveryIncidentExact(), f.viewer().username() + f.categories() + f.sources());
    }

    @Test
    void countsPerAreaAndMonthEqualTheRawPathAndTheSeriesOfEachWard() {
        // what the performance indicators read: every ward (or zone) of a set at once, per month
        BoundarySet demo = boundaries.find(BoundaryLevel.WARD, "demo").orElseThrow();
        List<BoundarySet> sets = new ArrayList<>(List.of(demo));
        sets.addAll(boundaries.current(BoundaryLevel.ZONE));
        assertTrue(sets.size() > 1, "the demo zones are compared too");
        Map<String, Long> ids = new java.util.HashMap<>();
        for (AreaStatisticsRepository.Area a : rollups.areas(demo)) ids.put(a.code(), a.id());
        int compared = 0;
        for (LocalDate[] w : WINDOWS) {
            for (IncidentFilter f : filters(w[0], w[1])) {
                for (BoundarySet set : sets) {
                    String what = set.version() + " " + w[0] + ".." + w[1] + " " + f.viewer().username() + " " + f.categories() + f.sources();
                    var byArea = rollups.monthlyCountsByArea(set, f);
                    assertEquals(raw.monthlyCountsByArea(set, f), byArea, what);
                    // split by category as well (the public view's base counts): the same on both paths, summing to byArea
                    var split = new java.util.HashSet<>(rollups.monthlyCountsByAreaAndCategory(set, f));
                    assertEquals(new java.util.HashSet<>(raw.monthlyCountsByAreaAndCategory(set, f)), split, what);
                    Map<Long, Map<java.time.YearMonth, Long>> summed = new java.util.HashMap<>();
                    split.forEach(c -> summed.computeIfAbsent(c.areaId(), k -> new java.util.TreeMap<>()).merge(c.month(), c.count(), Long::sum));
                    assertEquals(byArea, summed, what);
                    compared++;
                    if (set != demo) continue;
                    for (String ward : List.of(wards.get(2), wards.get(3), wards.get(6), edgeWard, otherEdgeWard)) {
                        Map<java.time.YearMonth, Long> perMonth = new java.util.TreeMap<>();
                        rollups.monthlyCounts(demo, new Long[]{ids.get(ward)}, f, null).forEach((m, byCategory) ->
                                perMonth.put(m, byCategory.values().stream().mapToLong(Long::longValue).sum()));
                        perMonth.values().removeIf(n -> n == 0);
                        assertEquals(perMonth, byArea.getOrDefault(ids.get(ward), Map.of()), what + " " + ward);
                    }
                }
            }
        }
        assertEquals(WINDOWS.size() * 12 * sets.size(), compared);
    }

    @Test
    void seriesEqualTheRawPathForWardsNeighbourhoodsTheBoroughAndQuarters() throws Exception {
        BoundarySet demo = boundaries.find(BoundaryLevel.WARD, "demo").orElseThrow();
        aim.incidents.Taxonomy taxonomy = new TaxonomyRepository(server.dataSource).load();
        List<AreaStatisticsService.SeriesArea> areas = new ArrayList<>();
        areas.add(rollupService.seriesArea(null, "all", demo));
        for (String ward : List.of(wards.get(2), wards.get(3), wards.get(8), wards.get(11), edgeWard, otherEdgeWard)) {
            areas.add(rollupService.seriesArea(BoundaryLevel.WARD, ward, demo));
        }
        for (String n : AreaTestData.neighbourhoods(server).keySet()) areas.add(rollupService.seriesArea(BoundaryLevel.NEIGHBOURHOOD, n, demo));
        int compared = 0;
        for (LocalDate[] w : WINDOWS) {
            for (IncidentFilter f : filters(w[0], w[1])) {
                for (AreaStatisticsService.SeriesArea area : areas) {
                    String what = area.level() + " " + area.code() + " " + w[0] + ".." + w[1] + " " + f.viewer().username()
                            + " " + f.categories() + f.sources();
                    assertEquals(raw.monthlyCounts(demo, area.wardIds(), f, null), rollups.monthlyCounts(demo, area.wardIds(), f, null), what);
                    for (SeriesInterval interval : SeriesInterval.values()) {
                        AreaStatisticsService.Series a = rollupService.series(demo, area, interval, f, null, taxonomy);
                        AreaStatisticsService.Series b = rawService.series(demo, area, interval, f, null, taxonomy);
                        assertEquals(b, a, what + " " + interval);
                    }
                    compared++;
                }
            }
        }
        assertEquals(WINDOWS.size() * 12 * areas.size(), compared);
    }

    @Test
    void aPointOnASharedEdgeCountsOnceInTheWardWithTheSmallerCode() {
        StudyArea borough = StudyArea.resolve(boundaries, null, "demo");
        for (User u : List.of(analyst, warden)) {
            IncidentFilter f = new IncidentFilter(LocalDate.parse("2025-04-01"), LocalDate.parse("2025-06-30"),
                    List.of("asb-youths-congregating"), List.of(), borough, u);
            Map<String, Long> counts = new LinkedHashMap<>();
            rollupService.stats(BoundaryLevel.WARD, f).rows().forEach(r -> counts.put(r.code(), r.count()));
            assertEquals(3L, counts.get(edgeWard), counts.toString());
            assertEquals(0L, counts.get(otherEdgeWard), counts.toString());
            assertEquals(3L, counts.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void theEndpointAnswersWhatTheRawPathCounts() throws Exception {
        HttpResponse<String> r = server.get("/api/areas/stats?level=ward&from=2025-03-15&to=2025-06-20", "Authorization", "Bearer " + analystToken);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        StudyArea borough = StudyArea.resolve(boundaries, null, "demo");
        IncidentFilter f = new IncidentFilter(LocalDate.parse("2025-03-15"), LocalDate.parse("2025-06-20"), List.of(), List.of(), borough, analyst);
        Map<String, long[]> expected = new LinkedHashMap<>();
        rawService.stats(BoundaryLevel.WARD, f).rows().forEach(row -> expected.put(row.code(), new long[]{row.count(), row.previous().count()}));
        assertEquals(20, body.path("areas").size());
        for (JsonNode a : body.path("areas")) {
            long[] e = expected.get(a.path("code").asText());
            assertEquals(e[0], a.path("count").asLong(), a.toString());
            assertEquals(e[1], a.path("previous").path("count").asLong(), a.toString());
        }
    }

    /** The counts without wards whose pair is (0, 0), which one path may list and the other leave out. */
    private static List<Object> nonZero(AreaStatisticsRepository.WardCounts c) {
        Map<Long, AreaStatisticsRepository.Pair> byWard = new java.util.TreeMap<>(c.byWard());
        byWard.values().removeIf(p -> p.current() == 0 && p.previous() == 0);
        return List.of(byWard, c.areaOnlyCounted(), c.unlocated(), c.outside());
    }

    static User user(String username, Role role) throws Exception {
        return new User(Long.parseLong(strings("SELECT id FROM app_user WHERE username = '" + username + "'").get(0)), username, username, role);
    }

    static void execute(String sql) throws Exception {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) out.add(rs.getString(i));
            }
        }
        return out;
    }
}
