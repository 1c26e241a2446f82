package aim.hotspots;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MannKendallTest {

    @Test
    void increasingSeriesIsASignificantPositiveTrend() {
        double[] x = new double[12];
        for (int k = 0; k < x.length; k++) x[k] = k * 1.5 + (k % 3) * 0.1;
        MannKendall.Result r = MannKendall.test(x);
        // S = 66 (every pair increases), Var = 12·11·29/18 = 212.67, z = 65/√212.67 = 4.457
        assertEquals(66, r.s());
        assertEquals(65 / Math.sqrt(12 * 11 * 29 / 18.0), r.z(), 1e-12);
        assertTrue(r.p() < 1e-5);
        assertEquals(1, r.tau(), 1e-15);
        assertEquals(1, r.direction(0.05));
    }

    @Test
    void decreasingSeriesIsASignificantNegativeTrend() {
        MannKendall.Result r = MannKendall.test(new double[]{9, 8, 8, 7, 5, 6, 4, 3, 2, 1});
        assertTrue(r.z() < -3);
        assertEquals(-1, r.direction(0.05));
    }

    @Test
    void constantSeriesHasNoTrend() {
        MannKendall.Result r = MannKendall.test(new double[]{3, 3, 3, 3, 3, 3, 3, 3, 3, 3});
        assertEquals(0, r.s());
        assertEquals(0, r.z());
        assertEquals(1, r.p());
        assertEquals(0, r.direction(0.05));
    }

    @Test
    void smallSeriesByHand() {
        // 1 2 3 4 5: S = 10, Var = 5·4·15/18 = 16.667, z = 9/√16.667 = 2.2045, p = 0.0275
        MannKendall.Result r = MannKendall.test(new double[]{1, 2, 3, 4, 5});
        assertEquals(10, r.s());
        assertEquals(9 / Math.sqrt(300 / 18.0), r.z(), 1e-12);
        assertEquals(0.02749, r.p(), 1e-5);
        // with ties 1 1 2 2 3: S = 8; two tie groups of 2 take 2·(2·1·9) = 36: Var = (300 − 36)/18
        MannKendall.Result tied = MannKendall.test(new double[]{1, 1, 2, 2, 3});
        assertEquals(8, tied.s());
        assertEquals(7 / Math.sqrt(264 / 18.0), tied.z(), 1e-12);
    }

    @Test
    void noTrendInAnOscillatingSeries() {
        MannKendall.Result r = MannKendall.test(new double[]{1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5});
        assertEquals(0, r.direction(0.05));
    }
}
