package aim.hotspots;

import aim.DemoLoader;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.accounts.User;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.StudyArea;
import aim.incidents.IncidentFilter;
import aim.testing.Fresh;
import aim.tiles.TileAddress;
import aim.tiles.TileRepository;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A count tile of a whole ward set counted through each point's ward ({@link WardSetCounts}: {@code point_area} and
 * the 50 m rollup, no union of the wards) gives the cells and counts the geometric path gives (the union of the wards
 * near the box, {@link HotspotRepository#gridCounts(IncidentFilter, Grid, double[])}, computed per request and from raw
 * rows): whole months and window edges, every category or some, incidents on the wards' vertices (shared edges and
 * the outline: counted once) and just outside the outline (50 m squares holding points in and out of the wards).
 *
 * <p>Data: the demo borough; 3,000 points over it in 2025, points on every fourth vertex of the wards and, 30 m
 * north-east of every seventh, points that are in or out of the wards.
 */
@Tag("postgis")
class WardSetCountsTest {
    @Fresh static HikariDataSource ds;
    static HotspotRepository rollups, perRequest, geometric;
    static StudyArea borough;
    static User analyst, viewer;

    @BeforeAll
    static void data(@TempDir Path dir) throws Exception {
        new DemoLoader(ds, dir).loadIfMissing();
        rollups = new HotspotRepository(ds);
        perRequest = new HotspotRepository(ds, true, false);
        geometric = new HotspotRepository(ds, false, false);
        borough = StudyArea.resolve(new BoundaryRepository(ds), null, "demo");
        Accounts accounts = new Accounts(ds);
        analyst = accounts.create("analyst", "Analyst", Role.ANALYST, "analyst password 1");
        viewer = accounts.create("viewer", "Viewer", Role.VIEWER, "viewer password 1");
        String area = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                + " WHERE s.level = 'ward' AND s.version = 'demo')";
        String vertices = """
                (SELECT p.geom, row_number() OVER () AS k
                 FROM boundary b JOIN boundary_set s ON s.id = b.set_id CROSS JOIN LATERAL ST_DumpPoints(b.geom) p
                 WHERE s.level = 'ward' AND s.version = 'demo')""";
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', CASE WHEN d.path[1] %% 3 = 0 THEN 'asb-neighbour-dispute' ELSE 'asb-noise' END,
                           timestamptz '2025-01-01 09:00+00' + (d.path[1] %% 365 || ' days')::interval, 'day', d.geom, 'exact',
                           'set-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(%s, 3000, 21)) d""".formatted(area));
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-05-10 12:00+00' + (v.k %% 90 || ' days')::interval, 'day',
                           v.geom, 'exact', 'vertex-' || v.k
                    FROM %s v WHERE v.k %% 4 = 0""".formatted(vertices));
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-neighbour-dispute', timestamptz '2025-03-03 12:00+00' + (v.k %% 200 || ' days')::interval,
                           'day', ST_Translate(v.geom, 30, 30), 'exact', 'near-' || v.k
                    FROM %s v WHERE v.k %% 7 = 0""".formatted(vertices));
        }
    }

    @Test
    void countsThroughEachPointsWardEqualTheUnionsCounts() throws Exception {
        List<LocalDate[]> windows = List.of(
                new LocalDate[]{LocalDate.of(2025, 2, 10), LocalDate.of(2025, 11, 30)}, // whole months and an edge
                new LocalDate[]{LocalDate.of(2025, 4, 1), LocalDate.of(2025, 6, 30)},   // whole months only
                new LocalDate[]{LocalDate.of(2025, 6, 3), LocalDate.of(2025, 6, 20)},   // no whole month
                new LocalDate[]{null, LocalDate.of(2025, 8, 14)});                      // open at the start
        List<List<String>> categories = List.of(List.of(), List.of("asb-neighbour-dispute"));
        int compared = 0;
        long counted = 0;
        for (LocalDate[] w : windows) {
            for (List<String> cats : categories) {
                IncidentFilter f = new IncidentFilter(w[0], w[1], cats, List.of(), borough, analyst);
                for (int z = 9; z <= 13; z++) {
                    SquareGrid grid = new SquareGrid(TileRepository.cellForZoom(z));
                    for (TileAddress t : TileAreaCacheTest.tilesOf(ds, borough, z)) {
                        double[] box = t.wgs84((double) TileRepository.BUFFER / TileRepository.EXTENT);
                        Optional<HotspotRepository.CellCounts> bySet = rollups.wardSetCounts(f, grid, box);
                        assertTrue(bySet.isPresent(), "counted through the wards");
                        Map<Long, Long> expected = nonZero(geometric.gridCounts(f, grid, box));
                        assertEquals(expected, map(bySet.get()), "tile " + t + " " + java.util.Arrays.toString(w) + " " + cats);
                        assertEquals(expected, map(rollups.countsInBox(f, grid, box)), "tile " + t);
                        assertEquals(expected, map(perRequest.wardSetCounts(f, grid, box).orElseThrow()), "per request, tile " + t);
                        counted += expected.values().stream().mapToLong(Long::longValue).sum();
                        compared++;
                    }
                }
            }
        }
        assertTrue(compared > 100);
        assertTrue(counted > 10_000);
    }

    @Test
    void newPointsOutsideTheWardsAreNotAnsweredFromTheKeptSquares() throws Exception {
        IncidentFilter f = new IncidentFilter(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), List.of(), List.of(), borough, analyst);
        SquareGrid grid = new SquareGrid(TileRepository.cellForZoom(12));
        List<TileAddress> tiles = TileAreaCacheTest.tilesOf(ds, borough, 12);
        for (TileAddress t : tiles) rollups.wardSetCounts(f, grid, t.wgs84(64.0 / 4096));
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-07-15 12:00+00', 'day', ST_Translate(p.geom, -35, 20), 'exact',
                           'later-' || row_number() OVER ()
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = 'demo'
                    CROSS JOIN LATERAL ST_DumpPoints(b.geom) p WHERE p.path[array_length(p.path, 1)] % 5 = 0""");
        }
        for (TileAddress t : tiles) {
            double[] box = t.wgs84(64.0 / 4096);
            assertEquals(nonZero(geometric.gridCounts(f, grid, box)), map(rollups.wardSetCounts(f, grid, box).orElseThrow()), "tile " + t);
        }
    }

    @Test
    void aMonthRowOffItsMonthsStartImportedLaterIsNotAnsweredFromTheKeptCheck() throws Exception {
        // a window none of the other tests' windows reaches, so its rows change none of their answers
        IncidentFilter f = new IncidentFilter(LocalDate.of(2026, 5, 1), LocalDate.of(2026, 9, 30), List.of(), List.of(), borough, analyst);
        SquareGrid grid = new SquareGrid(TileRepository.cellForZoom(11));
        List<TileAddress> tiles = TileAreaCacheTest.tilesOf(ds, borough, 11);
        for (TileAddress t : tiles) assertTrue(rollups.wardSetCounts(f, grid, t.wgs84(64.0 / 4096)).isPresent(), "tile " + t);
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            // July 2026 stored at UTC midnight: an hour after its month's start in London
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2026-07-01 00:00+00', 'month', ST_PointOnSurface(b.geom), 'exact',
                           'offset-' || b.id
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = 'demo'""");
        }
        long counted = 0;
        for (TileAddress t : tiles) {
            double[] box = t.wgs84(64.0 / 4096);
            assertTrue(rollups.wardSetCounts(f, grid, box).isEmpty(), "tile " + t);
            Map<Long, Long> expected = nonZero(geometric.gridCounts(f, grid, box));
            assertEquals(expected, map(rollups.countsInBox(f, grid, box)), "tile " + t);
            counted += expected.values().stream().mapToLong(Long::longValue).sum();
        }
        assertTrue(counted > 0);
    }

    @Test
    void aRedactedCallerIsCountedTheGeometricWay() {
        IncidentFilter f = new IncidentFilter(LocalDate.of(2025, 2, 10), LocalDate.of(2025, 11, 30), List.of(), List.of(), borough, viewer);
        SquareGrid grid = new SquareGrid(1000);
        double[] box = TileAreaCacheTest.tilesOf(ds, borough, 11).get(0).wgs84(64.0 / 4096);
        assertTrue(rollups.wardSetCounts(f, grid, box).isEmpty());
        assertEquals(nonZero(geometric.gridCounts(f, grid, box)), map(rollups.countsInBox(f, grid, box)));
    }

    static Map<Long, Long> nonZero(GridCounts cells) {
        Map<Long, Long> m = new TreeMap<>();
        for (int k = 0; k < cells.n(); k++) if (cells.count(k) > 0) m.put(Grid.key(cells.i(k), cells.j(k)), (long) cells.count(k));
        return m;
    }

    static Map<Long, Long> map(HotspotRepository.CellCounts counts) {
        Map<Long, Long> m = new TreeMap<>();
        for (int k = 0; k < counts.size(); k++) m.put(Grid.key(counts.i()[k], counts.j()[k]), counts.n()[k]);
        return m;
    }
}
