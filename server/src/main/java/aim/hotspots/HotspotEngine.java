package aim.hotspots;

import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the hotspot methods: loads per-cell counts from {@link HotspotRepository}, computes
 * ({@link GiStar}, {@link FalseDiscoveryRate}, {@link KernelDensity}, {@link EmergingHotspots},
 * {@link HotspotAccuracy}) and returns an {@link Output} that streams the result. All computing
 * happens before the output is returned, so a failure is never half a response.
 */
public final class HotspotEngine {

    /** A computed result, ready to be streamed. */
    @FunctionalInterface
    public interface Output {
        void write(JsonGenerator out) throws IOException;
    }

    /**
     * A map request (validated by the controller).
     *
     * @param method    grid (counts; squares or hexagons by {@code grid}), gistar or kde
     * @param band      Gi* distance band in metres, or null for {@link GiStar#defaultBand}
     * @param bandwidth KDE bandwidth in metres, or null for {@link KernelDensity#defaultBandwidth}
     * @param bands     KDE output as dissolved bands instead of cells
     * @param top       KDE hotspot band, % of the study area's cells
     * @param all       every cell of the study area instead of only non-empty or significant ones
     * @param bbox      null, or a WGS84 box {minLon, minLat, maxLon, maxLat} that limits the study area to the
     *                  whole cells meeting it (the map's view: see {@link HotspotRepository#gridCounts})
     */
    public record MapRequest(String method, Grid grid, Double band, Double bandwidth, boolean bands, double top,
                             boolean fdr, boolean all, IncidentFilter filter, double[] bbox) {
    }

    /** An emerging-hotspot request; {@code slices} are whole months or financial quarters. */
    public record EmergingRequest(Grid grid, Double band, boolean fdr, boolean all, TimeSlices slices, IncidentFilter filter) {
    }

    /** An accuracy request: rank cells on the training window, score them on the test window. */
    public record AccuracyRequest(String method, Grid grid, Double band, Double bandwidth, double share,
                                  HotspotAccuracy.Windows windows, IncidentFilter filter) {
    }

    private final HotspotRepository repository;
    private final HotspotForecaster forecaster;

    public HotspotEngine(HotspotRepository repository) {
        this.repository = repository;
        this.forecaster = new HotspotForecaster(repository);
    }

    /** The forecast map ({@code method=forecast}): see {@link HotspotForecaster}. */
    public Output forecast(HotspotForecaster.MapRequest r) {
        return forecaster.map(r);
    }

    /** The forecast's accuracy on a held-out window: see {@link HotspotForecaster#accuracy}. */
    public Map<String, Object> forecastAccuracy(HotspotForecaster.AccuracyRequest r) {
        return forecaster.accuracy(r);
    }

    public Output map(MapRequest r) {
        GridCounts cells = repository.gridCounts(r.filter(), r.grid(), r.bbox());
        int n = cells.n();
        switch (r.method()) {
            case "gistar" -> {
                double band = r.band() != null ? r.band() : GiStar.defaultBand(r.grid());
                GiStar.Result gi = GiStar.compute(cells, band);
                FalseDiscoveryRate.Bins bins = FalseDiscoveryRate.bins(gi.z(), gi.p(), r.fdr());
                int[] chosen = select(n, k -> r.all() || cells.count(k) > 0 || bins.bin()[k] != 0);
                return out -> repository.writeCells(r.grid(), pick(cells.is(), chosen), pick(cells.js(), chosen), (k, o) -> {
                    int at = chosen[k];
                    cellIdentity(cells, at, o);
                    number(o, "z", gi.z()[at]);
                    number(o, "p", gi.p()[at]);
                    o.writeNumberField("bin", bins.bin()[at]);
                }, o -> {
                    common(o, r, cells, chosen.length);
                    number(o, "band", band);
                    o.writeStringField("weights", "binary, fixed distance band between cell centres, the cell itself included");
                    o.writeBooleanField("fdr", r.fdr());
                    criticalP(o, bins);
                }, out);
            }
            case "kde" -> {
                double bandwidth = r.bandwidth() != null ? r.bandwidth() : KernelDensity.defaultBandwidth(cells);
                double[] density = KernelDensity.densities(cells, bandwidth);
                boolean[] hot = KernelDensity.top(density, r.top());
                if (r.bands()) return kdeBands(r, cells, bandwidth, density, hot);
                int[] chosen = select(n, k -> r.all() || density[k] > 0);
                return out -> repository.writeCells(r.grid(), pick(cells.is(), chosen), pick(cells.js(), chosen), (k, o) -> {
                    int at = chosen[k];
                    cellIdentity(cells, at, o);
                    number(o, "density", density[at]);
                    o.writeBooleanField("hotspot", hot[at]);
                }, o -> {
                    common(o, r, cells, chosen.length);
                    kdeMeta(o, r, bandwidth, hot, "cells");
                }, out);
            }
            default -> {
                int[] chosen = select(n, k -> r.all() || cells.count(k) > 0);
                return out -> repository.writeCells(r.grid(), pick(cells.is(), chosen), pick(cells.js(), chosen),
                        (k, o) -> cellIdentity(cells, chosen[k], o),
                        o -> common(o, r, cells, chosen.length), out);
            }
        }
    }

    private Output kdeBands(MapRequest r, GridCounts cells, double bandwidth, double[] density, boolean[] hot) {
        // graded polygons: quantile classes 1–5 of the positive densities, each split into its
        // hotspot and other cells, so the bands never overlap and the hotspot band stays visible
        double[] breaks = KernelDensity.quantileBreaks(density);
        int[] cls = KernelDensity.quantileClasses(density, breaks);
        int n = cells.n();
        int[] band = new int[n];
        int[] members = new int[2 * (KernelDensity.CLASSES + 1)];
        double[] low = new double[members.length], high = new double[members.length];
        java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (int k = 0; k < n; k++) {
            band[k] = cls[k] == 0 ? -1 : cls[k] * 2 + (hot[k] ? 1 : 0);
            if (band[k] < 0) continue;
            members[band[k]]++;
            low[band[k]] = Math.min(low[band[k]], density[k]);
            high[band[k]] = Math.max(high[band[k]], density[k]);
        }
        int used = 0;
        for (int m : members) if (m > 0) used++;
        int bandsWritten = used;
        return out -> repository.writeBands(r.grid(), cells.is(), cells.js(), band, (b, o) -> {
            o.writeNumberField("class", b / 2);
            o.writeBooleanField("hotspot", b % 2 == 1);
            o.writeNumberField("cells", members[b]);
            number(o, "min_density", low[b]);
            number(o, "max_density", high[b]);
        }, o -> {
            common(o, r, cells, bandsWritten);
            kdeMeta(o, r, bandwidth, hot, "bands");
            o.writeArrayFieldStart("class_breaks");
            for (double b : breaks) number(o, b);
            o.writeEndArray();
        }, out);
    }

    private static void kdeMeta(JsonGenerator o, MapRequest r, double bandwidth, boolean[] hot, String output) throws IOException {
        number(o, "bandwidth", bandwidth);
        o.writeStringField("bandwidth_rule", r.bandwidth() != null ? "given"
                : "0.9 × min(SD, √(1/ln 2) × Dm) × N^-0.2 (ArcGIS default search radius), clamped to [2 × cell, 2000 m]");
        o.writeStringField("kernel", "quartic (biweight); incidents binned to cell centres");
        o.writeStringField("density_unit", "incidents per km²");
        o.writeStringField("output", output);
        number(o, "top", r.top());
        int hotCells = 0;
        for (boolean h : hot) if (h) hotCells++;
        o.writeNumberField("hotspot_cells", hotCells);
    }

    public Output emerging(EmergingRequest r) {
        IncidentFilter filter = r.filter().during(r.slices().from(), r.slices().to());
        // the cells' counts and their slices' counts in one read
        HotspotRepository.SliceCounts read = repository.emergingCounts(filter, r.grid(), r.slices());
        GridCounts cells = read.cells();
        double[][] counts = read.counts();
        double band = r.band() != null ? r.band() : GiStar.defaultBand(r.grid());
        EmergingHotspots.CellTrend[] trends = EmergingHotspots.analyse(cells, counts, band, r.fdr());
        int[] chosen = select(cells.n(), k -> r.all() || trends[k].pattern() != EmergingHotspots.Pattern.NO_PATTERN);
        Map<String, Integer> patterns = new LinkedHashMap<>();
        for (EmergingHotspots.Pattern p : EmergingHotspots.Pattern.values()) patterns.put(p.label, 0);
        for (EmergingHotspots.CellTrend t : trends) patterns.merge(t.pattern().label, 1, Integer::sum);
        return out -> repository.writeCells(r.grid(), pick(cells.is(), chosen), pick(cells.js(), chosen), (k, o) -> {
            int at = chosen[k];
            EmergingHotspots.CellTrend t = trends[at];
            cellIdentity(cells, at, o);
            o.writeStringField("pattern", t.pattern().label);
            trend(o, "trend", t.trend());
            trend(o, "count_trend", t.countTrend());
            o.writeArrayFieldStart("slices");
            for (int b : t.bins()) o.writeNumber(b);
            o.writeEndArray();
            o.writeArrayFieldStart("counts");
            for (double c : t.counts()) o.writeNumber((long) c);
            o.writeEndArray();
        }, o -> {
            common(o, "emerging", cells, filter, chosen.length, r.all());
            number(o, "band", band);
            o.writeBooleanField("fdr", r.fdr());
            o.writeStringField("interval", r.slices().interval());
            o.writeArrayFieldStart("slices");
            for (int s = 0; s < r.slices().size(); s++) {
                TimeSlices.Slice slice = r.slices().slices().get(s);
                double total = 0;
                for (double c : counts[s]) total += c;
                o.writeStartObject();
                o.writeStringField("label", slice.label());
                o.writeStringField("from", slice.from().toString());
                o.writeStringField("to", slice.to().toString());
                o.writeNumberField("incidents", (long) total);
                o.writeEndObject();
            }
            o.writeEndArray();
            o.writeStringField("significant", "bin ≥ 1 (hot) or ≤ −1 (cold): 90% confidence" + (r.fdr() ? " after FDR correction" : ""));
            o.writeStringField("trend_test", "Mann-Kendall on each cell's Gi* z-scores over the slices (count_trend: on its counts)");
            number(o, "trend_alpha", EmergingHotspots.TREND_ALPHA);
            o.writeObjectFieldStart("patterns");
            for (var e : patterns.entrySet()) o.writeNumberField(e.getKey(), e.getValue());
            o.writeEndObject();
        }, out);
    }

    /**
     * The hot cells of the filter's incidents on square cells of {@code size} metres, by {@code method}
     * (gistar or grid), as {@link HotCells} decides them: what the asset gap analysis looks under.
     */
    public HotCells hotCells(IncidentFilter filter, String method, double size) {
        SquareGrid grid = new SquareGrid(size);
        return HotCells.of(method, grid, repository.gridCounts(filter, grid));
    }

    /** Most cells × slices one emerging analysis may hold in memory. */
    public static final long MAX_CELL_SLICES = 2_000_000;

    /** The analysis would be too large for memory. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(int cells, int slices) {
            super(String.format(Locale.ROOT, "%,d cells × %d slices is more than %,d cell-slices", cells, slices, MAX_CELL_SLICES));
        }
    }

    /** The accuracy figures of the chosen method and of the grid-count baseline, as a JSON-ready map. */
    public Map<String, Object> accuracy(AccuracyRequest r) {
        HotspotAccuracy.Windows w = r.windows();
        IncidentFilter training = r.filter().during(w.from(), w.to());
        IncidentFilter test = r.filter().during(w.testFrom(), w.testTo());
        GridCounts cells = repository.gridCounts(training, r.grid());
        double[] testCounts = repository.countsOn(cells, test);
        long testTotal = Math.round(testCounts[cells.n()]);
        Map<String, Object> used = new LinkedHashMap<>();
        double[] score = switch (r.method()) {
            case "gistar" -> {
                double band = r.band() != null ? r.band() : GiStar.defaultBand(r.grid());
                used.put("band", band);
                yield GiStar.compute(cells, band).z();
            }
            case "kde" -> {
                double bandwidth = r.bandwidth() != null ? r.bandwidth() : KernelDensity.defaultBandwidth(cells);
                used.put("bandwidth", bandwidth);
                yield KernelDensity.densities(cells, bandwidth);
            }
            default -> cells.counts();
        };
        HotspotAccuracy.Result chosen = HotspotAccuracy.evaluate(r.method(), cells, score, testCounts, testTotal, r.share());
        HotspotAccuracy.Result baseline;
        if (r.grid() instanceof SquareGrid && r.method().equals("grid")) {
            baseline = chosen;
        } else {
            // the baseline is always square-cell counts of the same size
            GridCounts squares = r.grid() instanceof SquareGrid ? cells : repository.gridCounts(training, new SquareGrid(r.grid().size()));
            double[] squareTest = squares == cells ? testCounts : repository.countsOn(squares, test);
            baseline = HotspotAccuracy.evaluate("grid", squares, squares.counts(), squareTest, Math.round(squareTest[squares.n()]), r.share());
        }
        Map<String, Object> body = figures(chosen);
        body.put("share", r.share());
        body.put("baseline", figures(baseline));
        body.putAll(used);
        accuracyContext(body, r.grid(), w, Math.round(cells.total()), testTotal, r.filter(), cells.n());
        return body;
    }

    /** The members every accuracy answer ends with: the grid, both windows, the selection, the redaction note and the units. */
    static void accuracyContext(Map<String, Object> body, Grid grid, HotspotAccuracy.Windows w, long trainingIncidents,
                                long testIncidents, IncidentFilter filter, int cells) {
        body.put("grid", grid.kind());
        body.put("cell", grid.size());
        body.put("training", Map.of("from", w.from().toString(), "to", w.to().toString(), "incidents", trainingIncidents));
        body.put("test", Map.of("from", w.testFrom().toString(), "to", w.testTo().toString(), "incidents", testIncidents));
        body.put("area", filter.area().label());
        body.put("categories", filter.categories());
        body.put("sources", filter.sources());
        body.put("n_cells", cells);
        Map<String, Object> redaction = Redaction.note(filter.viewer());
        if (redaction != null) body.put("redaction", redaction);
        body.put("units", "a and A in km² (whole cells of the grid covering the study area)");
    }

    static Map<String, Object> figures(HotspotAccuracy.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("cells", r.cells());
        m.put("a", r.a());
        m.put("A", r.areaAll());
        m.put("n", r.n());
        m.put("N", r.total());
        m.put("hitRate", finite(r.hitRate()));
        m.put("pai", finite(r.pai()));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static void cellIdentity(GridCounts cells, int at, JsonGenerator o) throws IOException {
        o.writeNumberField("i", cells.i(at));
        o.writeNumberField("j", cells.j(at));
        o.writeNumberField("count", (long) cells.count(at));
    }

    /** The common meta members of a map, and its {@code bbox} when the study area was limited to one. */
    private static void common(JsonGenerator o, MapRequest r, GridCounts cells, int returned) throws IOException {
        common(o, r.method(), cells, r.filter(), returned, r.all() && !r.bands());
        if (r.bbox() == null) return;
        o.writeArrayFieldStart("bbox");
        for (double d : r.bbox()) o.writeNumber(d);
        o.writeEndArray();
    }

    static void common(JsonGenerator o, String method, GridCounts cells, IncidentFilter filter, int returned, boolean all)
            throws IOException {
        o.writeStringField("method", method);
        o.writeStringField("grid", cells.grid().kind());
        number(o, "cell", cells.grid().size());
        o.writeStringField("crs", "EPSG:27700 cells (i, j numbered as PostGIS ST_SquareGrid / ST_HexagonGrid), output in WGS84");
        o.writeNumberField("n_cells", cells.n());
        o.writeNumberField("returned", returned);
        o.writeBooleanField("all", all);
        number(o, "mean", cells.mean());
        number(o, "std_dev", cells.standardDeviation());
        o.writeNumberField("incidents", (long) cells.total());
        o.writeStringField("area", filter.area().label());
        o.writeStringField("from", filter.from() == null ? null : filter.from().toString());
        o.writeStringField("to", filter.to() == null ? null : filter.to().toString());
        o.writeArrayFieldStart("categories");
        for (String c : filter.categories()) o.writeString(c);
        o.writeEndArray();
        o.writeArrayFieldStart("sources");
        for (String s : filter.sources()) o.writeString(s);
        o.writeEndArray();
        Redaction.writeNote(filter.viewer(), o);
    }

    private static void criticalP(JsonGenerator o, FalseDiscoveryRate.Bins bins) throws IOException {
        o.writeObjectFieldStart("critical_p");
        String[] names = {"0.10", "0.05", "0.01"};
        for (int a = 0; a < names.length; a++) number(o, names[a], bins.critical()[a]);
        o.writeEndObject();
    }

    private static void trend(JsonGenerator o, String name, MannKendall.Result t) throws IOException {
        o.writeObjectFieldStart(name);
        number(o, "z", t.z());
        number(o, "p", t.p());
        number(o, "tau", t.tau());
        o.writeEndObject();
    }

    /** A number, or null when it is not finite (JSON has no NaN). */
    static void number(JsonGenerator o, String name, double v) throws IOException {
        o.writeFieldName(name);
        number(o, v);
    }

    static void number(JsonGenerator o, double v) throws IOException {
        if (Double.isFinite(v)) o.writeNumber(v);
        else o.writeNull();
    }

    private interface CellTest {
        boolean keep(int k);
    }

    private static int[] select(int n, CellTest test) {
        int[] chosen = new int[n];
        int m = 0;
        for (int k = 0; k < n; k++) if (test.keep(k)) chosen[m++] = k;
        return java.util.Arrays.copyOf(chosen, m);
    }

    private static int[] pick(int[] values, int[] chosen) {
        int[] result = new int[chosen.length];
        for (int k = 0; k < chosen.length; k++) result[k] = values[chosen[k]];
        return result;
    }
}
