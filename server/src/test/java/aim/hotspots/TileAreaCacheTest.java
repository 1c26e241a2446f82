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
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study area clipped to a count tile's box is kept per version of the study area, grid and box
 * ({@link HotspotRepository#gridCounts(IncidentFilter, Grid, double[])}): kept, it gives the tiles a
 * repository computing everything per request gives, every tile's cells carry the count the whole area's
 * grid gives them, and the tiles of a zoom together hold every incident once; a ward moved and its set
 * assigned again (as an import of boundaries does) is never answered from the kept areas.
 *
 * <p>Data: the demo borough; 3,000 points over it in 2025, sensitive ones among them (a viewer sees those
 * at their 500 m square's centre), and incidents on the wards' vertices (shared edges and the outline).
 */
@Tag("postgis")
class TileAreaCacheTest {
    @Fresh static HikariDataSource ds;
    static HotspotRepository cached, perRequest;
    static StudyArea borough;
    static User analyst, viewer;
    static final LocalDate FROM = LocalDate.of(2025, 2, 10), TO = LocalDate.of(2025, 11, 30);

    @BeforeAll
    static void data(@TempDir Path dir) throws Exception {
        new DemoLoader(ds, dir).loadIfMissing();
        cached = new HotspotRepository(ds);
        perRequest = new HotspotRepository(ds, true, false);
        borough = StudyArea.resolve(new BoundaryRepository(ds), null, "demo");
        Accounts accounts = new Accounts(ds);
        analyst = accounts.create("analyst", "Analyst", Role.ANALYST, "analyst password 1");
        viewer = accounts.create("viewer", "Viewer", Role.VIEWER, "viewer password 1");
        String area = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                + " WHERE s.level = 'ward' AND s.version = 'demo')";
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', CASE WHEN d.path[1] %% 3 = 0 THEN 'asb-neighbour-dispute' ELSE 'asb-noise' END,
                           timestamptz '2025-01-01 09:00+00' + (d.path[1] %% 365 || ' days')::interval, 'day', d.geom, 'exact',
                           'tile-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(%s, 3000, 21)) d""".formatted(area));
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', timestamptz '2025-05-10 12:00+00' + (v.k % 90 || ' days')::interval, 'day',
                           v.geom, 'exact', 'vertex-' || v.k
                    FROM (SELECT p.geom, row_number() OVER () AS k
                          FROM boundary b JOIN boundary_set s ON s.id = b.set_id CROSS JOIN LATERAL ST_DumpPoints(b.geom) p
                          WHERE s.level = 'ward' AND s.version = 'demo') v
                    WHERE v.k % 4 = 0""");
        }
    }

    static IncidentFilter filter(User user) {
        return new IncidentFilter(FROM, TO, List.of(), List.of(), borough, user);
    }

    @Test
    void keptAreasGiveTheTilesOfAPerRequestRepositoryAndEveryIncidentOnce() throws Exception {
        for (User user : List.of(analyst, viewer)) {
            IncidentFilter f = filter(user);
            for (int z = 9; z <= 13; z++) {
                Grid grid = new SquareGrid(TileRepository.cellForZoom(z));
                GridCounts whole = perRequest.gridCounts(f, grid);
                Map<Long, Double> seen = new TreeMap<>();
                for (TileAddress t : tiles(z)) {
                    double[] box = t.wgs84((double) TileRepository.BUFFER / TileRepository.EXTENT);
                    Map<Long, Double> expected = map(perRequest.gridCounts(f, grid, box));
                    assertEquals(expected, map(cached.gridCounts(f, grid, box)), "cold, tile " + t + " " + user.role());
                    assertEquals(expected, map(cached.gridCounts(f, grid, box)), "kept, tile " + t + " " + user.role());
                    for (var e : expected.entrySet()) {
                        int at = whole.indexOf(Grid.keyI(e.getKey()), Grid.keyJ(e.getKey()));
                        assertEquals(at < 0 ? 0 : whole.count(at), e.getValue(), "cell " + e.getKey() + " of tile " + t);
                        seen.put(e.getKey(), e.getValue());
                    }
                }
                assertEquals(whole.total(), seen.values().stream().mapToDouble(Double::doubleValue).sum(), "zoom " + z + " " + user.role());
                assertTrue(whole.total() > 2000);
            }
        }
        // the tiles themselves: the same bytes from either repository
        TileRepository keptTiles = new TileRepository(ds, cached), freshTiles = new TileRepository(ds, perRequest);
        for (TileAddress t : tiles(11)) {
            assertArrayEquals(freshTiles.incidentCounts(filter(viewer), t), keptTiles.incidentCounts(filter(viewer), t), "tile " + t);
        }
    }

    @Test
    void aMovedWardIsNotAnsweredFromTheKeptAreas() throws Exception {
        IncidentFilter f = filter(analyst);
        Grid grid = new SquareGrid(TileRepository.cellForZoom(12));
        List<TileAddress> tiles = tiles(12);
        List<Map<Long, Double>> before = new ArrayList<>();
        for (TileAddress t : tiles) before.add(map(cached.gridCounts(f, grid, t.wgs84(64.0 / 4096))));
        String code;
        long setId = borough.setId();
        try (var c = ds.getConnection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT code FROM boundary WHERE set_id = " + setId + " ORDER BY code LIMIT 1")) {
            rs.next();
            code = rs.getString(1);
        }
        try {
            moveWard(setId, code, 600);
            List<Map<Long, Double>> after = new ArrayList<>(), expected = new ArrayList<>();
            for (TileAddress t : tiles) {
                expected.add(map(perRequest.gridCounts(f, grid, t.wgs84(64.0 / 4096))));
                after.add(map(cached.gridCounts(f, grid, t.wgs84(64.0 / 4096))));
            }
            assertNotEquals(before, expected);
            assertEquals(expected, after);
        } finally {
            moveWard(setId, code, -600);
        }
        List<Map<Long, Double>> back = new ArrayList<>();
        for (TileAddress t : tiles) back.add(map(cached.gridCounts(f, grid, t.wgs84(64.0 / 4096))));
        assertEquals(before, back);
    }

    /** Moves a ward east by {@code dx} metres and assigns its set again (committed), as a boundary import does. */
    static void moveWard(long setId, String code, double dx) throws Exception {
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("UPDATE boundary SET geom = ST_Translate(geom, " + dx + ", 0) WHERE set_id = " + setId + " AND code = '" + code + "'");
            st.execute("SELECT rollup_assign_set(" + setId + ")");
            c.commit();
        }
    }

    /** Every tile at zoom z meeting the borough's extent grown by 2 km (a ward moved east stays inside). */
    static List<TileAddress> tiles(int z) throws Exception {
        return tilesOf(ds, borough, z);
    }

    /** Every tile at zoom z meeting the extent of {@code area}'s set grown by 2 km. */
    static List<TileAddress> tilesOf(javax.sql.DataSource ds, StudyArea area, int z) {
        double[] e = new double[4];
        try (var c = ds.getConnection(); var st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT ST_XMin(x), ST_YMin(x), ST_XMax(x), ST_YMax(x)
                FROM (SELECT ST_Transform(ST_SetSRID(ST_Expand(ST_Extent(geom), 2000)::geometry, 27700), 4326) AS x
                      FROM boundary WHERE set_id = %d) y"""
                .formatted(area.setId()))) {
            rs.next();
            for (int k = 0; k < 4; k++) e[k] = rs.getDouble(k + 1);
        } catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
        int n = 1 << z;
        List<TileAddress> tiles = new ArrayList<>();
        for (int x = column(e[0], n); x <= column(e[2], n); x++) {
            for (int y = row(e[3], n); y <= row(e[1], n); y++) tiles.add(new TileAddress(z, x, y));
        }
        return tiles;
    }

    private static int column(double lon, int n) {
        return (int) Math.floor((lon + 180) / 360 * n);
    }

    private static int row(double lat, int n) {
        double r = Math.toRadians(lat);
        return (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
    }

    /** Counts by cell. */
    static Map<Long, Double> map(GridCounts cells) {
        Map<Long, Double> m = new TreeMap<>();
        for (int k = 0; k < cells.n(); k++) m.put(Grid.key(cells.i(k), cells.j(k)), cells.count(k));
        return m;
    }
}
