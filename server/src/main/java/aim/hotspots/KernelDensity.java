package aim.hotspots;

import java.util.Arrays;

/**
 * Kernel density of incidents on grid cells with the quartic (biweight) kernel
 * K(d) = 3/(πh²)·(1 − d²/h²)² for d &lt; h, in incidents per km², as ArcGIS's Kernel Density tool
 * computes it for points (no edge correction).
 *
 * <p>Approximation, documented: incidents are counted per cell by the database and each cell's count
 * is placed at the cell's centre, so distances are centre-to-centre (an incident is at most half a
 * cell diagonal from where it is counted). The kernel evaluated at the cell offsets is rescaled so
 * that its weights over the grid sum to exactly one: the densities integrate to the incident count
 * (less what spills past the edge of the study area) however coarse the grid is against h.
 */
public final class KernelDensity {
    /** Largest default bandwidth, in metres. */
    public static final double MAX_DEFAULT_BANDWIDTH = 2000;
    /** The bandwidth may reach at most this many cell sizes (it bounds the work per cell). */
    public static final int MAX_BANDWIDTH_CELLS = 20;
    public static final int CLASSES = 5;

    private KernelDensity() {
    }

    /**
     * The default bandwidth: ArcGIS Kernel Density's default search radius, a spatial form of
     * Silverman's rule of thumb, h = 0.9 · min(SD, √(1/ln 2) · Dm) · N^−0.2, where SD is the standard
     * distance of the incidents from their mean centre, Dm the median distance from it and N the
     * number of incidents (all from the per-cell counts at cell centres); then clamped to
     * [2 × cell size, 2000 m] (2 × cell size when that is larger).
     */
    public static double defaultBandwidth(GridCounts cells) {
        Grid grid = cells.grid();
        double low = 2 * grid.size(), high = Math.max(low, MAX_DEFAULT_BANDWIDTH);
        double total = cells.total();
        if (total <= 0) return low;
        double mx = 0, my = 0;
        for (int k = 0; k < cells.n(); k++) {
            mx += cells.count(k) * grid.centreX(cells.i(k), cells.j(k));
            my += cells.count(k) * grid.centreY(cells.i(k), cells.j(k));
        }
        mx /= total;
        my /= total;
        // standard distance and (count-weighted) median distance from the mean centre
        int occupied = 0;
        for (int k = 0; k < cells.n(); k++) if (cells.count(k) > 0) occupied++;
        double[][] byDistance = new double[occupied][];
        double sumSquares = 0;
        for (int k = 0, o = 0; k < cells.n(); k++) {
            if (cells.count(k) <= 0) continue;
            double d = Math.hypot(grid.centreX(cells.i(k), cells.j(k)) - mx, grid.centreY(cells.i(k), cells.j(k)) - my);
            sumSquares += cells.count(k) * d * d;
            byDistance[o++] = new double[]{d, cells.count(k)};
        }
        double standardDistance = Math.sqrt(sumSquares / total);
        Arrays.sort(byDistance, (a, b) -> Double.compare(a[0], b[0]));
        double median = 0, seen = 0;
        for (double[] dw : byDistance) {
            seen += dw[1];
            if (seen >= total / 2) {
                median = dw[0];
                break;
            }
        }
        double h = 0.9 * Math.min(standardDistance, Math.sqrt(1 / Math.log(2)) * median) * Math.pow(total, -0.2);
        return Math.max(low, Math.min(high, h));
    }

    /** Density per km² at every cell centre of the study area. */
    public static double[] densities(GridCounts cells, double bandwidth) {
        Grid grid = cells.grid();
        double[] density = new double[cells.n()];
        double h2 = bandwidth * bandwidth;
        double[][] weight = new double[2][];
        Grid.Offsets[] offsets = new Grid.Offsets[2];
        for (int parity = 0; parity < 2; parity++) {
            offsets[parity] = grid.offsetsWithin(bandwidth, parity);
            Grid.Offsets o = offsets[parity];
            weight[parity] = new double[o.size()];
            double sum = 0;
            for (int t = 0; t < o.size(); t++) {
                double u = o.distance()[t] * o.distance()[t] / h2;
                weight[parity][t] = u < 1 ? 3 / (Math.PI * h2) * (1 - u) * (1 - u) : 0;
                sum += weight[parity][t];
            }
            // discrete kernel: per-cell weights that sum to one, then per m² of a cell, then per km²
            for (int t = 0; t < o.size(); t++) weight[parity][t] = weight[parity][t] / sum / grid.cellArea() * 1e6;
        }
        // scatter each occupied cell's count over the cells within the bandwidth (the kernel is
        // symmetric, so spreading from sources equals gathering at targets, and skips empty cells)
        for (int k = 0; k < cells.n(); k++) {
            double c = cells.count(k);
            if (c == 0) continue;
            int ci = cells.i(k), cj = cells.j(k), parity = Math.abs(ci % 2);
            Grid.Offsets o = offsets[parity];
            double[] w = weight[parity];
            for (int t = 0; t < o.size(); t++) {
                if (w[t] == 0) continue;
                int at = cells.indexOf(ci + o.di()[t], cj + o.dj()[t]);
                if (at >= 0) density[at] += c * w[t];
            }
        }
        return density;
    }

    /**
     * The hotspot band: the cells with the highest values covering {@code percent} % of the study
     * area's n cells ({@link TopShare}: the top ⌈n·percent/100⌉ cells, ties broken by cell order),
     * never a cell with value 0.
     */
    public static boolean[] top(double[] value, double percent) {
        boolean[] hot = new boolean[value.length];
        for (int k : TopShare.top(value, percent)) if (value[k] > 0) hot[k] = true;
        return hot;
    }

    /**
     * Quantile classes 1…{@link #CLASSES} of the positive densities (each class holds about a fifth
     * of the cells with any density); 0 for cells with none. Returns the class per cell; the
     * breaks are {@link #quantileBreaks}.
     */
    public static int[] quantileClasses(double[] density, double[] breaks) {
        int[] cls = new int[density.length];
        for (int k = 0; k < density.length; k++) {
            if (density[k] <= 0) continue;
            int c = 1;
            for (double b : breaks) if (density[k] > b) c++;
            cls[k] = c;
        }
        return cls;
    }

    /** The {@link #CLASSES} − 1 upper limits of classes 1…4: quantiles of the positive densities. */
    public static double[] quantileBreaks(double[] density) {
        double[] positive = Arrays.stream(density).filter(d -> d > 0).sorted().toArray();
        double[] breaks = new double[CLASSES - 1];
        if (positive.length == 0) return breaks;
        for (int c = 1; c < CLASSES; c++) {
            int at = (int) Math.ceil(positive.length * (double) c / CLASSES) - 1;
            breaks[c - 1] = positive[Math.max(0, Math.min(positive.length - 1, at))];
        }
        return breaks;
    }
}
