package aim.hotspots;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TopShareTest {

    @Test
    void theTopShareIsTheCeilingOfTheShareOfCells() {
        assertEquals(1, TopShare.count(20, 5));
        assertEquals(2, TopShare.count(21, 5));
        assertEquals(3, TopShare.count(100, 3));
        assertEquals(4, TopShare.count(4, 150));
        assertEquals(0, TopShare.count(0, 5));
    }

    @Test
    void topCellsAreRankedHighestFirstWithTiesInCellOrder() {
        double[] v = {1, 5, 3, 5, 0, 2};
        assertArrayEquals(new int[]{1, 3, 2, 5, 0, 4}, TopShare.ranked(v));
        assertArrayEquals(new int[]{1, 3}, TopShare.top(v, 30)); // ⌈6 × 0.3⌉ = 2 cells
    }

    @Test
    void theThresholdIsTheNearestRankPercentileBelowTheTopShare() {
        // the nearest-rank 95th percentile: sorted[⌈0.95 m⌉ − 1], for every size of list
        for (int m = 1; m <= 400; m++) {
            double[] values = new double[m];
            for (int k = 0; k < m; k++) values[k] = (k * 7919L) % m;
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            assertEquals(sorted[(int) Math.ceil((1 - 0.05) * m) - 1], TopShare.threshold(values, 5), "m = " + m);
        }
    }
}
