package aim.hotspots;

import aim.hotspots.EmergingHotspots.Pattern;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pattern rules of ArcGIS's Emerging Hot Spot Analysis on crafted bin sequences (the last is the most recent step). */
class EmergingHotspotsTest {
    static final MannKendall.Result NONE = new MannKendall.Result(0, 0, 1, 0);
    static final MannKendall.Result UP = new MannKendall.Result(30, 3.2, 0.0014, 0.66);
    static final MannKendall.Result DOWN = new MannKendall.Result(-30, -3.2, 0.0014, -0.66);

    static Pattern classify(MannKendall.Result trend, int... bins) {
        return EmergingHotspots.classify(bins, trend);
    }

    static int[] negate(int[] bins) {
        return Arrays.stream(bins).map(b -> -b).toArray();
    }

    @Test
    void hotPatterns() {
        assertEquals(Pattern.NEW_HOT, classify(NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2));
        assertEquals(Pattern.CONSECUTIVE_HOT, classify(NONE, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3));
        assertEquals(Pattern.CONSECUTIVE_HOT, classify(UP, 0, 0, 1, 1, 1, 1, 1, 1, 2, 3), "8 of 10 is under 90%");
        assertEquals(Pattern.INTENSIFYING_HOT, classify(UP, 1, 1, 2, 0, 2, 2, 3, 3, 3, 3));
        assertEquals(Pattern.PERSISTENT_HOT, classify(NONE, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2));
        assertEquals(Pattern.DIMINISHING_HOT, classify(DOWN, 3, 3, 3, 3, 2, 2, 2, 1, 0, 1));
        assertEquals(Pattern.SPORADIC_HOT, classify(NONE, 0, 1, 0, 0, 2, 0, 0, 0, 0, 1));
        assertEquals(Pattern.SPORADIC_HOT, classify(NONE, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1), "a final run after an earlier hot spot");
        assertEquals(Pattern.OSCILLATING_HOT, classify(NONE, 0, -2, 0, 0, 1, 0, -1, 0, 0, 2));
        assertEquals(Pattern.OSCILLATING_HOT, classify(NONE, -1, 0, 0, 0, 0, 0, 0, 0, 0, 3), "hot for the first time after a cold spot");
        assertEquals(Pattern.HISTORICAL_HOT, classify(NONE, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0));
        assertEquals(Pattern.HISTORICAL_HOT, classify(DOWN, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0));
    }

    @Test
    void coldPatternsMirrorTheHotOnes() {
        int[][] sequences = {
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, {0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, {1, 1, 2, 0, 2, 2, 3, 3, 3, 3},
                {2, 2, 2, 2, 0, 2, 2, 2, 2, 2}, {3, 3, 3, 3, 2, 2, 2, 1, 0, 1}, {0, 1, 0, 0, 2, 0, 0, 0, 0, 1},
                {0, -2, 0, 0, 1, 0, -1, 0, 0, 2}, {3, 3, 3, 3, 3, 3, 3, 3, 3, 0}};
        MannKendall.Result[] trends = {NONE, NONE, UP, NONE, DOWN, NONE, NONE, NONE};
        Pattern[] cold = {Pattern.NEW_COLD, Pattern.CONSECUTIVE_COLD, Pattern.INTENSIFYING_COLD, Pattern.PERSISTENT_COLD,
                Pattern.DIMINISHING_COLD, Pattern.SPORADIC_COLD, Pattern.OSCILLATING_COLD, Pattern.HISTORICAL_COLD};
        for (int s = 0; s < sequences.length; s++) {
            // a cold spot intensifies when its z-scores fall: the trend mirrors too
            MannKendall.Result t = trends[s];
            MannKendall.Result mirrored = new MannKendall.Result(-t.s(), -t.z(), t.p(), -t.tau());
            assertEquals(cold[s], EmergingHotspots.classify(negate(sequences[s]), mirrored), Arrays.toString(sequences[s]));
        }
    }

    @Test
    void noPattern() {
        assertEquals(Pattern.NO_PATTERN, classify(NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(Pattern.NO_PATTERN, classify(UP, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0), "hot once, not in the most recent step");
        assertEquals(Pattern.NO_PATTERN, classify(NONE, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0), "8 of 10 is not historical");
    }

    @Test
    void ninetyPercentIsOfAllSlices() {
        // 11 of 12 hot (91.7%) is persistent; 10 of 12 (83.3%) is not
        assertEquals(Pattern.PERSISTENT_HOT, classify(NONE, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        assertEquals(Pattern.SPORADIC_HOT, classify(NONE, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1));
        // a trend that is not significant at 0.05 does not intensify
        assertEquals(Pattern.PERSISTENT_HOT, classify(new MannKendall.Result(10, 1.5, 0.13, 0.2), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
    }

    @Test
    void analyseFindsANewHotSpotInTheLastSlice() {
        int w = 7, slices = 12, n = w * w, centre = 3 * w + 3;
        double[][] counts = new double[slices][n];
        for (int t = 0; t < slices; t++) for (int k = 0; k < n; k++) counts[t][k] = 1 + (k + t) % 2;
        counts[slices - 1][centre] = 40;
        GridCounts cells = GiStarTest.block(new SquareGrid(250), 10, 20, w, w, new double[n]);
        EmergingHotspots.CellTrend[] trends = EmergingHotspots.analyse(cells, counts, 100, true); // the cell alone
        assertEquals(Pattern.NEW_HOT, trends[centre].pattern());
        assertEquals(3, trends[centre].bins()[slices - 1]);
        assertEquals(40, trends[centre].counts()[slices - 1]);
        for (int k = 0; k < n; k++) if (k != centre) assertEquals(Pattern.NO_PATTERN, trends[k].pattern(), "cell " + k);
    }

    @Test
    void monthAndFinancialQuarterSlices() {
        TimeSlices months = TimeSlices.of("month", LocalDate.of(2024, 1, 15), LocalDate.of(2024, 12, 3));
        assertEquals(12, months.size());
        assertEquals(LocalDate.of(2024, 1, 1), months.from());
        assertEquals(LocalDate.of(2024, 12, 31), months.to());
        assertEquals("2024-03", months.slices().get(2).label());
        // boundaries are local midnights: 1 January is GMT, 1 July is BST (23:00 UTC the day before)
        assertEquals(13, months.boundaries().size());
        assertEquals(java.time.Instant.parse("2024-01-01T00:00:00Z"), months.boundaries().get(0));
        assertEquals(java.time.Instant.parse("2024-06-30T23:00:00Z"), months.boundaries().get(6));
        assertEquals(java.time.Instant.parse("2025-01-01T00:00:00Z"), months.boundaries().get(12));

        TimeSlices quarters = TimeSlices.of("quarter", LocalDate.of(2022, 5, 1), LocalDate.of(2025, 2, 1));
        assertEquals("Q1 22/23", quarters.slices().get(0).label());
        assertEquals(LocalDate.of(2022, 4, 1), quarters.from());
        assertEquals(LocalDate.of(2025, 3, 31), quarters.to());
        assertEquals(12, quarters.size());
        // January 2023 is Q4 of 2022/23, the fourth slice
        assertEquals("Q4 22/23", quarters.slices().get(3).label());
        assertEquals(LocalDate.of(2023, 1, 1), quarters.slices().get(3).from());
        assertEquals(java.time.Instant.parse("2023-01-01T00:00:00Z"), quarters.boundaries().get(3));

        TimeSlices byDefault = TimeSlices.defaultWindow("quarter", null, null, LocalDate.of(2025, 5, 20));
        assertEquals(12, byDefault.size());
        assertEquals(LocalDate.of(2025, 3, 31), byDefault.to(), "ends with the last complete quarter");
        assertEquals(24, TimeSlices.defaultWindow("month", null, null, LocalDate.of(2025, 5, 20)).size());
    }
}
