package aim.areas;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact conditional (binomial) test for two Poisson counts, checked against hand computations
 * and against an exact big-number evaluation of the same definition.
 */
class PoissonChangeTest {

    @Test
    void twentyAgainstEightOverEqualPeriods() {
        // by hand: n = 28, p = 1/2, two-sided = 2 · Σ_{k=20}^{28} C(28,k) / 2^28
        //   Σ C(28,k), k = 20..28 = 3108105 + 1184040 + 376740 + 98280 + 20475 + 3276 + 378 + 28 + 1 = 4791323
        //   2 · 4791323 / 268435456 = 0.0356981381773949
        PoissonChange c = PoissonChange.test(20, 28, 8, 28);
        assertEquals(2.0 * 4_791_323 / 268_435_456, c.pValue(), 1e-12);
        assertEquals(0.035698, c.pValue(), 1e-6);
        assertTrue(c.significant());
        // symmetric: a fall is as significant as a rise
        assertEquals(c.pValue(), PoissonChange.test(8, 28, 20, 28).pValue(), 1e-12);
    }

    @Test
    void smallChangesAreNotSignificant() {
        // 12 vs 8: 2 · P(X ≥ 12 | n = 20) = 2 · 263950 / 1048576 = 0.50344
        PoissonChange c = PoissonChange.test(12, 30, 8, 30);
        assertEquals(2.0 * 263_950 / 1_048_576, c.pValue(), 1e-12);
        assertFalse(c.significant());
        assertEquals(1.0, PoissonChange.test(10, 7, 10, 7).pValue(), 1e-12);
        assertEquals(1.0, PoissonChange.test(0, 7, 0, 7).pValue(), 0);
        assertFalse(PoissonChange.test(0, 7, 0, 7).significant());
        // 5 vs 0: 2 · (1/2)^5 = 0.0625, not significant
        assertEquals(0.0625, PoissonChange.test(5, 10, 0, 10).pValue(), 1e-12);
        // 6 vs 0: 2 · (1/2)^6 = 0.03125, significant
        assertTrue(PoissonChange.test(6, 10, 0, 10).significant());
    }

    @Test
    void unequalPeriodsWeightTheBinomial() {
        // April–June 2025 (91 days) against January–March 2025 (90 days), p = 91/181.
        // Minimum-likelihood two-sided p, the rule of R's binom.test, evaluated by hand in exact
        // rational arithmetic: 3 of 13 with p = 91/181 gives 0.0560675313
        assertEquals(0.0560675313, PoissonChange.test(3, 91, 10, 90).pValue(), 1e-9);
        // 10 of 13 with p = 31/61 (31 days against 30): 0.0928481286
        assertEquals(0.0928481286, PoissonChange.test(10, 31, 3, 30).pValue(), 1e-9);
        for (int[] c : new int[][]{{3, 10}, {10, 3}, {0, 7}, {25, 40}, {57, 31}, {1, 0}}) {
            assertEquals(exact(c[0], c[0] + c[1], 91, 181).doubleValue(), PoissonChange.test(c[0], 91, c[1], 90).pValue(), 1e-12,
                    c[0] + " vs " + c[1]);
        }
    }

    @Test
    void largeCountsStayFiniteAndAccurate() {
        // 1,100 vs 1,000 over equal periods: z ≈ 100 / sqrt(2100) ≈ 2.18, p ≈ 0.03
        double p = PoissonChange.test(1_100, 365, 1_000, 365).pValue();
        assertEquals(exact(1_100, 2_100, 1, 2).doubleValue(), p, 1e-12);
        assertTrue(p > 0.02 && p < 0.04, "p = " + p);
        double tiny = PoissonChange.test(50_000, 365, 40_000, 365).pValue();
        assertTrue(tiny >= 0 && tiny < 1e-100, "p = " + tiny);
        assertTrue(PoissonChange.test(50_000, 365, 40_000, 365).significant());
        double none = PoissonChange.test(400_000, 365, 400_000, 365).pValue();
        assertEquals(1.0, none, 1e-9);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> PoissonChange.test(-1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> PoissonChange.test(1, 0, 0, 1));
        assertTrue(PoissonChange.TEST_NAME.contains("binomial"));
    }

    /**
     * The definition evaluated exactly with big numbers: the sum of P(k) over every k with
     * P(k) ≤ P(x)·(1 + 1e-7), for Binomial(n, a/b).
     */
    private static BigDecimal exact(int x, int n, int a, int b) {
        BigInteger[] weights = new BigInteger[n + 1];
        // P(k) ∝ C(n,k) a^k (b-a)^(n-k); the common denominator b^n cancels
        BigInteger total = BigInteger.ZERO;
        for (int k = 0; k <= n; k++) {
            weights[k] = binomial(n, k).multiply(BigInteger.valueOf(a).pow(k)).multiply(BigInteger.valueOf(b - a).pow(n - k));
            total = total.add(weights[k]);
        }
        BigDecimal limit = new BigDecimal(weights[x]).multiply(new BigDecimal("1.0000001"));
        BigInteger below = BigInteger.ZERO;
        for (BigInteger w : weights) if (new BigDecimal(w).compareTo(limit) <= 0) below = below.add(w);
        return new BigDecimal(below).divide(new BigDecimal(total), MathContext.DECIMAL64);
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 1; i <= k; i++) r = r.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        return r;
    }
}
