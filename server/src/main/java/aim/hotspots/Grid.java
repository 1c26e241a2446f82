package aim.hotspots;

import aim.db.SqlFragment;

import java.util.ArrayList;
import java.util.List;

/**
 * A regular tessellation of the British National Grid (EPSG:27700, metres) anchored at the grid's
 * false origin (0, 0), so a cell has the same {@code (i, j)} identity in every query, numbered as
 * PostGIS numbers it ({@code ST_SquareGrid}/{@code ST_Square}, {@code ST_HexagonGrid}/{@code ST_Hexagon}).
 * Cells are the unit of every hotspot method: incidents are counted per cell by the database.
 */
public sealed interface Grid permits SquareGrid, HexGrid {

    /** Smallest and largest accepted cell size, in metres. */
    int MIN_SIZE = 50, MAX_SIZE = 2000;

    /** The size in metres: a square's side, or a hexagon's edge (= its circumradius), as PostGIS takes it. */
    double size();

    /** {@code square} or {@code hex}. */
    String kind();

    /** Distance between the centres of adjacent cells, in metres. */
    double spacing();

    /** Area of one cell in m². */
    double cellArea();

    double centreX(int i, int j);

    double centreY(int i, int j);

    /** The cell whose closed area holds the point (for a point on an edge, one of the two). */
    long cellOf(double x, double y);

    /**
     * The cells within {@code radius} metres (centre to centre, inclusive) of a cell in a column of
     * the given parity ({@code |i| % 2}; only hexagon columns differ), the cell itself included.
     */
    Offsets offsetsWithin(double radius, int parity);

    /**
     * SQL selecting {@code i, j, geom} of the cells that cover the bounding box of the geometry
     * expression {@code geometry} (one parameter, the size, comes first).
     */
    SqlFragment cellsCovering(String geometry);

    /** SQL for the polygon of cell {@code (i, j)} given as SQL expressions; binds the size. */
    SqlFragment cellPolygon(String i, String j);

    /**
     * SQL for a FROM list yielding every row {@code i} of {@code incidents} (the incident table as the
     * caller may see it, {@link aim.incidents.Redaction#incidents}) with its cell in {@code c.ci, c.cj}
     * (binds the size after the parameters of {@code incidents}), so the database counts with
     * {@code GROUP BY c.ci, c.cj}.
     */
    SqlFragment incidentsWithCells(SqlFragment incidents);

    /** {@code incidents} followed by {@code rest} (SQL text and its parameters). */
    static SqlFragment then(SqlFragment incidents, String rest, Object... params) {
        List<Object> all = new ArrayList<>(incidents.params());
        all.addAll(List.of(params));
        return new SqlFragment(incidents.sql() + rest, all);
    }

    /** Packs a cell identity into one long (for hashing). */
    static long key(int i, int j) {
        return ((long) i << 32) | (j & 0xffffffffL);
    }

    static int keyI(long key) {
        return (int) (key >> 32);
    }

    static int keyJ(long key) {
        return (int) key;
    }

    /** Neighbour offsets {@code (di, dj)} with their centre distances in metres. */
    record Offsets(int[] di, int[] dj, double[] distance) {
        public int size() {
            return di.length;
        }
    }

    static Grid of(String kind, double size) {
        return switch (kind) {
            case "square" -> new SquareGrid(size);
            case "hex" -> new HexGrid(size);
            default -> throw new IllegalArgumentException("grid is square or hex, not " + kind);
        };
    }
}
