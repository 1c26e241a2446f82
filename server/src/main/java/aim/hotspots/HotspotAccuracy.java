package aim.hotspots;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;

/**
 * How well a hotspot map made from one period predicts where incidents happen in the next: the
 * predicted hotspot area is the top-ranked cells covering {@code share} % of the study area's cells;
 * the hit rate is n/N (test-period incidents inside those cells over all test-period incidents in the
 * study area) and the Predictive Accuracy Index (Chainey, Tompson &amp; Uhlig 2008) is
 * PAI = (n/N) / (a/A), with a the predicted area and A the study area, both in km² counted as whole
 * cells of the grid (the cells that intersect the study area). PAI = 1 is no better than chance.
 */
public final class HotspotAccuracy {
    public static final double DEFAULT_SHARE = 3;

    /**
     * @param method   what ranked the cells
     * @param cells    how many cells were chosen
     * @param a        their area, km²
     * @param areaAll  A, the study area's cells' area, km²
     * @param n        test incidents inside the chosen cells; when cells of equal score straddle the cut-off,
     *                 the expected number under a random order of the tied cells (see {@link #evaluate})
     * @param total    N, all test incidents in the study area
     */
    public record Result(String method, int cells, double a, double areaAll, double n, long total) {
        /** n/N, or NaN when the test period has no incidents. */
        public double hitRate() {
            return total == 0 ? Double.NaN : n / total;
        }

        /** (n/N)/(a/A), or NaN when undefined. */
        public double pai() {
            return total == 0 || a == 0 ? Double.NaN : hitRate() / (a / areaAll);
        }
    }

    /** The training window and the test window it is judged against. */
    public record Windows(LocalDate from, LocalDate to, LocalDate testFrom, LocalDate testTo) {
    }

    private HotspotAccuracy() {
    }

    /**
     * The test window: the given one, or else the period of the same length straight after the
     * training window; in whole months when the training window is whole calendar months (so
     * January–March is tested on April–June), else in days.
     */
    public static Windows windows(LocalDate from, LocalDate to, LocalDate testFrom, LocalDate testTo) {
        if (testFrom != null && testTo != null) return new Windows(from, to, testFrom, testTo);
        LocalDate start = testFrom != null ? testFrom : to.plusDays(1);
        boolean wholeMonths = from.getDayOfMonth() == 1 && to.equals(YearMonth.from(to).atEndOfMonth())
                && start.getDayOfMonth() == 1;
        LocalDate end;
        if (testTo != null) {
            end = testTo;
        } else if (wholeMonths) {
            long months = ChronoUnit.MONTHS.between(YearMonth.from(from), YearMonth.from(to)) + 1;
            end = YearMonth.from(start).plusMonths(months - 1).atEndOfMonth();
        } else {
            end = start.plusDays(ChronoUnit.DAYS.between(from, to));
        }
        return new Windows(from, to, start, end);
    }

    /**
     * Scores the top cells by {@code score} covering {@code share} % of the cells ({@link TopShare})
     * against the test-period counts per cell. Ties at the cut-off are shared, so that no method is
     * judged on the luck of cell order: when the last places go to some of a group of cells with equal
     * score, each cell of the group counts with the fraction of the group that fits (the expected
     * hits under a random order of the tied cells). With no tie at the cut-off this is the plain count.
     *
     * @param testTotal N: all test incidents in the study area (also those in no listed cell)
     */
    public static Result evaluate(String method, GridCounts trainingCells, double[] score, double[] testCounts, long testTotal, double share) {
        int n = trainingCells.n();
        int k = TopShare.count(n, share);
        double hits = 0;
        if (k > 0) {
            double[] sorted = score.clone();
            java.util.Arrays.sort(sorted);
            double cut = sorted[n - k];
            int above = 0, tied = 0;
            double tiedHits = 0;
            for (int at = 0; at < n; at++) {
                if (score[at] > cut) {
                    above++;
                    hits += testCounts[at];
                } else if (score[at] == cut) {
                    tied++;
                    tiedHits += testCounts[at];
                }
            }
            hits += tiedHits * (k - above) / tied;
        }
        double cellKm2 = trainingCells.grid().cellArea() / 1e6;
        return new Result(method, k, k * cellKm2, n * cellKm2, hits, testTotal);
    }
}
