package aim.bench;

import aim.Config;
import aim.DemoLoader;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.tiles.TileRepository;
import aim.web.App;
import io.javalin.Javalin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The incident vector tiles at scale ({@code ./aim bench tiles --rows N --runs R}): the hotspot benchmark's
 * {@code --rows} incidents (default 1,000,000) over the demo borough, then at each zoom 10 to 16 the
 * tiles over the borough (all of them up to {@value #MAX_TILES} per zoom, else an even sample) fetched
 * over HTTP as the analyst ({@code /tiles/incidents/z/x/y.mvt}, whole body read), {@code --runs} times
 * (default 3) after one warm-up pass. Each tile is also built by the raw {@code ST_AsMVT} query alone over
 * JDBC: counts per square {@code GROUP BY} cell from raw rows below zoom 14, points from it, without the
 * redaction wrapper, the data-version read or HTTP. Prints per zoom the p50 and p95 of both, their ratio,
 * the mean tile size and tiles per second (one client; then 4 clients over every sampled tile).
 */
public final class TileBenchmark implements Benchmark {
    static final int MAX_TILES = 60;
    static final int DEFAULT_RUNS = 3;

    /** The raw tiles' period: every incident (the tiles here ask for no period). */
    private static final LocalDate EVER_FROM = LocalDate.of(1900, 1, 1), EVER_TO = LocalDate.of(2999, 12, 31);

    @Override
    public String name() {
        return "tiles";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) throws Exception {
        long rows = context.longOption("rows", HotspotBenchmark.DEFAULT_ROWS);
        int runs = (int) context.longOption("runs", DEFAULT_RUNS);
        var log = context.log();
        new DemoLoader(context.dataSource(), context.workDir()).loadIfMissing();
        long t0 = System.nanoTime();
        HotspotBenchmark.generate(context, rows);
        log.printf(Locale.ROOT, "  generated %,d incidents in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
        double[] box = boroughBox(context);

        Config config = Config.fromEnvironment(Map.of("AIM_TILE_URL", "")).withPort(0);
        Javalin app = App.create(config, context.dataSource()).start(0);
        try {
            Accounts accounts = new Accounts(context.dataSource());
            accounts.create("bench", "bench", Role.ANALYST, "bench password " + System.nanoTime());
            String token = accounts.createApiToken("bench", "bench");
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + app.port();

            List<BenchmarkResult> results = new ArrayList<>();
            List<int[]> everyTile = new ArrayList<>();
            String format = "  %-5s %6s %9s %9s %9s %9s %9s %9s %10s%n";
            List<String> table = new ArrayList<>();
            for (int z = 10; z <= 16; z++) {
                List<int[]> tiles = tiles(z, box);
                everyTile.addAll(tiles);
                log.printf(Locale.ROOT, "  zoom %d: %d tiles …%n", z, tiles.size());
                for (int[] t : tiles) {
                    fetch(http, base, token, t); // warm-up
                    raw(context, t);
                }
                List<Double> httpTimes = new ArrayList<>(), rawTimes = new ArrayList<>();
                long bytes = 0;
                double httpTotal = 0;
                for (int r = 0; r < runs; r++) {
                    for (int[] t : tiles) {
                        long s = System.nanoTime();
                        bytes += fetch(http, base, token, t);
                        double seconds = (System.nanoTime() - s) / 1e9;
                        httpTimes.add(seconds);
                        httpTotal += seconds;
                        s = System.nanoTime();
                        raw(context, t);
                        rawTimes.add((System.nanoTime() - s) / 1e9);
                    }
                }
                double p95 = percentile(httpTimes, 95), rawP95 = percentile(rawTimes, 95);
                table.add(String.format(Locale.ROOT, format, "z" + z, tiles.size(), ms(percentile(httpTimes, 50)), ms(p95),
                        ms(percentile(rawTimes, 50)), ms(rawP95), String.format(Locale.ROOT, "%.2f", p95 / rawP95),
                        String.format(Locale.ROOT, "%,d", bytes / httpTimes.size() / 1024),
                        String.format(Locale.ROOT, "%,.0f", httpTimes.size() / httpTotal)));
                results.add(new BenchmarkResult(name(), "z" + z + " p95 HTTP", tiles.size(), p95));
                results.add(new BenchmarkResult(name(), "z" + z + " p95 raw ST_AsMVT", tiles.size(), rawP95));
            }
            // four clients at once over every sampled tile of every zoom
            ExecutorService pool = Executors.newFixedThreadPool(4);
            long s = System.nanoTime();
            List<Future<Long>> done = new ArrayList<>();
            for (int[] t : everyTile) done.add(pool.submit(() -> fetch(http, base, token, t)));
            for (Future<Long> f : done) f.get();
            double concurrent = (System.nanoTime() - s) / 1e9;
            pool.shutdown();
            results.add(new BenchmarkResult(name(), "tiles, 4 clients", everyTile.size(), concurrent));

            log.println();
            log.printf(format, "zoom", "tiles", "p50 ms", "p95 ms", "raw p50", "raw p95", "p95/raw", "KiB/tile", "tiles/s");
            for (String row : table) log.print(row);
            log.printf(Locale.ROOT, "  4 clients: %,d tiles in %.2f s = %,.0f tiles/s%n", everyTile.size(), concurrent,
                    everyTile.size() / concurrent);
            log.printf(Locale.ROOT, "  %,d incidents; HTTP = GET /tiles/incidents/z/x/y.mvt as an analyst (%d runs after a warm-up);"
                    + " raw = the ST_AsMVT query alone (below z%d: GROUP BY %s m squares from raw rows)%n", rows, runs,
                    TileRepository.POINTS_ZOOM, "2000/1000/500/250");
            return results;
        } finally {
            app.stop();
        }
    }

    /** The demo borough's extent in WGS84 {minLon, minLat, maxLon, maxLat}. */
    private static double[] boroughBox(BenchmarkContext context) throws Exception {
        try (Connection c = context.dataSource().getConnection(); var st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(b.geom, 4326)) AS e
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo') x""")) {
            rs.next();
            return new double[]{rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
        }
    }

    /** The tiles at zoom z over the box: all, or an even sample of {@value #MAX_TILES}. */
    static List<int[]> tiles(int z, double[] box) {
        int n = 1 << z;
        int x0 = (int) Math.floor((box[0] + 180) / 360 * n), x1 = (int) Math.floor((box[2] + 180) / 360 * n);
        int y0 = row(box[3], n), y1 = row(box[1], n);
        List<int[]> all = new ArrayList<>();
        for (int x = x0; x <= x1; x++) for (int y = y0; y <= y1; y++) all.add(new int[]{z, x, y});
        if (all.size() <= MAX_TILES) return all;
        List<int[]> sample = new ArrayList<>();
        for (int k = 0; k < MAX_TILES; k++) sample.add(all.get((int) ((long) k * all.size() / MAX_TILES)));
        return sample;
    }

    private static int row(double lat, int n) {
        double r = Math.toRadians(lat);
        return (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
    }

    private static long fetch(HttpClient http, String base, String token, int[] t) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/tiles/incidents/" + t[0] + "/" + t[1] + "/" + t[2] + ".mvt"))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 && response.statusCode() != 204) {
            throw new IllegalStateException("tile " + Arrays.toString(t) + " → " + response.statusCode());
        }
        return response.body().length;
    }

    private static int raw(BenchmarkContext context, int[] t) throws Exception {
        return (int) MapView.rawTile(context.dataSource(), t, EVER_FROM, EVER_TO);
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%,.1f", seconds * 1000);
    }
}
