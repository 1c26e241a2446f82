package aim.hotspots;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The hotspot cells a gap analysis looks under, on square cells of the British National Grid
 * (EPSG:27700, {@code size} metres, cell (i, j) = [i·size, (i+1)·size) × [j·size, (j+1)·size)), from the
 * engine's counts over the shared incident filter ({@link HotspotEngine#hotCells}):
 * <ul>
 * <li>{@code gistar}: cells whose Getis-Ord Gi* bin is 2 or more (hot at 95% confidence or better, with the
 *     False Discovery Rate correction, the engine's default band of 1.5 cells);</li>
 * <li>{@code grid}: cells in the top {@value #TOP_PERCENT}% of non-empty cells by incident count
 *     ({@link TopShare#threshold}: the nearest-rank 95th percentile or above) holding at least
 *     {@value #MIN_GRID_COUNT} incidents.</li>
 * </ul>
 * This is the one place that decides what a hotspot is for the asset analyses.
 *
 * @param method     gistar or grid
 * @param rule       how the cells were chosen, in words
 * @param size       the cell size, metres
 * @param studyCells how many cells cover the study area
 * @param threshold  the grid method's minimum count (null for gistar)
 * @param cells      the hot cells, hottest first
 */
public record HotCells(String method, String rule, double size, int studyCells, Long threshold, List<Cell> cells) {
    public static final int MIN_GRID_COUNT = 3;
    public static final double TOP_PERCENT = 5;

    /** One hot cell: its grid position, centre (EPSG:27700), incident count and, for Gi*, z and bin. */
    public record Cell(int i, int j, double x, double y, long incidents, Double z, Integer bin) {
    }

    /** The hot cells of {@code counts} (on {@code grid}) by {@code method}. */
    static HotCells of(String method, SquareGrid grid, GridCounts counts) {
        List<Cell> cells = new ArrayList<>();
        if (method.equals("gistar")) {
            double band = GiStar.defaultBand(grid);
            GiStar.Result gi = GiStar.compute(counts, band);
            FalseDiscoveryRate.Bins bins = FalseDiscoveryRate.bins(gi.z(), gi.p(), true);
            for (int k = 0; k < counts.n(); k++) {
                if (bins.bin()[k] >= 2) cells.add(cell(counts, grid, k, gi.z()[k], bins.bin()[k]));
            }
            cells.sort(Comparator.comparing((Cell c) -> -c.z()).thenComparingInt(Cell::i).thenComparingInt(Cell::j));
            return new HotCells("gistar", "Getis-Ord Gi* bin ≥ 2 (hot, 95% confidence or more, FDR-corrected; band "
                    + band + " m, binary weights)", grid.size(), counts.n(), null, cells);
        }
        double[] nonEmpty = new double[counts.n()];
        int m = 0;
        for (int k = 0; k < counts.n(); k++) if (counts.count(k) > 0) nonEmpty[m++] = counts.count(k);
        long threshold = MIN_GRID_COUNT;
        if (m > 0) {
            long p95 = (long) TopShare.threshold(java.util.Arrays.copyOf(nonEmpty, m), TOP_PERCENT);
            threshold = Math.max(p95, MIN_GRID_COUNT);
        }
        for (int k = 0; k < counts.n(); k++) {
            if (counts.count(k) >= threshold) cells.add(cell(counts, grid, k, null, null));
        }
        cells.sort(Comparator.comparing((Cell c) -> -c.incidents()).thenComparingInt(Cell::i).thenComparingInt(Cell::j));
        return new HotCells("grid", "cells in the top 5% of non-empty cells by incident count (at least " + threshold
                + " incidents)", grid.size(), counts.n(), threshold, cells);
    }

    private static Cell cell(GridCounts counts, SquareGrid grid, int k, Double z, Integer bin) {
        int i = counts.i(k), j = counts.j(k);
        return new Cell(i, j, grid.centreX(i, j), grid.centreY(i, j), (long) counts.count(k), z, bin);
    }
}
