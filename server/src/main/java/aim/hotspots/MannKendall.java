package aim.hotspots;

import java.util.Arrays;

/**
 * The Mann–Kendall trend test on a time series (Kendall 1975, as ArcGIS's space-time tools use it):
 * S = Σ_{k<l} sign(x_l − x_k); Var(S) = [m(m−1)(2m+5) − Σ_t t(t−1)(2t+5)] / 18 with the tie groups
 * of sizes t; z = (S − sign(S)) / √Var(S) (continuity correction); p two-sided from the standard
 * normal; Kendall's τ = S / (m(m−1)/2). A constant series has no trend (z = 0, p = 1).
 */
public final class MannKendall {

    public record Result(double s, double z, double p, double tau) {
        /** Whether the trend is significant at {@code alpha} and in which direction: +1, −1 or 0. */
        public int direction(double alpha) {
            if (!(p < alpha)) return 0;
            return z > 0 ? 1 : z < 0 ? -1 : 0;
        }
    }

    private MannKendall() {
    }

    public static Result test(double[] x) {
        int m = x.length;
        if (m < 2) return new Result(0, 0, 1, 0);
        long s = 0;
        for (int k = 0; k < m - 1; k++) {
            for (int l = k + 1; l < m; l++) s += Double.compare(x[l], x[k]) > 0 ? 1 : x[l] == x[k] ? 0 : -1;
        }
        // ties reduce the variance: subtract each group of t equal values' share
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double ties = 0;
        for (int a = 0; a < m; ) {
            int b = a;
            while (b + 1 < m && sorted[b + 1] == sorted[a]) b++;
            int t = b - a + 1;
            if (t > 1) ties += t * (t - 1.0) * (2.0 * t + 5);
            a = b + 1;
        }
        double variance = (m * (m - 1.0) * (2.0 * m + 5) - ties) / 18;
        double tau = s / (m * (m - 1) / 2.0);
        if (variance <= 0 || s == 0) return new Result(s, 0, 1, tau);
        double z = (s - Math.signum(s)) / Math.sqrt(variance);
        return new Result(s, z, GiStar.twoSidedP(z), tau);
    }
}
