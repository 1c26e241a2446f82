package aim.hotspots;

import java.util.Arrays;

/**
 * Incident counts on every cell of a study area: the {@code n} cells of a {@link Grid} that intersect
 * the area (with zero counts included), in a fixed order, with a lookup from {@code (i, j)} to the
 * cell's position. Counts are doubles so that the same engines can run on other cell values.
 * The lookup is a dense array over the cells' bounding box ({@code n} is at most {@link #MAX_CELLS}),
 * which makes neighbour visits of {@link GiStar} and {@link KernelDensity} plain array reads.
 */
public final class GridCounts {
    /** Most cells one analysis may have (memory stays bounded: a few arrays of this length). */
    public static final int MAX_CELLS = 400_000;

    private final Grid grid;
    private final int[] i, j;
    private final double[] count;
    private final int minI, minJ, width, height;
    private final int[] index;

    /** Cells and counts in the same order; {@code (i, j)} pairs must be distinct. */
    public GridCounts(Grid grid, int[] i, int[] j, double[] count) {
        if (i.length != j.length || i.length != count.length) throw new IllegalArgumentException("arrays differ in length");
        if (i.length > MAX_CELLS) throw new IllegalArgumentException(i.length + " cells is more than " + MAX_CELLS);
        this.grid = grid;
        this.i = i;
        this.j = j;
        this.count = count;
        int loI = Integer.MAX_VALUE, hiI = Integer.MIN_VALUE, loJ = Integer.MAX_VALUE, hiJ = Integer.MIN_VALUE;
        for (int k = 0; k < i.length; k++) {
            loI = Math.min(loI, i[k]);
            hiI = Math.max(hiI, i[k]);
            loJ = Math.min(loJ, j[k]);
            hiJ = Math.max(hiJ, j[k]);
        }
        if (i.length == 0) {
            loI = loJ = 0;
            hiI = hiJ = -1;
        }
        minI = loI;
        minJ = loJ;
        width = hiI - loI + 1;
        height = hiJ - loJ + 1;
        long cells = (long) width * height;
        // a study area is compact, so its bounding box holds a few times n cells at most; guard anyway
        if (cells > 16L * MAX_CELLS) throw new IllegalArgumentException("the cells span " + cells + " grid positions");
        index = new int[(int) cells];
        Arrays.fill(index, -1);
        for (int k = 0; k < i.length; k++) {
            int at = (i[k] - minI) * height + (j[k] - minJ);
            if (index[at] >= 0) throw new IllegalArgumentException("cell " + i[k] + "," + j[k] + " is listed twice");
            index[at] = k;
        }
    }

    public Grid grid() {
        return grid;
    }

    /** Number of cells in the study area. */
    public int n() {
        return i.length;
    }

    public int i(int k) {
        return i[k];
    }

    public int j(int k) {
        return j[k];
    }

    public double count(int k) {
        return count[k];
    }

    public int[] is() {
        return i;
    }

    public int[] js() {
        return j;
    }

    public double[] counts() {
        return count;
    }

    /** Position of cell {@code (i, j)}, or −1 when it is not part of the study area. */
    public int indexOf(int ci, int cj) {
        int a = ci - minI, b = cj - minJ;
        if (a < 0 || b < 0 || a >= width || b >= height) return -1;
        return index[a * height + b];
    }

    /** The same cells with other values (e.g. one time slice's counts), sharing the lookup. */
    public GridCounts withCounts(double[] values) {
        if (values.length != n()) throw new IllegalArgumentException(values.length + " values for " + n() + " cells");
        return new GridCounts(this, values);
    }

    private GridCounts(GridCounts base, double[] values) {
        grid = base.grid;
        i = base.i;
        j = base.j;
        count = values;
        minI = base.minI;
        minJ = base.minJ;
        width = base.width;
        height = base.height;
        index = base.index;
    }

    public double total() {
        double t = 0;
        for (double c : count) t += c;
        return t;
    }

    public double mean() {
        return n() == 0 ? 0 : total() / n();
    }

    /** Population standard deviation over all n cells (as Gi* uses it). */
    public double standardDeviation() {
        int n = n();
        if (n == 0) return 0;
        double mean = mean(), sum = 0;
        for (double c : count) sum += (c - mean) * (c - mean);
        return Math.sqrt(sum / n);
    }
}
