package aim.bench;

import aim.Config;
import aim.db.Database;
import aim.db.DatabaseUrl;
import aim.db.PrivateCluster;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the benchmarks of {@code ./aim bench [NAME…] [--rows N]} and prints one table of their
 * steps: rows, seconds and rows per second. Each benchmark gets a fresh database {@value #DATABASE}
 * on the server of AIM_DATABASE_URL (the user must be allowed to create databases) or in the
 * private cluster, dropped again afterwards; the AIM data itself is never touched.
 */
public final class BenchmarkRunner {
    static final String DATABASE = "aim_bench";

    private BenchmarkRunner() {
    }

    /** Every benchmark, in the order they run. Add new ones here. */
    static List<Benchmark> benchmarks() {
        return List.of(new IncidentImportBenchmark(), new HotspotBenchmark(), new AreaStatisticsBenchmark(),
                new ReportLoadBenchmark(), new ScaleBenchmark(), new TileBenchmark());
    }

    /**
     * @param database the configured database (AIM_DATABASE_URL), or null for the private cluster in {@code dataDir}
     * @param names    benchmarks to run (empty: all)
     */
    public static int run(DatabaseUrl database, Path dataDir, Config.Capacity capacity, List<String> names,
                          Map<String, String> options, PrintStream out) throws Exception {
        List<Benchmark> chosen = new ArrayList<>();
        for (Benchmark b : benchmarks()) if (names.isEmpty() || names.contains(b.name())) chosen.add(b);
        for (String name : names) {
            if (benchmarks().stream().noneMatch(b -> b.name().equals(name))) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "'; the benchmarks are "
                        + String.join(", ", benchmarks().stream().map(Benchmark::name).toList()));
            }
        }
        if (database != null && database.jdbcUrl().matches(".*/" + DATABASE + "([?].*)?$")) {
            throw new IllegalArgumentException("AIM_DATABASE_URL names the benchmark's own database " + DATABASE
                    + ", which each benchmark drops: point it at another database of that server");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        PrivateCluster cluster = database == null ? PrivateCluster.start(dataDir.resolve("pgdata")) : null;
        try (cluster) {
            DatabaseUrl server = cluster != null ? cluster.url("postgres") : database;
            for (Benchmark benchmark : chosen) {
                out.println("running " + benchmark.name() + " …");
                results.addAll(runOne(benchmark, server, cluster, capacity, options, out));
            }
        }
        print(results, out);
        return 0;
    }

    private static List<BenchmarkResult> runOne(Benchmark benchmark, DatabaseUrl server, PrivateCluster cluster, Config.Capacity capacity,
                                                Map<String, String> options, PrintStream out) throws Exception {
        recreate(server, true);
        Path workDir = Files.createTempDirectory("aim-bench-");
        try (HikariDataSource ds = Database.connect(server.withDatabase(DATABASE), capacity.dbPoolSize(),
                capacity.dbConnectionTimeoutMs())) {
            Database.migrate(ds);
            return benchmark.run(new BenchmarkContext(ds, workDir, options, out, server.withDatabase(DATABASE), cluster));
        } finally {
            deleteRecursively(workDir);
            recreate(server, false);
        }
    }

    /** Drops the benchmark database and, if {@code create}, creates it empty. The name is ours, never from input. */
    private static void recreate(DatabaseUrl server, boolean create) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE);
            if (create) st.execute("CREATE DATABASE " + DATABASE);
        }
    }

    static void print(List<BenchmarkResult> results, PrintStream out) {
        String format = "%-18s %-34s %12s %10s %12s%n";
        out.println();
        out.printf(format, "benchmark", "step", "rows", "seconds", "rows/s");
        for (BenchmarkResult r : results) {
            out.printf(Locale.ROOT, format, r.benchmark(), r.step(), String.format(Locale.ROOT, "%,d", r.rows()),
                    String.format(Locale.ROOT, "%.2f", r.seconds()), String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond()));
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
