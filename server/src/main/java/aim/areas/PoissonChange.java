package aim.areas;

/**
 * Whether a count changed significantly between two periods: the exact conditional test for
 * comparing two Poisson counts. If the counts are Poisson with rates λ1, λ2 over exposures t1, t2
 * (period lengths in days), then given their total n = n1 + n2, n1 ~ Binomial(n, p) with
 * p = t1 / (t1 + t2) under the null hypothesis λ1 = λ2 (p = ½ for equal periods). The two-sided
 * p-value sums the probabilities of every outcome no more likely than the observed one (the
 * "minimum likelihood" rule of R's {@code binom.test}, with its relative tolerance of 1e-7), so for
 * p = ½ it is twice the smaller tail: 20 against 8 gives p ≈ 0.0357.
 *
 * <p>The populations are the same in both periods, so the test on counts is also the test on
 * rates. Known limit: like any Poisson model it ignores over-dispersion (incidents that come in
 * bursts), so it flags changes somewhat too readily for very clustered categories.
 *
 * @param pValue      two-sided p-value, 0 … 1
 * @param significant {@code pValue < }{@link #ALPHA}
 */
public record PoissonChange(long current, long previous, double pValue, boolean significant) {
    public static final double ALPHA = 0.05;
    public static final String TEST_NAME = "exact conditional binomial test for two Poisson counts"
            + " (n1 | n1+n2 ~ Binomial(n1+n2, t1/(t1+t2)), t = period length in days), two-sided, significant when p < 0.05";

    /**
     * @param current         count in the current period (n1)
     * @param currentLength   its length t1 (> 0; days)
     * @param previous        count in the previous period (n2)
     * @param previousLength  its length t2 (> 0; days)
     */
    public static PoissonChange test(long current, double currentLength, long previous, double previousLength) {
        if (current < 0 || previous < 0) throw new IllegalArgumentException("counts must not be negative");
        if (!(currentLength > 0) || !(previousLength > 0)) throw new IllegalArgumentException("period lengths must be positive");
        double p = twoSidedP(current, current + previous, currentLength / (currentLength + previousLength));
        return new PoissonChange(current, previous, p, p < ALPHA);
    }

    /**
     * Two-sided exact binomial p-value of {@code x} successes in {@code n} trials with success
     * probability {@code p} (0 < p < 1).
     */
    static double twoSidedP(long x, long n, double p) {
        if (n == 0) return 1.0;
        // Work with log-probabilities relative to the mode, built by the ratio
        // P(k+1)/P(k) = (n-k)/(k+1) · p/(1-p), so no factorials or gamma functions are needed and
        // nothing overflows. The distribution is unimodal: walking away from the mode on either side
        // the terms only fall, so each walk stops once the terms are e^-60 below the observed one
        // (what is left of that tail is then far below double precision of the result).
        double logOdds = Math.log(p) - Math.log1p(-p);
        long mode = Math.min(n, (long) Math.floor((n + 1) * p));
        double observed = logRelative(x, mode, n, logOdds);
        double threshold = observed + 1e-7; // log(1 + 1e-7): R's relative tolerance for ties
        double cutoff = observed - 60;

        // Sums are kept as exp(lw - observed) so that tail sums far below the mode stay representable.
        double below = 0, total = 0;
        double lw = 0;
        for (long k = mode; k <= n; k++) {
            if (k > mode) lw += Math.log((double) (n - k + 1) / k) + logOdds;
            if (lw < cutoff) break;
            double w = Math.exp(lw - observed);
            total += w;
            if (lw <= threshold) below += w;
        }
        lw = 0;
        for (long k = mode - 1; k >= 0; k--) {
            lw -= Math.log((double) (n - k) / (k + 1)) + logOdds;
            if (lw < cutoff) break;
            double w = Math.exp(lw - observed);
            total += w;
            if (lw <= threshold) below += w;
        }
        return Math.min(1.0, below / total);
    }

    /** log(P(k) / P(mode)) for Binomial(n, p). */
    private static double logRelative(long k, long mode, long n, double logOdds) {
        double lw = 0;
        if (k > mode) {
            for (long j = mode + 1; j <= k; j++) lw += Math.log((double) (n - j + 1) / j) + logOdds;
        } else {
            for (long j = mode - 1; j >= k; j--) lw -= Math.log((double) (n - j) / (j + 1)) + logOdds;
        }
        return lw;
    }
}
