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
 * other, which is how a point's cell is found.
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
        // Column centres are 1.5·size apart and a hexagon spans ±size around its column, so a point
        // between the centres of columns a and a+1 lies in one of those two; within a column the
        // nearest centre is the nearest row. The nearer of the two candidates wins (Voronoi).
        double h = spacing();
        int a = (int) Math.floor(x / (1.5 * size));
        int ja = (int) Math.rint(y / h - 0.5 * Math.abs(a % 2));
        int jb = (int) Math.rint(y / h - 0.5 * Math.abs((a + 1) % 2));
        double da = sq(x - centreX(a, ja)) + sq(y - centreY(a, ja));
        double db = sq(x - centreX(a + 1, jb)) + sq(y - centreY(a + 1, jb));
        return da <= db ? Grid.key(a, ja) : Grid.key(a + 1, jb);
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
    public SqlFragment incidentsWithCells() {
        // the same two-candidate nearest-centre rule as cellOf, in SQL
        return SqlFragment.of("""
                incident i
                CROSS JOIN LATERAL (SELECT ST_X(i.geom) AS x, ST_Y(i.geom) AS y, ?::float8 AS s, ?::float8 * sqrt(3.0::float8) AS h) hp
                CROSS JOIN LATERAL (SELECT floor(hp.x / (1.5 * hp.s))::int AS a) ha
                CROSS JOIN LATERAL (SELECT round(hp.y / hp.h - 0.5::float8 * (abs(ha.a) % 2))::int AS ja,
                                           round(hp.y / hp.h - 0.5::float8 * (abs(ha.a + 1) % 2))::int AS jb) hb
                CROSS JOIN LATERAL (SELECT (hp.x - 1.5 * hp.s * ha.a) ^ 2
                                               + (hp.y - hp.h * (hb.ja + 0.5::float8 * (abs(ha.a) % 2))) ^ 2 AS da,
                                           (hp.x - 1.5 * hp.s * (ha.a + 1)) ^ 2
                                               + (hp.y - hp.h * (hb.jb + 0.5::float8 * (abs(ha.a + 1) % 2))) ^ 2 AS db) hd
                CROSS JOIN LATERAL (SELECT CASE WHEN hd.da <= hd.db THEN ha.a ELSE ha.a + 1 END AS ci,
                                           CASE WHEN hd.da <= hd.db THEN hb.ja ELSE hb.jb END AS cj) c""", size, size);
    }
}
