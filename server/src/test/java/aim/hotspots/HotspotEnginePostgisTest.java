package aim.hotspots;

import aim.DemoLoader;
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
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on seeded synthetic data over the demo borough: planted clusters are found at 99% with
 * few false positives, FDR keeps pure noise quiet, and a planted hotspot predicts well (PAI ≫ 1).
 *
 * <p>Data (all generated with seeds, so every run sees the same points): category {@code asb-noise},
 * 2,000 uniform background points over the borough in each half of 2025 plus, in each half, 400
 * points in each of three planted discs of radius 300 m centred on a 250 m cell (so the centre cell and
 * its four edge neighbours are the planted cells); category {@code env-graffiti}, 6,000 uniform points
 * only (pure noise).
 */
@Tag("postgis")
class HotspotEnginePostgisTest {
    static final int CELL = 250, BACKGROUND = 2000, PLANTED = 400, RADIUS = 300;
    static final LocalDate JAN = LocalDate.of(2025, 1, 1), JUN = LocalDate.of(2025, 6, 30);
    @Fresh static HikariDataSource ds;
    static StudyArea borough;
    static HotspotRepository repository;
    /** The analyses here are an analyst's: every incident at its true point. */
    static final User ANALYST = new User(1, "analyst", "Analyst", Role.ANALYST);
    static final List<int[]> planted = new ArrayList<>();

    @BeforeAll
    static void data(@TempDir Path dir) throws Exception {
        new DemoLoader(ds, dir).loadIfMissing();
        borough = StudyArea.resolve(new BoundaryRepository(ds), null, "demo");
        repository = new HotspotRepository(ds);
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            String area = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                    + " WHERE s.level = 'ward' AND s.version = 'demo')";
            // three cells well inside the borough, at least 2.5 km apart
            ResultSet rs = st.executeQuery("SELECT g.i, g.j FROM ST_SquareGrid(" + CELL + ", " + area + ") g"
                    + " WHERE ST_ContainsProperly(ST_Buffer(" + area + ", -1000), g.geom) ORDER BY g.i, g.j");
            List<int[]> inner = new ArrayList<>();
            while (rs.next()) inner.add(new int[]{rs.getInt(1), rs.getInt(2)});
            for (int[] cell : inner) {
                boolean apart = planted.stream().allMatch(p -> Math.hypot(p[0] - cell[0], p[1] - cell[1]) * CELL >= 2500);
                if (apart && planted.size() < 3) planted.add(cell);
            }
            assertEquals(3, planted.size());
            for (int half = 0; half < 2; half++) {
                String start = half == 0 ? "2025-01-01" : "2025-07-01";
                st.execute("""
                        INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                        SELECT 'council', 'asb-noise', timestamptz '%1$s 12:00+00' + (d.path[1] %% 180 || ' days')::interval, 'day',
                               d.geom, 'exact', 'bg-%2$d-' || d.path[1]
                        FROM ST_Dump(ST_GeneratePoints(%3$s, %5$d, %4$d)) d""".formatted(start, half, area, 11 + half, BACKGROUND));
                for (int p = 0; p < planted.size(); p++) {
                    int[] cell = planted.get(p);
                    st.execute("""
                            INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                            SELECT 'council', 'asb-noise', timestamptz '%1$s 12:00+00' + (d.path[1] %% 180 || ' days')::interval, 'day',
                                   d.geom, 'exact', 'hot-%2$d-%3$d-' || d.path[1]
                            FROM ST_Dump(ST_GeneratePoints(ST_Buffer(ST_Centroid(ST_SetSRID(ST_Square(%4$d, %5$d, %6$d), 27700)), %9$d, 64),
                                                           %7$d, %8$d)) d
                            """.formatted(start, half, p, CELL, cell[0], cell[1], PLANTED, 100 + 10 * half + p, RADIUS));
                }
            }
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'env-graffiti', timestamptz '2025-01-01 12:00+00' + (d.path[1] %% 180 || ' days')::interval, 'day',
                           d.geom, 'exact', 'noise-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(%s, 6000, 77)) d""".formatted(area));
        }
    }

    static IncidentFilter filter(String category, LocalDate from, LocalDate to) {
        return new IncidentFilter(from, to, List.of(category), List.of(), borough, ANALYST);
    }

    @Test
    void plantedClustersAreHotSpotsAt99PercentWithFewFalsePositives() {
        GridCounts cells = repository.gridCounts(filter("asb-noise", JAN, JUN), new SquareGrid(CELL));
        assertEquals(BACKGROUND + 3 * PLANTED, (long) cells.total());
        double band = GiStar.defaultBand(cells.grid());
        GiStar.Result gi = GiStar.compute(cells, band);
        FalseDiscoveryRate.Bins bins = FalseDiscoveryRate.bins(gi.z(), gi.p(), true);
        for (int[] p : planted) {
            // the disc's centre cell and its four edge neighbours hold most of its points
            for (int[] d : new int[][]{{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                int at = cells.indexOf(p[0] + d[0], p[1] + d[1]);
                assertTrue(cells.count(at) >= 25, "planted cell count " + cells.count(at));
                assertEquals(3, bins.bin()[at], "planted cell " + Arrays.toString(p) + " + " + Arrays.toString(d) + " z " + gi.z()[at]);
            }
        }
        // away from the discs (no cell of the Gi* neighbourhood can hold a planted point) hardly any
        // cell is significant: a cell is near when its centre is within radius + band + half a cell
        // diagonal of a disc's centre
        double reach = RADIUS + band + CELL / Math.sqrt(2);
        int outside = 0, falsePositives = 0;
        for (int k = 0; k < cells.n(); k++) {
            int ci = cells.i(k), cj = cells.j(k);
            boolean near = planted.stream().anyMatch(p -> Math.hypot(p[0] - ci, p[1] - cj) * CELL <= reach);
            if (near) continue;
            outside++;
            if (bins.bin()[k] >= 2) falsePositives++;
        }
        assertTrue(outside > 1000, "cells " + outside);
        assertTrue(falsePositives < 0.02 * outside, falsePositives + " false positives in " + outside + " cells");
    }

    @Test
    void falseDiscoveryRateKeepsPureNoiseQuiet() {
        GridCounts cells = repository.gridCounts(filter("env-graffiti", JAN, JUN), new SquareGrid(CELL));
        assertEquals(6000, (long) cells.total());
        GiStar.Result gi = GiStar.compute(cells, GiStar.defaultBand(cells.grid()));
        double corrected = share(FalseDiscoveryRate.bins(gi.z(), gi.p(), true));
        double raw = share(FalseDiscoveryRate.bins(gi.z(), gi.p(), false));
        // without correction about 10% of cells reach 90% confidence by chance; with FDR at most the
        // nominal rate, and far fewer than without it
        assertTrue(raw > 0.03, "raw share " + raw);
        assertTrue(corrected <= 0.10, "corrected share " + corrected);
        assertTrue(corrected <= raw / 3, "corrected " + corrected + " against raw " + raw);
    }

    private static double share(FalseDiscoveryRate.Bins bins) {
        int significant = 0;
        for (int b : bins.bin()) if (b != 0) significant++;
        return (double) significant / bins.bin().length;
    }

    @Test
    void plantedHotspotsPredictTheNextPeriod() throws Exception {
        var engine = new HotspotEngine(repository);
        HotspotAccuracy.Windows windows = HotspotAccuracy.windows(JAN, JUN, null, null);
        assertEquals(LocalDate.of(2025, 7, 1), windows.testFrom());
        assertEquals(LocalDate.of(2025, 12, 31), windows.testTo());
        IncidentFilter training = filter("asb-noise", JAN, JUN);
        Map<String, Object> gistar = engine.accuracy(new HotspotEngine.AccuracyRequest("gistar", new SquareGrid(CELL), null, null,
                3, windows, training));
        @SuppressWarnings("unchecked")
        Map<String, Object> baseline = (Map<String, Object>) gistar.get("baseline");
        assertEquals("grid", baseline.get("method"));
        assertEquals((long) BACKGROUND + 3 * PLANTED, gistar.get("N"));
        assertTrue((Double) gistar.get("pai") > 5, "Gi* PAI " + gistar.get("pai"));
        assertTrue((Double) baseline.get("pai") > 5, "baseline PAI " + baseline.get("pai"));

        // the baseline checked independently: the top ⌈3% of n⌉ cells by training count, from PostGIS
        GridCounts cells = repository.gridCounts(training, new SquareGrid(CELL));
        int k = (int) Math.ceil(cells.n() * 0.03);
        assertEquals(k, baseline.get("cells"));
        assertEquals(k * 0.0625, (Double) baseline.get("a"), 1e-9);
        assertEquals(cells.n() * 0.0625, (Double) baseline.get("A"), 1e-9);
        long[][] trainTest = independentCounts();
        // cells above the k-th count are certainly chosen; ties at it are chosen in some order
        long[] sortedTrain = Arrays.stream(trainTest).mapToLong(r -> r[0]).sorted().toArray();
        long kth = sortedTrain[sortedTrain.length - k];
        long sure = 0;
        int chosen = 0;
        List<Long> tied = new ArrayList<>();
        for (long[] r : trainTest) {
            if (r[0] > kth) {
                sure += r[1];
                chosen++;
            } else if (r[0] == kth) {
                tied.add(r[1]);
            }
        }
        tied.sort(null);
        int rest = k - chosen;
        long low = sure + tied.subList(0, rest).stream().mapToLong(Long::longValue).sum();
        long high = sure + tied.subList(tied.size() - rest, tied.size()).stream().mapToLong(Long::longValue).sum();
        double n = ((Number) baseline.get("n")).doubleValue();
        assertTrue(n >= low && n <= high, "baseline n " + n + " not in [" + low + ", " + high + "]");
        assertTrue(n >= 2 * PLANTED, "most planted points are in the predicted area: " + n);
        double expectedPai = (n / (BACKGROUND + 3 * PLANTED)) / ((double) k / cells.n());
        assertEquals(expectedPai, (Double) baseline.get("pai"), 1e-9);
    }

    @Test
    void theRepositoryCountsExactlyTheIncidentsOfTheSharedFilter() throws Exception {
        // HotspotRepository binds the study area as a value; an independent query, written out here from
        // the filter's definition, must count the same incidents
        var boundaries = new BoundaryRepository(ds);
        String ward;
        try (var c = ds.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                     + " WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET 7 LIMIT 1")) {
            rs.next();
            ward = rs.getString(1);
        }
        // rows at the edges of local days and months (category drugs, used only here): 00:30 BST on
        // 31 March, midnight BST starting 1 July, month-precise rows stored at local and at UTC midnight
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'drugs', t.at, t.precision, ST_PointOnSurface(%s), 'exact', 'edge-' || t.n
                    FROM (VALUES (1, timestamptz '2025-03-30 23:30+00', 'minute'), (2, timestamptz '2025-06-30 23:00+00', 'day'),
                                 (3, timestamptz '2025-06-30 22:59+00', 'minute'), (4, timestamptz '2025-03-01 00:00+00', 'month'),
                                 (5, timestamptz '2025-06-01 00:00+01', 'month'), (6, timestamptz '2025-06-01 00:00+00', 'month'),
                                 (7, timestamptz '2024-12-31 23:59+00', 'minute'), (8, timestamptz '2025-01-01 00:00+00', 'day'))
                         AS t(n, at, precision)""".formatted(
                    "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo')"));
        }
        List<IncidentFilter> filters = new ArrayList<>(List.of(
                filter("asb-noise", JAN, JUN),
                new IncidentFilter(null, null, List.of(), List.of(), borough, ANALYST),
                new IncidentFilter(LocalDate.of(2025, 3, 1), null, List.of("env-graffiti", "asb-noise"), List.of("council"), borough, ANALYST),
                new IncidentFilter(null, LocalDate.of(2025, 2, 14), List.of(), List.of("police"), borough, ANALYST),
                new IncidentFilter(null, null, List.of(), List.of(), StudyArea.resolve(boundaries, "ward:" + ward, "demo"), ANALYST),
                new IncidentFilter(JAN, JUN, List.of(), List.of(), StudyArea.resolve(boundaries, "neighbourhood:DEMO-N-EAST", "demo"), ANALYST)));
        LocalDate[][] windows = {{LocalDate.of(2025, 3, 31), LocalDate.of(2025, 6, 30)}, {LocalDate.of(2025, 7, 1), null},
                {null, LocalDate.of(2025, 6, 30)}, {LocalDate.of(2025, 6, 1), LocalDate.of(2025, 6, 30)},
                {LocalDate.of(2025, 3, 30), LocalDate.of(2025, 3, 30)}, {LocalDate.of(2025, 3, 1), LocalDate.of(2025, 5, 31)},
                {LocalDate.of(2024, 12, 31), LocalDate.of(2024, 12, 31)}, {JAN, JAN}, {LocalDate.of(2025, 2, 15), LocalDate.of(2025, 3, 31)}};
        for (LocalDate[] w : windows) filters.add(new IncidentFilter(w[0], w[1], List.of("drugs"), List.of(), borough, ANALYST));
        for (IncidentFilter f : filters) {
            long expected = independentCount(f);
            long counted = Arrays.stream(repository.incidentCounts(f, new HexGrid(150)).n()).sum();
            assertEquals(expected, counted, f.toString());
            assertEquals(expected, (long) repository.gridCounts(f, new SquareGrid(300)).total(), f.toString());
        }
    }

    /**
     * The incidents of a filter, counted from its definition alone: a point inside the study area
     * (the union of its boundaries), local date (Europe/London) in the window, or for month-precise
     * rows the whole month in it, and the categories and sources.
     */
    private static long independentCount(IncidentFilter f) throws Exception {
        String local = "(i.occurred_at AT TIME ZONE 'Europe/London')";
        String sql = "SELECT count(*) FROM incident i WHERE i.geom IS NOT NULL"
                + " AND ST_Intersects(i.geom, (SELECT ST_Union(b.geom) FROM boundary b WHERE b.set_id = ? AND (?::text IS NULL OR b.code = ?)))"
                + " AND (?::date IS NULL OR " + local + " >= ?::date)"
                + " AND (?::date IS NULL OR CASE WHEN i.occurred_precision = 'month' THEN " + local + " + interval '1 month' <= ?::date + 1"
                + " ELSE " + local + " < ?::date + 1 END)"
                + " AND (cardinality(?::text[]) = 0 OR i.category = ANY (?::text[]))"
                + " AND (cardinality(?::text[]) = 0 OR i.source = ANY (?::text[]))";
        java.sql.Date from = f.from() == null ? null : java.sql.Date.valueOf(f.from());
        java.sql.Date to = f.to() == null ? null : java.sql.Date.valueOf(f.to());
        String[] categories = f.categories().toArray(String[]::new), sources = f.sources().toArray(String[]::new);
        Object[] params = {f.area().setId(), f.area().code(), f.area().code(), from, from, to, to, to,
                categories, categories, sources, sources};
        try (var c = ds.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int k = 0; k < params.length; k++) {
                if (params[k] == null) ps.setNull(k + 1, k < 3 ? java.sql.Types.VARCHAR : java.sql.Types.DATE);
                else ps.setObject(k + 1, params[k]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Per non-empty cell of the study area (by ST_Contains in ST_SquareGrid cells): training and test counts. */
    private static long[][] independentCounts() throws Exception {
        String sql = """
                WITH area AS (SELECT ST_Union(b.geom) AS geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                              WHERE s.level = 'ward' AND s.version = 'demo')
                SELECT count(*) FILTER (WHERE i.occurred_at < '2025-07-01'), count(*) FILTER (WHERE i.occurred_at >= '2025-07-01')
                FROM area, ST_SquareGrid(250, area.geom) g
                JOIN incident i ON ST_Contains(g.geom, i.geom)
                WHERE i.category = 'asb-noise' AND ST_Intersects(i.geom, area.geom)
                GROUP BY g.i, g.j""";
        List<long[]> rows = new ArrayList<>();
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) rows.add(new long[]{rs.getLong(1), rs.getLong(2)});
        }
        return rows.toArray(long[][]::new);
    }

    /**
     * Cell polygons are kept by grid and cell once built: a repository that has written some cells writes them,
     * in another order and beside new ones, exactly as a fresh repository (every polygon built by PostGIS) does.
     */
    @Test
    void keptCellPolygonsAreThoseBuiltAfresh() throws Exception {
        SquareGrid grid = new SquareGrid(100);
        int[] i = {planted.get(0)[0] * 5, planted.get(0)[0] * 5 + 1, planted.get(1)[0] * 5, 7_000};
        int[] j = {planted.get(0)[1] * 5, planted.get(0)[1] * 5, planted.get(1)[1] * 5, 5_000};
        HotspotRepository kept = new HotspotRepository(ds);
        cells(kept, grid, new int[]{i[2], i[0]}, new int[]{j[2], j[0]}); // two of them built and kept
        assertEquals(cells(new HotspotRepository(ds), grid, i, j), cells(kept, grid, i, j));
        assertEquals(cells(new HotspotRepository(ds), grid, i, j), cells(kept, grid, i, j)); // all kept now
        // another grid's cells with the same numbers are other polygons
        assertTrue(!cells(kept, new SquareGrid(250), i, j).equals(cells(kept, grid, i, j)));
    }

    private static String cells(HotspotRepository repository, Grid grid, int[] i, int[] j) throws Exception {
        var text = new java.io.StringWriter();
        try (var out = new com.fasterxml.jackson.core.JsonFactory().createGenerator(text)) {
            repository.writeCells(grid, i, j, (k, o) -> o.writeNumberField("k", k), o -> o.writeStringField("m", "x"), out);
        }
        return text.toString();
    }
}
