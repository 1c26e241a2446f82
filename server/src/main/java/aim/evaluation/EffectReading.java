package aim.evaluation;

import java.util.Locale;

/**
 * What RES and WDQ say, in plain words, following Bowers and Johnson (2003): the WDQ is read only when the
 * target improved relative to the control (its denominator, the success measure, is negative); then
 * <ul>
 *   <li>WDQ &gt; 1: diffusion of benefits greater than the direct effect ({@code diffusion-exceeds});</li>
 *   <li>0 &lt; WDQ ≤ 1: diffusion of benefits to the buffer ({@code diffusion});</li>
 *   <li>WDQ = 0: neither displacement nor diffusion ({@code no-displacement});</li>
 *   <li>−1 ≤ WDQ &lt; 0: some displacement, smaller than the direct benefit ({@code displacement});</li>
 *   <li>WDQ &lt; −1: displacement greater than the direct benefit ({@code displacement-exceeds}).</li>
 * </ul>
 * Otherwise the reading is {@code no-improvement} (the target did not fall relative to the control) or
 * {@code undefined} (no WDQ: an empty control period, or no change relative to the control).
 *
 * @param reading one of the codes above
 * @param text    the whole reading in plain words (RES first, then the WDQ)
 */
public record EffectReading(String reading, String text) {

    public static EffectReading of(EffectSize.Counts target, EffectSize.Counts buffer, EffectSize.Counts control,
                                   EffectSize.Res res, Double wdq) {
        String resText = resText(res);
        Double success = EffectSize.successMeasure(target, control);
        String reading;
        String wdqText;
        if (success == null) {
            reading = "undefined";
            wdqText = "Displacement cannot be judged: the control area had no incidents in "
                    + (control.before() == 0 && control.after() == 0 ? "either period." : control.before() == 0 ? "the before period." : "the after period.");
        } else if (success == 0) {
            reading = "undefined";
            wdqText = "Displacement cannot be judged: the target changed exactly as the control did.";
        } else if (success > 0) {
            reading = "no-improvement";
            wdqText = "The target did not improve relative to the control, so there is no benefit to displace"
                    + " (WDQ " + format(wdq) + " is not read).";
        } else if (wdq > 1) {
            reading = "diffusion-exceeds";
            wdqText = "Diffusion of benefits: the buffer improved relative to the control by more than the target did (WDQ "
                    + format(wdq) + ").";
        } else if (wdq > 0) {
            reading = "diffusion";
            wdqText = "Diffusion of benefits: the buffer improved relative to the control as well (WDQ " + format(wdq) + ").";
        } else if (wdq == 0) {
            reading = "no-displacement";
            wdqText = "No displacement and no diffusion: the buffer kept pace with the control (WDQ 0).";
        } else if (wdq >= -1) {
            reading = "displacement";
            wdqText = "Some displacement into the buffer, smaller than the fall in the target: a net benefit (WDQ "
                    + format(wdq) + ").";
        } else {
            reading = "displacement-exceeds";
            wdqText = "Displacement into the buffer greater than the fall in the target: the problem moved next door (WDQ "
                    + format(wdq) + ").";
        }
        return new EffectReading(reading, resText + " " + wdqText);
    }

    private static String resText(EffectSize.Res res) {
        if (res.value() == null) return "No relative effect size: the target or the control had no incidents in either period.";
        String interval = "RES " + format(res.value()) + " (95% interval " + format(res.low()) + " to " + format(res.high()) + ")";
        String correction = res.zeroCorrection() ? ", with 0.5 added to every count because one is zero" : "";
        String meaning;
        if (res.low() > 1) meaning = "the target fell relative to the control, beyond chance.";
        else if (res.high() < 1) meaning = "the target rose relative to the control, beyond chance.";
        else if (res.value() > 1) meaning = "the target fell relative to the control, but within chance.";
        else if (res.value() < 1) meaning = "the target rose relative to the control, but within chance.";
        else meaning = "the target changed as the control did.";
        return interval + correction + ": " + meaning;
    }

    static String format(Double v) {
        if (v == null) return "none";
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
