package aim.bench;

import aim.Config;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.PopulationImporter;
import aim.db.SqlFragment;
import aim.hotspots.FinancialQuarter;
import aim.hotspots.HexGrid;
import aim.incidents.PoliceCsvImporter;
import aim.web.App;
import io.javalin.Javalin;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * AIM at a city's scale: {@code --rows} police.uk-style incidents (default 2,000,000, spread over
 * {@code --months} months, default 60, ending last month) over Middlesbrough's 23 real ONS wards, with
 * their real census populations apportioned from the LSOAs, read from the shared open data
 * ({@code AIM_SHARED_DIR}, else {@code ../shared}). The rows are written as a police.uk CSV and imported
 * through the real importer (the import rate includes everything an import maintains). Then every request
 * the analyst's web map makes is timed over HTTP against the started app ({@code --runs} runs each, default
 * 10, after one warm-up whose time is printed as "first"; p50 and p95), next to the raw SQL computing the
 * same counts for the ones that have an obvious raw form:
 * <ul>
 *   <li>the first screen of an analyst (web-map main.js with the role's default layers: wards, hotspots,
 *   problems; the analysis panel open): settings, boundary versions and the user, then the categories, the
 *   ward outlines (a large ward set, more than {@link MapView#LARGE_SET}: its TileJSON and the ward tiles of the
 *   fitted view, as the map draws it), the forecast at 250 m over the last quarter (the panel's default), the ward statistics,
 *   the problems and the assets;</li>
 *   <li>the incidents layer turned on: every vector tile of the view at the zoom the map fits the wards at
 *   ({@link MapView}: a 1280 × 800 window, the view padded by half), for the panel's period; then zoomed in
 *   to z14–z16 (points), each tile a request of its own, beside the tile's raw {@code ST_AsMVT};</li>
 *   <li>the panel's other methods and periods (grid, Gi*, density, emerging over the last 12 months,
 *   accuracy), a ward's profile (its series) and the borough's series.</li>
 * </ul>
 * The first screen is also timed as the browser loads it (the settings, versions and user together, then the
 * rest six at a time; wall time until the last answer), and again with the incidents layer's tiles.
 * Goals (issue 11): every request p95 &lt; 200 ms at 2M, the map ready in &lt; 2 s, the import ≥ 50k rows/s.
 *
 * <p>{@code --national}: the wards of all 322 English authorities instead (7,600, one ward version, see
 * {@link NationalGeography}; the authorities become neighbourhoods), the incidents spread evenly over the
 * wards; the boundary import and the assignment of the incidents to the wards are timed, and the requests
 * are asked nationally (ward statistics of every ward) and for one authority (Middlesbrough: its wards'
 * statistics, the hotspot methods on its area, the incidents in its box). Goal: every request p95 &lt; 500 ms
 * at 10M. Every phase's time is printed, with a linear projection to 10M rows.
 *
 * <p>{@code --analyze}: after the import, ANALYZE the incidents (the parent and its partitions), their keys and
 * areas and the rollups, as autovacuum (and a periodic ANALYZE of the parent) would some minutes later; the
 * requests are then timed with the planner's statistics. Without it they are timed right after the import.
 *
 * <p>{@code --throughput} (private cluster only): then the read throughput of one and of two AIM instances
 * behind a hot standby ({@link ReadThroughput}), {@code --clients} concurrent clients (default 8) for
 * {@code --seconds} (default 20) each.
 */
public final class ScaleBenchmark implements Benchmark {
    static final long DEFAULT_ROWS = 2_000_000;
    static final int DEFAULT_MONTHS = 60, DEFAULT_RUNS = 10, DEFAULT_CLIENTS = 8, DEFAULT_SECONDS = 20;
    static final String LAD = "E06000002";
    static final String WARDS = "bench-wards", LSOAS = "bench-lsoas", AUTHORITIES = "bench-authorities";
    /** The goals of issue 11: request p95 in a borough (at 2M) and nationally (at 10M); the map's first screen. */
    static final double BOROUGH_GOAL = 0.200, NATIONAL_GOAL = 0.500, FIRST_SCREEN_GOAL = 2.0;

    @Override
    public String name() {
        return "scale";
    }

    /** The raw SQL of a case's k-th request (for a tile set, the k-th tile; else k is 0); returns a checksum. */
    private interface RawSql {
        long run(int k) throws Exception;
    }

    /** One timed request (or a set of tiles, each a request), and optionally the raw SQL computing the same figures. */
    private record Case(String name, List<String> paths, RawSql sql) {
        Case(String name, String path, Callable<Long> sql) {
            this(name, List.of(path), sql == null ? null : k -> sql.call());
        }
    }

    /** The incident tiles of a view for the last quarter (the panel's period), beside each tile's raw ST_AsMVT. */
    private static Case tiles(String name, List<int[]> tiles, DataSource db, FinancialQuarter quarter) {
        return new Case(name, tiles.stream().map(t -> MapView.tilePath(t, quarter.start(), quarter.end())).toList(),
                k -> MapView.rawTile(db, tiles.get(k), quarter.start(), quarter.end()));
    }

    /**
     * One line of the final table; {@code first} the warm-up's time (caches cold), {@code kib} the mean answer size; {@code failure} when the request did not answer
     * 200 (then no times).
     */
    private record Line(String request, double p50, double p95, Double first, Double raw, Double kib, double goal, String failure) {
    }

    /**
     * The line of a whole screen's wall times, or of its failure (e.g. nationally a count tile of England that the
     * statement timeout stopped: the screen is then not ready at all).
     */
    private Line screenLine(String name, Callable<double[]> times, List<BenchmarkResult> results, String step, long rows) throws Exception {
        try {
            double[] t = times.call();
            results.add(new BenchmarkResult(name(), step, rows, percentile(t, 0.95)));
            return new Line(name, percentile(t, 0.5), percentile(t, 0.95), null, null, null, FIRST_SCREEN_GOAL, null);
        } catch (java.util.concurrent.ExecutionException | IllegalStateException e) {
            String message = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return new Line(name, Double.NaN, Double.NaN, null, null, null, FIRST_SCREEN_GOAL, message.replaceAll("(?s).* answered (\\d+).*", "$1"));
        }
    }

    /** Wall times (sorted) of loading the first wave together, then the second six at a time, {@code runs} times. */
    private static double[] screenTimes(ExecutorService pool, HttpClient http, String base, String token,
                                        List<String> wave1, List<String> wave2, int runs) throws Exception {
        double[] ready = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            for (List<String> wave : List.of(wave1, wave2)) {
                List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
                for (String path : wave) answers.add(pool.submit(() -> get(http, base + path, token)));
                for (Future<HttpResponse<byte[]>> a : answers) a.get();
            }
            ready[r] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(ready);
        return ready;
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) throws Exception {
        long rows = context.longOption("rows", DEFAULT_ROWS);
        int months = (int) context.longOption("months", DEFAULT_MONTHS);
        int runs = (int) context.longOption("runs", DEFAULT_RUNS);
        boolean national = context.flag("national");
        PrintStream log = context.log();
        DataSource db = context.dataSource();
        List<BenchmarkResult> results = new ArrayList<>();
        Phases phases = new Phases(log, rows);

        // the geography, the incidents, and (nationally) their assignment to the wards and authorities
        NationalGeography england = national ? new NationalGeography(sharedDir()) : null;
        SyntheticPoliceCsv.SnapPoints points = null;
        if (england != null) {
            Path wards = context.workDir().resolve("england-wards.geojson");
            int count = phases.time("ward file written", false, () -> england.writeWards(wards));
            log.printf(Locale.ROOT, "  %,d wards of %d English authorities from %s%n", count, england.authorities(), sharedDir());
            phases.time("boundary import (" + String.format(Locale.ROOT, "%,d", count) + " wards, one version)", false,
                    () -> NationalGeography.importWards(db, wards, WARDS));
            points = phases.time("snap points (" + NationalGeography.POINTS_PER_WARD + " per ward)", false,
                    () -> NationalGeography.snapPoints(db, WARDS));
        } else {
            phases.time("boundaries and populations", false, () -> loadGeography(db, log));
        }
        Path csv = context.workDir().resolve("police.csv");
        YearMonth last = YearMonth.now().minusMonths(1);
        SyntheticPoliceCsv.SnapPoints snap = points;
        phases.time("CSV written", true, () -> {
            if (snap == null) SyntheticPoliceCsv.write(csv, rows, 20261207L, last.minusMonths(months - 1L), months);
            else SyntheticPoliceCsv.write(csv, rows, 20261207L, last.minusMonths(months - 1L), months, snap);
        });
        double importSeconds = phases.time("import (rollups included)", true, () -> {
            var report = new PoliceCsvImporter(db).importFile(csv);
            log.println("  " + report);
        });
        log.printf(Locale.ROOT, "  imported %,d rows in %.1f s: %,.0f rows/s%n", rows, importSeconds, rows / importSeconds);
        results.add(new BenchmarkResult(name(), "import", rows, importSeconds));
        if (england != null) {
            long wardSet = wardSetId(db);
            double assign = phases.time("area assignment (every incident to the wards, afresh)", true, () -> assignAfresh(db, wardSet));
            results.add(new BenchmarkResult(name(), "area assignment", rows, assign));
            phases.time("authorities as neighbourhoods (unions, assignment)", true, () -> england.defineAuthorities(db, AUTHORITIES, WARDS));
        }

        if (context.flag("analyze")) {
            // the statistics autovacuum gathers some minutes after a large import (and an ANALYZE of the parent table)
            phases.time("statistics (ANALYZE incident, its partitions and the rollups)", true, () -> analyze(db));
        }

        Config config = Config.fromEnvironment(Map.of("AIM_TILE_URL", "")).withPort(0);
        Javalin app = App.create(config, db).start(0);
        boolean stopped = false;
        try {
            Accounts accounts = new Accounts(db);
            accounts.create("bench", "bench", Role.ANALYST, "bench password " + System.nanoTime());
            String token = accounts.createApiToken("bench", "bench");
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + app.port();

            FinancialQuarter quarter = FinancialQuarter.of(LocalDate.now()).previous();
            String q = "from=" + quarter.start() + "&to=" + quarter.end();
            LocalDate yearFrom = last.minusMonths(11).atDay(1), yearTo = last.atEndOfMonth();
            String year = "from=" + yearFrom + "&to=" + yearTo;
            String ward = firstWard(db);
            // nationally the hotspot questions are about one authority (Middlesbrough, a neighbourhood of the wards): the
            // map asks them of its study area, and England's 250 m squares are not a question an analyst's map asks
            String area = national ? "&area=neighbourhood:" + LAD : "";
            String areaName = national ? ", " + LAD : "";
            String[] within = national ? new String[]{AUTHORITIES, LAD} : null;
            double goal = national ? NATIONAL_GOAL : BOROUGH_GOAL;
            // the map's queries carry the ward version it shows (analysis-query.js filterParams)
            String v = "&version=" + WARDS;
            String panel = q + v; // the analysis panel's default period: the last complete quarter

            // The analyst's first screen (main.js start, role defaults in panels/layer-choice.js: hotspots, wards,
            // problems; the analysis panel open, its default method the forecast at 250 m over the last quarter).
            // First the settings, boundary versions and the user, together; then the rest once they are in.
            List<Case> settings = List.of(
                    new Case("config", "/api/config", null),
                    new Case("boundary versions", "/api/boundaries/versions", null),
                    new Case("me", "/api/me", null));
            double[] extent = MapView.wardExtent(db, WARDS);
            int fit = MapView.fitZoom(extent);
            double[] centre = MapView.centre(extent);
            List<Case> screen = new ArrayList<>(List.of(new Case("incident categories", "/api/incidents/categories", null)));
            Case neighbourhoodTiles = null; // the neighbourhoods turned on (an analyst's map starts without them)
            if (MapView.wardsAsTiles(wardCount(db))) {
                // a large ward set (England's) is drawn from the ward and neighbourhood tiles of the fitted view, fitted by
                // the wards' TileJSON (web-map layers/boundary-tiles.js); the authorities are the neighbourhoods here
                List<int[]> view = MapView.viewTiles(centre[0], centre[1], fit);
                screen.add(new Case("ward extent (TileJSON)", "/tiles/wards.json?version=" + WARDS, null));
                screen.add(new Case("ward tiles z" + fit + ", the fitted view (" + view.size() + ")",
                        view.stream().map(t -> MapView.boundaryTilePath("wards", t, WARDS)).toList(), null));
                neighbourhoodTiles = new Case("neighbourhood tiles z" + fit + ", turned on (" + view.size() + ")",
                        view.stream().map(t -> MapView.boundaryTilePath("neighbourhoods", t, AUTHORITIES)).toList(), null);
            } else {
                screen.add(new Case("ward outlines" + (national ? ", England" : "") + " (simplify 10 m)",
                        "/api/boundaries?level=ward&version=" + WARDS + "&simplify=10", null));
            }
            screen.addAll(List.of(
                    new Case("forecast 250 m, last quarter" + areaName, "/api/hotspots?method=forecast&cell=250&" + panel + area,
                            () -> rawGrid(db, 250, quarter.start(), quarter.end(), within)),
                    new Case("ward stats, last quarter" + (national ? ", England" : ""), "/api/areas/stats?level=ward&" + panel,
                            () -> rawWardCounts(db, quarter.start(), quarter.end(), null)),
                    new Case("problems", "/api/problems", null),
                    new Case("asset categories", "/api/assets/categories", null),
                    new Case("assets, first page", "/api/assets", null)));
            // the incidents layer, when turned on: every tile of the view (padded by half) at the fitted zoom, for the
            // panel's period (main.js createIncidents, layers/incident-tiles.js)
            List<int[]> fitTiles = MapView.tiles(centre[0], centre[1], fit);
            Case incidents = tiles("incident tiles z" + fit + ", the fitted view (" + fitTiles.size() + ")", fitTiles, db, quarter);

            List<Case> more = new ArrayList<>();
            if (neighbourhoodTiles != null) more.add(neighbourhoodTiles);
            // zooming in: points from TileRepository.POINTS_ZOOM (each view's tiles, padded by half)
            for (int z = Math.max(fit + 1, 14); z <= 16; z++) {
                List<int[]> t = MapView.tiles(centre[0], centre[1], z);
                more.add(tiles("incident tiles z" + z + ", zoomed in (" + t.size() + ")", t, db, quarter));
            }
            // the panel's other methods and periods, a ward's profile and the accuracy button
            more.addAll(List.of(
                    new Case("grid counts 250 m, last quarter" + areaName, "/api/hotspots?method=grid&cell=250&" + panel + area,
                            () -> rawGrid(db, 250, quarter.start(), quarter.end(), within)),
                    new Case("grid counts 250 m, 12 months" + areaName, "/api/hotspots?method=grid&cell=250&" + year + v + area,
                            () -> rawGrid(db, 250, yearFrom, yearTo, within)),
                    new Case("Gi* 250 m, last quarter" + areaName, "/api/hotspots?method=gistar&cell=250&" + panel + area,
                            () -> rawGrid(db, 250, quarter.start(), quarter.end(), within)),
                    new Case("Gi* 100 m, last quarter" + areaName, "/api/hotspots?method=gistar&cell=100&" + panel + area,
                            () -> rawGrid(db, 100, quarter.start(), quarter.end(), within)),
                    new Case("density 250 m, last quarter" + areaName, "/api/hotspots?method=kde&cell=250&" + panel + area,
                            () -> rawGrid(db, 250, quarter.start(), quarter.end(), within)),
                    new Case("density 100 m, last quarter" + areaName, "/api/hotspots?method=kde&cell=100&" + panel + area,
                            () -> rawGrid(db, 100, quarter.start(), quarter.end(), within)),
                    new Case("emerging 250 m, 12 months" + areaName, "/api/hotspots/emerging?interval=month&cell=250&" + year + v + area,
                            () -> rawGrid(db, 250, yearFrom, yearTo, within)),
                    new Case("accuracy, forecast 250 m" + areaName, "/api/hotspots/accuracy?method=forecast&cell=250&share=3&" + panel + area, null),
                    new Case("accuracy, grid 250 m" + areaName, "/api/hotspots/accuracy?method=grid&cell=250&share=3&" + panel + area, null),
                    new Case("ward stats, 12 months" + (national ? ", England" : ""), "/api/areas/stats?level=ward&" + year + v,
                            () -> rawWardCounts(db, yearFrom, yearTo, null)),
                    // hexagons (the panel's Cells choice): whole months from the 50 m squares wholly inside one, squares cut by an edge raw
                    new Case("hexagons 250 m, 12 months" + areaName, "/api/hotspots?method=grid&grid=hex&cell=250&" + year + v + area,
                            () -> rawHex(db, 250, yearFrom, yearTo, within)),
                    new Case("Gi* hexagons 100 m, last quarter" + areaName, "/api/hotspots?method=gistar&grid=hex&cell=100&" + panel + area,
                            () -> rawHex(db, 100, quarter.start(), quarter.end(), within)),
                    new Case("emerging hexagons 250 m, 12 months" + areaName,
                            "/api/hotspots/emerging?interval=month&grid=hex&cell=250&" + year + v + area, null),
                    new Case("ward profile: series, 8 quarters", "/api/areas/ward/" + ward + "/series?interval=quarter&from="
                            + quarter.start().minusMonths(21) + "&to=" + quarter.end() + v, null),
                    new Case("borough series, months", "/api/areas/borough/all/series?interval=month&" + year + v, null)));
            if (national) {
                more.add(new Case("ward stats, last quarter" + areaName, "/api/areas/stats?level=ward&" + panel + area,
                        () -> rawWardCounts(db, quarter.start(), quarter.end(), within)));
                more.add(new Case("ward stats, 12 months" + areaName, "/api/areas/stats?level=ward&" + year + v + area,
                        () -> rawWardCounts(db, yearFrom, yearTo, within)));
            }

            log.println();
            log.printf(Locale.ROOT, "  %,d incidents over %d months%s; %d runs per request (seconds); the map fits the wards at zoom %d%n",
                    rows, months, national ? " over England's wards" : " over Middlesbrough", runs, fit);
            List<Line> lines = new ArrayList<>();
            List<Case> all = new ArrayList<>(settings);
            all.addAll(screen);
            all.add(incidents);
            all.addAll(more);
            for (Case c : all) {
                double first = 0; // the warm-up (cold caches; of a tile set, its slowest tile)
                // a tile set: every tile once per run, each a request of its own (p50/p95 over all of them)
                double[] times = new double[runs * c.paths().size()];
                long bytes = 0;
                try {
                    for (String path : c.paths()) {
                        long t = System.nanoTime();
                        get(http, base + path, token);
                        first = Math.max(first, (System.nanoTime() - t) / 1e9);
                    }
                    for (int r = 0, k = 0; r < runs; r++) {
                        for (String path : c.paths()) {
                            long t = System.nanoTime();
                            bytes += get(http, base + path, token).body().length;
                            times[k++] = (System.nanoTime() - t) / 1e9;
                        }
                    }
                } catch (IllegalStateException e) {
                    // e.g. a 503 after the statement timeout: reported in the table, the other requests still run
                    log.printf("  %-44s FAILED: %s%n", c.name(), e.getMessage());
                    lines.add(new Line(c.name(), Double.NaN, Double.NaN, null, null, null, goal, e.getMessage().replaceAll("(?s).* answered (\\d+).*", "$1")));
                    continue;
                }
                Arrays.sort(times);
                Double raw = null;
                if (c.sql() != null) {
                    // the raw SQL: five runs of a request; of a tile set, up to eight tiles (evenly spread), three runs each
                    int n = c.paths().size();
                    int[] sample = n == 1 ? new int[]{0} : java.util.stream.IntStream.range(0, Math.min(8, n)).map(k -> k * n / Math.min(8, n)).toArray();
                    int rawRuns = Math.min(runs, n == 1 ? 5 : 3);
                    double[] sql = new double[sample.length * rawRuns];
                    for (int k : sample) c.sql().run(k);
                    for (int r = 0, m = 0; r < rawRuns; r++) {
                        for (int k : sample) {
                            long t = System.nanoTime();
                            c.sql().run(k);
                            sql[m++] = (System.nanoTime() - t) / 1e9;
                        }
                    }
                    Arrays.sort(sql);
                    raw = percentile(sql, 0.5);
                    results.add(new BenchmarkResult(name(), c.name() + ": raw SQL", rows, raw));
                }
                Line line = new Line(c.name(), percentile(times, 0.5), percentile(times, 0.95), first, raw, bytes / 1024.0 / times.length, goal, null);
                log.printf(Locale.ROOT, "  %-44s p50 %.3f  p95 %.3f  first %.3f%s  %.0f KiB%n", line.request(), line.p50(), line.p95(), first,
                        raw == null ? "" : String.format(Locale.ROOT, "  raw SQL %.3f", raw), line.kib());
                lines.add(line);
                results.add(new BenchmarkResult(name(), c.name() + ": HTTP p50", rows, line.p50()));
                results.add(new BenchmarkResult(name(), c.name() + ": HTTP p95", rows, line.p95()));
            }

            // the map's first screen as the browser loads it: the settings, versions and user together, then the rest
            // six at a time (a browser's connections per host), wall time until the last answer; then the same with
            // the incidents layer on (its tiles join the second wave). Any request that failed above is left out (said so).
            List<String> failed = lines.stream().filter(l -> l.failure() != null).map(Line::request).toList();
            List<Case> firstScreen = new ArrayList<>(settings);
            firstScreen.addAll(screen);
            firstScreen.removeIf(c -> failed.contains(c.name()));
            String leftOut = failed.isEmpty() ? "" : ", failed left out";
            List<String> wave1 = settings.stream().filter(c -> !failed.contains(c.name())).flatMap(c -> c.paths().stream()).toList();
            List<String> wave2 = screen.stream().filter(c -> !failed.contains(c.name())).flatMap(c -> c.paths().stream()).toList();
            List<String> withTiles = new ArrayList<>(wave2);
            if (!failed.contains(incidents.name())) withTiles.addAll(incidents.paths());
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                String screenName = "map's first screen (" + (wave1.size() + wave2.size()) + " requests, 6 at a time)" + leftOut;
                String drawnName = "... with the incidents layer on (+" + (withTiles.size() - wave2.size()) + " tiles)" + leftOut;
                lines.add(screenLine(screenName, () -> screenTimes(pool, http, base, token, wave1, wave2, runs), results, "map first screen p95", rows));
                lines.add(screenLine(drawnName, () -> screenTimes(pool, http, base, token, wave1, withTiles, runs), results, "map with incidents p95", rows));
            } finally {
                pool.shutdownNow();
            }

            List<ReadThroughput.Row> throughput = List.of();
            List<Case> mix = firstScreen;
            if (context.flag("throughput")) {
                int clients = (int) context.longOption("clients", DEFAULT_CLIENTS);
                int seconds = (int) context.longOption("seconds", DEFAULT_SECONDS);
                app.stop(); // the single instance above leaves the machine to the step's instances
                stopped = true;
                // the mix: the first screen's requests, less any slower alone than the whole screen's goal (nationally the
                // counts in view), which would only measure the statement timeout
                List<String> slow = lines.stream().filter(l -> l.failure() == null && l.p95() >= FIRST_SCREEN_GOAL).map(Line::request).toList();
                mix = firstScreen.stream().filter(c -> !slow.contains(c.name())).toList();
                if (!slow.isEmpty()) log.println("  read throughput: left out of the mix (p95 above " + FIRST_SCREEN_GOAL + " s alone): " + slow);
                throughput = ReadThroughput.run(context, mix.stream().flatMap(c -> c.paths().stream()).toList(), token, clients, seconds);
            }

            phases.print();
            printTable(log, rows, months, runs, national, lines);
            if (!throughput.isEmpty()) {
                log.println();
                log.printf(Locale.ROOT, "  read throughput behind a hot standby: %d of the first screen's requests in turn, round-robin over the instances%n", mix.size());
                log.printf("  %-10s %8s %9s %10s %8s %8s %9s%n", "instances", "clients", "requests", "requests/s", "p50", "p95", "failures");
                for (ReadThroughput.Row t : throughput) {
                    log.printf(Locale.ROOT, "  %-10d %8d %9d %10.1f %8.3f %8.3f %9d%n", t.instances(), t.clients(), t.requests(),
                            t.perSecond(), t.p50(), t.p95(), t.failures());
                    results.add(new BenchmarkResult(name(), "throughput, " + t.instances() + " instance(s)", t.requests(), t.seconds()));
                }
                log.printf("  (%d processors here: the instances, the standby and the clients share them)%n",
                        Runtime.getRuntime().availableProcessors());
            }
            return results;
        } finally {
            if (!stopped) app.stop();
        }
    }

    /** How many wards the benchmark's ward set has. */
    private static long wardCount(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = ?")) {
            ps.setString(1, WARDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The final table: request, p50, p95, raw SQL p50, goal, met? */
    private static void printTable(PrintStream log, long rows, int months, int runs, boolean national, List<Line> lines) {
        String format = "  %-58s %8s %8s %8s %11s %8s %8s %5s%n";
        log.println();
        log.printf(Locale.ROOT, "  %s: %,d incidents over %d months, %d runs per request (seconds)%n",
                national ? "England (7,600 wards)" : "Middlesbrough (23 wards)", rows, months, runs);
        log.printf(format, "request", "p50", "p95", "first", "raw SQL p50", "KiB", "goal", "met?");
        int met = 0;
        for (Line l : lines) {
            boolean ok = l.failure() == null && l.p95() < l.goal();
            if (ok) met++;
            String p50 = l.failure() != null ? "failed" : String.format(Locale.ROOT, "%.3f", l.p50());
            String p95 = l.failure() != null ? l.failure() : String.format(Locale.ROOT, "%.3f", l.p95());
            log.printf(Locale.ROOT, format, l.request(), p50, p95, l.first() == null ? "" : String.format(Locale.ROOT, "%.3f", l.first()),
                    l.raw() == null ? "" : String.format(Locale.ROOT, "%.3f", l.raw()),
                    l.kib() == null ? "" : String.format(Locale.ROOT, "%.0f", l.kib()), String.format(Locale.ROOT, "< %.1f", l.goal()), ok ? "yes" : "NO");
        }
        log.printf(Locale.ROOT, "  goals met: %d of %d (p95 against the goal)%n", met, lines.size());
    }

    /** Phase times, printed at the end with a linear projection of the ones that grow with the rows to 10M. */
    private static final class Phases {
        private static final long PROJECTED = 10_000_000;
        private final PrintStream log;
        private final long rows;
        private final List<String> names = new ArrayList<>();
        private final List<Double> seconds = new ArrayList<>();
        private final List<Boolean> perRow = new ArrayList<>();

        Phases(PrintStream log, long rows) {
            this.log = log;
            this.rows = rows;
        }

        interface Work<T> {
            T run() throws Exception;
        }

        interface Step {
            void run() throws Exception;
        }

        /** Runs and times one phase; {@code perRow}: its time grows with the incidents (projected to 10M). */
        <T> T time(String name, boolean perRow, Work<T> work) throws Exception {
            long t = System.nanoTime();
            T value = work.run();
            record(name, perRow, (System.nanoTime() - t) / 1e9);
            return value;
        }

        double time(String name, boolean perRow, Step step) throws Exception {
            long t = System.nanoTime();
            step.run();
            double s = (System.nanoTime() - t) / 1e9;
            record(name, perRow, s);
            return s;
        }

        private void record(String name, boolean grows, double s) {
            names.add(name);
            seconds.add(s);
            perRow.add(grows);
            log.printf(Locale.ROOT, "  %s: %.1f s%n", name, s);
        }

        void print() {
            String format = "  %-58s %10s %16s%n";
            log.println();
            log.printf(format, "phase", "seconds", String.format(Locale.ROOT, "at %,d (linear)", PROJECTED));
            for (int i = 0; i < names.size(); i++) {
                double s = seconds.get(i);
                log.printf(Locale.ROOT, format, names.get(i), String.format(Locale.ROOT, "%.1f", s),
                        perRow.get(i) ? String.format(Locale.ROOT, "%.0f", s * PROJECTED / rows) : "same");
            }
        }
    }

    /** Middlesbrough's real wards and LSOAs, the LSOAs' census populations, apportioned to the wards. */
    static void loadGeography(DataSource db, PrintStream log) throws Exception {
        Path shared = sharedDir();
        var importer = new BoundaryImporter(db);
        importer.importFile(shared.resolve("geo-data/ons-wards-2013/" + LAD + ".json"), BoundaryImportOptions.of(BoundaryLevel.WARD).withVersion(WARDS));
        importer.importFile(shared.resolve("geo-data/ons-lsoa-2011/" + LAD + ".json"), BoundaryImportOptions.of(BoundaryLevel.LSOA).withVersion(LSOAS));
        var populations = new PopulationImporter(db, new BoundaryRepository(db));
        try (var csv = Files.newBufferedReader(shared.resolve("data/census2011-lsoa-population/LSOA_pop_v2.csv"), StandardCharsets.UTF_8)) {
            populations.importCsv(csv, BoundaryLevel.LSOA, LSOAS, null, new PopulationImporter.Columns(null, null, null));
        }
        populations.apportionFromLsoa(BoundaryLevel.WARD, WARDS, LSOAS, null);
        log.println("  loaded Middlesbrough's real wards and LSOAs with census populations from " + shared);
    }

    /** The shared open data: {@code AIM_SHARED_DIR}, else {@code ../shared} or {@code ../../shared}. */
    static Path sharedDir() {
        String dir = System.getenv("AIM_SHARED_DIR");
        for (Path p : dir != null ? List.of(Path.of(dir)) : List.of(Path.of("..", "shared"), Path.of("..", "..", "shared"))) {
            if (Files.isDirectory(p.resolve("geo-data"))) return p.toAbsolutePath().normalize();
        }
        throw new IllegalStateException("the shared open data is missing: set AIM_SHARED_DIR (it holds geo-data/ and data/)");
    }

    private static String firstWard(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = ?
                ORDER BY b.code LIMIT 1""")) {
            ps.setString(1, WARDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The id of the benchmark's ward set. */
    private static long wardSetId(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM boundary_set WHERE level = 'ward' AND version = ?")) {
            ps.setString(1, WARDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Assigns every incident to the set's areas afresh, as importing a new ward version over them does: the
     * importer's own bulk step (rollup_assign_set: forget the set's rows, one spatial join, the month counts).
     */
    private static void analyze(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); var st = c.createStatement()) {
            st.execute("ANALYZE incident, incident_key, point_area, area_month_count, cell_month_count, cell_month_total, point_month_total");
        }
    }

    private static void assignAfresh(DataSource db, long setId) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT rollup_assign_set(?)")) {
                ps.setLong(1, setId);
                ps.execute();
            }
            c.commit();
        }
    }

    /** {@code AND ST_Intersects(i.geom, <the area>)} for an area {version, code} of the neighbourhoods, or nothing. */
    private static String within(String[] area) {
        return area == null ? "" : """
                 AND ST_Intersects(i.geom, (SELECT b.geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                            WHERE s.level = 'neighbourhood' AND s.version = ? AND b.code = ?))""";
    }

    private static Object[] params(String[] area, Object... first) {
        List<Object> all = new ArrayList<>(Arrays.asList(first));
        if (area != null) all.addAll(Arrays.asList(area));
        return all.toArray();
    }

    /** Raw SQL: incidents per ward between two dates (point in polygon), summed; only in {@code area} when given. */
    private static long rawWardCounts(DataSource db, LocalDate from, LocalDate to, String[] area) throws Exception {
        return sum(db, """
                SELECT count(*) FROM boundary w JOIN boundary_set s ON s.id = w.set_id AND s.level = 'ward' AND s.version = ?
                JOIN incident i ON ST_Intersects(w.geom, i.geom)
                WHERE i.occurred_at >= ?::date::timestamp AT TIME ZONE 'Europe/London'
                  AND i.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'%s
                GROUP BY w.id""".formatted(within(area)), params(area, WARDS, from, to));
    }

    /** Raw SQL: incidents per square cell of {@code size} metres between two dates, summed; only in {@code area} when given. */
    private static long rawGrid(DataSource db, int size, LocalDate from, LocalDate to, String[] area) throws Exception {
        return sum(db, """
                SELECT count(*) FROM incident i
                WHERE i.geom IS NOT NULL AND i.occurred_at >= ?::date::timestamp AT TIME ZONE 'Europe/London'
                  AND i.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'%2$s
                GROUP BY floor(ST_X(i.geom) / %1$d), floor(ST_Y(i.geom) / %1$d)""".formatted(size, within(area)), params(area, from, to));
    }

    /** Raw SQL: incidents per hexagon of edge {@code size} metres between two dates (the raw path's cell rule), summed. */
    private static long rawHex(DataSource db, int size, LocalDate from, LocalDate to, String[] area) throws Exception {
        SqlFragment cells = new HexGrid(size).incidentsWithCells(SqlFragment.of("incident i"));
        String sql = """
                SELECT count(*) FROM %s
                WHERE i.geom IS NOT NULL AND i.occurred_at >= ?::date::timestamp AT TIME ZONE 'Europe/London'
                  AND i.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'%s
                GROUP BY c.ci, c.cj""".formatted(cells.sql(), within(area));
        List<Object> params = new ArrayList<>(cells.params());
        params.addAll(Arrays.asList(params(area, from, to)));
        return sum(db, sql, params.toArray());
    }

    private static long sum(DataSource db, String sql, Object... params) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            try (var st = c.createStatement()) {
                st.execute("SET statement_timeout = 0"); // the raw SQL is the yardstick, not a request: no request timeout
            }
            for (int k = 0; k < params.length; k++) ps.setObject(k + 1, params[k] instanceof LocalDate d ? d.toString() : params[k]);
            long total = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) total += rs.getLong(1);
            }
            return total;
        }
    }

    static HttpResponse<byte[]> get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 && r.statusCode() != 204) { // 204: an empty tile
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r;
    }

    private static double time(Callable<Long> call) throws Exception {
        long t = System.nanoTime();
        call.call();
        return (System.nanoTime() - t) / 1e9;
    }

    /** The p-th percentile of sorted values (nearest rank). */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
