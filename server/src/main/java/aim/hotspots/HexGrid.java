package aim.hotspots;

import aim.db.SqlFragment;

import java.util.ArrayList;
import java.util.List;

/**
 * Flat-topped regular hexagons on the British National Grid (EPSG:27700) numbered as PostGIS
 * {@code ST_HexagonGrid}/{@code ST_Hexagon} number them with origin (0, 0): {@code size} is the edge
 * length (= circumradius) in metres, the row height is {@code h = size·√3}, and cell {@code (i, j)} has
 * its centre at {@code (1.5·size·i, h·j + h/2·(|i| mod 2))}: odd columns are shifted up half a row.
 * Adjacent centres are {@code h} apart. A hexagon is the set of points nearer its centre than any
 * other, which is how a point's cell is found ({@link #cellOf}).
 */
public record HexGrid(double size) implements Grid {
    private static final double SQRT3 = Math.sqrt(3);

    @Override
    public String kind() {
        return "hex";
    }

    /** The row height, which is also the distance between adjacent centres. */
    @Override
    public double spacing() {
        return size * SQRT3;
    }

    @Override
    public double cellArea() {
        return 1.5 * SQRT3 * size * size;
    }

    @Override
    public double centreX(int i, int j) {
        return 1.5 * size * i;
    }

    @Override
    public double centreY(int i, int j) {
        return spacing() * (j + 0.5 * Math.abs(i % 2));
    }

    @Override
    public long cellOf(double x, double y) {
        // The centres form two rectangular lattices 3·size apart across and h apart up: even columns
        // at (3·size·m, h·n) are cell (2m, n), odd columns at (3·size·m + 1.5·size, h·n + h/2) are cell
        // (2m + 1, n). The nearest point of each lattice is a rounding; the nearer of the two wins
        // (a hexagon is the set of points nearest its centre); a tie goes to the even column.
        double w = 3 * size, h = spacing();
        double m1 = Math.rint(x / w), n1 = Math.rint(y / h);
        double m2 = Math.rint((x - w / 2) / w), n2 = Math.rint((y - h / 2) / h);
        double d1 = sq(x - w * m1) + sq(y - h * n1);
        double d2 = sq(x - w * m2 - w / 2) + sq(y - h * n2 - h / 2);
        return d1 <= d2 ? Grid.key(2 * (int) m1, (int) n1) : Grid.key(2 * (int) m2 + 1, (int) n2);
    }

    /** No hexagon: the answer of {@link #hexagonHolding} for a square that is not wholly inside one. */
    static final long NONE = Long.MIN_VALUE;

    /** How far inside a hexagon's edges a square must lie to count as wholly inside it: 1 mm. */
    static final double MARGIN = 0.001;

    /**
     * The hexagon ({@link Grid#key}) holding the whole closed square of side {@code side} metres at
     * {@code (i·side, j·side)}, each of its points at least {@link #MARGIN} inside the hexagon's edges,
     * or {@link #NONE}. Every point of such a square is nearer the hexagon's centre than any other
     * centre by far more than the rounding of the raw query's cell rule ({@link #incidentsWithCells},
     * in float8), so it counts every incident of the square in that hexagon; a square near or across
     * an edge is left to that rule, point by point. The hexagon is convex, so its four corners decide.
     */
    long hexagonHolding(int i, int j, int side) {
        long cell = cellOf((i + 0.5) * side, (j + 0.5) * side);
        double cx = centreX(Grid.keyI(cell), Grid.keyJ(cell)), cy = centreY(Grid.keyI(cell), Grid.keyJ(cell));
        // the inradius, less the margin
        double r = spacing() / 2 - MARGIN;
        for (int corner = 0; corner < 4; corner++) {
            double x = Math.abs((double) (i + corner % 2) * side - cx), y = Math.abs((double) (j + corner / 2) * side - cy);
            // flat-topped: the top and bottom edges at |y| = r, the four slanted edges' normals at ±30° and ±150°
            if (y > r || SQRT3 / 2 * x + y / 2 > r) return NONE;
        }
        return cell;
    }

    private static double sq(double v) {
        return v * v;
    }

    @Override
    public Offsets offsetsWithin(double radius, int parity) {
        // A neighbour di columns away has parity (parity + |di|) mod 2; its centre is offset by
        // 1.5·size·di across and h·(dj + (its parity − parity)/2) up.
        double h = spacing();
        int reachI = (int) Math.floor(radius / (1.5 * size));
        int reachJ = (int) Math.floor(radius / h) + 1;
        List<int[]> found = new ArrayList<>();
        List<Double> distances = new ArrayList<>();
        for (int di = -reachI; di <= reachI; di++) {
            int other = (parity + Math.abs(di)) % 2;
            for (int dj = -reachJ; dj <= reachJ; dj++) {
                double d = Math.hypot(1.5 * size * di, h * (dj + 0.5 * (other - parity)));
                if (d <= radius * (1 + 1e-12)) {
                    found.add(new int[]{di, dj});
                    distances.add(d);
                }
            }
        }
        return SquareGrid.toOffsets(found, distances);
    }

    @Override
    public SqlFragment cellsCovering(String geometry) {
        return SqlFragment.of("ST_HexagonGrid(?, " + geometry + ")", size);
    }

    @Override
    public SqlFragment cellPolygon(String i, String j) {
        // the cell functions return SRID 0 unless given an origin: set British National Grid
        return SqlFragment.of("ST_SetSRID(ST_Hexagon(?, " + i + ", " + j + "), 27700)", size);
    }

    @Override
    public SqlFragment incidentsWithCells(SqlFragment incidents) {
        // the same two-lattice rule as cellOf, in SQL; every value is float8 (a numeric literal would
        // make PostgreSQL do decimal arithmetic, several times slower over a million rows)
        return Grid.then(incidents, """

                CROSS JOIN LATERAL (SELECT ?::float8 AS w, ?::float8 AS h) hk
                CROSS JOIN LATERAL (SELECT ST_X(i.geom) AS x, ST_Y(i.geom) AS y OFFSET 0) hp
                CROSS JOIN LATERAL (SELECT hp.x, hp.y, round(hp.x / hk.w) AS m1, round(hp.y / hk.h) AS n1,
                                           round((hp.x - hk.w / 2) / hk.w) AS m2, round((hp.y - hk.h / 2) / hk.h) AS n2) hl
                CROSS JOIN LATERAL (SELECT (hl.x - hk.w * hl.m1) ^ 2 + (hl.y - hk.h * hl.n1) ^ 2
                                           <= (hl.x - hk.w * hl.m2 - hk.w / 2) ^ 2 + (hl.y - hk.h * hl.n2 - hk.h / 2) ^ 2 AS even) he
                CROSS JOIN LATERAL (SELECT (CASE WHEN he.even THEN 2 * hl.m1 ELSE 2 * hl.m2 + 1 END)::int AS ci,
                                           (CASE WHEN he.even THEN hl.n1 ELSE hl.n2 END)::int AS cj) c""", 3 * size, spacing());
    }
}
