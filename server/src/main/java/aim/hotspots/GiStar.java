package aim.hotspots;

import org.apache.commons.math3.special.Erf;

/**
 * The Getis-Ord local statistic Gi* (Ord &amp; Getis 1995) on grid cells, as ArcGIS's Hot Spot
 * Analysis computes it with a fixed distance band: binary weights, the cell itself included, every
 * cell of the study area (zero counts too) taking part in the mean and standard deviation:
 * <pre>
 *   G*_i = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
 *   X̄ = Σ x_j / n,   S = √(Σ x_j² / n − X̄²)
 * </pre>
 * G*_i is itself a z-score; its p-value is two-sided from the standard normal. Neighbours are the
 * cells whose centres lie within {@code band} metres (EPSG:27700) of the cell's centre; cells outside
 * the study area do not exist, so edge cells simply have fewer neighbours (as in ArcGIS).
 * No n×n matrix: each cell visits its neighbour offsets in the grid's lookup, O(n × offsets).
 */
public final class GiStar {

    /** The default band: 1.5 × the distance between adjacent centres (squares: 3×3 queen; hexagons: the 6 adjacent). */
    public static final double DEFAULT_BAND_SPACINGS = 1.5;
    /** The band may reach at most this many cell sizes. */
    public static final int MAX_BAND_CELLS = 20;

    /**
     * @param z          Gi* z-score per cell (0 where undefined: no variation, or every cell a neighbour)
     * @param p          two-sided p-value per cell
     * @param neighbours Σ_j w_ij per cell (the cell itself included)
     */
    public record Result(double[] z, double[] p, int[] neighbours, int n, double mean, double standardDeviation, double band) {
    }

    private GiStar() {
    }

    public static double defaultBand(Grid grid) {
        return DEFAULT_BAND_SPACINGS * grid.spacing();
    }

    public static Result compute(GridCounts cells, double band) {
        int n = cells.n();
        double[] x = cells.counts();
        double mean = cells.mean();
        // S over all n cells, two-pass for accuracy: √(Σ(x − X̄)²/n) = √(Σx²/n − X̄²)
        double s = cells.standardDeviation();
        Grid grid = cells.grid();
        Grid.Offsets[] offsets = {grid.offsetsWithin(band, 0), grid.offsetsWithin(band, 1)};
        double[] z = new double[n], p = new double[n];
        int[] weights = new int[n];
        for (int k = 0; k < n; k++) {
            int ci = cells.i(k), cj = cells.j(k);
            Grid.Offsets o = offsets[Math.abs(ci % 2)];
            double sum = 0;
            int w = 0;
            for (int t = 0; t < o.size(); t++) {
                int at = cells.indexOf(ci + o.di()[t], cj + o.dj()[t]);
                if (at >= 0) {
                    sum += x[at];
                    w++;
                }
            }
            weights[k] = w;
            z[k] = zScore(sum, w, n, mean, s);
            p[k] = twoSidedP(z[k]);
        }
        return new Result(z, p, weights, n, mean, s, band);
    }

    /**
     * G*_i from the sum of the neighbourhood's values and its number of cells (binary weights, so
     * Σw = Σw² = {@code w}). Zero when the statistic is undefined: fewer than two cells, all values
     * equal (S = 0), or the neighbourhood is the whole study area (zero variance of the sum).
     */
    public static double zScore(double neighbourhoodSum, int w, int n, double mean, double s) {
        if (n < 2 || s == 0) return 0;
        double variance = ((double) n * w - (double) w * w) / (n - 1);
        if (variance <= 0) return 0;
        return (neighbourhoodSum - mean * w) / (s * Math.sqrt(variance));
    }

    /** Two-sided p of a standard normal z: 2·Φ(−|z|) = erfc(|z|/√2), accurate far into the tail. */
    public static double twoSidedP(double z) {
        return Erf.erfc(Math.abs(z) / Math.sqrt(2));
    }
}
