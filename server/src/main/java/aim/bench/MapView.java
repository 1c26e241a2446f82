package aim.bench;

import aim.tiles.TileRepository;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The web map's view as the scale benchmark asks for it: the tiles a browser window loads, computed as the map
 * does (Web Mercator, 256 px tiles). A window of {@value #WIDTH} × {@value #HEIGHT} px with the analysis panel
 * ({@value #PANEL} px) over its right side; the map fits the wards' extent into the part the panel leaves free
 * (Leaflet's {@code fitBounds}: the largest whole zoom at which the extent fits), and the incident layer loads
 * every tile of the view padded by half on each side ({@code map.getBounds().pad(0.5)} in main.js, tiles by
 * {@code tileRange} in layers/incident-tiles.js). Coordinates in degrees (WGS84), tiles {z, x, y}.
 */
final class MapView {
    static final int WIDTH = 1280, HEIGHT = 800, PANEL = 380, MARGIN = 8;

    /** The extent {minLon, minLat, maxLon, maxLat} of a ward set. */
    static double[] wardExtent(DataSource db, String version) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(b.geom, 4326)) AS e
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = ?) x""")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new double[]{rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
            }
        }
    }

    /** The zoom the map fits the extent at (the largest whole zoom at which it fits the free part of the window). */
    static int fitZoom(double[] extent) {
        double w = WIDTH - PANEL - 2 * MARGIN, h = HEIGHT - 2 * MARGIN;
        for (int z = 19; z > 0; z--) {
            double[] a = pixel(extent[0], extent[3], z), b = pixel(extent[2], extent[1], z);
            if (b[0] - a[0] <= w && b[1] - a[1] <= h) return z;
        }
        return 0;
    }

    /**
     * Whether the map draws the ward set from the ward tiles rather than its GeoJSON: more than
     * {@value #LARGE_SET} wards (web-map layers/boundary-tiles.js LARGE_SET and wardsAsTiles).
     */
    static boolean wardsAsTiles(long wards) {
        return wards > LARGE_SET;
    }

    static final int LARGE_SET = 500;

    /** The tiles of the window centred on (lon, lat) at zoom z, the view padded by half on each side. */
    static List<int[]> tiles(double lon, double lat, int z) {
        return tiles(lon, lat, z, 1.0);
    }

    /**
     * The tiles of the window itself centred on (lon, lat) at zoom z: what a Leaflet tile layer loads (the boundary
     * tiles of a large ward set, layers/boundary-tiles.js).
     */
    static List<int[]> viewTiles(double lon, double lat, int z) {
        return tiles(lon, lat, z, 0.5);
    }

    /** The tiles of a box of {@code 2 · half} windows centred on (lon, lat) at zoom z. */
    private static List<int[]> tiles(double lon, double lat, int z, double half) {
        double[] centre = pixel(lon, lat, z);
        // pad(0.5): the box grows by half its width and height on each side (twice the window)
        double x0 = centre[0] - half * WIDTH, x1 = centre[0] + half * WIDTH, y0 = centre[1] - half * HEIGHT, y1 = centre[1] + half * HEIGHT;
        int n = 1 << z;
        List<int[]> tiles = new ArrayList<>();
        for (int x = clamp(x0 / 256, n); x <= clamp(x1 / 256, n); x++) {
            for (int y = clamp(y0 / 256, n); y <= clamp(y1 / 256, n); y++) tiles.add(new int[]{z, x, y});
        }
        return tiles;
    }

    /** The centre {lon, lat} of an extent. */
    static double[] centre(double[] extent) {
        return new double[]{(extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2};
    }

    private static int clamp(double tile, int n) {
        return (int) Math.max(0, Math.min(n - 1, Math.floor(tile)));
    }

    /** The Web Mercator pixel {x, y} of a point at zoom z (256 px tiles). */
    static double[] pixel(double lon, double lat, int z) {
        double size = 256.0 * (1 << z);
        double r = Math.toRadians(Math.max(-85.0511, Math.min(85.0511, lat)));
        return new double[]{(lon + 180) / 360 * size, (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * size};
    }

    /** The map's path of a boundary tile ({@code layer} wards or neighbourhoods) of a version. */
    static String boundaryTilePath(String layer, int[] t, String version) {
        return "/tiles/" + layer + "/" + t[0] + "/" + t[1] + "/" + t[2] + ".mvt?version=" + version;
    }

    /** The map's path of an incident tile for a period (incident-filters.js incidentQuery: from, to). */
    static String tilePath(int[] t, LocalDate from, LocalDate to) {
        return "/tiles/incidents/" + t[0] + "/" + t[1] + "/" + t[2] + ".mvt?from=" + from + "&to=" + to;
    }

    private static final String RAW_COUNTS = """
            SELECT ST_AsMVT(t, 'incidents', 4096, 'geom') FROM (
                SELECT count(*) AS count, ST_AsMVTGeom(ST_Transform(ST_MakeEnvelope(c.i * ?::float8, c.j * ?::float8,
                           (c.i + 1) * ?::float8, (c.j + 1) * ?::float8, 27700), 3857), (SELECT ST_TileEnvelope(?, ?, ?)), 4096, 64, true) AS geom
                FROM incident x
                CROSS JOIN LATERAL (SELECT floor(ST_X(x.geom) / ?::float8)::int AS i, floor(ST_Y(x.geom) / ?::float8)::int AS j) c
                WHERE x.geom && (SELECT ST_Transform(ST_TileEnvelope(?, ?, ?, margin => 64.0 / 4096), 27700))
                  AND x.occurred_at >= ?::date::timestamp AT TIME ZONE 'Europe/London'
                  AND x.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'
                GROUP BY c.i, c.j
            ) t WHERE t.geom IS NOT NULL""";
    private static final String RAW_POINTS = """
            SELECT ST_AsMVT(t, 'incidents', 4096, 'geom') FROM (
                SELECT x.id, x.category, x.source, x.occurred_at::text AS occurred_at,
                       ST_AsMVTGeom(ST_Transform(x.geom, 3857), (SELECT ST_TileEnvelope(?, ?, ?)), 4096, 64, true) AS geom
                FROM incident x
                WHERE x.geom && (SELECT ST_Transform(ST_TileEnvelope(?, ?, ?, margin => 64.0 / 4096), 27700))
                  AND x.occurred_at >= ?::date::timestamp AT TIME ZONE 'Europe/London'
                  AND x.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'
            ) t WHERE t.geom IS NOT NULL""";

    /**
     * Raw SQL: the tile's {@code ST_AsMVT} alone over JDBC, from raw rows (counts per square below
     * {@link TileRepository#POINTS_ZOOM}, points from it) for the period, without the redaction wrapper,
     * the data-version read or HTTP. Returns the tile's bytes.
     */
    static long rawTile(DataSource db, int[] t, LocalDate from, LocalDate to) throws Exception {
        boolean points = t[0] >= TileRepository.POINTS_ZOOM;
        double cell = TileRepository.cellForZoom(t[0]);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(points ? RAW_POINTS : RAW_COUNTS)) {
            try (var st = c.createStatement()) {
                st.execute("SET statement_timeout = 0");
            }
            Object[] params = points ? new Object[]{t[0], t[1], t[2], t[0], t[1], t[2], from.toString(), to.toString()}
                    : new Object[]{cell, cell, cell, cell, t[0], t[1], t[2], cell, cell, t[0], t[1], t[2], from.toString(), to.toString()};
            for (int k = 0; k < params.length; k++) ps.setObject(k + 1, params[k]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                byte[] mvt = rs.getBytes(1);
                return mvt == null ? 0 : mvt.length;
            }
        }
    }

    private MapView() {
    }
}
