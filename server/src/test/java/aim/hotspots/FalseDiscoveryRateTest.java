package aim.hotspots;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Benjamini–Hochberg critical values against a hand computation, and the bins they give. */
class FalseDiscoveryRateTest {
    // m = 10 p-values, deliberately unsorted. Sorted: 0.0009 0.008 0.039 0.041 0.042 0.059 0.074 0.205 0.212 0.216
    static final double[] P = {0.212, 0.041, 0.0009, 0.205, 0.059, 0.008, 0.216, 0.042, 0.074, 0.039};

    @Test
    void criticalValuesByHand() {
        // α = 0.10: thresholds 0.01·k → k=1 .0009≤.01, k=2 .008≤.02, k=3 .039>.03, k=4 .041>.04,
        //   k=5 .042≤.05, k=6 .059≤.06, k=7 .074>.07, k=8…10 above → largest k = 6, critical p = 0.059
        assertEquals(0.059, FalseDiscoveryRate.criticalP(P, 0.10));
        // α = 0.05: thresholds 0.005·k → k=1 ✓, k=2 .008≤.010 ✓, k=3 .039>.015 … k=10 .216>.05 → 0.008
        assertEquals(0.008, FalseDiscoveryRate.criticalP(P, 0.05));
        // α = 0.01: thresholds 0.001·k → k=1 .0009≤.001 ✓, k=2 .008>.002, … → 0.0009
        assertEquals(0.0009, FalseDiscoveryRate.criticalP(P, 0.01));
        // nothing significant at all
        assertTrue(Double.isNaN(FalseDiscoveryRate.criticalP(new double[]{0.5, 0.2, 0.9}, 0.05)));
    }

    @Test
    void binsUseTheCriticalValuesAndTheSignOfZ() {
        double[] z = {1, -1, 1, 1, -1, 1, 1, -1, 1, -1};
        FalseDiscoveryRate.Bins fdr = FalseDiscoveryRate.bins(z, P, true);
        assertArrayEquals(new double[]{0.059, 0.008, 0.0009}, fdr.critical());
        // 0.212→0, 0.041→1, 0.0009→3, 0.205→0, 0.059→−1, 0.008→2, 0.216→0, 0.042→−1, 0.074→0, 0.039→−1
        assertArrayEquals(new int[]{0, -1, 3, 0, -1, 2, 0, -1, 0, -1}, fdr.bin());
        FalseDiscoveryRate.Bins raw = FalseDiscoveryRate.bins(z, P, false);
        assertArrayEquals(new double[]{0.10, 0.05, 0.01}, raw.critical());
        // raw: 0.041→2, 0.0009→3, 0.059→1, 0.008→3, 0.042→2, 0.074→1, 0.039→2
        assertArrayEquals(new int[]{0, -2, 3, 0, -1, 3, 0, -2, 1, -2}, raw.bin());
    }

    @Test
    void aZeroZScoreIsNeverABin() {
        FalseDiscoveryRate.Bins b = FalseDiscoveryRate.bins(new double[]{0}, new double[]{0}, false);
        assertEquals(0, b.bin()[0]);
    }
}
