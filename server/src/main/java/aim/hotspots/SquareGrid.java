package aim.hotspots;

import aim.db.SqlFragment;

import java.util.ArrayList;
import java.util.List;

/**
 * Square cells of {@code size} metres on the British National Grid (EPSG:27700): cell
 * {@code (i, j)} covers eastings {@code [i·size, (i+1)·size)} and northings {@code [j·size, (j+1)·size)},
 * so {@code i = floor(easting / size)} and {@code j = floor(northing / size)}, exactly as
 * PostGIS {@code ST_SquareGrid} and {@code ST_Square} number them.
 */
public record SquareGrid(double size) implements Grid {

    @Override
    public String kind() {
        return "square";
    }

    @Override
    public double spacing() {
        return size;
    }

    @Override
    public double cellArea() {
        return size * size;
    }

    @Override
    public double centreX(int i, int j) {
        return (i + 0.5) * size;
    }

    @Override
    public double centreY(int i, int j) {
        return (j + 0.5) * size;
    }

    @Override
    public long cellOf(double x, double y) {
        return Grid.key((int) Math.floor(x / size), (int) Math.floor(y / size));
    }

    @Override
    public Offsets offsetsWithin(double radius, int parity) {
        // every (di, dj) whose centre lies within the radius; the same for every column
        int reach = (int) Math.floor(radius / size);
        List<int[]> found = new ArrayList<>();
        List<Double> distances = new ArrayList<>();
        for (int di = -reach; di <= reach; di++) {
            for (int dj = -reach; dj <= reach; dj++) {
                double d = Math.hypot(di, dj) * size;
                if (d <= radius * (1 + 1e-12)) {
                    found.add(new int[]{di, dj});
                    distances.add(d);
                }
            }
        }
        return toOffsets(found, distances);
    }

    static Offsets toOffsets(List<int[]> found, List<Double> distances) {
        int[] di = new int[found.size()], dj = new int[found.size()];
        double[] d = new double[found.size()];
        for (int k = 0; k < found.size(); k++) {
            di[k] = found.get(k)[0];
            dj[k] = found.get(k)[1];
            d[k] = distances.get(k);
        }
        return new Offsets(di, dj, d);
    }

    @Override
    public SqlFragment cellsCovering(String geometry) {
        return SqlFragment.of("ST_SquareGrid(?, " + geometry + ")", size);
    }

    @Override
    public SqlFragment cellPolygon(String i, String j) {
        // the cell functions return SRID 0 unless given an origin: set British National Grid
        return SqlFragment.of("ST_SetSRID(ST_Square(?, " + i + ", " + j + "), 27700)", size);
    }

    @Override
    public SqlFragment incidentsWithCells(SqlFragment incidents) {
        return Grid.then(incidents, " CROSS JOIN LATERAL (SELECT floor(ST_X(i.geom) / ?)::int AS ci, "
                + "floor(ST_Y(i.geom) / ?)::int AS cj) c", size, size);
    }
}
