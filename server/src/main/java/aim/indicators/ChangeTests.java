package aim.indicators;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The significance tests and intervals of the indicator table (counts use {@link aim.areas.PoissonChange}).
 *
 * <ul>
 *   <li><b>Two-proportion z test</b> for survey percentages p1 = x1/n1 and p2 = x2/n2 of two waves:
 *       pooled p = (x1 + x2)/(n1 + n2), z = (p1 − p2) / √(p(1 − p)(1/n1 + 1/n2)), two-sided p-value
 *       2(1 − Φ(|z|)); significant when below 0.05. (Agresti, <i>Categorical Data Analysis</i>, §2.2; the
 *       same as the χ² test without continuity correction, R's {@code prop.test(correct = FALSE)}.) With
 *       p = 0 or 1 in both waves there is no variation and the p-value is 1. Known limit: the normal
 *       approximation wants n·p and n·(1 − p) of at least about 5 in both waves.</li>
 *   <li><b>Wilson score interval</b> (95 %) of one wave's percentage, which stays inside 0–100 % and
 *       behaves for small n: (p + z²/2n ± z√(p(1 − p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964.</li>
 * </ul>
 */
public final class ChangeTests {
    public static final double ALPHA = 0.05;
    public static final String SURVEY_TEST = "two-proportion z test with pooled variance (no continuity correction), two-sided,"
            + " significant when p < 0.05; each wave's x = percentage × n / 100";
    public static final String SURVEY_INTERVAL = "Wilson score interval, 95 %";
    private static final NormalDistribution NORMAL = new NormalDistribution();
    private static final double Z95 = NORMAL.inverseCumulativeProbability(0.975);

    private ChangeTests() {
    }

    /** Two-sided p-value that two percentages (0–100) with sample sizes n1, n2 (> 0) come from one proportion. */
    public static double twoProportionP(double percent1, long n1, double percent2, long n2) {
        if (n1 <= 0 || n2 <= 0) throw new IllegalArgumentException("sample sizes must be positive");
        double p1 = percent1 / 100, p2 = percent2 / 100;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double variance = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
        if (!(variance > 0)) return 1.0;
        double z = (p1 - p2) / Math.sqrt(variance);
        return Math.min(1.0, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
    }

    /** The 95 % Wilson interval of a percentage (0–100) from a sample of n (> 0), as {low, high} percentages. */
    public static double[] wilson(double percent, long n) {
        if (n <= 0) throw new IllegalArgumentException("the sample size must be positive");
        double p = percent / 100, z2 = Z95 * Z95;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[]{Math.max(0, centre - half) * 100, Math.min(1, centre + half) * 100};
    }
}
