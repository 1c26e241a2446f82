package aim.publicdata;

import java.util.Collection;

/**
 * Small-number suppression for published counts, pure.
 *
 * <p><b>Primary rule.</b> A base count (one area or grid cell, one calendar month, one non-sensitive
 * category) from 1 to {@code below − 1} is published as the text {@code "<below"} (with the default
 * {@code below} = 5: 1–4 become "&lt;5"); 0 and counts of at least {@code below} are published exactly.
 *
 * <p><b>Totals (the secondary rule).</b> Every other published number (an area's total over the months of
 * a window, a month's borough total, all categories together, a neighbourhood as the sum of its wards, a
 * grid cell over a window) is a {@link Value} summed from the suppressed base counts: a suppressed part
 * adds the range 1..below−1, so a total is exact only when none of its parts is suppressed, and otherwise
 * is published as the range its parts allow. A total therefore never says more than its published parts
 * already say, and no subtraction of published numbers (totals, differences of windows, all categories
 * minus the others) narrows a suppressed count below 1..below−1. We chose this over suppressing a second
 * cell because a second, exactly known cell can still be recovered when it is the threshold itself
 * (a suppressed 1 beside a withheld 5 in a row totalling 6).
 *
 * <p>A range is written so that it never shows a number under {@code below}: {@code "<N"} when it starts
 * under {@code below} (N is one more than its top), {@code "A–B"} otherwise.
 */
public final class Suppression {
    /** The smallest threshold accepted: 1 and 2 are always suppressed. */
    public static final int LEAST = 3;

    private final int below;

    /** {@code below}: counts from 1 to below − 1 are suppressed; at least {@value #LEAST}. */
    public Suppression(int below) {
        if (below < LEAST) throw new IllegalArgumentException("the suppression threshold must be at least " + LEAST + ", not " + below);
        this.below = below;
    }

    public int below() {
        return below;
    }

    /** What a published number is known to be: between {@code min} and {@code max} (equal when exact). */
    public record Value(long min, long max) {
        public static final Value ZERO = new Value(0, 0);

        public boolean exact() {
            return min == max;
        }

        public Value plus(Value o) {
            return new Value(min + o.min, max + o.max);
        }
    }

    /** A base count as published: exact, or 1..below−1 when suppressed. */
    public Value base(long count) {
        if (count < 0) throw new IllegalArgumentException("a count is never negative: " + count);
        return count >= 1 && count < below ? new Value(1, below - 1) : new Value(count, count);
    }

    /** The sum of published values (a total): exact only when every part is. */
    public static Value sum(Collection<Value> parts) {
        Value total = Value.ZERO;
        for (Value v : parts) total = total.plus(v);
        return total;
    }

    /**
     * The published form of a value: the number when exact (then 0 or at least {@code below}), else a text
     * that never shows a number under {@code below}: {@code "<5"}, {@code "<9"}, {@code "12–15"}.
     */
    public Object published(Value v) {
        if (v.exact()) {
            if (v.min() >= 1 && v.min() < below) throw new IllegalStateException("an exact count under the threshold: " + v.min());
            return v.min();
        }
        if (v.min() < below) return "<" + (v.max() + 1);
        return v.min() + "–" + v.max();
    }

    /** {@link #published} as text (CSV cells, the page). */
    public String text(Value v) {
        return String.valueOf(published(v));
    }
}
