package aim.tiles;

import aim.core.DomainException;
import aim.db.SqlFragment;
import aim.hotspots.HotCells;
import aim.hotspots.HotspotRepository;
import aim.hotspots.SquareGrid;
import aim.incidents.IncidentFilter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds Mapbox Vector Tiles in PostGIS. Every query finds its rows with a search box in the storage
 * CRS (EPSG:27700): the tile's EPSG:3857 envelope ({@code ST_TileEnvelope}) grown by the MVT buffer,
 * cut to the area British National Grid is defined for (so a world-sized tile never reaches PROJ),
 * densified and transformed once, so {@code geom && box} uses the GiST index and no stored geometry
 * is transformed before it is known to be near the tile. Only the rows found are transformed to
 * EPSG:3857 and passed through {@code ST_AsMVTGeom} (clip to the tile plus {@value #BUFFER} units,
 * quantise to the {@value #EXTENT}-unit grid) and {@code ST_AsMVT}.
 *
 * <p>Polygons are simplified per zoom (Douglas-Peucker, {@code ST_Simplify} with collapses kept,
 * tolerance one tile unit: width of the tile / {@value #EXTENT}), which changes nothing visible. They are
 * simplified before they are transformed, in EPSG:27700 metres ({@link #boundaryTolerance}), so a tile of
 * England's wards at zoom 6 transforms a few points per ward rather than every vertex.
 * Incidents below zoom {@value #POINTS_ZOOM} are counts per British National Grid square
 * ({@link #cellForZoom}) from {@link HotspotRepository#countsInBox} (the same exact counts, rollups and
 * redaction as {@code GET /api/hotspots?method=grid}); from it they are points, one per incident.
 * An empty tile is a zero-length byte array.
 */
public final class TileRepository {
    /** Tile extent in MVT units. */
    public static final int EXTENT = 4096;
    /** Buffer around the tile kept by ST_AsMVTGeom, in MVT units (markers and strokes across tile edges). */
    public static final int BUFFER = 64;
    /** From this zoom on incidents are points; below it counts per square. */
    public static final int POINTS_ZOOM = 14;

    /**
     * The search box in EPSG:27700 for the tile (parameters z, x, y, margin as a fraction of the tile,
     * segment length in EPSG:3857 metres), a scalar subquery so that it is computed once per query (an
     * expression of parameters in a generic plan would be computed again for every row it is tested on). The box of lon −10..4°, lat 49..62° (in EPSG:3857) holds Great
     * Britain with room to spare; tiles beyond it find nothing.
     */
    private static final String SEARCH_BOX = """
            (SELECT ST_Transform(ST_Segmentize(ST_Intersection(ST_TileEnvelope(?, ?, ?, margin => ?),
                         ST_MakeEnvelope(-1113194.91, 6274861.39, 445277.96, 8859142.80, 3857)), ?), 27700))""";
    /** The tile's own envelope (EPSG:3857) for ST_AsMVTGeom, as a scalar subquery: computed once per query, never per row. */
    private static final String TILE = "(SELECT ST_TileEnvelope(?, ?, ?))";

    private static final String BOUNDARIES = """
            SELECT ST_AsMVT(t, ?, %1$d, 'geom') FROM (
                SELECT b.code, b.name, ? AS version,
                       ST_AsMVTGeom(ST_Transform(ST_Simplify(b.geom, ?, true), 3857), %4$s, %1$d, %2$d, true) AS geom
                FROM boundary b
                WHERE b.set_id = ? AND b.geom && %3$s
            ) t WHERE t.geom IS NOT NULL""".formatted(EXTENT, BUFFER, SEARCH_BOX, TILE);

    private static final String POINTS = """
            SELECT ST_AsMVT(t, 'incidents', %1$d, 'geom') FROM (
                SELECT 'point' AS kind, i.id, i.category, i.source,
                       to_char(i.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS occurred_at,
                       i.occurred_precision, i.location_precision,
                       ST_AsMVTGeom(ST_Transform(i.geom, 3857), %4$s, %1$d, %2$d, true) AS geom
                FROM %%s
                WHERE %%s
            ) t WHERE t.geom IS NOT NULL""".formatted(EXTENT, BUFFER, "", TILE);

    /** Square cells (i, j, value arrays; size in metres) as polygons with their properties. */
    private static final String COUNT_CELLS = """
            SELECT ST_AsMVT(t, 'incidents', %1$d, 'geom') FROM (
                SELECT 'cell' AS kind, c.i, c.j, c.n AS count, ?::int AS cell_m,
                       ST_AsMVTGeom(ST_Transform(ST_MakeEnvelope(c.i * ?::float8, c.j * ?::float8, (c.i + 1) * ?::float8,
                                    (c.j + 1) * ?::float8, 27700), 3857), %4$s, %1$d, %2$d, true) AS geom
                FROM unnest(?::int[], ?::int[], ?::bigint[]) AS c(i, j, n)
                WHERE c.n > 0
            ) t WHERE t.geom IS NOT NULL""".formatted(EXTENT, BUFFER, "", TILE);

    private static final String HOT_CELLS = """
            SELECT ST_AsMVT(t, 'hotspots', %1$d, 'geom') FROM (
                SELECT c.i, c.j, c.n AS incidents, c.z AS gi_z, c.bin, ?::int AS cell_m,
                       ST_AsMVTGeom(ST_Transform(ST_MakeEnvelope(c.i * ?::float8, c.j * ?::float8, (c.i + 1) * ?::float8,
                                    (c.j + 1) * ?::float8, 27700), 3857), %4$s, %1$d, %2$d, true) AS geom
                FROM unnest(?::int[], ?::int[], ?::bigint[], ?::float8[], ?::int[]) AS c(i, j, n, z, bin)
            ) t WHERE t.geom IS NOT NULL""".formatted(EXTENT, BUFFER, "", TILE);

    private final DataSource dataSource;
    private final HotspotRepository hotspots;

    public TileRepository(DataSource dataSource, HotspotRepository hotspots) {
        this.dataSource = dataSource;
        this.hotspots = hotspots;
    }

    /** The square (metres, EPSG:27700) incidents are counted on at a zoom below {@link #POINTS_ZOOM}: about 20–60 px. */
    public static int cellForZoom(int z) {
        if (z <= 9) return 2000;
        if (z <= 11) return 1000;
        if (z == 12) return 500;
        return 250;
    }

    /** The tile's search box (EPSG:27700) as a fragment, grown by the MVT buffer. */
    static SqlFragment searchBox(TileAddress t) {
        double segment = Math.min(t.width() / 8, 10_000);
        return SqlFragment.of(SEARCH_BOX, t.z(), t.x(), t.y(), (double) BUFFER / EXTENT, segment);
    }

    /**
     * One tile unit in EPSG:27700 metres, at most: a Web Mercator metre is cos(latitude) metres on the ground, so
     * the unit is taken at the tile's northern edge (where it is shortest) within Great Britain (49–61° N).
     */
    static double boundaryTolerance(TileAddress t) {
        double north = Math.max(49, Math.min(61, t.wgs84(0)[3]));
        return t.width() / EXTENT * Math.cos(Math.toRadians(north));
    }

    /** The boundaries of one set ({@code layer} wards or neighbourhoods, {@code version} its name) in the tile. */
    public byte[] boundaries(TileLayer layer, long setId, String version, TileAddress t) {
        SqlFragment box = searchBox(t);
        List<Object> params = new ArrayList<>(List.of(layer.id, version, boundaryTolerance(t), t.z(), t.x(), t.y(), setId));
        params.addAll(box.params());
        return tile(BOUNDARIES, params);
    }

    /**
     * One point per incident of the filter in the tile, as the filter's viewer may see it (the
     * point is {@code i.geom} of {@link IncidentFilter#incidents}: a generalised incident is at its
     * square's centre); {@code area} (EPSG:27700), when not null, must hold the point too.
     */
    public byte[] incidentPoints(IncidentFilter filter, SqlFragment area, TileAddress t) {
        SqlFragment box = searchBox(t);
        SqlFragment from = filter.incidents(box);
        SqlFragment where = filter.located(box, area);
        List<Object> params = new ArrayList<>(List.of(t.z(), t.x(), t.y()));
        params.addAll(from.params());
        params.addAll(where.params());
        return tile(POINTS.formatted(from.sql(), where.sql()), params);
    }

    /**
     * Incident counts per square of {@link #cellForZoom} in the tile: every square of the filter's study
     * area meeting the tile (with its buffer) holding incidents, with its whole count.
     */
    public byte[] incidentCounts(IncidentFilter filter, TileAddress t) {
        int size = cellForZoom(t.z());
        HotspotRepository.CellCounts counts;
        try {
            counts = hotspots.countsInBox(filter, new SquareGrid(size), t.wgs84((double) BUFFER / EXTENT));
        } catch (HotspotRepository.TooManyCells e) {
            throw DomainException.invalid("z", "the study area has " + e.cells + " squares of " + size + " m in this tile: zoom in");
        }
        List<Object> params = new ArrayList<>(List.of(size, size, size, size, size, t.z(), t.x(), t.y(),
                counts.i(), counts.j(), counts.n()));
        return tile(COUNT_CELLS, params);
    }

    /** The hot cells (of {@link HotCells}, square cells) in the tile. */
    public byte[] hotCells(HotCells hot, TileAddress t) {
        int m = hot.cells().size();
        int[] is = new int[m], js = new int[m], bins = new int[m];
        long[] ns = new long[m];
        double[] zs = new double[m];
        for (int k = 0; k < m; k++) {
            HotCells.Cell c = hot.cells().get(k);
            is[k] = c.i();
            js[k] = c.j();
            ns[k] = c.incidents();
            zs[k] = c.z() == null ? Double.NaN : c.z();
            bins[k] = c.bin() == null ? 0 : c.bin();
        }
        int size = (int) Math.round(hot.size());
        List<Object> params = new ArrayList<>(List.of(size, hot.size(), hot.size(), hot.size(), hot.size(), t.z(), t.x(), t.y(),
                is, js, ns, zs, bins));
        return tile(HOT_CELLS, params);
    }

    /** The extent of a boundary set in WGS84 {minLon, minLat, maxLon, maxLat}, or null when it has no areas. */
    public double[] bounds(long setId) {
        // the set's box in EPSG:27700, densified (1 km) and transformed: no area's outline is transformed (7,600 wards
        // would take about a second), and the box's edges curve in WGS84, so the result holds every area
        String sql = "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform(ST_Segmentize("
                + "ST_SetSRID(ST_Extent(geom)::geometry, 27700), 1000), 4326) AS e FROM boundary WHERE set_id = ?) x WHERE e IS NOT NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, setId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return new double[]{rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the extent of boundary set " + setId + " failed", e);
        }
    }

    private byte[] tile(String sql, List<Object> params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < params.size(); k++) ps.setObject(k + 1, array(c, params.get(k)));
            try (ResultSet rs = ps.executeQuery()) {
                byte[] mvt = rs.next() ? rs.getBytes(1) : null;
                return mvt == null ? new byte[0] : mvt;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("tile query failed: " + e.getMessage(), e);
        }
    }

    /** Java arrays as SQL arrays; anything else as it is. */
    private static Object array(Connection c, Object value) throws SQLException {
        if (value instanceof int[] a) return c.createArrayOf("int4", java.util.Arrays.stream(a).boxed().toArray());
        if (value instanceof long[] a) return c.createArrayOf("int8", java.util.Arrays.stream(a).boxed().toArray());
        if (value instanceof double[] a) return c.createArrayOf("float8", java.util.Arrays.stream(a).boxed().toArray());
        if (value instanceof String[] a) return c.createArrayOf("text", a);
        return value;
    }
}
