package aim.hotspots;

import java.util.Arrays;

/**
 * The one "top share of cells" rule: the top {@code percent} % of n cells are the ⌈n·percent/100⌉
 * cells ranked highest by a value, ties keeping cell order. Used by the kernel-density hotspot band
 * ({@link KernelDensity#top}), the predicted area of {@link HotspotAccuracy}, and the grid method of
 * the asset gap analysis' hot cells ({@link HotCells}, as a count threshold: the nearest-rank
 * percentile below the top share).
 */
public final class TopShare {
    private TopShare() {
    }

    /** How many of {@code n} cells make the top {@code percent} %: ⌈n·percent/100⌉, at most n. */
    public static int count(int n, double percent) {
        // the small tolerance keeps floating-point noise (e.g. 20 × 5 / 100 = 1.0000000000000002) from adding a cell
        return (int) Math.min(n, Math.ceil(n * percent / 100 - 1e-9));
    }

    /** Cell positions sorted by value, highest first (stable: ties keep cell order). */
    public static int[] ranked(double[] value) {
        Integer[] order = new Integer[value.length];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Double.compare(value[b], value[a]));
        int[] result = new int[order.length];
        for (int k = 0; k < order.length; k++) result[k] = order[k];
        return result;
    }

    /** The positions of the top {@code percent} % of the cells by value, highest first. */
    public static int[] top(double[] value, double percent) {
        return Arrays.copyOf(ranked(value), count(value.length, percent));
    }

    /**
     * The least value a cell needs to be in the top {@code percent} % with ties counted in: the
     * nearest-rank (100 − percent)th percentile of the values, i.e. the smallest value with at least
     * (100 − percent) % of the values at or below it. {@code values} must not be empty.
     */
    public static double threshold(double[] values, double percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, count(sorted.length, 100 - percent) - 1)];
    }
}
