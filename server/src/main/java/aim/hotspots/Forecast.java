package aim.hotspots;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where incidents are expected next: a family of candidate maps, each a score per cell made from the
 * months before an origin, and a rolling-origin backtest that picks the one that has predicted best.
 *
 * <p>The backtest: for each of the last {@code folds} periods of {@code horizon} months before the
 * origin, every candidate is made from the months before that period only and judged on it: the top
 * {@code share} % of the study area's cells by score ({@link TopShare}) against the period's incidents,
 * as hit rate and PAI ({@link HotspotAccuracy}). The winner is the simplest candidate (the order of
 * {@link #candidates}: the naive count map first) that cannot be told from the one with the best
 * mean PAI over the folds ({@link #indistinguishable}: the one-standard-error rule). So the forecast is the naive map unless
 * another candidate has predicted better in this very selection. A fold counts only when its period
 * holds incidents and the 12 months before it do too; fewer than {@link #MIN_FOLDS} such folds is not
 * enough history, and the forecast is then the naive map.
 *
 * <p>All in memory over whole months ({@code months[m][cell]}, month 0 the oldest), so police.uk's
 * month-precise rows count in full; exact-time incidents (council, wardens) also come as decayed sums
 * before each month start for the near-repeat term ({@link RecentCounts}).
 */
public final class Forecast {
    /** Months of lookback the longest candidate uses. */
    public static final int LOOKBACK = 12;
    public static final int MIN_FOLDS = 3;
    public static final int DEFAULT_FOLDS = 6;
    public static final int MAX_FOLDS = 12;
    /** Candidates whose mean PAI is within this share of the best are tied with it (ties go to the simplest). */
    public static final double TIE = 0.01;
    /** Days of exact-time incidents the near-repeat term looks back. */
    public static final int NEAR_REPEAT_DAYS = 56;
    /** The near-repeat term's expected repeats per incident (its branching ratio). */
    public static final double BRANCHING = 0.5;
    /** Mean days in a month, for the near-repeat term's horizon. */
    private static final double MONTH_DAYS = 30.44;

    private Forecast() {
    }

    /** The decay times (days) of the near-repeat term: each is a candidate. */
    static final double[] DECAY_DAYS = {7, 30};

    /**
     * Exact-time incidents shortly before each month start, exponentially decayed:
     * {@code decayed[m][d][cell]} = Σ n·e^(−(a − ½)/τ_d) over the cell's incidents a = 1…{@link #NEAR_REPEAT_DAYS}
     * days before month m's first day (τ from {@link #DECAY_DAYS}); null for months not read.
     */
    public record RecentCounts(double[][][] decayed) {
        public static final RecentCounts NONE = new RecentCounts(new double[0][][]);

        /** Whether any exact-time incident was read. */
        public boolean isEmpty() {
            for (double[][] month : decayed) {
                if (month == null) continue;
                for (double[] byCell : month) for (double v : byCell) if (v > 0) return false;
            }
            return true;
        }

        /** The database's sums ({@link HotspotRepository#recentExactTimeSums}) on the study cells, for {@code starts} month starts. */
        public static RecentCounts of(GridCounts cells, HotspotRepository.RecentSums sums, int starts) {
            double[][][] decayed = new double[starts][][];
            for (int r = 0; r < sums.start().length; r++) {
                int at = cells.indexOf(sums.ci()[r], sums.cj()[r]);
                if (at < 0) continue;
                double[][] month = decayed[sums.start()[r]];
                if (month == null) month = decayed[sums.start()[r]] = new double[DECAY_DAYS.length][cells.n()];
                for (int d = 0; d < DECAY_DAYS.length; d++) month[d][at] += sums.sums()[r][d];
            }
            return new RecentCounts(decayed);
        }

        /**
         * The same sums from incidents listed one by one ({@code n[e]} incidents in cell {@code cell[e]} on day
         * {@code day[e]}, days from month 0's first day; {@code monthDays[m]} is month m's first day): the
         * reference the database's sums are tested against, and what synthetic tests use.
         */
        public static RecentCounts of(int cells, int[] cell, int[] day, int[] n, int[] monthDays) {
            double[][][] decayed = new double[monthDays.length][DECAY_DAYS.length][cells];
            for (int m = 0; m < monthDays.length; m++) {
                for (int e = 0; e < cell.length; e++) {
                    int age = monthDays[m] - day[e];
                    if (age < 1 || age > NEAR_REPEAT_DAYS) continue;
                    for (int d = 0; d < DECAY_DAYS.length; d++) decayed[m][d][cell[e]] += n[e] * Math.exp(-(age - 0.5) / DECAY_DAYS[d]);
                }
            }
            return new RecentCounts(decayed);
        }
    }

    /**
     * The history a forecast is made from.
     *
     * @param cells  the study area's cells
     * @param months counts per whole month and cell, {@code [month][cell]}, month 0 the oldest
     * @param recent exact-time incidents before each month start ({@link RecentCounts#NONE} when none or not read)
     */
    public record History(GridCounts cells, double[][] months, RecentCounts recent) {
        /** Counts per cell over months [end − length, end), clipped at month 0. */
        double[] counts(int end, int length) {
            double[] sum = new double[cells.n()];
            for (int m = Math.max(0, end - length); m < end; m++) {
                double[] row = months[m];
                for (int k = 0; k < sum.length; k++) sum[k] += row[k];
            }
            return sum;
        }
    }

    /** Makes a score per cell from the history before month {@code end}. */
    @FunctionalInterface
    interface Scorer {
        double[] score(History history, int end, Fold cache);
    }

    /**
     * One candidate map.
     *
     * @param id     a stable name, e.g. {@code counts-3m}, {@code kde-500m}
     * @param family counts, time-weighted, kde, gistar, blend or near-repeat
     * @param label  what it is in words
     */
    public record Candidate(String id, String family, String label, Scorer scorer) {
    }

    /** A candidate's backtest: hit rate and PAI per fold (NaN where the fold did not count). */
    public record Scored(Candidate candidate, double[] pai, double[] hitRate) {
        public double meanPai() {
            return mean(pai);
        }

        public double sdPai() {
            return sd(pai);
        }

        public double meanHitRate() {
            return mean(hitRate);
        }

        public double sdHitRate() {
            return sd(hitRate);
        }
    }

    /**
     * @param testMonths the first month of each fold's test period (month indexes, newest first)
     * @param incidents  incidents in each fold's test period
     * @param counted    whether each fold counted
     * @param ranked     every candidate, best mean PAI first
     * @param winner     the chosen candidate (the naive map when there is not enough history)
     * @param naive      the naive count map
     */
    public record Backtest(int[] testMonths, long[] incidents, boolean[] counted, List<Scored> ranked, Scored winner,
                           Scored naive) {
        public int foldsCounted() {
            int n = 0;
            for (boolean c : counted) if (c) n++;
            return n;
        }

        public boolean enoughHistory() {
            return foldsCounted() >= MIN_FOLDS;
        }
    }

    /** Per-fold memory, so the candidates of one fold share their kernel densities. */
    static final class Fold {
        private final Map<String, double[]> computed = new HashMap<>();

        double[] get(String key, java.util.function.Supplier<double[]> compute) {
            return computed.computeIfAbsent(key, k -> compute.get());
        }
    }

    /**
     * The candidates, simplest first: the naive map (counts over the selection's {@code naiveMonths}),
     * the same with equal counts ranked by kernel density, counts over the last 1, 3, 6 and 12 months, time-weighted counts, quartic kernel densities of
     * the naive counts, their Gi* z-scores, blends of counts and density, and, when {@code exactTime},
     * the self-exciting near-repeat form.
     */
    public static List<Candidate> candidates(int naiveMonths, Grid grid, boolean exactTime) {
        List<Candidate> list = new ArrayList<>();
        list.add(new Candidate("naive", "counts", String.format(Locale.ROOT, "Counts over the selection (%d month%s)",
                naiveMonths, naiveMonths == 1 ? "" : "s"), (h, end, f) -> h.counts(end, naiveMonths)));
        // counts stay in their order (the density term is below one), and cells of equal count go by density
        list.add(new Candidate("naive-ties-kde", "counts", "Counts over the selection, equal counts ranked by kernel density",
                (h, end, f) -> plus(h.counts(end, naiveMonths), scaled(density(h, end, naiveMonths, f, null)), 0.5)));
        for (int months : new int[]{1, 3, 6, 12}) {
            if (months == naiveMonths) continue;
            list.add(new Candidate("counts-" + months + "m", "counts", String.format(Locale.ROOT,
                    "Counts over the last %d month%s", months, months == 1 ? "" : "s"), (h, end, f) -> h.counts(end, months)));
        }
        for (double halfLife : new double[]{1, 2, 4}) {
            list.add(new Candidate(String.format(Locale.ROOT, "weighted-%.0fm", halfLife), "time-weighted",
                    String.format(Locale.ROOT, "Counts over 12 months, each month's weight halving every %.0f month%s back",
                            halfLife, halfLife == 1 ? "" : "s"), (h, end, f) -> timeWeighted(h, end, halfLife)));
        }
        list.add(new Candidate("kde-default", "kde", "Kernel density of the selection's counts, data-driven bandwidth",
                (h, end, f) -> density(h, end, naiveMonths, f, null)));
        for (int cellsWide : new int[]{2, 4, 8}) {
            double bandwidth = cellsWide * grid.size();
            list.add(new Candidate(String.format(Locale.ROOT, "kde-%.0fm", bandwidth), "kde",
                    String.format(Locale.ROOT, "Kernel density of the selection's counts, bandwidth %.0f m", bandwidth),
                    (h, end, f) -> density(h, end, naiveMonths, f, bandwidth)));
        }
        list.add(new Candidate("gistar", "gistar", "Gi* z-scores of the selection's counts (default band)", (h, end, f) -> {
            GridCounts counts = h.cells().withCounts(h.counts(end, naiveMonths));
            return GiStar.compute(counts, GiStar.defaultBand(grid)).z();
        }));
        for (double weight : new double[]{0.25, 1}) {
            list.add(new Candidate(String.format(Locale.ROOT, "blend-%.2f", weight), "blend", String.format(Locale.ROOT,
                    "Selection's counts plus %s × kernel density (data-driven bandwidth), each scaled to its maximum",
                    weight == 1 ? "1" : "0.25"), (h, end, f) -> plus(scaled(h.counts(end, naiveMonths)),
                    scaled(density(h, end, naiveMonths, f, null)), weight)));
        }
        if (exactTime) {
            for (boolean smooth : new boolean[]{false, true}) {
                for (int d = 0; d < DECAY_DAYS.length; d++) {
                    int decay = d;
                    list.add(new Candidate(String.format(Locale.ROOT, "near-repeat-%.0fd%s", DECAY_DAYS[d], smooth ? "-smooth" : ""),
                            "near-repeat", String.format(Locale.ROOT, "Self-exciting (Mohler et al. 2011): the mean month over "
                                    + "12 months%s plus each recent exact-time incident's expected repeats nearby (within %.0f m), "
                                    + "fading over %.0f days", smooth ? " (kernel-smoothed)" : "", nearRepeatReach(grid), DECAY_DAYS[d]),
                            (h, end, f) -> nearRepeat(h, end, decay, smooth, grid, f)));
                }
            }
        }
        return List.copyOf(list);
    }

    /**
     * Runs the backtest: folds of {@code horizon} months, the newest ending at month {@code end}
     * (the origin), then each older one {@code horizon} months before.
     */
    public static Backtest backtest(History h, List<Candidate> candidates, int end, int horizon, int folds, double share) {
        int[] testMonths = new int[folds];
        long[] incidents = new long[folds];
        boolean[] counted = new boolean[folds];
        double[][] testCounts = new double[folds][];
        for (int f = 0; f < folds; f++) {
            int start = end - (f + 1) * horizon;
            testMonths[f] = start;
            if (start < 1) continue;
            double[] test = h.counts(start + horizon, horizon);
            long total = Math.round(sum(test));
            long before = Math.round(sum(h.counts(start, LOOKBACK)));
            incidents[f] = total;
            counted[f] = total > 0 && before > 0;
            testCounts[f] = test;
        }
        double[][] pai = new double[candidates.size()][folds], hit = new double[candidates.size()][folds];
        for (double[] row : pai) Arrays.fill(row, Double.NaN);
        for (double[] row : hit) Arrays.fill(row, Double.NaN);
        for (int f = 0; f < folds; f++) {
            if (!counted[f]) continue;
            Fold cache = new Fold();
            for (int c = 0; c < candidates.size(); c++) {
                double[] score = candidates.get(c).scorer().score(h, testMonths[f], cache);
                HotspotAccuracy.Result r = HotspotAccuracy.evaluate(candidates.get(c).id(), h.cells(), score, testCounts[f],
                        incidents[f], share);
                pai[c][f] = r.pai();
                hit[c][f] = r.hitRate();
            }
        }
        List<Scored> scored = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) scored.add(new Scored(candidates.get(c), pai[c], hit[c]));
        Scored naive = scored.get(0);
        Scored winner = naive;
        int foldsCounted = 0;
        for (boolean c : counted) if (c) foldsCounted++;
        if (foldsCounted >= MIN_FOLDS) {
            Scored best = naive;
            for (Scored s : scored) if (Double.isFinite(s.meanPai()) && s.meanPai() > best.meanPai()) best = s;
            for (Scored s : scored) {
                if (indistinguishable(s, best, foldsCounted)) {
                    winner = s;
                    break;
                }
            }
        }
        List<Scored> ranked = new ArrayList<>(scored);
        ranked.sort((a, b) -> Double.compare(finiteOr(b.meanPai()), finiteOr(a.meanPai())));
        return new Backtest(testMonths, incidents, counted, List.copyOf(ranked), winner, naive);
    }

    /**
     * Whether a candidate cannot be told from the best: its mean PAI is behind by no more than one
     * standard error of their paired differences over the folds (the "one standard error" rule of
     * cross-validation, Breiman et al. 1984), or by less than {@link #TIE} of the best.
     */
    static boolean indistinguishable(Scored candidate, Scored best, int folds) {
        if (!Double.isFinite(candidate.meanPai())) return false;
        double[] behind = new double[best.pai().length];
        for (int f = 0; f < behind.length; f++) behind[f] = best.pai()[f] - candidate.pai()[f];
        double gap = mean(behind), sd = sd(behind);
        double standardError = Double.isFinite(sd) ? sd / Math.sqrt(folds) : 0;
        return gap <= Math.max(standardError, TIE * best.meanPai());
    }

    /** The winner's map at the origin: its score per cell from the months before {@code end}. */
    public static double[] score(History h, Candidate candidate, int end) {
        return candidate.scorer().score(h, end, new Fold());
    }

    /** Σ count_m × 0.5^(age_m / halfLife) over the last 12 months, age 0 for the newest month. */
    static double[] timeWeighted(History h, int end, double halfLife) {
        double[] sum = new double[h.cells().n()];
        for (int m = Math.max(0, end - LOOKBACK); m < end; m++) {
            double weight = Math.pow(0.5, (end - 1 - m) / halfLife);
            double[] row = h.months()[m];
            for (int k = 0; k < sum.length; k++) sum[k] += weight * row[k];
        }
        return sum;
    }

    /** The kernel density of the counts over months [end − months, end) at a bandwidth (null: the data-driven default). */
    private static double[] density(History h, int end, int months, Fold fold, Double bandwidth) {
        return fold.get("kde " + months + " " + bandwidth, () -> {
            GridCounts counts = h.cells().withCounts(h.counts(end, months));
            double b = bandwidth != null ? bandwidth : KernelDensity.defaultBandwidth(counts);
            return KernelDensity.densities(counts, b);
        });
    }

    /** How far the near-repeat term reaches: two cell spacings (the cell and its neighbours). */
    static double nearRepeatReach(Grid grid) {
        return 2 * grid.spacing();
    }

    /**
     * The expected incidents in the month after {@code end} under a self-exciting model in the form of
     * Mohler et al. (2011): a background rate per cell (the mean month over the last 12 months with
     * data, as counted or kernel-smoothed) plus, for each exact-time incident in the {@link #NEAR_REPEAT_DAYS} before the origin, its
     * expected offspring in the coming month, {@code BRANCHING × (e^(−a/τ) − e^(−(a + month)/τ))} for an
     * incident {@code a} days old and decay time {@code τ} days, spread over the cells within
     * {@link #nearRepeatReach} by a quartic kernel. The parameters are not fitted by maximum likelihood:
     * the decay times and backgrounds are candidates of the backtest.
     */
    static double[] nearRepeat(History h, int end, int decay, boolean smooth, Grid grid, Fold fold) {
        GridCounts cells = h.cells();
        int months = 0;
        for (int m = Math.max(0, end - LOOKBACK); m < end && months == 0; m++) if (sum(h.months()[m]) > 0) months = end - m;
        double perMonth = 1.0 / Math.max(1, months);
        double[] background = smooth ? density(h, end, LOOKBACK, fold, null) : h.counts(end, LOOKBACK);
        // a density is per km²: back to incidents per cell
        double unit = smooth ? perMonth * grid.cellArea() / 1e6 : perMonth;
        double[] expected = new double[background.length];
        for (int k = 0; k < expected.length; k++) expected[k] = background[k] * unit;
        double[][][] decayed = h.recent().decayed();
        if (end >= decayed.length || decayed[end] == null) return expected;
        double[] recent = decayed[end][decay];
        // e^(−(a − ½)/τ) − e^(−(a − ½ + month)/τ) = e^(−(a − ½)/τ) × (1 − e^(−month/τ))
        double toNextMonth = BRANCHING * (1 - Math.exp(-MONTH_DAYS / DECAY_DAYS[decay]));
        double reach = nearRepeatReach(grid);
        Grid.Offsets[] offsets = {grid.offsetsWithin(reach, 0), grid.offsetsWithin(reach, 1)};
        double[][] weights = new double[2][];
        for (int parity = 0; parity < 2; parity++) {
            Grid.Offsets o = offsets[parity];
            weights[parity] = new double[o.size()];
            double total = 0;
            for (int t = 0; t < o.size(); t++) {
                double u = o.distance()[t] * o.distance()[t] / (reach * reach);
                weights[parity][t] = u < 1 ? (1 - u) * (1 - u) : 0;
                total += weights[parity][t];
            }
            for (int t = 0; t < o.size(); t++) weights[parity][t] /= total;
        }
        for (int at = 0; at < recent.length; at++) {
            if (recent[at] == 0) continue;
            double offspring = recent[at] * toNextMonth;
            int ci = cells.i(at), cj = cells.j(at), parity = Math.abs(ci % 2);
            Grid.Offsets o = offsets[parity];
            for (int t = 0; t < o.size(); t++) {
                int to = cells.indexOf(ci + o.di()[t], cj + o.dj()[t]);
                if (to >= 0) expected[to] += offspring * weights[parity][t];
            }
        }
        return expected;
    }

    private static double[] scaled(double[] values) {
        double max = 0;
        for (double v : values) max = Math.max(max, v);
        double[] out = new double[values.length];
        if (max > 0) for (int k = 0; k < values.length; k++) out[k] = values[k] / max;
        return out;
    }

    private static double[] plus(double[] a, double[] b, double weight) {
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) out[k] = a[k] + weight * b[k];
        return out;
    }

    static double sum(double[] values) {
        double s = 0;
        for (double v : values) s += v;
        return s;
    }

    private static double finiteOr(double v) {
        return Double.isFinite(v) ? v : Double.NEGATIVE_INFINITY;
    }

    /** Mean of the finite values (NaN when none). */
    static double mean(double[] values) {
        double s = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            s += v;
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Sample standard deviation of the finite values (NaN when fewer than two). */
    static double sd(double[] values) {
        double m = mean(values);
        double s = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            s += (v - m) * (v - m);
            n++;
        }
        return n < 2 ? Double.NaN : Math.sqrt(s / (n - 1));
    }
}
