package aim.bench;

import aim.Config;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.PopulationImporter;
import aim.hotspots.FinancialQuarter;
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
 * the analyst's map makes is timed over HTTP against the started app ({@code --runs} runs each, default
 * 10, after one warm-up; p50 and p95), next to the raw SQL computing the same counts for the ones that
 * have an obvious raw form, and the map's first screen is timed as the browser loads it (its requests six
 * at a time, wall time until the last answer). Goals (issue 11): every request p95 &lt; 200 ms at 2M, the
 * map ready in &lt; 2 s, the import ≥ 50k rows/s.
 */
public final class ScaleBenchmark implements Benchmark {
    static final long DEFAULT_ROWS = 2_000_000;
    static final int DEFAULT_MONTHS = 60, DEFAULT_RUNS = 10;
    static final String LAD = "E06000002";
    static final String WARDS = "bench-wards", LSOAS = "bench-lsoas";

    @Override
    public String name() {
        return "scale";
    }

    /** One timed request, and optionally the raw SQL computing the same figures. */
    private record Case(String name, String path, Callable<Long> sql) {
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) throws Exception {
        long rows = context.longOption("rows", DEFAULT_ROWS);
        int months = (int) context.longOption("months", DEFAULT_MONTHS);
        int runs = (int) context.longOption("runs", DEFAULT_RUNS);
        PrintStream log = context.log();
        DataSource db = context.dataSource();
        List<BenchmarkResult> results = new ArrayList<>();

        loadGeography(db, log);
        Path csv = context.workDir().resolve("police.csv");
        YearMonth last = YearMonth.now().minusMonths(1);
        SyntheticPoliceCsv.write(csv, rows, 20261207L, last.minusMonths(months - 1L), months);
        long t0 = System.nanoTime();
        var report = new PoliceCsvImporter(db).importFile(csv);
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "  imported %,d rows in %.1f s: %,.0f rows/s (%s)%n", rows, importSeconds, rows / importSeconds, report);
        results.add(new BenchmarkResult(name(), "import", rows, importSeconds));

        Config config = Config.fromEnvironment(Map.of("AIM_TILE_URL", "")).withPort(0);
        Javalin app = App.create(config, db).start(0);
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
            String bbox = "bbox=-1.30,54.50,-1.15,54.58";
            String ward = firstWard(db);
            List<Case> map = List.of(
                    new Case("config", "/api/config", null),
                    new Case("ward outlines", "/api/boundaries?level=ward&simplify=10", null),
                    new Case("incidents, first page", "/api/incidents?" + bbox + "&from=" + LocalDate.now().minusDays(30) + "&limit=1000", null),
                    new Case("Gi* 250 m, last quarter", "/api/hotspots?method=gistar&cell=250&" + q, () -> rawGrid(db, 250, quarter.start(), quarter.end())),
                    new Case("ward stats, last quarter", "/api/areas/stats?level=ward&" + q, () -> rawWardCounts(db, quarter.start(), quarter.end())),
                    new Case("problems", "/api/problems", null),
                    new Case("assets", "/api/assets?limit=1000", null));
            List<Case> more = List.of(
                    new Case("grid counts 250 m, 12 months", "/api/hotspots?method=grid&cell=250&" + year, () -> rawGrid(db, 250, yearFrom, yearTo)),
                    new Case("Gi* 100 m, last quarter", "/api/hotspots?method=gistar&cell=100&" + q, () -> rawGrid(db, 100, quarter.start(), quarter.end())),
                    new Case("density 100 m, last quarter", "/api/hotspots?method=kde&cell=100&" + q, () -> rawGrid(db, 100, quarter.start(), quarter.end())),
                    new Case("ward stats, 12 months", "/api/areas/stats?level=ward&" + year, () -> rawWardCounts(db, yearFrom, yearTo)),
                    new Case("emerging 250 m, 12 months", "/api/hotspots/emerging?interval=month&cell=250&" + year, null),
                    new Case("accuracy 250 m", "/api/hotspots/accuracy?method=grid&cell=250&" + q, null),
                    new Case("ward series, quarters", "/api/areas/ward/" + ward + "/series?interval=quarter", null),
                    new Case("borough series, months", "/api/areas/borough/all/series?interval=month&" + year, null));

            String format = "  %-32s %9s %9s %11s %s%n";
            log.println();
            log.printf(Locale.ROOT, "  %,d incidents over %d months; %d runs per request (seconds)%n", rows, months, runs);
            log.printf(format, "request", "p50", "p95", "raw SQL p50", "status");
            List<Case> all = new ArrayList<>(map);
            all.addAll(more);
            for (Case c : all) {
                int[] status = {0};
                Callable<Long> call = () -> {
                    HttpResponse<byte[]> r = get(http, base + c.path(), token);
                    status[0] = r.statusCode();
                    return (long) r.body().length;
                };
                call.call(); // warm-up
                double[] times = new double[runs];
                for (int r = 0; r < runs; r++) times[r] = time(call);
                Arrays.sort(times);
                String raw = "";
                if (c.sql() != null) {
                    c.sql().call();
                    double[] sql = new double[Math.min(runs, 5)];
                    for (int r = 0; r < sql.length; r++) sql[r] = time(c.sql());
                    Arrays.sort(sql);
                    raw = String.format(Locale.ROOT, "%.3f", percentile(sql, 0.5));
                    results.add(new BenchmarkResult(name(), c.name() + ": raw SQL", rows, percentile(sql, 0.5)));
                }
                log.printf(format, c.name(), String.format(Locale.ROOT, "%.3f", percentile(times, 0.5)),
                        String.format(Locale.ROOT, "%.3f", percentile(times, 0.95)), raw, status[0]);
                results.add(new BenchmarkResult(name(), c.name() + ": HTTP p50", rows, percentile(times, 0.5)));
                results.add(new BenchmarkResult(name(), c.name() + ": HTTP p95", rows, percentile(times, 0.95)));
            }

            // the map's first screen: its requests six at a time (a browser's connections per host)
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                double[] ready = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long start = System.nanoTime();
                    List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
                    for (Case c : map) answers.add(pool.submit(() -> get(http, base + c.path(), token)));
                    for (Future<HttpResponse<byte[]>> a : answers) a.get();
                    ready[r] = (System.nanoTime() - start) / 1e9;
                }
                Arrays.sort(ready);
                log.printf(Locale.ROOT, "  map's first screen (%d requests, 6 at a time): p50 %.3f s, p95 %.3f s%n",
                        map.size(), percentile(ready, 0.5), percentile(ready, 0.95));
                results.add(new BenchmarkResult(name(), "map first screen p95", rows, percentile(ready, 0.95)));
            } finally {
                pool.shutdownNow();
            }
            return results;
        } finally {
            app.stop();
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

    /** Raw SQL: incidents per ward between two dates (point in polygon), summed. */
    private static long rawWardCounts(DataSource db, LocalDate from, LocalDate to) throws Exception {
        return sum(db, """
                SELECT count(*) FROM boundary w JOIN boundary_set s ON s.id = w.set_id AND s.level = 'ward' AND s.version = ?
                JOIN incident i ON ST_Intersects(w.geom, i.geom)
                WHERE i.occurred_at >= ?::date::timestamp AT TIME ZONE 'Europe/London'
                  AND i.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'
                GROUP BY w.id""", WARDS, from, to);
    }

    /** Raw SQL: incidents per square cell of {@code size} metres between two dates, summed. */
    private static long rawGrid(DataSource db, int size, LocalDate from, LocalDate to) throws Exception {
        return sum(db, """
                SELECT count(*) FROM incident i
                WHERE i.geom IS NOT NULL AND i.occurred_at >= ?::date::timestamp AT TIME ZONE 'Europe/London'
                  AND i.occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London'
                GROUP BY floor(ST_X(i.geom) / %1$d), floor(ST_Y(i.geom) / %1$d)""".formatted(size), from, to);
    }

    private static long sum(DataSource db, String sql, Object... params) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < params.length; k++) ps.setObject(k + 1, params[k] instanceof LocalDate d ? d.toString() : params[k]);
            long total = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) total += rs.getLong(1);
            }
            return total;
        }
    }

    private static HttpResponse<byte[]> get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
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
