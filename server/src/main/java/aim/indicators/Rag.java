package aim.indicators;

/**
 * Red/amber/green status of a value against its target, in the indicator's good direction:
 * <b>green</b> when the value meets the target (at or below it when down is good, at or above it when up
 * is good); <b>amber</b> when it misses by no more than the tolerance (a percentage of the target's size,
 * default 10 %); <b>red</b> otherwise. No target or no value: no status (null).
 */
public final class Rag {
    public static final double DEFAULT_TOLERANCE_PERCENT = 10;
    public static final String RULE = "green: meets the target in the good direction; amber: misses it by at most the tolerance"
            + " (default 10 % of the target); red: misses it by more";

    private Rag() {
    }

    public static String status(Double value, Double target, double tolerancePercent, boolean upIsGood) {
        if (value == null || target == null) return null;
        double shortfall = upIsGood ? target - value : value - target;
        if (shortfall <= 0) return "green";
        return shortfall <= Math.abs(target) * tolerancePercent / 100 + 1e-9 ? "amber" : "red";
    }
}
