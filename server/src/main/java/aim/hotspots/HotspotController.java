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
import java.util.List;
import java.util.Locale;

/**
 * The hotspot endpoints: maps ({@code GET /api/hotspots}), emerging hotspots
 * ({@code GET /api/hotspots/emerging}) and accuracy ({@code GET /api/hotspots/accuracy}). Parses and
 * validates the parameters (a bad one is a 400 problem naming it), runs {@link HotspotEngine}, and
 * streams the result.
 */
public final class HotspotController {
    static final List<String> METHODS = List.of("grid", "hex", "gistar", "kde");
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
        var request = new HotspotEngine.AccuracyRequest(method, grid, band, bandwidth, share, windows, filter);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(run(() -> engine.accuracy(request)));
    }

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
