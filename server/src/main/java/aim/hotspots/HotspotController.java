package aim.hotspots;

import aim.core.Council;
import aim.core.DomainException;
import aim.web.AccessControl;
import aim.boundaries.BoundaryRepository;
import aim.incidents.IncidentFilter;
import aim.incidents.TaxonomyRepository;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The hotspot endpoints: maps ({@code GET /api/hotspots}), emerging hotspots
 * ({@code GET /api/hotspots/emerging}) and accuracy ({@code GET /api/hotspots/accuracy}). Parses and
 * validates the parameters (a bad one is a 400 problem naming it), runs {@link HotspotEngine}, and
 * streams the result.
 */
public final class HotspotController {
    static final List<String> METHODS = List.of("grid", "hex", "gistar", "kde", "forecast");
    static final int DEFAULT_CELL = 250;
    static final double DEFAULT_TOP = 5;
    static final double MAX_SHARE = 50;

    private final HotspotEngine engine;
    private final java.time.Clock clock;
    private final BoundaryRepository boundaries;
    private final TaxonomyRepository taxonomies;
    private final ObjectMapper json;
    private final AccessControl access;

    public HotspotController(HotspotEngine engine, BoundaryRepository boundaries, TaxonomyRepository taxonomies, ObjectMapper json,
                             AccessControl access, java.time.Clock clock) {
        this.clock = clock;
        this.engine = engine;
        this.access = access;
        this.boundaries = boundaries;
        this.taxonomies = taxonomies;
        this.json = json;
    }

    /**
     * GET /api/hotspots?method=&cell=&grid=&band=&bandwidth=&output=&top=&fdr=&all=&from=&to=&category=&source=&area=&version=&bbox=
     * ({@code bbox}: optional WGS84 minLon,minLat,maxLon,maxLat; the study area is limited to the whole cells meeting it,
     * e.g. the map's view for incident counts per cell).
     */
    public void map(Context ctx) throws IOException {
        String method = QueryParams.choice(ctx, "method", "gistar", METHODS);
        if (method.equals("forecast")) {
            forecast(ctx);
            return;
        }
        Grid grid = grid(ctx, method);
        Double band = distance(ctx, "band", grid.size(), GiStar.MAX_BAND_CELLS);
        Double bandwidth = distance(ctx, "bandwidth", grid.size(), KernelDensity.MAX_BANDWIDTH_CELLS);
        String output = QueryParams.choice(ctx, "output", "cells", List.of("cells", "bands"));
        if (output.equals("bands") && !method.equals("kde")) {
            throw DomainException.invalid("output", "output=bands is for method=kde; other methods give cells");
        }
        double top = percent(ctx, "top", DEFAULT_TOP);
        boolean fdr = QueryParams.bool(ctx, "fdr", true);
        boolean all = QueryParams.bool(ctx, "all", false);
        double[] bbox = QueryParams.bbox(ctx, "bbox");
        IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomies.load(), access.required(ctx));
        var request = new HotspotEngine.MapRequest(method, grid, band, bandwidth,
                output.equals("bands"), top, fdr, all, filter, bbox);
        stream(ctx, run(() -> engine.map(request)));
    }

    /**
     * GET /api/hotspots?method=forecast&cell=&grid=&share=&folds=&all=&from=&to=&category=&source=&area=&version=:
     * the forecast for the month after the selection's last whole month ({@link HotspotForecaster}).
     */
    private void forecast(Context ctx) throws IOException {
        refuse(ctx, "method=forecast chooses its own smoothing by backtest", "band", "bandwidth", "output", "top", "fdr");
        refuse(ctx, "method=forecast ranks the whole study area", "bbox");
        Grid grid = grid(ctx, "forecast");
        double share = percent(ctx, "share", HotspotAccuracy.DEFAULT_SHARE);
        int folds = QueryParams.integer(ctx, "folds", Forecast.DEFAULT_FOLDS, Forecast.MIN_FOLDS, Forecast.MAX_FOLDS);
        boolean all = QueryParams.bool(ctx, "all", false);
        IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomies.load(), access.required(ctx));
        // whole months that are over: the forecast starts after the last month the window holds whole, and
        // never later than this month (a window running into the future is cut at yesterday)
        LocalDate yesterday = LocalDate.now(clock.withZone(Council.UK)).minusDays(1);
        LocalDate to = filter.to() == null || filter.to().isAfter(yesterday) ? yesterday : filter.to();
        YearMonth origin = to.equals(YearMonth.from(to).atEndOfMonth()) ? YearMonth.from(to).plusMonths(1) : YearMonth.from(to);
        YearMonth first = filter.from() != null ? YearMonth.from(filter.from()) : origin.minusMonths(3);
        long months = ChronoUnit.MONTHS.between(first, origin);
        if (months < 1) {
            throw DomainException.invalid(filter.from() != null ? "from" : "to", "the forecast needs at least one whole month before "
                    + origin + " (it forecasts from whole months; the window's last month " + origin + " is not over by " + to + ")");
        }
        if (months > MAX_FORECAST_MONTHS) {
            throw DomainException.invalid("from", "the forecast's selection is at most " + MAX_FORECAST_MONTHS + " whole months; "
                    + first + " to " + origin.minusMonths(1) + " is " + months);
        }
        var request = new HotspotForecaster.MapRequest(grid, share, folds, all, filter, origin, (int) months);
        stream(ctx, run(() -> engine.forecast(request)));
    }

    /** Most whole months a forecast's selection (the naive map's window) may span. */
    static final int MAX_FORECAST_MONTHS = 36;

    /** A 400 problem naming the first of {@code names} given, which this request does not use. */
    private static void refuse(Context ctx, String why, String... names) {
        for (String name : names) {
            if (ctx.queryParam(name) != null) throw DomainException.invalid(name, why + ": leave out " + name);
        }
    }

    /** GET /api/hotspots/emerging?interval=&cell=&grid=&band=&fdr=&all=&from=&to=&category=&source=&area=&version= */
    public void emerging(Context ctx) throws IOException {
        String interval = QueryParams.choice(ctx, "interval", "month", TimeSlices.INTERVALS);
        Grid grid = grid(ctx, "gistar");
        Double band = distance(ctx, "band", grid.size(), GiStar.MAX_BAND_CELLS);
        boolean fdr = QueryParams.bool(ctx, "fdr", true);
        boolean all = QueryParams.bool(ctx, "all", false);
        IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomies.load(), access.required(ctx));
        TimeSlices slices = TimeSlices.defaultWindow(interval, filter.from(), filter.to(), LocalDate.now(clock.withZone(Council.UK)));
        if (slices.size() < EmergingHotspots.MIN_SLICES) {
            throw DomainException.invalid("from", String.format(Locale.ROOT,
                    "emerging hotspots need at least %d time slices for the Mann-Kendall trend test; %s to %s is %d %s%s: "
                            + "choose an earlier from or interval=month", EmergingHotspots.MIN_SLICES, slices.from(), slices.to(),
                    slices.size(), interval, slices.size() == 1 ? "" : "s"));
        }
        if (slices.size() > EmergingHotspots.MAX_SLICES) {
            throw DomainException.invalid("from", "at most " + EmergingHotspots.MAX_SLICES + " time slices; " + slices.from()
                    + " to " + slices.to() + " is " + slices.size() + " " + interval + "s: choose a later from or interval=quarter");
        }
        var request = new HotspotEngine.EmergingRequest(grid, band, fdr, all, slices, filter);
        stream(ctx, run(() -> engine.emerging(request)));
    }

    /** GET /api/hotspots/accuracy?method=&cell=&grid=&band=&bandwidth=&share=&from=&to=&test_from=&test_to=&category=&source=&area=&version= */
    public void accuracy(Context ctx) {
        String method = QueryParams.choice(ctx, "method", "gistar", METHODS);
        Grid grid = grid(ctx, method);
        Double band = distance(ctx, "band", grid.size(), GiStar.MAX_BAND_CELLS);
        Double bandwidth = distance(ctx, "bandwidth", grid.size(), KernelDensity.MAX_BANDWIDTH_CELLS);
        double share = percent(ctx, "share", HotspotAccuracy.DEFAULT_SHARE);
        IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomies.load(), access.required(ctx));
        if (filter.from() == null || filter.to() == null) {
            throw DomainException.invalid(filter.from() == null ? "from" : "to", "accuracy needs a training window: give both from and to");
        }
        LocalDate testFrom = QueryParams.date(ctx, "test_from");
        LocalDate testTo = QueryParams.date(ctx, "test_to");
        if (testFrom != null && !testFrom.isAfter(filter.to())) {
            throw DomainException.invalid("test_from", "the test window must start after the training window (test_from after " + filter.to() + ")");
        }
        HotspotAccuracy.Windows windows = HotspotAccuracy.windows(filter.from(), filter.to(), testFrom, testTo);
        if (!windows.testFrom().isAfter(filter.to())) {
            throw DomainException.invalid("test_to", "the test window must start after the training window; give test_from too");
        }
        if (windows.testTo().isBefore(windows.testFrom())) {
            throw DomainException.invalid("test_to", "test_to (" + windows.testTo() + ") is before test_from (" + windows.testFrom() + ")");
        }
        if (method.equals("forecast")) {
            refuse(ctx, "method=forecast chooses its own smoothing by backtest", "band", "bandwidth");
            int folds = QueryParams.integer(ctx, "folds", Forecast.DEFAULT_FOLDS, Forecast.MIN_FOLDS, Forecast.MAX_FOLDS);
            wholeMonths(windows);
            var forecast = new HotspotForecaster.AccuracyRequest(grid, share, folds, windows, filter);
            ctx.header("Cache-Control", "private, no-store");
            ctx.json(run(() -> engine.forecastAccuracy(forecast)));
            return;
        }
        var request = new HotspotEngine.AccuracyRequest(method, grid, band, bandwidth, share, windows, filter);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(run(() -> engine.accuracy(request)));
    }

    /** The forecast is judged in whole months: the training window, then the test window straight after it. */
    private static void wholeMonths(HotspotAccuracy.Windows w) {
        if (w.from().getDayOfMonth() != 1) {
            throw DomainException.invalid("from", "method=forecast works in whole months: from must be a month's first day, not " + w.from());
        }
        if (!w.to().equals(YearMonth.from(w.to()).atEndOfMonth())) {
            throw DomainException.invalid("to", "method=forecast works in whole months: to must be a month's last day, not " + w.to());
        }
        if (!w.testFrom().equals(w.to().plusDays(1))) {
            throw DomainException.invalid("test_from", "the forecast is judged on the months straight after the training window: test_from must be "
                    + w.to().plusDays(1));
        }
        if (!w.testTo().equals(YearMonth.from(w.testTo()).atEndOfMonth())) {
            throw DomainException.invalid("test_to", "method=forecast works in whole months: test_to must be a month's last day, not " + w.testTo());
        }
        long training = ChronoUnit.MONTHS.between(YearMonth.from(w.from()), YearMonth.from(w.testFrom()));
        if (training > MAX_FORECAST_MONTHS) {
            throw DomainException.invalid("from", "the forecast's training window is at most " + MAX_FORECAST_MONTHS + " months, not " + training);
        }
        long test = ChronoUnit.MONTHS.between(YearMonth.from(w.testFrom()), YearMonth.from(w.testTo())) + 1;
        if (test > MAX_FORECAST_HORIZON) {
            throw DomainException.invalid("test_to", "the forecast's test window is at most " + MAX_FORECAST_HORIZON + " months, not " + test);
        }
    }

    /** Most months a forecast's test window may span. */
    static final int MAX_FORECAST_HORIZON = 12;

    private static <T> T run(java.util.function.Supplier<T> analysis) {
        try {
            return analysis.get();
        } catch (HotspotRepository.TooManyCells e) {
            throw DomainException.invalid("cell", "the study area has " + e.cells + " cells at this size, more than "
                    + GridCounts.MAX_CELLS + ": choose a larger cell");
        } catch (HotspotEngine.TooLarge e) {
            throw DomainException.invalid("cell", e.getMessage() + ": choose a larger cell, a shorter window or interval=quarter");
        }
    }

    private void stream(Context ctx, HotspotEngine.Output output) throws IOException {
        ctx.contentType("application/geo+json");
        ctx.header("Cache-Control", "private, no-store");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            output.write(out);
        }
    }

    /** The grid: {@code method=hex} is hexagon counts; otherwise {@code grid=square|hex} (default square). */
    private static Grid grid(Context ctx, String method) {
        String kind = QueryParams.choice(ctx, "grid", method.equals("hex") ? "hex" : "square", List.of("square", "hex"));
        if (method.equals("hex") && !kind.equals("hex")) throw DomainException.invalid("grid", "method=hex counts on hexagons; leave out grid");
        int cell = QueryParams.integer(ctx, "cell", DEFAULT_CELL, Grid.MIN_SIZE, Grid.MAX_SIZE);
        return Grid.of(kind, cell);
    }

    /** A distance in metres from one cell size to {@code maxCells} cell sizes, or null when absent. */
    private static Double distance(Context ctx, String name, double cell, int maxCells) {
        return QueryParams.number(ctx, name, cell, false, maxCells * cell, String.format(Locale.ROOT,
                "a distance in metres from the cell size (%.0f) to %d × the cell size (%.0f)", cell, maxCells, maxCells * cell));
    }

    /** A percentage above 0 and at most 50. */
    private static double percent(Context ctx, String name, double fallback) {
        Double d = QueryParams.number(ctx, name, 0, true, MAX_SHARE, "a percentage of the study area above 0 and at most " + (int) MAX_SHARE);
        return d == null ? fallback : d;
    }


}
