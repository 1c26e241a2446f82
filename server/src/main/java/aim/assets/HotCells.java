package aim.assets;

import aim.hotspots.FalseDiscoveryRate;
import aim.hotspots.GiStar;
import aim.hotspots.GridCounts;
import aim.hotspots.HotspotFilter;
import aim.hotspots.HotspotRepository;
import aim.hotspots.SquareGrid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hotspot cells a gap analysis looks under, on square cells of the British National Grid
 * (EPSG:27700, {@code size} metres, cell (i, j) = [i·size, (i+1)·size) × [j·size, (j+1)·size)), counted by
 * the hotspot engine ({@link HotspotRepository#gridCounts}) over the shared {@link HotspotFilter}:
 * <ul>
 * <li>{@code gistar}: cells whose Getis-Ord Gi* bin is 2 or more (hot at 95% confidence or better, with the
 *     False Discovery Rate correction, the engine's default band of 1.5 cells);</li>
 * <li>{@code grid}: cells in the top 5% of non-empty cells by incident count (the nearest-rank 95th
 *     percentile or above) holding at least {@value #MIN_GRID_COUNT} incidents.</li>
 * </ul>
 * This is the one place that decides what a hotspot is for the asset analyses.
 */
final class HotCells {
    static final int MIN_GRID_COUNT = 3;
    static final double TOP_SHARE = 0.05;

    /** One hot cell: its grid position, centre (EPSG:27700), incident count and, for Gi*, z and bin. */
    record Cell(int i, int j, double x, double y, long incidents, Double z, Integer bin) {
    }

    /** The hot cells and how they were chosen; {@code threshold} is the grid method's minimum count. */
    record Result(String method, String rule, double size, int studyCells, Long threshold, List<Cell> cells) {
    }

    private final HotspotRepository hotspots;

    HotCells(HotspotRepository hotspots) {
        this.hotspots = hotspots;
    }

    Result find(HotspotFilter filter, String method, double size) {
        SquareGrid grid = new SquareGrid(size);
        GridCounts counts = hotspots.gridCounts(filter, grid);
        List<Cell> cells = new ArrayList<>();
        if (method.equals("gistar")) {
            double band = GiStar.defaultBand(grid);
            GiStar.Result gi = GiStar.compute(counts, band);
            FalseDiscoveryRate.Bins bins = FalseDiscoveryRate.bins(gi.z(), gi.p(), true);
            for (int k = 0; k < counts.n(); k++) {
                if (bins.bin()[k] >= 2) cells.add(cell(counts, grid, k, gi.z()[k], bins.bin()[k]));
            }
            cells.sort(java.util.Comparator.comparing((Cell c) -> -c.z()).thenComparingInt(Cell::i).thenComparingInt(Cell::j));
            return new Result("gistar", "Getis-Ord Gi* bin ≥ 2 (hot, 95% confidence or more, FDR-corrected; band "
                    + band + " m, binary weights)", size, counts.n(), null, cells);
        }
        long[] nonEmpty = new long[counts.n()];
        int m = 0;
        for (int k = 0; k < counts.n(); k++) if (counts.count(k) > 0) nonEmpty[m++] = (long) counts.count(k);
        long threshold = MIN_GRID_COUNT;
        if (m > 0) {
            long[] sorted = Arrays.copyOf(nonEmpty, m);
            Arrays.sort(sorted);
            // nearest-rank percentile: the smallest count with at least 95% of the non-empty cells at or below it
            long p95 = sorted[(int) Math.ceil((1 - TOP_SHARE) * m) - 1];
            threshold = Math.max(p95, MIN_GRID_COUNT);
        }
        for (int k = 0; k < counts.n(); k++) {
            if (counts.count(k) >= threshold) cells.add(cell(counts, grid, k, null, null));
        }
        cells.sort(java.util.Comparator.comparing((Cell c) -> -c.incidents()).thenComparingInt(Cell::i).thenComparingInt(Cell::j));
        return new Result("grid", "cells in the top 5% of non-empty cells by incident count (at least " + threshold
                + " incidents)", size, counts.n(), threshold, cells);
    }

    private static Cell cell(GridCounts counts, SquareGrid grid, int k, Double z, Integer bin) {
        int i = counts.i(k), j = counts.j(k);
        return new Cell(i, j, grid.centreX(i, j), grid.centreY(i, j), (long) counts.count(k), z, bin);
    }
}
