package aim.hotspots;

import aim.DemoLoader;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.accounts.User;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.StudyArea;
import aim.incidents.IncidentFilter;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forecast's near-repeat sums read in one pass ({@link NearRepeatSums}, the path {@link HotspotRepository#recentExactTimeSums}
 * takes) equal the by-day query they replaced ({@link HotspotRepository#recentExactTimeSumsByDay}) on the same data,
 * to floating-point rounding (relative 1e-9: the two add the same day weights in another order, so the last bits
 * may differ), with the same cells and month starts. The data: the demo borough (month-precise police rows) plus,
 * over 2025, sensitive day-precise incidents (a third recorded by a warden, some on 50 m grid lines), police month
 * rows at local month starts, minute rows at the local midnights that decide a row's day and whether it is in reach
 * of a month start (1 and 56 days before, the start's own day, 57 days before; in summer and winter time), and
 * points on the wards' vertices (on the study area's edge). Each case for an analyst, a viewer (redacted) and the
 * warden; with categories, sources, a ward and a neighbourhood; on 100 m and 250 m squares (the placement of 50 m
 * squares), hexagons, and without a placement (every row tested against the area).
 */
@Tag("postgis")
class NearRepeatSumsEqualityTest {
    @Fresh static HikariDataSource ds;
    static HotspotRepository cached, uncached;
    static StudyArea borough, ward, neighbourhood;
    static User analyst, viewer, warden;

    @BeforeAll
    static void data(@TempDir Path dir) throws Exception {
        new DemoLoader(ds, dir).loadIfMissing();
        cached = new HotspotRepository(ds);
        uncached = new HotspotRepository(ds, true, false);
        var boundaries = new BoundaryRepository(ds);
        borough = StudyArea.resolve(boundaries, null, "demo");
        Accounts accounts = new Accounts(ds);
        analyst = accounts.create("analyst", "Analyst", Role.ANALYST, "analyst password 1");
        viewer = accounts.create("viewer", "Viewer", Role.VIEWER, "viewer password 1");
        warden = accounts.create("warden", "Warden", Role.WARDEN, "warden password 1");
        String area = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                + " WHERE s.level = 'ward' AND s.version = 'demo')";
        String wardCode;
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                    + " WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET 4 LIMIT 1")) {
                rs.next();
                wardCode = rs.getString(1);
            }
            // day-precise incidents over 2025, sensitive half of them, every third recorded by the warden, a few on 50 m grid lines
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT CASE WHEN d.path[1] %% 2 = 0 THEN 'council' ELSE 'warden' END,
                           CASE WHEN d.path[1] %% 2 = 0 THEN 'asb-neighbour-dispute' ELSE 'violence-and-sexual-offences' END,
                           timestamptz '2025-01-01 09:00+00' + (d.path[1] %% 365 || ' days')::interval, 'day',
                           CASE WHEN d.path[1] %% 7 = 0 THEN ST_SnapToGrid(d.geom, 50) ELSE d.geom END, 'exact', 'nr-' || d.path[1],
                           CASE WHEN d.path[1] %% 3 = 0 THEN %2$d END
                    FROM ST_Dump(ST_GeneratePoints(%1$s, 2500, 5)) d""".formatted(area, warden.id()));
            // police month rows at local month starts: never near-repeat rows
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'burglary', (date '2025-01-01' + ((d.path[1] %% 12) || ' months')::interval) AT TIME ZONE 'Europe/London',
                           'month', ST_SnapToGrid(d.geom, 50), 'snapped', 'nrm-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(%s, 800, 6)) d""".formatted(area));
            // minute rows at the midnights that decide reach: July 1 (summer time) and December 1 (winter time)
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT 'council', t.category, t.at, 'minute', d.geom, 'exact', 'nre-' || t.n || '-' || d.path[1], %2$s
                    FROM (VALUES (1, timestamptz '2025-06-30 22:59+00', 'asb-noise'),
                                 (2, timestamptz '2025-06-30 23:00+00', 'asb-noise'),
                                 (3, timestamptz '2025-05-05 23:00+00', 'asb-neighbour-dispute'),
                                 (4, timestamptz '2025-05-05 22:59+00', 'asb-noise'),
                                 (5, timestamptz '2025-11-30 23:59+00', 'asb-neighbour-dispute'),
                                 (6, timestamptz '2025-12-01 00:00+00', 'asb-noise'),
                                 (7, timestamptz '2025-10-06 00:00+00', 'asb-noise'),
                                 (8, timestamptz '2025-10-05 23:59+00', 'asb-neighbour-dispute'),
                                 (9, timestamptz '2025-03-30 00:30+00', 'asb-noise'),
                                 (10, timestamptz '2025-10-25 23:30+00', 'asb-noise')) AS t(n, at, category)
                    CROSS JOIN ST_Dump(ST_GeneratePoints(%1$s, 30, 7)) d""".formatted(area, warden.id()));
            // points on the wards' vertices: on shared edges, and on the borough's outline
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT 'council', CASE WHEN v.k %% 2 = 0 THEN 'asb-noise' ELSE 'asb-neighbour-dispute' END,
                           timestamptz '2025-05-10 12:00+00' + (v.k %% 200 || ' days')::interval, 'day', v.geom, 'exact',
                           'nrv-' || v.k, CASE WHEN v.k %% 3 = 0 THEN %d END
                    FROM (SELECT p.geom, row_number() OVER () AS k
                          FROM boundary b JOIN boundary_set s ON s.id = b.set_id CROSS JOIN LATERAL ST_DumpPoints(b.geom) p
                          WHERE s.level = 'ward' AND s.version = 'demo') v""".formatted(warden.id()));
        }
        ward = StudyArea.resolve(boundaries, "ward:" + wardCode, "demo");
        neighbourhood = StudyArea.resolve(boundaries, "neighbourhood:DEMO-N-EAST", "demo");
    }

    /** Month starts as the forecaster asks for them: the folds' and the origin's, earlier entries null. */
    static LocalDate[] starts(int firstMonth) {
        LocalDate[] starts = new LocalDate[13];
        for (int m = firstMonth; m <= 12; m++) starts[m] = LocalDate.of(2025, 1, 1).plusMonths(m);
        return starts;
    }

    List<IncidentFilter> filters() {
        List<IncidentFilter> filters = new ArrayList<>();
        LocalDate from = LocalDate.of(2025, 5, 6), to = LocalDate.of(2025, 12, 31);
        for (User u : List.of(analyst, viewer, warden)) {
            filters.add(new IncidentFilter(from, to, List.of(), List.of(), borough, u));
            // a window that starts later than the first start's reach and ends before the last start
            filters.add(new IncidentFilter(LocalDate.of(2025, 6, 15), LocalDate.of(2025, 11, 20), List.of(), List.of(), borough, u));
            filters.add(new IncidentFilter(from, to, List.of("asb-noise", "violence-and-sexual-offences"), List.of(), borough, u));
            filters.add(new IncidentFilter(from, to, List.of(), List.of("warden", "police"), borough, u));
            filters.add(new IncidentFilter(from, to, List.of(), List.of(), ward, u));
            filters.add(new IncidentFilter(from, to, List.of("asb-neighbour-dispute"), List.of(), neighbourhood, u));
        }
        return filters;
    }

    /** The sums by (start, cell), rows of the same start and cell added. */
    static Map<String, double[]> byKey(HotspotRepository.RecentSums sums) {
        Map<String, double[]> m = new TreeMap<>();
        for (int r = 0; r < sums.start().length; r++) {
            double[] v = m.computeIfAbsent(sums.start()[r] + " " + sums.ci()[r] + " " + sums.cj()[r], k -> new double[Forecast.DECAY_DAYS.length]);
            for (int d = 0; d < v.length; d++) v[d] += sums.sums()[r][d];
        }
        return m;
    }

    static void assertSameSums(HotspotRepository.RecentSums expected, HotspotRepository.RecentSums actual, String what) {
        Map<String, double[]> e = byKey(expected), a = byKey(actual);
        assertEquals(e.keySet(), a.keySet(), what + ": the same month starts and cells");
        for (var entry : e.entrySet()) {
            double[] x = entry.getValue(), y = a.get(entry.getKey());
            for (int d = 0; d < x.length; d++) {
                assertTrue(Math.abs(x[d] - y[d]) <= 1e-9 * Math.abs(x[d]), what + " " + entry.getKey() + ": " + x[d] + " against " + y[d]);
            }
        }
    }

    @Test
    void theOnePassSumsEqualTheByDaySumsForEveryViewerSelectionAndGrid() {
        int compared = 0;
        for (IncidentFilter f : filters()) {
            for (Grid grid : List.of(new SquareGrid(100), new SquareGrid(250), new HexGrid(250))) {
                for (LocalDate[] starts : List.of(starts(6), starts(3))) {
                    var expected = cached.recentExactTimeSumsByDay(grid, f, starts);
                    String what = f.viewer().role().id() + " " + f.area().label() + " " + f.categories() + f.sources()
                            + " " + f.from() + "…" + f.to() + " " + grid.kind() + " " + grid.size();
                    assertFalse(expected.start().length == 0, what + ": has sums");
                    assertSameSums(expected, cached.recentExactTimeSums(grid, f, starts), what);
                    assertSameSums(expected, uncached.recentExactTimeSums(grid, f, starts), what + " (no placement)");
                    compared++;
                }
            }
        }
        assertEquals(108, compared);
    }

    @Test
    void theReachIsDecidedByLocalDaysAtTheMidnightsOnEachSide() {
        // the edge rows alone: the category filter keeps noise, and the window holds only 2025's edge days
        IncidentFilter f = new IncidentFilter(LocalDate.of(2025, 5, 5), LocalDate.of(2025, 12, 31), List.of("asb-noise"),
                List.of(), borough, analyst);
        LocalDate[] starts = starts(6);
        var expected = byKey(cached.recentExactTimeSumsByDay(new SquareGrid(250), f, starts));
        assertFalse(expected.isEmpty());
        assertSameSums(cached.recentExactTimeSumsByDay(new SquareGrid(250), f, starts), cached.recentExactTimeSums(new SquareGrid(250), f, starts), "edges");
    }

    @Test
    void noStartsReadNothing() {
        IncidentFilter f = new IncidentFilter(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), List.of(), List.of(), borough, analyst);
        var sums = cached.recentExactTimeSums(new SquareGrid(100), f, new LocalDate[5]);
        assertEquals(0, sums.start().length);
        assertFalse(sums.dataVersion().isEmpty());
    }
}
