package aim.hotspots;

import aim.accounts.AccessControl;
import aim.boundaries.BoundaryRepository;
import aim.incidents.Taxonomy;
import aim.web.ApiProblem;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
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
    private final BoundaryRepository boundaries;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final AccessControl access;

    public HotspotController(HotspotEngine engine, BoundaryRepository boundaries, DataSource dataSource, ObjectMapper json,
                             AccessControl access) {
        this.engine = engine;
        this.access = access;
        this.boundaries = boundaries;
        this.dataSource = dataSource;
        this.json = json;
    }

    /** GET /api/hotspots?method=&cell=&grid=&band=&bandwidth=&output=&top=&fdr=&all=&from=&to=&category=&source=&area=&version= */
    public void map(Context ctx) throws IOException {
        String method = choice(ctx, "method", "gistar", METHODS);
        Grid grid = grid(ctx, method);
        Double band = distance(ctx, "band", grid.size(), GiStar.MAX_BAND_CELLS);
        Double bandwidth = distance(ctx, "bandwidth", grid.size(), KernelDensity.MAX_BANDWIDTH_CELLS);
        String output = choice(ctx, "output", "cells", List.of("cells", "bands"));
        if (output.equals("bands") && !method.equals("kde")) {
            throw ApiProblem.badRequest("output", "output=bands is for method=kde; other methods give cells");
        }
        double top = percent(ctx, "top", DEFAULT_TOP);
        boolean fdr = bool(ctx, "fdr", true);
        boolean all = bool(ctx, "all", false);
        HotspotFilter filter = HotspotParams.filter(ctx, boundaries, Taxonomy.load(dataSource), access.required(ctx));
        var request = new HotspotEngine.MapRequest(method, grid, band, bandwidth,
                output.equals("bands"), top, fdr, all, filter);
        stream(ctx, run(() -> engine.map(request)));
    }

    /** GET /api/hotspots/emerging?interval=&cell=&grid=&band=&fdr=&all=&from=&to=&category=&source=&area=&version= */
    public void emerging(Context ctx) throws IOException {
        String interval = choice(ctx, "interval", "month", TimeSlices.INTERVALS);
        Grid grid = grid(ctx, "gistar");
        Double band = distance(ctx, "band", grid.size(), GiStar.MAX_BAND_CELLS);
        boolean fdr = bool(ctx, "fdr", true);
        boolean all = bool(ctx, "all", false);
        HotspotFilter filter = HotspotParams.filter(ctx, boundaries, Taxonomy.load(dataSource), access.required(ctx));
        TimeSlices slices = TimeSlices.defaultWindow(interval, filter.from(), filter.to(), LocalDate.now(ZoneId.of("Europe/London")));
        if (slices.size() < EmergingHotspots.MIN_SLICES) {
            throw ApiProblem.badRequest("from", String.format(Locale.ROOT,
                    "emerging hotspots need at least %d time slices for the Mann-Kendall trend test; %s to %s is %d %s%s: "
                            + "choose an earlier from or interval=month", EmergingHotspots.MIN_SLICES, slices.from(), slices.to(),
                    slices.size(), interval, slices.size() == 1 ? "" : "s"));
        }
        if (slices.size() > EmergingHotspots.MAX_SLICES) {
            throw ApiProblem.badRequest("from", "at most " + EmergingHotspots.MAX_SLICES + " time slices; " + slices.from()
                    + " to " + slices.to() + " is " + slices.size() + " " + interval + "s: choose a later from or interval=quarter");
        }
        var request = new HotspotEngine.EmergingRequest(grid, band, fdr, all, slices, filter);
        stream(ctx, run(() -> engine.emerging(request)));
    }

    /** GET /api/hotspots/accuracy?method=&cell=&grid=&band=&bandwidth=&share=&from=&to=&test_from=&test_to=&category=&source=&area=&version= */
    public void accuracy(Context ctx) {
        String method = choice(ctx, "method", "gistar", METHODS);
        Grid grid = grid(ctx, method);
        Double band = distance(ctx, "band", grid.size(), GiStar.MAX_BAND_CELLS);
        Double bandwidth = distance(ctx, "bandwidth", grid.size(), KernelDensity.MAX_BANDWIDTH_CELLS);
        double share = percent(ctx, "share", HotspotAccuracy.DEFAULT_SHARE);
        HotspotFilter filter = HotspotParams.filter(ctx, boundaries, Taxonomy.load(dataSource), access.required(ctx));
        if (filter.from() == null || filter.to() == null) {
            throw ApiProblem.badRequest(filter.from() == null ? "from" : "to", "accuracy needs a training window: give both from and to");
        }
        LocalDate testFrom = QueryParams.date(ctx, "test_from");
        LocalDate testTo = QueryParams.date(ctx, "test_to");
        if (testFrom != null && !testFrom.isAfter(filter.to())) {
            throw ApiProblem.badRequest("test_from", "the test window must start after the training window (test_from after " + filter.to() + ")");
        }
        HotspotAccuracy.Windows windows = HotspotAccuracy.windows(filter.from(), filter.to(), testFrom, testTo);
        if (!windows.testFrom().isAfter(filter.to())) {
            throw ApiProblem.badRequest("test_to", "the test window must start after the training window; give test_from too");
        }
        if (windows.testTo().isBefore(windows.testFrom())) {
            throw ApiProblem.badRequest("test_to", "test_to (" + windows.testTo() + ") is before test_from (" + windows.testFrom() + ")");
        }
        var request = new HotspotEngine.AccuracyRequest(method, grid, band, bandwidth, share, windows, filter);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(run(() -> engine.accuracy(request)));
    }

    private static <T> T run(java.util.function.Supplier<T> analysis) {
        try {
            return analysis.get();
        } catch (HotspotRepository.TooManyCells e) {
            throw ApiProblem.badRequest("cell", "the study area has " + e.cells + " cells at this size, more than "
                    + GridCounts.MAX_CELLS + ": choose a larger cell");
        } catch (HotspotEngine.TooLarge e) {
            throw ApiProblem.badRequest("cell", e.getMessage() + ": choose a larger cell, a shorter window or interval=quarter");
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
        String kind = choice(ctx, "grid", method.equals("hex") ? "hex" : "square", List.of("square", "hex"));
        if (method.equals("hex") && !kind.equals("hex")) throw ApiProblem.badRequest("grid", "method=hex counts on hexagons; leave out grid");
        String v = ctx.queryParam("cell");
        int cell = DEFAULT_CELL;
        if (v != null && !v.isBlank()) {
            try {
                cell = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                cell = -1;
            }
            if (cell < Grid.MIN_SIZE || cell > Grid.MAX_SIZE) {
                throw ApiProblem.badRequest("cell", "cell is the cell size in whole metres from " + Grid.MIN_SIZE + " to " + Grid.MAX_SIZE
                        + ", not '" + v + "'");
            }
        }
        return Grid.of(kind, cell);
    }

    /** A distance in metres from one cell size to {@code maxCells} cell sizes, or null when absent. */
    private static Double distance(Context ctx, String name, double cell, int maxCells) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= cell && d <= maxCells * cell)) {
            throw ApiProblem.badRequest(name, String.format(Locale.ROOT, "%s is a distance in metres from the cell size (%.0f) to %d × the cell size (%.0f), not '%s'",
                    name, cell, maxCells, maxCells * cell, v));
        }
        return d;
    }

    /** A percentage above 0 and at most 50. */
    private static double percent(Context ctx, String name, double fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d > 0 && d <= MAX_SHARE)) {
            throw ApiProblem.badRequest(name, name + " is a percentage of the study area above 0 and at most " + (int) MAX_SHARE + ", not '" + v + "'");
        }
        return d;
    }

    private static boolean bool(Context ctx, String name, boolean fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiProblem.badRequest(name, name + " is true or false, not '" + v + "'");
        };
    }

    private static String choice(Context ctx, String name, String fallback, List<String> allowed) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        String value = v.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) throw ApiProblem.badRequest(name, "unknown " + name + " '" + v + "': expected one of " + String.join(", ", allowed));
        return value;
    }
}
