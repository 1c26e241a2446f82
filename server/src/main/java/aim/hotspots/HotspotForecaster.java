package aim.hotspots;

import aim.incidents.IncidentFilter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forecast layer ({@code method=forecast}): reads the selection's history as whole months of
 * cell counts (from the rollups where they serve, so police.uk's month-precise rows count in full)
 * and, for the near-repeat term, the exact-time incidents' decayed sums before each month start; runs the {@link Forecast} backtest;
 * and returns the winner's map, or its accuracy on a held-out window. Runs (history and backtest) are
 * cached by the data versions of the incidents and boundaries (migration V17) and the request, so a
 * repeated request reads nothing but the versions, and new data can never be answered from the cache:
 * a run is kept only when both its reads saw exactly the versions its key names (each read is one
 * snapshot that reads the versions too, so a change or a lagging replica between them keeps it out).
 */
public final class HotspotForecaster {

    /**
     * A forecast map request.
     *
     * @param origin      the first month forecast (the month after the selection's last whole month)
     * @param naiveMonths the selection's whole months: the naive map counts them
     */
    public record MapRequest(Grid grid, double share, int folds, boolean all, IncidentFilter filter, YearMonth origin,
                             int naiveMonths) {
    }

    /** An accuracy request: forecast from the training window's months, judged on the test window's. */
    public record AccuracyRequest(Grid grid, double share, int folds, HotspotAccuracy.Windows windows, IncidentFilter filter) {
    }

    /** Runs kept (each holds its history: the cells' counts of a few dozen months). */
    private static final int CACHED = 16;

    private final HotspotRepository repository;
    private final Cache<String, Run> cache = Caffeine.newBuilder().maximumSize(CACHED).build();

    public HotspotForecaster(HotspotRepository repository) {
        this.repository = repository;
    }

    /** The history, its candidates and backtest for an origin. */
    record Run(Forecast.History history, int end, int naiveMonths, int horizon, List<Forecast.Candidate> candidates,
               Forecast.Backtest backtest, YearMonth first) {
        double[] winnerScore() {
            return Forecast.score(history, backtest.winner().candidate(), end);
        }

        double[] naiveCounts() {
            return history.counts(end, naiveMonths);
        }

        String month(int index) {
            return first.plusMonths(index).toString();
        }
    }

    Run run(IncidentFilter filter, Grid grid, YearMonth origin, int naiveMonths, int horizon, int folds, double share) {
        String version = repository.dataVersion();
        String key = String.join(" | ", version, filter.toString(), grid.kind(), String.valueOf(grid.size()), origin.toString(),
                String.valueOf(naiveMonths), String.valueOf(horizon), String.valueOf(folds), String.valueOf(share));
        Run cached = cache.getIfPresent(key);
        if (cached != null) return cached;
        int back = Math.max(Forecast.LOOKBACK, naiveMonths) + folds * horizon;
        YearMonth first = origin.minusMonths(back);
        LocalDate from = first.atDay(1), to = origin.minusMonths(1).atEndOfMonth();
        // the near-repeat term looks back a few weeks from each fold's start and from the origin
        LocalDate[] starts = new LocalDate[back + 1];
        for (int m = back - folds * horizon; m <= back; m++) if (m >= 1) starts[m] = first.plusMonths(m).atDay(1);
        LocalDate recentFrom = first.plusMonths(Math.max(0, back - folds * horizon)).atDay(1).minusDays(Forecast.NEAR_REPEAT_DAYS);
        IncidentFilter recentFilter = filter.during(recentFrom.isBefore(from) ? from : recentFrom, to);
        // one read after the other, each on its own connection in this request's thread (its timeout, its replica)
        HotspotRepository.SliceCounts read = repository.emergingCounts(filter.during(from, to), grid, TimeSlices.of("month", from, to));
        HotspotRepository.RecentSums sums = repository.recentExactTimeSums(grid, recentFilter, starts);
        Forecast.RecentCounts recent = Forecast.RecentCounts.of(read.cells(), sums, starts.length);
        var history = new Forecast.History(read.cells(), read.counts(), recent);
        List<Forecast.Candidate> candidates = Forecast.candidates(naiveMonths, grid, !recent.isEmpty());
        Forecast.Backtest backtest = Forecast.backtest(history, candidates, back, horizon, folds, share);
        Run run = new Run(history, back, naiveMonths, horizon, candidates, backtest, first);
        if (version.equals(read.dataVersion()) && version.equals(sums.dataVersion())) cache.put(key, run);
        return run;
    }

    public HotspotEngine.Output map(MapRequest r) {
        Run run = run(r.filter(), r.grid(), r.origin(), r.naiveMonths(), 1, r.folds(), r.share());
        GridCounts cells = run.history().cells();
        double[] score = run.winnerScore();
        double[] counts = run.naiveCounts();
        int n = cells.n();
        int[] rank = new int[n];
        int[] ranked = TopShare.ranked(score);
        for (int k = 0; k < n; k++) rank[ranked[k]] = k + 1;
        // the hotspot: the top share of the same ranking, never a cell scored 0 (as KernelDensity.top)
        boolean[] hot = new boolean[n];
        int hotCells = 0;
        for (int k = 0; k < TopShare.count(n, r.share()); k++) {
            if (score[ranked[k]] > 0) {
                hot[ranked[k]] = true;
                hotCells++;
            }
        }
        List<Integer> keep = new ArrayList<>();
        for (int k = 0; k < n; k++) if (r.all() || score[k] > 0) keep.add(k);
        int[] chosen = keep.stream().mapToInt(Integer::intValue).toArray();
        int[] is = new int[chosen.length], js = new int[chosen.length];
        for (int k = 0; k < chosen.length; k++) {
            is[k] = cells.i(chosen[k]);
            js[k] = cells.j(chosen[k]);
        }
        Forecast.Backtest b = run.backtest();
        int hotspotCells = hotCells;
        IncidentFilter selection = r.filter().during(r.origin().minusMonths(r.naiveMonths()).atDay(1), r.origin().minusMonths(1).atEndOfMonth());
        GridCounts naive = cells.withCounts(counts);
        return out -> repository.writeCells(r.grid(), is, js, (k, o) -> {
            int at = chosen[k];
            HotspotEngine.cellIdentity(naive, at, o);
            HotspotEngine.number(o, "score", score[at]);
            o.writeNumberField("rank", rank[at]);
            o.writeBooleanField("hotspot", hot[at]);
        }, o -> {
            HotspotEngine.common(o, "forecast", naive, selection, chosen.length, r.all());
            HotspotEngine.number(o, "share", r.share());
            o.writeNumberField("hotspot_cells", hotspotCells);
            o.writeObjectFieldStart("forecast_period");
            o.writeStringField("from", r.origin().atDay(1).toString());
            o.writeStringField("to", r.origin().atEndOfMonth().toString());
            o.writeStringField("label", r.origin().toString());
            o.writeEndObject();
            o.writeObjectField("history", Map.of("from", run.first().atDay(1).toString(), "to", r.origin().minusMonths(1).atEndOfMonth().toString()));
            writeBacktest(o, run);
            o.writeStringField("legend", legend(r.share(), b, "next month's"));
        }, out);
    }

    /** The backtest's members of a map's meta: enough_history, note, winner, naive, candidates, folds, selection_rule. */
    private static void writeBacktest(com.fasterxml.jackson.core.JsonGenerator o, Run run) throws java.io.IOException {
        for (var e : backtestFigures(run).entrySet()) o.writeObjectField(e.getKey(), e.getValue());
    }

    /** The backtest in words and figures, JSON-ready. */
    static Map<String, Object> backtestFigures(Run run) {
        Forecast.Backtest b = run.backtest();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enough_history", b.enoughHistory());
        m.put("note", b.enoughHistory() ? null : String.format(Locale.ROOT,
                "Only %d month%s before %s hold%s incidents and history to test a forecast on; the forecast needs at least %d, "
                        + "so this is the count map of the selection", b.foldsCounted(), b.foldsCounted() == 1 ? "" : "s",
                run.month(run.end()), b.foldsCounted() == 1 ? "s" : "", Forecast.MIN_FOLDS));
        m.put("winner", figures(b.winner()));
        m.put("naive", figures(b.naive()));
        List<Object> candidates = new ArrayList<>();
        for (Forecast.Scored s : b.ranked()) candidates.add(figures(s));
        m.put("candidates", candidates);
        List<Object> folds = new ArrayList<>();
        for (int f = 0; f < b.testMonths().length; f++) {
            if (b.testMonths()[f] < 0) continue;
            Map<String, Object> fold = new LinkedHashMap<>();
            fold.put("test", run.horizon() == 1 ? run.month(b.testMonths()[f])
                    : run.month(b.testMonths()[f]) + "/" + run.month(b.testMonths()[f] + run.horizon() - 1));
            fold.put("incidents", b.incidents()[f]);
            fold.put("counted", b.counted()[f]);
            folds.add(fold);
        }
        m.put("folds", folds);
        m.put("folds_counted", b.foldsCounted());
        m.put("selection_rule", String.format(Locale.ROOT, "rolling-origin backtest: each candidate is made from the months before "
                + "each fold's period and scored on it (PAI of the top share of cells); the best mean PAI wins, candidates within "
                + "%.0f %% of it tie, and ties go to the simplest (the count map first); a fold counts when its period and the 12 "
                + "months before it hold incidents; at least %d folds or the count map is shown", Forecast.TIE * 100, Forecast.MIN_FOLDS));
        return m;
    }

    private static Map<String, Object> figures(Forecast.Scored s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.candidate().id());
        m.put("family", s.candidate().family());
        m.put("label", s.candidate().label());
        m.put("mean_pai", finite(s.meanPai()));
        m.put("sd_pai", finite(s.sdPai()));
        m.put("mean_hit_rate", finite(s.meanHitRate()));
        m.put("sd_hit_rate", finite(s.sdHitRate()));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** "Forecast: top 3 % of the area, expected to hold ~33 % of next month's incidents; the simple count map would hold ~31 %". */
    static String legend(double share, Forecast.Backtest b, String period) {
        String top = String.format(Locale.ROOT, "top %s %% of the area", trim(share));
        if (!b.enoughHistory()) {
            return "Counts: " + top + " by the selection's incidents (not enough history to test a forecast)";
        }
        return String.format(Locale.ROOT, "Forecast: %s, expected to hold ~%.0f %% of %s incidents; the simple count map would hold ~%.0f %%",
                top, 100 * b.winner().meanHitRate(), period, 100 * b.naive().meanHitRate());
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /**
     * The forecast's accuracy on the test window (fitted on the months of the training window and
     * before), beside the count map of the training window (the baseline), Gi* and kernel density.
     */
    public Map<String, Object> accuracy(AccuracyRequest r) {
        HotspotAccuracy.Windows w = r.windows();
        YearMonth origin = YearMonth.from(w.testFrom());
        int naiveMonths = (int) ChronoUnit.MONTHS.between(YearMonth.from(w.from()), origin);
        int horizon = (int) ChronoUnit.MONTHS.between(origin, YearMonth.from(w.testTo())) + 1;
        Run run = run(r.filter(), r.grid(), origin, naiveMonths, horizon, r.folds(), r.share());
        GridCounts cells = run.history().cells();
        double[] test = repository.countsOn(cells, r.filter().during(w.testFrom(), w.testTo()));
        long total = Math.round(test[cells.n()]);
        double[] counts = run.naiveCounts();
        GridCounts training = cells.withCounts(counts);
        var forecast = HotspotAccuracy.evaluate("forecast", cells, run.winnerScore(), test, total, r.share());
        var baseline = HotspotAccuracy.evaluate("grid", cells, counts, test, total, r.share());
        double band = GiStar.defaultBand(r.grid());
        var gistar = HotspotAccuracy.evaluate("gistar", cells, GiStar.compute(training, band).z(), test, total, r.share());
        double bandwidth = KernelDensity.defaultBandwidth(training);
        var kde = HotspotAccuracy.evaluate("kde", cells, KernelDensity.densities(training, bandwidth), test, total, r.share());
        Map<String, Object> body = HotspotEngine.figures(forecast);
        body.put("share", r.share());
        body.put("baseline", HotspotEngine.figures(baseline));
        Map<String, Object> gi = HotspotEngine.figures(gistar);
        gi.put("band", band);
        body.put("gistar", gi);
        Map<String, Object> density = HotspotEngine.figures(kde);
        density.put("bandwidth", bandwidth);
        body.put("kde", density);
        Map<String, Object> backtest = backtestFigures(run);
        body.put("winner", backtest.remove("winner"));
        body.put("backtest", backtest);
        body.put("legend", legend(r.share(), run.backtest(), horizon == 1 ? "next month's" : "the next " + horizon + " months'"));
        HotspotEngine.accuracyContext(body, r.grid(), w, Math.round(Forecast.sum(counts)), total, r.filter(), cells.n());
        return body;
    }
}
