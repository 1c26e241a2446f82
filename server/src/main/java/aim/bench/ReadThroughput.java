package aim.bench;

import aim.Config;
import aim.db.Database;
import aim.db.DatabaseUrl;
import aim.web.App;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read-throughput step of {@code ./aim bench scale --throughput}: a hot standby of the benchmark
 * database ({@link BenchStandby}), then one and then two AIM instances (each {@link App#create} with its own
 * primary pool and AIM_DATABASE_READ_URL naming the standby, as in docs/deploy.md), and {@code clients}
 * concurrent clients sending the map's read requests in turn for {@code seconds}, round-robin over the
 * instances (as nginx would). Prints requests per second and p50/p95 per row.
 */
final class ReadThroughput {
    /** One row of the step's table. */
    record Row(int instances, int clients, long requests, double seconds, double p50, double p95, long failures) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private ReadThroughput() {
    }

    static List<Row> run(BenchmarkContext context, List<String> paths, String token, int clients, int seconds) throws Exception {
        PrintStream log = context.log();
        if (context.cluster() == null || context.database() == null) {
            log.println("  read throughput: skipped, it needs the private cluster (AIM_DATABASE_URL is set)");
            return List.of();
        }
        long t0 = System.nanoTime();
        try (BenchStandby standby = BenchStandby.start(context.cluster(), context.database())) {
            log.printf(Locale.ROOT, "  hot standby started and caught up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Config config = Config.fromEnvironment(Map.of("AIM_TILE_URL", "", "AIM_DATABASE_READ_URL", standby.readUrl())).withPort(0);
            List<Row> rows = new ArrayList<>();
            for (int instances = 1; instances <= 2; instances++) {
                rows.add(measure(context.database(), config, instances, paths, token, clients, seconds));
            }
            return rows;
        }
    }

    private static Row measure(DatabaseUrl database, Config config, int instances, List<String> paths, String token,
                               int clients, int seconds) throws Exception {
        List<HikariDataSource> pools = new ArrayList<>();
        List<Javalin> apps = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<String> bases = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                HikariDataSource primary = Database.connect(database, config.capacity().dbPoolSize(), config.capacity().dbConnectionTimeoutMs());
                pools.add(primary);
                Javalin app = App.create(config, primary).start(0);
                apps.add(app);
                bases.add("http://localhost:" + app.port());
            }
            HttpClient http = HttpClient.newHttpClient();
            for (String base : bases) for (String path : paths) ScaleBenchmark.get(http, base + path, token); // warm-up
            AtomicLong next = new AtomicLong(), failures = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            List<Future<List<Double>>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                final int client = c;
                done.add(pool.submit(() -> {
                    List<Double> times = new ArrayList<>();
                    for (int k = client; System.nanoTime() < end; k++) {
                        String url = bases.get((int) (next.getAndIncrement() % bases.size())) + paths.get(k % paths.size());
                        long t = System.nanoTime();
                        try {
                            ScaleBenchmark.get(http, url, token);
                            times.add((System.nanoTime() - t) / 1e9);
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                    return times;
                }));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> f : done) all.addAll(f.get());
            double elapsed = (System.nanoTime() - start) / 1e9;
            double[] sorted = all.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return new Row(instances, clients, sorted.length, elapsed, ScaleBenchmark.percentile(sorted, 0.5),
                    ScaleBenchmark.percentile(sorted, 0.95), failures.get());
        } finally {
            pool.shutdownNow();
            for (Javalin app : apps) app.stop();
            for (HikariDataSource p : pools) p.close();
        }
    }
}
