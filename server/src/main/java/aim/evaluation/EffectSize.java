package aim.evaluation;

/**
 * The two measures of an intervention's effect, from before/after counts in the target area (a, b), the
 * control area (c, d) and the buffer around the target. Pure arithmetic; every answer is a finite number
 * or null, never NaN or infinity (so the JSON never holds them).
 *
 * <ul>
 *   <li><b>RES</b>, Farrington's relative effect size: (a·d)/(b·c). Above 1 the target fell relative to
 *       the control. Its 95 % interval is exp(ln RES ± 1.96·√(1/a + 1/b + 1/c + 1/d)) (Farrington et al.
 *       2007, "The Campbell Collaboration systematic review of CCTV"; Farrington &amp; Welsh). When a count is
 *       zero the formula divides by zero: then 0.5 is added to all four counts (the Haldane–Anscombe
 *       correction) and {@code zeroCorrection} says so. With no incidents in the target in both periods, or in
 *       the control in both periods, there is nothing to compare and RES is null.</li>
 *   <li><b>WDQ</b>, Bowers &amp; Johnson (2003) "Measuring the geographical displacement and diffusion of
 *       benefit effects of crime prevention activity", J. Quantitative Criminology 19(3):
 *       (B<sub>a</sub>/C<sub>a</sub> − B<sub>b</sub>/C<sub>b</sub>) / (T<sub>a</sub>/C<sub>a</sub> − T<sub>b</sub>/C<sub>b</sub>)
 *       (b: before, a: after). Null when the control has no incidents in a period (the ratios are undefined)
 *       or the denominator, the target's change relative to the control, is 0.</li>
 * </ul>
 */
public final class EffectSize {
    /** z for a two-sided 95 % interval. */
    static final double Z95 = 1.959963984540054;

    private EffectSize() {
    }

    /** Incidents in one zone before and after. */
    public record Counts(long before, long after) {
        public Counts {
            if (before < 0 || after < 0) throw new IllegalArgumentException("counts are never negative");
        }
    }

    /** RES with its 95 % interval (all null when undefined); zeroCorrection: 0.5 was added to every count. */
    public record Res(Double value, Double low, Double high, boolean zeroCorrection) {
    }

    /** Farrington's RES of target (a before, b after) against control (c before, d after). */
    public static Res res(Counts target, Counts control) {
        if (target.before() + target.after() == 0 || control.before() + control.after() == 0) {
            return new Res(null, null, null, false);
        }
        boolean zero = target.before() == 0 || target.after() == 0 || control.before() == 0 || control.after() == 0;
        double add = zero ? 0.5 : 0;
        double a = target.before() + add, b = target.after() + add, c = control.before() + add, d = control.after() + add;
        double ln = Math.log(a) + Math.log(d) - Math.log(b) - Math.log(c);
        double se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
        return new Res(finite(Math.exp(ln)), finite(Math.exp(ln - Z95 * se)), finite(Math.exp(ln + Z95 * se)), zero);
    }

    /** Bowers and Johnson's WDQ; null when the control is empty in a period or the target's relative change is 0. */
    public static Double wdq(Counts target, Counts buffer, Counts control) {
        if (control.before() == 0 || control.after() == 0) return null;
        double denominator = successMeasure(target, control);
        if (denominator == 0) return null;
        double numerator = (double) buffer.after() / control.after() - (double) buffer.before() / control.before();
        return finite(numerator / denominator);
    }

    /**
     * The WDQ's denominator, T_a/C_a − T_b/C_b: negative when the target fell relative to the control (the
     * WDQ is only read as displacement or diffusion then); null when the control is empty in a period.
     */
    public static Double successMeasure(Counts target, Counts control) {
        if (control.before() == 0 || control.after() == 0) return null;
        // compare exactly: (T_a·C_b − T_b·C_a) has the sign of the difference of the ratios
        long cross = Math.subtractExact(Math.multiplyExact(target.after(), control.before()),
                Math.multiplyExact(target.before(), control.after()));
        if (cross == 0) return 0.0;
        return (double) target.after() / control.after() - (double) target.before() / control.before();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
