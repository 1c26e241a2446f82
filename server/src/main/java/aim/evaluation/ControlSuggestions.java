package aim.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The wards most like the target before the intervention, to be offered as its control: each series is
 * monthly counts over the before period; a series is described by its level (mean count per month) and
 * its trend (least-squares slope, incidents per month per month). Both are put on one scale by dividing
 * by their standard deviation across the candidates (1 when they all agree), and the candidates are
 * ranked by the Euclidean distance of (level, trend) to the target's, nearest first (ties by code).
 */
public final class ControlSuggestions {
    private ControlSuggestions() {
    }

    /** A candidate ward and its monthly counts in the before period (same months as the target's). */
    public record Candidate(String code, String name, long[] months) {
    }

    /** A suggested control ward: its level, trend and distance to the target on the standardised scale. */
    public record Suggestion(String code, String name, double level, double trend, double distance) {
    }

    public static List<Suggestion> rank(long[] target, List<Candidate> candidates, int k) {
        if (candidates.isEmpty()) return List.of();
        double targetLevel = level(target), targetTrend = trend(target);
        double[] levels = new double[candidates.size()], trends = new double[candidates.size()];
        for (int n = 0; n < candidates.size(); n++) {
            levels[n] = level(candidates.get(n).months());
            trends[n] = trend(candidates.get(n).months());
        }
        double levelScale = scale(levels), trendScale = scale(trends);
        List<Suggestion> out = new ArrayList<>();
        for (int n = 0; n < candidates.size(); n++) {
            double dl = (levels[n] - targetLevel) / levelScale, dt = (trends[n] - targetTrend) / trendScale;
            Candidate c = candidates.get(n);
            out.add(new Suggestion(c.code(), c.name(), round(levels[n]), round(trends[n]), round(Math.sqrt(dl * dl + dt * dt))));
        }
        out.sort(Comparator.comparingDouble(Suggestion::distance).thenComparing(Suggestion::code));
        return List.copyOf(out.subList(0, Math.min(k, out.size())));
    }

    /** Mean count per month (0 for no months). */
    static double level(long[] months) {
        if (months.length == 0) return 0;
        double sum = 0;
        for (long m : months) sum += m;
        return sum / months.length;
    }

    /** Least-squares slope of the counts against the month number 0, 1, …; 0 for fewer than two months. */
    static double trend(long[] months) {
        int n = months.length;
        if (n < 2) return 0;
        double meanX = (n - 1) / 2.0, meanY = level(months), sxy = 0, sxx = 0;
        for (int x = 0; x < n; x++) {
            sxy += (x - meanX) * (months[x] - meanY);
            sxx += (x - meanX) * (x - meanX);
        }
        return sxy / sxx;
    }

    /** Population standard deviation, or 1 when it is 0 (every candidate alike: the term then only adds raw differences). */
    private static double scale(double[] values) {
        double mean = 0;
        for (double v : values) mean += v;
        mean /= values.length;
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double sd = Math.sqrt(ss / values.length);
        return sd > 0 ? sd : 1;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
