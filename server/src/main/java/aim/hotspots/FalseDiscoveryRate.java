package aim.hotspots;

import java.util.Arrays;

/**
 * Hot and cold spot bins as ArcGIS's Hot Spot Analysis gives them with its False Discovery Rate
 * correction: the Benjamini–Hochberg procedure over all m cells at α = 0.10, 0.05 and 0.01 gives a
 * critical p-value per confidence level; a cell is in bin ±3 when its p is at most the 99% critical
 * value, ±2 at 95%, ±1 at 90%, else 0, with the sign of its z-score. Without the correction the
 * critical values are simply 0.01, 0.05 and 0.10.
 */
public final class FalseDiscoveryRate {
    /** α for bins 1, 2 and 3. */
    public static final double[] ALPHAS = {0.10, 0.05, 0.01};

    /**
     * @param bin      −3 … +3 per cell
     * @param critical the critical p-value at α = 0.10, 0.05, 0.01 (NaN: no cell is significant at that level)
     */
    public record Bins(int[] bin, double[] critical, boolean corrected) {
    }

    private FalseDiscoveryRate() {
    }

    /**
     * The Benjamini–Hochberg critical p-value at {@code alpha}: with the p-values sorted ascending
     * p(1) ≤ … ≤ p(m), the largest p(k) with p(k) ≤ α·k/m; every p at or below it is significant.
     * NaN when no k qualifies (nothing is significant).
     */
    public static double criticalP(double[] p, double alpha) {
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        return criticalSorted(sorted, alpha);
    }

    public static Bins bins(double[] z, double[] p, boolean fdr) {
        double[] critical = new double[ALPHAS.length];
        if (fdr) {
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int a = 0; a < ALPHAS.length; a++) critical[a] = criticalSorted(sorted, ALPHAS[a]);
        } else {
            critical = ALPHAS.clone();
        }
        int[] bin = new int[z.length];
        for (int k = 0; k < z.length; k++) {
            int level = 0;
            // NaN critical values compare false, so a level with no significant cell gives nothing
            for (int a = 0; a < ALPHAS.length; a++) if (p[k] <= critical[a]) level = a + 1;
            bin[k] = z[k] > 0 ? level : z[k] < 0 ? -level : 0;
        }
        return new Bins(bin, critical, fdr);
    }

    private static double criticalSorted(double[] sorted, double alpha) {
        int m = sorted.length;
        // step-up: scan from the largest p down and stop at the first that passes its own threshold
        for (int k = m; k >= 1; k--) {
            if (sorted[k - 1] <= alpha * k / m) return sorted[k - 1];
        }
        return Double.NaN;
    }
}
