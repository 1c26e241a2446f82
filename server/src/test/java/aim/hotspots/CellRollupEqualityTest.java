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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hotspot counts read from the 50 m rollup ({@link CellRollups}) equal the raw counts exactly, on
 * the demo borough (whose police rows are month-precise and stored at UTC midnight, so summer months
 * hold offset month rows) plus, over 2025: sensitive incidents (some recorded by a warden), police
 * month rows at local month starts, day and minute rows on the first and last day of the windows and
 * just outside them, and points on the wards' vertices (shared edges) and on 50 m grid lines. Each
 * case is compared for the analyst, a viewer and the warden who recorded the sensitive incidents.
 */
@Tag("postgis")
class CellRollupEqualityTest {
    @Fresh static HikariDataSource ds;
    static HotspotRepository rolled, raw, uncached;
    static StudyArea borough, ward, neighbourhood;
    static User analyst, viewer, warden;
    static final LocalDate FROM = LocalDate.of(2025, 3, 15), TO = LocalDate.of(2025, 8, 10);

    @BeforeAll
    static void data(@TempDir Path dir) throws Exception {
        new DemoLoader(ds, dir).loadIfMissing();
        rolled = new HotspotRepository(ds, true);
        raw = new HotspotRepository(ds, false);
        // the rollup path with the study area, its cells and the 50 m cells' placement computed per request
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
            // sensitive incidents over 2025, every third recorded by the warden, a few on 50 m grid lines
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT CASE WHEN d.path[1] %% 2 = 0 THEN 'council' ELSE 'warden' END,
                           CASE WHEN d.path[1] %% 2 = 0 THEN 'asb-neighbour-dispute' ELSE 'violence-and-sexual-offences' END,
                           timestamptz '2025-01-01 09:00+00' + (d.path[1] %% 365 || ' days')::interval, 'day',
                           CASE WHEN d.path[1] %% 7 = 0 THEN ST_SnapToGrid(d.geom, 50) ELSE d.geom END, 'exact', 'sens-' || d.path[1],
                           CASE WHEN d.path[1] %% 3 = 0 THEN %2$d END
                    FROM ST_Dump(ST_GeneratePoints(%1$s, 1500, 5)) d""".formatted(area, warden.id()));
            // police month rows at local month starts over 2025 (March and August are partial months of the window)
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', CASE WHEN d.path[1] %% 4 = 0 THEN 'violence-and-sexual-offences' ELSE 'burglary' END,
                           (date '2025-01-01' + ((d.path[1] %% 12) || ' months')::interval) AT TIME ZONE 'Europe/London', 'month',
                           ST_SnapToGrid(d.geom, 50), 'snapped', 'pm-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(%s, 1200, 6)) d""".formatted(area));
            // rows at the window's edges: first and last day, and just outside, in local time
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT 'council', t.category, t.at, t.precision, d.geom, 'exact', 'edge-' || t.n || '-' || d.path[1], %2$s
                    FROM (VALUES (1, timestamptz '2025-03-15 00:00+00', 'day', 'asb-noise'),
                                 (2, timestamptz '2025-03-14 23:59+00', 'minute', 'asb-noise'),
                                 (3, timestamptz '2025-08-10 22:59+00', 'minute', 'asb-neighbour-dispute'),
                                 (4, timestamptz '2025-08-10 23:00+00', 'day', 'asb-noise'),
                                 (5, timestamptz '2025-03-31 23:00+00', 'day', 'asb-neighbour-dispute'),
                                 (6, timestamptz '2025-07-31 22:59+00', 'minute', 'asb-noise'),
                                 (7, timestamptz '2025-06-01 00:00+00', 'month', 'burglary'),
                                 (8, timestamptz '2025-03-01 00:00+00', 'month', 'burglary'),
                                 (9, timestamptz '2025-08-01 00:00+01', 'month', 'asb-neighbour-dispute')) AS t(n, at, precision, category)
                    CROSS JOIN ST_Dump(ST_GeneratePoints(%1$s, 40, 7)) d""".formatted(area, warden.id()));
            // points on the wards' vertices: on shared edges, and on the borough's outline
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT 'council', CASE WHEN v.k %% 2 = 0 THEN 'asb-noise' ELSE 'asb-neighbour-dispute' END,
                           timestamptz '2025-05-10 12:00+00' + (v.k %% 90 || ' days')::interval, 'day', v.geom, 'exact',
                           'vertex-' || v.k, CASE WHEN v.k %% 3 = 0 THEN %d END
                    FROM (SELECT p.geom, row_number() OVER () AS k
                          FROM boundary b JOIN boundary_set s ON s.id = b.set_id CROSS JOIN LATERAL ST_DumpPoints(b.geom) p
                          WHERE s.level = 'ward' AND s.version = 'demo') v
                    WHERE v.k %% 5 = 0""".formatted(warden.id()));
            // points on the edges of the hexagons of 100, 250, 500 and 1000 m (as near as float8 gets): their
            // vertices (three hexagons meet; some on 50 m grid lines) and points a twelfth of the way round,
            // sensitive ones among them, police month rows at local month starts too
            int onHexagonEdges = st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, recorded_by)
                    SELECT CASE WHEN e.k %% 4 = 0 THEN 'police' ELSE 'council' END,
                           CASE e.k %% 4 WHEN 0 THEN 'burglary' WHEN 1 THEN 'asb-noise' WHEN 2 THEN 'asb-neighbour-dispute'
                                         ELSE 'violence-and-sexual-offences' END,
                           CASE WHEN e.k %% 4 = 0 THEN (date '2025-01-01' + ((e.k %% 12) || ' months')::interval) AT TIME ZONE 'Europe/London'
                                ELSE timestamptz '2025-01-01 10:00+00' + (e.k %% 360 || ' days')::interval END,
                           CASE WHEN e.k %% 4 = 0 THEN 'month' ELSE 'day' END, e.geom, 'exact',
                           'hex-edge-' || e.k, CASE WHEN e.k %% 3 = 0 THEN %2$d END
                    FROM (SELECT p.geom, row_number() OVER () AS k
                          FROM (SELECT %1$s AS geom) a
                          CROSS JOIN unnest(ARRAY[100, 250, 500, 1000]) AS s(size)
                          CROSS JOIN LATERAL ST_HexagonGrid(s.size, a.geom) h
                          CROSS JOIN LATERAL ST_Dump(ST_LineInterpolatePoints(ST_ExteriorRing(h.geom), 1.0 / 12)) p
                          WHERE ST_Intersects(a.geom, ST_SetSRID(p.geom, 27700))) e0
                    CROSS JOIN LATERAL (SELECT ST_SetSRID(e0.geom, 27700) AS geom, e0.k) e
                    WHERE e.k %% 5 = 0""".formatted(area, warden.id()));
            assertTrue(onHexagonEdges > 500, onHexagonEdges + " points on hexagons' edges");
        }
        ward = StudyArea.resolve(boundaries, "ward:" + wardCode, "demo");
        neighbourhood = StudyArea.resolve(boundaries, "neighbourhood:DEMO-N-EAST", "demo");
    }

    /** Windows: partial months at both edges, whole months, open ends, one partial month only, everything. */
    static final LocalDate[][] WINDOWS = {
            {FROM, TO}, {LocalDate.of(2025, 4, 1), LocalDate.of(2025, 7, 31)}, {LocalDate.of(2025, 6, 1), LocalDate.of(2025, 6, 30)},
            {LocalDate.of(2025, 6, 1), LocalDate.of(2025, 7, 15)}, {null, TO}, {FROM, null}, {null, null},
            {LocalDate.of(2025, 5, 3), LocalDate.of(2025, 5, 20)}, {LocalDate.of(2025, 3, 15), LocalDate.of(2025, 4, 30)}};

    List<IncidentFilter> filters() {
        List<IncidentFilter> filters = new ArrayList<>();
        for (User u : List.of(analyst, viewer, warden)) {
            for (LocalDate[] w : WINDOWS) filters.add(new IncidentFilter(w[0], w[1], List.of(), List.of(), borough, u));
            filters.add(new IncidentFilter(FROM, TO, List.of(), List.of(), ward, u));
            filters.add(new IncidentFilter(null, null, List.of(), List.of(), ward, u));
            filters.add(new IncidentFilter(FROM, TO, List.of(), List.of(), neighbourhood, u));
            filters.add(new IncidentFilter(FROM, TO, List.of("asb-neighbour-dispute", "burglary"), List.of(), borough, u));
            filters.add(new IncidentFilter(null, TO, List.of(), List.of("police"), neighbourhood, u));
            filters.add(new IncidentFilter(FROM, TO, List.of("violence-and-sexual-offences"), List.of("warden", "police"), ward, u));
        }
        return filters;
    }

    static Map<Long, Long> cells(HotspotRepository.CellCounts counts) {
        Map<Long, Long> m = new TreeMap<>();
        for (int k = 0; k < counts.size(); k++) assertEquals(null, m.put(Grid.key(counts.i()[k], counts.j()[k]), counts.n()[k]));
        return m;
    }

    @Test
    void gridCountsAtEverySizeEqualTheRawCounts() {
        long compared = 0;
        for (IncidentFilter f : filters()) {
            for (int size : new int[]{50, 100, 250, 500, 1000}) {
                Map<Long, Long> expected = cells(raw.incidentCounts(f, new SquareGrid(size)));
                assertEquals(expected, cells(rolled.incidentCounts(f, new SquareGrid(size))), size + " m, " + f);
                assertEquals(expected, cells(uncached.incidentCounts(f, new SquareGrid(size))), "uncached, " + size + " m, " + f);
                compared += expected.values().stream().mapToLong(Long::longValue).sum();
            }
        }
        assertTrue(compared > 100_000, "compared " + compared);
    }

    @Test
    void hexagonCountsAtEverySizeEqualTheRawCounts() {
        // hexagons (from 250 m) read the 50 m squares wholly inside one from the rollup, the squares cut by an
        // edge raw; for an unfiltered analyst every size reads the point totals (V24), so 100 m hexagons are read
        // from rollups for them and raw for the viewer, the warden and filtered requests
        assertTrue(CellRollups.serves(new HexGrid(250)) && !CellRollups.serves(new HexGrid(100)));
        assertTrue(CellRollups.serves(new HexGrid(100), new IncidentFilter(FROM, TO, List.of(), List.of(), borough, analyst)));
        assertFalse(CellRollups.serves(new HexGrid(100), new IncidentFilter(FROM, TO, List.of(), List.of(), borough, viewer)));
        assertFalse(CellRollups.serves(new HexGrid(100), new IncidentFilter(FROM, TO, List.of("burglary"), List.of(), borough, analyst)));
        long compared = 0;
        for (IncidentFilter f : filters()) {
            for (int size : new int[]{100, 250, 500, 1000}) {
                Map<Long, Long> expected = cells(raw.incidentCounts(f, new HexGrid(size)));
                assertEquals(expected, cells(rolled.incidentCounts(f, new HexGrid(size))), "hexagons " + size + " m, " + f);
                assertEquals(expected, cells(uncached.incidentCounts(f, new HexGrid(size))), "uncached hexagons " + size + " m, " + f);
                compared += expected.values().stream().mapToLong(Long::longValue).sum();
            }
        }
        assertTrue(compared > 100_000, "compared " + compared);
    }

    @Test
    void countsInAMapViewEqualTheRawOnes() throws Exception {
        // views (WGS84 boxes) over the borough's outline: its south-west part reaching beyond it, its middle, all of it
        double[] e = new double[4];
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
                FROM (SELECT ST_Transform(ST_Envelope(ST_Union(b.geom)), 4326)::box2d AS b FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                      WHERE s.level = 'ward' AND s.version = 'demo') x""")) {
            rs.next();
            for (int k = 0; k < 4; k++) e[k] = rs.getDouble(k + 1);
        }
        double w = e[2] - e[0], h = e[3] - e[1];
        List<double[]> views = List.of(new double[]{e[0] - w / 4, e[1] - h / 4, e[0] + w / 2, e[1] + h / 2},
                new double[]{e[0] + w / 3, e[1] + h / 3, e[0] + 2 * w / 3, e[1] + 2 * h / 3}, e);
        long compared = 0;
        for (IncidentFilter f : filters()) {
            for (double[] view : views) {
                for (Grid grid : List.of(new SquareGrid(100), new SquareGrid(250), new HexGrid(100), new HexGrid(250))) {
                    GridCounts expected = raw.gridCounts(f, grid, view), got = rolled.gridCounts(f, grid, view);
                    assertEquals(expected.n(), got.n());
                    assertEquals(map(expected, expected.counts()), map(got, got.counts()), grid + " in a view, " + f);
                    compared += (long) expected.total();
                }
            }
        }
        assertTrue(compared > 10_000, "compared " + compared);
    }

    @Test
    void viewersAndTheRecordingWardenSeeDifferentCountsAndEachEqualsRaw() {
        // the sensitive incidents are generalised for the viewer, exact for the warden's own: the
        // 50 m counts differ between them, so the correction for own incidents is exercised
        IncidentFilter f = new IncidentFilter(FROM, TO, List.of("asb-neighbour-dispute", "violence-and-sexual-offences"), List.of(), borough, viewer);
        IncidentFilter mine = new IncidentFilter(FROM, TO, f.categories(), List.of(), borough, warden);
        IncidentFilter all = new IncidentFilter(FROM, TO, f.categories(), List.of(), borough, analyst);
        Map<Long, Long> v = cells(rolled.incidentCounts(f, new SquareGrid(50)));
        Map<Long, Long> w = cells(rolled.incidentCounts(mine, new SquareGrid(50)));
        Map<Long, Long> a = cells(rolled.incidentCounts(all, new SquareGrid(50)));
        assertNotEquals(v, w);
        assertNotEquals(w, a);
        assertEquals(cells(raw.incidentCounts(f, new SquareGrid(50))), v);
        assertEquals(cells(raw.incidentCounts(mine, new SquareGrid(50))), w);
        assertEquals(cells(raw.incidentCounts(all, new SquareGrid(50))), a);
    }

    @Test
    void gridCountsGiStarAndKdeEqualTheRawOnes() {
        for (IncidentFilter f : filters()) {
            for (Grid grid : List.of(new SquareGrid(100), new SquareGrid(250), new HexGrid(100), new HexGrid(250))) {
                GridCounts expected = raw.gridCounts(f, grid), got = rolled.gridCounts(f, grid);
                assertEquals(map(expected, expected.counts()), map(got, got.counts()), grid + ", " + f);
                double band = GiStar.defaultBand(expected.grid());
                assertEquals(map(expected, GiStar.compute(expected, band).z()), map(got, GiStar.compute(got, band).z()), "Gi* " + f);
                double bandwidth = KernelDensity.defaultBandwidth(expected);
                assertEquals(bandwidth, KernelDensity.defaultBandwidth(got));
                assertEquals(map(expected, KernelDensity.densities(expected, bandwidth)), map(got, KernelDensity.densities(got, bandwidth)),
                        "KDE " + f);
            }
        }
    }

    @Test
    void emergingSliceCountsAndPatternsEqualTheRawOnes() {
        for (Grid grid : List.of(new SquareGrid(100), new SquareGrid(250), new HexGrid(100), new HexGrid(250), new HexGrid(500)))
        for (User u : List.of(analyst, viewer, warden)) {
            for (StudyArea area : List.of(borough, ward)) {
                for (TimeSlices slices : List.of(TimeSlices.of("month", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)),
                        TimeSlices.of("quarter", LocalDate.of(2024, 4, 1), LocalDate.of(2026, 3, 31)))) {
                    IncidentFilter f = new IncidentFilter(slices.from(), slices.to(), List.of(), List.of(), area, u);
                    GridCounts cells = raw.gridCounts(f, grid);
                    double[][] expected = raw.sliceCounts(cells, f, slices), got = rolled.sliceCounts(cells, f, slices);
                    double[][] perRequest = uncached.sliceCounts(cells, f, slices);
                    for (int s = 0; s < slices.size(); s++) {
                        assertEquals(map(cells, expected[s]), map(cells, got[s]), grid + " " + slices.slices().get(s).label() + " " + f);
                        assertEquals(map(cells, expected[s]), map(cells, perRequest[s]), "uncached " + slices.slices().get(s).label() + " " + f);
                    }
                    // an open filter over slices of a wider window: edges of the filter fall inside slices
                    IncidentFilter partial = f.during(LocalDate.of(2025, 2, 10), LocalDate.of(2025, 11, 20));
                    double[][] e2 = raw.sliceCounts(cells, partial, slices), g2 = rolled.sliceCounts(cells, partial, slices);
                    for (int s = 0; s < slices.size(); s++) assertEquals(map(cells, e2[s]), map(cells, g2[s]), "partial " + s);
                    // the emerging request's one read of both equals the raw counts read apart
                    for (HotspotRepository repository : List.of(rolled, uncached, raw)) {
                        HotspotRepository.SliceCounts both = repository.emergingCounts(f, grid, slices);
                        assertEquals(cells.n(), both.cells().n());
                        assertEquals(map(cells, cells.counts()), map(both.cells(), both.cells().counts()), "one read " + f);
                        for (int s = 0; s < slices.size(); s++) {
                            assertEquals(map(cells, expected[s]), map(both.cells(), both.counts()[s]), "one read " + s + " " + f);
                        }
                    }
                    double band = GiStar.defaultBand(cells.grid());
                    var te = EmergingHotspots.analyse(cells, expected, band, true);
                    var tg = EmergingHotspots.analyse(cells, got, band, true);
                    for (int k = 0; k < cells.n(); k++) assertEquals(te[k].pattern(), tg[k].pattern());
                }
            }
        }
    }

    @Test
    void accuracyEqualsTheRawOne() {
        HotspotEngine rawEngine = new HotspotEngine(raw), rolledEngine = new HotspotEngine(rolled);
        var windows = new HotspotAccuracy.Windows(LocalDate.of(2025, 1, 10), LocalDate.of(2025, 6, 20),
                LocalDate.of(2025, 6, 21), LocalDate.of(2025, 10, 31));
        for (Grid grid : List.of(new SquareGrid(250), new HexGrid(250))) {
            for (User u : List.of(analyst, viewer, warden)) {
                for (String method : List.of("grid", "gistar", "kde")) {
                    IncidentFilter f = new IncidentFilter(null, null, List.of(), List.of(), borough, u);
                    var r = new HotspotEngine.AccuracyRequest(method, grid, null, null, HotspotAccuracy.DEFAULT_SHARE, windows, f);
                    assertEquals(rawEngine.accuracy(r), rolledEngine.accuracy(r), method + " " + grid + " " + u.role());
                }
            }
        }
    }

    @Test
    void theForecastAndItsAccuracyEqualTheRawOnesOnSquaresAndHexagons() {
        // the forecast reads its history per month (emergingCounts) and its test window per cell (countsOn)
        HotspotForecaster rawForecaster = new HotspotForecaster(raw), rolledForecaster = new HotspotForecaster(rolled);
        var windows = new HotspotAccuracy.Windows(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 6, 30),
                LocalDate.of(2025, 7, 1), LocalDate.of(2025, 8, 31));
        for (Grid grid : List.of(new SquareGrid(250), new HexGrid(250))) {
            for (User u : List.of(analyst, viewer, warden)) {
                IncidentFilter f = new IncidentFilter(null, null, List.of(), List.of(), borough, u);
                var r = new HotspotForecaster.AccuracyRequest(grid, HotspotAccuracy.DEFAULT_SHARE, Forecast.MIN_FOLDS, windows, f);
                assertEquals(rawForecaster.accuracy(r), rolledForecaster.accuracy(r), "forecast accuracy " + grid + " " + u.role());
            }
        }
    }

    @Test
    void offsetMonthRowsAreCorrectedOnlyWhereThereAreAnyAndEachMonthEqualsRaw() throws Exception {
        // the demo's police month rows are stored at UTC midnight: off their local month start in summer only
        int with = 0, without = 0;
        for (LocalDate m = LocalDate.of(2024, 1, 1); m.isBefore(LocalDate.of(2027, 1, 1)); m = m.plusMonths(1)) {
            LocalDate from = m.minusDays(9), to = m.plusMonths(1).minusDays(1);
            IncidentFilter f = new IncidentFilter(from, to, List.of(), List.of(), borough, analyst);
            boolean expected;
            try (var c = ds.getConnection(); var ps = c.prepareStatement("""
                    SELECT count(*) FROM incident i WHERE i.occurred_precision = 'month'
                      AND i.occurred_at <> (date_trunc('month', i.occurred_at AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London')
                      AND i.occurred_at >= (?::date)::timestamp AT TIME ZONE 'Europe/London'
                      AND i.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'""")) {
                ps.setObject(1, from);
                ps.setObject(2, to);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    expected = rs.getLong(1) > 0;
                }
                c.setAutoCommit(false);
                assertEquals(expected, CellRollups.anyOffsetMonthRows(c, f), from + " … " + to);
                c.rollback();
            }
            if (expected) with++;
            else without++;
            assertEquals(cells(raw.incidentCounts(f, new SquareGrid(100))), cells(rolled.incidentCounts(f, new SquareGrid(100))), from + " … " + to);
        }
        assertTrue(with > 0 && without > 0, with + " windows with offset month rows, " + without + " without");
    }

    @Test
    void theRollupIsWhatIsRead() throws Exception {
        // one rollup row changed by hand (no trigger sees it) changes the rollup path's answer only
        IncidentFilter f = new IncidentFilter(LocalDate.of(2025, 4, 1), LocalDate.of(2025, 4, 30), List.of("burglary"), List.of(), borough, analyst);
        Map<Long, Long> before = cells(rolled.incidentCounts(f, new SquareGrid(250)));
        assertEquals(cells(raw.incidentCounts(f, new SquareGrid(250))), before);
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("""
                    UPDATE cell_month_count SET n = n + 1000
                    WHERE (month, i, j, category, source, located_as) IN (
                        SELECT r.month, r.i, r.j, r.category, r.source, r.located_as FROM cell_month_count r
                        JOIN boundary b ON ST_Covers(b.geom, ST_MakeEnvelope(r.i * 50, r.j * 50, r.i * 50 + 50, r.j * 50 + 50, 27700))
                        JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = 'demo'
                        WHERE r.month = date '2025-04-01' AND r.category = 'burglary' AND r.located_as = 'exact' LIMIT 1)""");
            c.commit();
            long total = cells(rolled.incidentCounts(f, new SquareGrid(250))).values().stream().mapToLong(Long::longValue).sum();
            assertEquals(before.values().stream().mapToLong(Long::longValue).sum() + 1000, total);
            st.execute("UPDATE cell_month_count SET n = n - 1000 WHERE n > 1000 AND month = date '2025-04-01' AND category = 'burglary'");
            c.commit();
        }
        assertEquals(before, cells(rolled.incidentCounts(f, new SquareGrid(250))));
    }

    @Test
    void theRollupIsWhatHexagonsRead() throws Exception {
        // one rollup row of a 50 m square wholly inside a 1000 m hexagon, changed by hand, changes the hexagons' answer
        IncidentFilter f = new IncidentFilter(LocalDate.of(2025, 4, 1), LocalDate.of(2025, 4, 30), List.of("burglary"), List.of(), borough, analyst);
        HexGrid grid = new HexGrid(1000);
        Map<Long, Long> before = cells(rolled.incidentCounts(f, grid));
        assertEquals(cells(raw.incidentCounts(f, grid)), before);
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            int[] held = null;
            try (var rs = st.executeQuery("""
                    SELECT r.i, r.j FROM cell_month_count r
                    JOIN boundary b ON ST_Covers(b.geom, ST_MakeEnvelope(r.i * 50, r.j * 50, r.i * 50 + 50, r.j * 50 + 50, 27700))
                    JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = 'demo'
                    WHERE r.month = date '2025-04-01' AND r.category = 'burglary' AND r.located_as = 'exact' AND r.source = 'police' ORDER BY r.i, r.j""")) {
                while (held == null && rs.next()) {
                    if (grid.hexagonHolding(rs.getInt(1), rs.getInt(2), 50) != HexGrid.NONE) held = new int[]{rs.getInt(1), rs.getInt(2)};
                }
            }
            assertTrue(held != null);
            String row = " WHERE month = date '2025-04-01' AND category = 'burglary' AND source = 'police' AND located_as = 'exact' AND i = " + held[0] + " AND j = " + held[1];
            assertEquals(1, st.executeUpdate("UPDATE cell_month_count SET n = n + 1000" + row));
            try {
                Map<Long, Long> after = cells(rolled.incidentCounts(f, grid));
                long hexagon = grid.hexagonHolding(held[0], held[1], 50);
                assertEquals(before.getOrDefault(hexagon, 0L) + 1000, after.get(hexagon));
            } finally {
                st.executeUpdate("UPDATE cell_month_count SET n = n - 1000" + row);
            }
        }
        assertEquals(before, cells(rolled.incidentCounts(f, grid)));
    }

    @Test
    void theTotalsAreReadForAnUnfilteredFullAccessCallerOnly() throws Exception {
        // one cell_month_total row changed by hand changes the analyst's unfiltered answer on squares without a placement
        // (uncached: map-view boxes read so too), not the viewer's or a filtered one (those read cell_month_count); squares
        // placed against the study area read the point totals (the next test)
        IncidentFilter all = new IncidentFilter(LocalDate.of(2025, 4, 1), LocalDate.of(2025, 4, 30), List.of(), List.of(), borough, analyst);
        IncidentFilter viewed = new IncidentFilter(all.from(), all.to(), List.of(), List.of(), borough, viewer);
        IncidentFilter police = new IncidentFilter(all.from(), all.to(), List.of(), List.of("police"), borough, analyst);
        Map<Long, Long> before = cells(uncached.incidentCounts(all, new SquareGrid(250)));
        Map<Long, Long> viewerBefore = cells(uncached.incidentCounts(viewed, new SquareGrid(250)));
        Map<Long, Long> policeBefore = cells(uncached.incidentCounts(police, new SquareGrid(250)));
        assertEquals(cells(raw.incidentCounts(all, new SquareGrid(250))), before);
        String inside = """
                (month, i, j) IN (SELECT r.month, r.i, r.j FROM cell_month_total r
                    JOIN boundary b ON ST_Covers(b.geom, ST_MakeEnvelope(r.i * 50, r.j * 50, r.i * 50 + 50, r.j * 50 + 50, 27700))
                    JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = 'demo'
                    WHERE r.month = date '2025-04-01' ORDER BY r.i, r.j LIMIT 1)""";
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("UPDATE cell_month_total SET n = n + 1000 WHERE " + inside));
            try {
                long total = cells(uncached.incidentCounts(all, new SquareGrid(250))).values().stream().mapToLong(Long::longValue).sum();
                assertEquals(before.values().stream().mapToLong(Long::longValue).sum() + 1000, total);
                assertEquals(viewerBefore, cells(uncached.incidentCounts(viewed, new SquareGrid(250))));
                assertEquals(policeBefore, cells(uncached.incidentCounts(police, new SquareGrid(250))));
            } finally {
                st.executeUpdate("UPDATE cell_month_total SET n = n - 1000 WHERE n >= 1000 AND month = date '2025-04-01'");
            }
        }
        assertEquals(before, cells(uncached.incidentCounts(all, new SquareGrid(250))));
    }

    @Test
    void thePointTotalsAreWhatAnUnfilteredAnalystsHexagonsRead() throws Exception {
        // a point_month_total row changed by hand, in a square cut by a 100 m hexagon's edge and in one wholly inside a
        // 1000 m hexagon, changes the analyst's unfiltered answer at that point's hexagon, and not the viewer's or a
        // filtered one (those read cell_month_count and raw rows)
        IncidentFilter all = new IncidentFilter(LocalDate.of(2025, 4, 1), LocalDate.of(2025, 4, 30), List.of(), List.of(), borough, analyst);
        IncidentFilter viewed = new IncidentFilter(all.from(), all.to(), List.of(), List.of(), borough, viewer);
        IncidentFilter police = new IncidentFilter(all.from(), all.to(), List.of(), List.of("police"), borough, analyst);
        for (HexGrid grid : List.of(new HexGrid(100), new HexGrid(1000))) {
            Map<Long, Long> before = cells(rolled.incidentCounts(all, grid));
            Map<Long, Long> viewerBefore = cells(rolled.incidentCounts(viewed, grid));
            Map<Long, Long> policeBefore = cells(rolled.incidentCounts(police, grid));
            assertEquals(cells(raw.incidentCounts(all, grid)), before);
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                double[] point = null;
                try (var rs = st.executeQuery("""
                        SELECT r.x, r.y, r.i, r.j FROM point_month_total r
                        JOIN boundary b ON ST_Covers(b.geom, ST_MakeEnvelope(r.i * 50, r.j * 50, r.i * 50 + 50, r.j * 50 + 50, 27700))
                        JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = 'demo'
                        WHERE r.month = date '2025-04-01' ORDER BY r.i, r.j, r.x, r.y""")) {
                    // at 100 m a square cut by an edge (read point by point), at 1000 m one wholly inside a hexagon
                    while (point == null && rs.next()) {
                        boolean held = grid.hexagonHolding(rs.getInt(3), rs.getInt(4), 50) != HexGrid.NONE;
                        if (held == (grid.size() == 1000)) point = new double[]{rs.getDouble(1), rs.getDouble(2)};
                    }
                }
                assertTrue(point != null);
                String row = " WHERE month = date '2025-04-01' AND x = " + point[0] + " AND y = " + point[1];
                assertEquals(1, st.executeUpdate("UPDATE point_month_total SET n = n + 1000" + row));
                try {
                    // one hexagon gains the 1,000, the point's own
                    Map<Long, Long> after = cells(rolled.incidentCounts(all, grid));
                    Map<Long, Long> gained = new TreeMap<>();
                    for (var e : after.entrySet()) {
                        long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                        if (d != 0) gained.put(e.getKey(), d);
                    }
                    assertEquals(Map.of(grid.cellOf(point[0], point[1]), 1000L), gained, grid.toString());
                    assertEquals(before.keySet(), after.keySet());
                    assertEquals(viewerBefore, cells(rolled.incidentCounts(viewed, grid)));
                    assertEquals(policeBefore, cells(rolled.incidentCounts(police, grid)));
                } finally {
                    st.executeUpdate("UPDATE point_month_total SET n = n - 1000" + row);
                }
            }
            assertEquals(before, cells(rolled.incidentCounts(all, grid)));
        }
    }

    @Test
    void thePointTotalsAreWhatAnUnfilteredAnalystsPlacedSquaresRead() throws Exception {
        // a point_month_total row changed by hand, in a 50 m square a ward covers (summed per target square) and in one
        // cut by the borough's outline (placed point by point), changes the analyst's unfiltered answer on 250 m squares
        // at that point's square, and not the answer without a placement, the viewer's or a filtered one
        IncidentFilter all = new IncidentFilter(LocalDate.of(2025, 4, 1), LocalDate.of(2025, 4, 30), List.of(), List.of(), borough, analyst);
        IncidentFilter viewed = new IncidentFilter(all.from(), all.to(), List.of(), List.of(), borough, viewer);
        IncidentFilter police = new IncidentFilter(all.from(), all.to(), List.of(), List.of("police"), borough, analyst);
        SquareGrid grid = new SquareGrid(250);
        String union = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                + " WHERE s.level = 'ward' AND s.version = 'demo')";
        for (boolean covered : new boolean[]{true, false}) {
            Map<Long, Long> before = cells(rolled.incidentCounts(all, grid));
            Map<Long, Long> unplacedBefore = cells(uncached.incidentCounts(all, grid));
            Map<Long, Long> viewerBefore = cells(rolled.incidentCounts(viewed, grid));
            Map<Long, Long> policeBefore = cells(rolled.incidentCounts(police, grid));
            assertEquals(cells(raw.incidentCounts(all, grid)), before);
            assertEquals(before, unplacedBefore);
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                double[] point = null;
                try (var rs = st.executeQuery("""
                        SELECT r.x, r.y FROM point_month_total r CROSS JOIN (SELECT %s AS geom) a
                        WHERE r.month = date '2025-04-01'
                          AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(r.x, r.y), 27700))
                          AND ST_Covers(a.geom, ST_MakeEnvelope(r.i * 50, r.j * 50, r.i * 50 + 50, r.j * 50 + 50, 27700)) = %s
                        ORDER BY r.i, r.j, r.x, r.y LIMIT 1""".formatted(union, covered))) {
                    if (rs.next()) point = new double[]{rs.getDouble(1), rs.getDouble(2)};
                }
                assertTrue(point != null, covered ? "a point in a covered square" : "a point in a square cut by the outline");
                String row = " WHERE month = date '2025-04-01' AND x = " + point[0] + " AND y = " + point[1];
                assertEquals(1, st.executeUpdate("UPDATE point_month_total SET n = n + 1000" + row));
                try {
                    Map<Long, Long> after = cells(rolled.incidentCounts(all, grid));
                    Map<Long, Long> gained = new TreeMap<>();
                    for (var e : after.entrySet()) {
                        long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                        if (d != 0) gained.put(e.getKey(), d);
                    }
                    assertEquals(Map.of(grid.cellOf(point[0], point[1]), 1000L), gained, "covered " + covered);
                    assertEquals(unplacedBefore, cells(uncached.incidentCounts(all, grid)));
                    assertEquals(viewerBefore, cells(rolled.incidentCounts(viewed, grid)));
                    assertEquals(policeBefore, cells(rolled.incidentCounts(police, grid)));
                } finally {
                    st.executeUpdate("UPDATE point_month_total SET n = n - 1000" + row);
                }
            }
            assertEquals(before, cells(rolled.incidentCounts(all, grid)));
        }
    }

    @Test
    void thePointTotalsEqualARecountAfterEditsAndDeletes() throws Exception {
        // in a transaction rolled back: incidents moved, re-dated, recategorised and deleted, then the point totals
        // kept by the incident triggers equal a recount of the incidents at their true points
        String difference = """
                WITH expected AS (SELECT date_trunc('month', x.occurred_at AT TIME ZONE 'Europe/London')::date AS month,
                                         floor(ST_X(x.geom) / 50)::integer AS i, floor(ST_Y(x.geom) / 50)::integer AS j,
                                         ST_X(x.geom) AS x, ST_Y(x.geom) AS y, count(*)::integer AS n
                                  FROM incident x WHERE x.geom IS NOT NULL GROUP BY 1, 2, 3, 4, 5)
                SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM point_month_total) d)
                     + (SELECT count(*) FROM (SELECT * FROM point_month_total EXCEPT SELECT * FROM expected) d),
                       (SELECT count(*) FROM point_month_total)""";
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                try (var rs = st.executeQuery(difference)) {
                    rs.next();
                    assertEquals(0, rs.getLong(1), "before");
                }
                st.execute("UPDATE incident SET geom = ST_Translate(geom, 75, -30) WHERE id % 17 = 0 AND geom IS NOT NULL");
                st.execute("UPDATE incident SET category = 'asb-noise', occurred_at = occurred_at + interval '40 days' WHERE id % 13 = 0");
                st.execute("DELETE FROM incident WHERE id % 11 = 0");
                try (var rs = st.executeQuery(difference)) {
                    rs.next();
                    assertEquals(0, rs.getLong(1));
                    assertTrue(rs.getLong(2) > 1000, "point totals " + rs.getLong(2));
                }
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void theTotalsEqualTheCellCountsAfterEditsAndDeletes() throws Exception {
        // in a transaction rolled back: incidents moved, recategorised, re-dated and deleted, then the totals
        // kept by the triggers on cell_month_count equal a recount of its exact rows
        String difference = """
                WITH expected AS (SELECT month, i, j, sum(n)::integer AS n FROM cell_month_count WHERE located_as = 'exact' GROUP BY 1, 2, 3)
                SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM cell_month_total) d)
                     + (SELECT count(*) FROM (SELECT * FROM cell_month_total EXCEPT SELECT * FROM expected) d),
                       (SELECT count(*) FROM cell_month_total)""";
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute("UPDATE incident SET geom = ST_Translate(geom, 75, -30) WHERE id % 17 = 0 AND geom IS NOT NULL");
                st.execute("UPDATE incident SET category = 'asb-noise', occurred_at = occurred_at + interval '40 days' WHERE id % 13 = 0");
                st.execute("DELETE FROM incident WHERE id % 11 = 0");
                try (var rs = st.executeQuery(difference)) {
                    rs.next();
                    assertEquals(0, rs.getLong(1));
                    assertTrue(rs.getLong(2) > 1000, "totals " + rs.getLong(2));
                }
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void aChangedWardIsNotAnsweredFromTheCachedStudyArea() throws Exception {
        // the study area and its cells are cached per version of an assigned set: moving a ward (and assigning
        // the set again, as the importers do) gives the answer of a repository that never saw the old ward
        IncidentFilter f = new IncidentFilter(FROM, TO, List.of(), List.of(), ward, analyst);
        GridCounts before = rolled.gridCounts(f, new SquareGrid(250));
        try {
            moveWard(400);
            HotspotRepository fresh = new HotspotRepository(ds, false);
            GridCounts expected = fresh.gridCounts(f, new SquareGrid(250)), got = rolled.gridCounts(f, new SquareGrid(250));
            assertNotEquals(map(before, before.counts()), map(expected, expected.counts()));
            assertEquals(map(expected, expected.counts()), map(got, got.counts()));
            assertEquals(cells(fresh.incidentCounts(f, new SquareGrid(100))), cells(rolled.incidentCounts(f, new SquareGrid(100))));
        } finally {
            moveWard(-400);
        }
        GridCounts after = rolled.gridCounts(f, new SquareGrid(250));
        assertEquals(map(before, before.counts()), map(after, after.counts()));
    }

    /** Moves the study ward east by {@code dx} metres and assigns its set again (committed). */
    static void moveWard(double dx) throws Exception {
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("UPDATE boundary SET geom = ST_Translate(geom, " + dx + ", 0) WHERE set_id = " + ward.setId()
                    + " AND code = '" + ward.code() + "'");
            st.execute("SELECT rollup_assign_set(" + ward.setId() + ")");
            c.commit();
        }
    }

    /** Values by cell identity (the order of cells outside the study area is the database's). */
    static Map<Long, Double> map(GridCounts cells, double[] values) {
        Map<Long, Double> m = new TreeMap<>();
        for (int k = 0; k < cells.n(); k++) m.put(Grid.key(cells.i(k), cells.j(k)), values[k]);
        return m;
    }
}
