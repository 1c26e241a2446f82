package aim.hotspots;

/**
 * Emerging hotspots: trends in hot and cold spots over time slices, following ArcGIS's Emerging Hot
 * Spot Analysis. Each slice gets its own Gi* with FDR-corrected bins over the same cells
 * ({@link GiStar}, {@link FalseDiscoveryRate}); each cell's series of Gi* z-scores gets a
 * Mann–Kendall trend test (the "intensity of clustering" ArcGIS tests); the cell is then classified
 * by the rules quoted in {@link #classify}. Differences from ArcGIS, documented: each slice's Gi* is
 * purely spatial (ArcGIS's space-time Gi* can also take neighbouring time steps in), and a slice is
 * a significant hot (cold) spot when its bin is +1 or more (−1 or less), i.e. at 90% confidence
 * after the FDR correction; a trend is significant at p &lt; {@value #TREND_ALPHA}.
 */
public final class EmergingHotspots {
    /** ArcGIS needs at least ten time steps for the trend test. */
    public static final int MIN_SLICES = 10;
    public static final int MAX_SLICES = 240;
    public static final double TREND_ALPHA = 0.05;

    /** The pattern names, as ArcGIS labels them (lower case). */
    public enum Pattern {
        NO_PATTERN("no pattern detected"),
        NEW_HOT("new hot spot"), CONSECUTIVE_HOT("consecutive hot spot"), INTENSIFYING_HOT("intensifying hot spot"),
        PERSISTENT_HOT("persistent hot spot"), DIMINISHING_HOT("diminishing hot spot"), SPORADIC_HOT("sporadic hot spot"),
        OSCILLATING_HOT("oscillating hot spot"), HISTORICAL_HOT("historical hot spot"),
        NEW_COLD("new cold spot"), CONSECUTIVE_COLD("consecutive cold spot"), INTENSIFYING_COLD("intensifying cold spot"),
        PERSISTENT_COLD("persistent cold spot"), DIMINISHING_COLD("diminishing cold spot"), SPORADIC_COLD("sporadic cold spot"),
        OSCILLATING_COLD("oscillating cold spot"), HISTORICAL_COLD("historical cold spot");

        public final String label;

        Pattern(String label) {
            this.label = label;
        }
    }

    /** One cell over the slices: its bins, its Gi* z trend, its count trend and its pattern. */
    public record CellTrend(int[] bins, double[] counts, MannKendall.Result trend, MannKendall.Result countTrend, Pattern pattern) {
    }

    private EmergingHotspots() {
    }

    /**
     * Classifies the cells of one analysis.
     *
     * @param sliceCounts counts per slice and cell ({@code [slice][cell]}), on the cells of {@code cells}
     */
    public static CellTrend[] analyse(GridCounts cells, double[][] sliceCounts, double band, boolean fdr) {
        int slices = sliceCounts.length, n = cells.n();
        double[][] z = new double[slices][];
        int[][] bins = new int[slices][];
        for (int t = 0; t < slices; t++) {
            GiStar.Result gi = GiStar.compute(cells.withCounts(sliceCounts[t]), band);
            z[t] = gi.z();
            bins[t] = FalseDiscoveryRate.bins(gi.z(), gi.p(), fdr).bin();
        }
        CellTrend[] result = new CellTrend[n];
        double[] zSeries = new double[slices], countSeries = new double[slices];
        for (int k = 0; k < n; k++) {
            int[] cellBins = new int[slices];
            for (int t = 0; t < slices; t++) {
                cellBins[t] = bins[t][k];
                zSeries[t] = z[t][k];
                countSeries[t] = sliceCounts[t][k];
            }
            MannKendall.Result trend = MannKendall.test(zSeries);
            result[k] = new CellTrend(cellBins, countSeries.clone(), trend, MannKendall.test(countSeries), classify(cellBins, trend));
        }
        return result;
    }

    /**
     * The pattern of one cell from its bins per slice (the last is the most recent time step) and
     * the Mann–Kendall trend of its Gi* z-scores.
     */
    public static Pattern classify(int[] bins, MannKendall.Result trend) {
        int last = bins.length - 1;
        int direction = trend.direction(TREND_ALPHA);
        // The most recent step decides the side: hot patterns other than "historical" need the
        // final step hot, cold ones cold. A final step of neither may be historical.
        if (bins[last] >= 1) return side(bins, 1, direction);
        if (bins[last] <= -1) return side(bins, -1, -direction);
        // "Historical Hot Spot: the most recent time period is not hot, but at least ninety percent
        // of the time-step intervals have been statistically significant hot spots."
        if (atLeastNinetyPercent(count(bins, 1, last + 1), bins.length)) return Pattern.HISTORICAL_HOT;
        if (atLeastNinetyPercent(count(bins, -1, last + 1), bins.length)) return Pattern.HISTORICAL_COLD;
        return Pattern.NO_PATTERN;
    }

    /**
     * The patterns of a location significant on side {@code sign} (+1 hot, −1 cold) in the final
     * step; {@code towards} is +1 when the trend significantly strengthens that side, −1 when it
     * significantly weakens it, 0 for no trend. Written for hot spots; cold spots mirror them.
     */
    private static Pattern side(int[] bins, int sign, int towards) {
        boolean hot = sign > 0;
        int n = bins.length, last = n - 1;
        int same = count(bins, sign, n);
        if (atLeastNinetyPercent(same, n)) {
            // "Intensifying Hot Spot: a statistically significant hot spot for ninety percent of the
            // time-step intervals, including the final time step. In addition, the intensity of
            // clustering of high counts in each time step is increasing overall and that increase is
            // statistically significant."
            if (towards > 0) return hot ? Pattern.INTENSIFYING_HOT : Pattern.INTENSIFYING_COLD;
            // "Diminishing Hot Spot: ... ninety percent of the time-step intervals, including the final
            // time step. In addition, the intensity of clustering in each time step is decreasing
            // overall and that decrease is statistically significant."
            if (towards < 0) return hot ? Pattern.DIMINISHING_HOT : Pattern.DIMINISHING_COLD;
            // "Persistent Hot Spot: a statistically significant hot spot for ninety percent of the
            // time-step intervals with no discernible trend indicating an increase or decrease in the
            // intensity of clustering over time."
            return hot ? Pattern.PERSISTENT_HOT : Pattern.PERSISTENT_COLD;
        }
        // "Oscillating Hot Spot: a statistically significant hot spot for the final time-step
        // interval that has a history of also being a statistically significant cold spot during a
        // prior time step. Less than ninety percent of the time-step intervals have been
        // statistically significant hot spots." ArcGIS's "new" and "consecutive" wording does not
        // exclude an earlier cold spot; where both fit we say oscillating, the more specific.
        if (count(bins, -sign, last) > 0) return hot ? Pattern.OSCILLATING_HOT : Pattern.OSCILLATING_COLD;
        // "New Hot Spot: a location that is a statistically significant hot spot for the final time
        // step and has never been a statistically significant hot spot before."
        if (same == 1) return hot ? Pattern.NEW_HOT : Pattern.NEW_COLD;
        // "Consecutive Hot Spot: a location with a single uninterrupted run of at least two
        // statistically significant hot spot bins in the final time-step intervals. The location has
        // never been a statistically significant hot spot prior to the final hot spot run and less
        // than ninety percent of all bins are statistically significant hot spots."
        int run = 0;
        while (run < n && bins[last - run] * sign >= 1) run++;
        if (run == same) return hot ? Pattern.CONSECUTIVE_HOT : Pattern.CONSECUTIVE_COLD;
        // "Sporadic Hot Spot: a statistically significant hot spot for the final time-step interval
        // with a history of also being an on-again and off-again hot spot. Less than ninety percent
        // of the time-step intervals have been statistically significant hot spots and none of the
        // time-step intervals have been statistically significant cold spots."
        return hot ? Pattern.SPORADIC_HOT : Pattern.SPORADIC_COLD;
    }

    /** How many of the first {@code upTo} slices are significant on side {@code sign}. */
    private static int count(int[] bins, int sign, int upTo) {
        int c = 0;
        for (int t = 0; t < upTo; t++) if (bins[t] * sign >= 1) c++;
        return c;
    }

    private static boolean atLeastNinetyPercent(int count, int n) {
        return count * 10 >= n * 9;
    }
}
