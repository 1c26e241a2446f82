package aim.bench;

import aim.Config;
import aim.DemoLoader;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.web.App;
import io.javalin.Javalin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warden reports under rising load: the app started over the demo borough and its generated
 * incidents; wardens POST reports at 50, 100, 200 and 400 per second ({@code --rates 50,100,200,400},
 * {@code --seconds 10} per step) on an open-loop schedule (each request has a planned start time and
 * its latency counts from then, so a stalled server shows as latency, not as fewer requests), sent by
 * a bounded pool of client threads; one report in twenty is sent again with the same Idempotency-Key,
 * as a phone retries. Meanwhile analysts read hotspot maps and incident pages in a closed loop.
 * Prints per step: requests sent, p50/p99 latency, 2xx, 503 (refused by the admission limit, with
 * Retry-After), other 5xx and failed requests (time-outs, I/O); then checks in the database that every
 * accepted report is stored exactly once per key (none lost, none duplicated) and that every retry was
 * answered with the first answer's report.
 */
public final class ReportLoadBenchmark implements Benchmark {
    static final List<Integer> DEFAULT_RATES = List.of(50, 100, 200, 400);
    static final int DEFAULT_SECONDS = 10;
    static final int CLIENT_THREADS = 400;
    static final int WARDENS = 20;
    static final int DEFAULT_ANALYSTS = 4;
    static final int WARM_UP_RATE = 20;
    static final int WARM_UP_SECONDS = 5;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    @Override
    public String name() {
        return "reports-load";
    }

    /** What one report request got: its key, status (-1: failed without an answer), report id (0: none), latency. */
    private record Outcome(int warden, String key, int status, long reportId, double millis, boolean retry) {
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) throws Exception {
        var log = context.log();
        List<Integer> rates = rates(context.options().get("rates"));
        int seconds = (int) context.longOption("seconds", DEFAULT_SECONDS);
        int analystCount = context.options().containsKey("analysts") && context.options().get("analysts").equals("0") ? 0
                : (int) context.longOption("analysts", DEFAULT_ANALYSTS);
        new DemoLoader(context.dataSource(), context.workDir()).loadEverythingIfMissing();

        // the configured capacity (AIM_MAX_CONCURRENT_REQUESTS …) applies; the pool is the runner's (AIM_DB_POOL_SIZE)
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("AIM_TILE_URL", "");
        Config config = Config.fromEnvironment(env).withPort(0);
        log.println("  capacity: " + config.capacity());
        Javalin app = App.create(config, context.dataSource()).start(0);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        ExecutorService analysts = Executors.newFixedThreadPool(Math.max(1, analystCount));
        try {
            Accounts accounts = new Accounts(context.dataSource());
            String[] wardenTokens = new String[WARDENS];
            long[] wardenIds = new long[WARDENS];
            for (int w = 0; w < WARDENS; w++) {
                String name = "load-warden-" + w;
                wardenIds[w] = accounts.create(name, name, Role.WARDEN, "bench password " + System.nanoTime()).id();
                wardenTokens[w] = accounts.createApiToken(name, "bench");
            }
            accounts.create("load-analyst", "load-analyst", Role.ANALYST, "bench password " + System.nanoTime());
            String analystToken = accounts.createApiToken("load-analyst", "bench");
            double[][] points = pointsInBorough(context, 500);

            var load = new Load(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                    "http://localhost:" + app.port(), wardenTokens, analystToken, points, clients, analysts, analystCount);
            List<Outcome> everything = new ArrayList<>();
            // not reported: the JIT compiles the request path, the pools open their connections
            log.printf(Locale.ROOT, "  warm-up: %d reports/s for %d s …%n", WARM_UP_RATE, WARM_UP_SECONDS);
            everything.addAll(load.step(WARM_UP_RATE, WARM_UP_SECONDS).outcomes());
            List<BenchmarkResult> results = new ArrayList<>();
            List<String> table = new ArrayList<>();
            for (int rate : rates) {
                log.printf(Locale.ROOT, "  %d reports/s for %d s …%n", rate, seconds);
                Step step = load.step(rate, seconds);
                everything.addAll(step.outcomes());
                table.add(row(rate, step.outcomes(), step.reads()));
                long accepted = step.outcomes().stream().filter(o -> !o.retry() && o.status() / 100 == 2).count();
                results.add(new BenchmarkResult(name(), rate + " reports/s, 2xx", accepted, step.seconds()));
            }
            String format = "  %-10s %6s %8s %8s %6s %6s %6s %6s | %6s %8s %8s %6s %6s%n";
            log.println();
            log.printf(format, "reports/s", "sent", "p50 ms", "p99 ms", "2xx", "503", "5xx", "failed",
                    "reads", "p50 ms", "p99 ms", "503", "5xx");
            for (String row : table) log.print(row);
            log.println("  (reports: first sends and retries; reads: analysts' /api/hotspots and /api/incidents pages;"
                    + " failed = no answer within 30 s or an I/O error)");
            log.println("  " + check(context, everything, wardenIds));
            return results;
        } finally {
            clients.shutdownNow();
            analysts.shutdownNow();
            app.stop();
        }
    }

    /** The answers of one step: every report request, every analyst read ({status, millis}), and its wall-clock seconds. */
    private record Step(List<Outcome> outcomes, List<double[]> reads, double seconds) {
    }

    /** The clients of a run and the numbering of its reports (keys load-1, load-2, … across all steps). */
    private record Load(HttpClient http, String base, String[] wardenTokens, String analystToken, double[][] points,
                        ExecutorService clients, ExecutorService analysts, int analystCount, AtomicInteger sequence) {
        Load(HttpClient http, String base, String[] wardenTokens, String analystToken, double[][] points,
             ExecutorService clients, ExecutorService analysts, int analystCount) {
            this(http, base, wardenTokens, analystToken, points, clients, analysts, analystCount, new AtomicInteger());
        }

        /** {@code rate} reports per second for {@code seconds}, planned ahead (open loop), while the analysts read. */
        Step step(int rate, int seconds) throws Exception {
            List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
            List<double[]> reads = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            for (int a = 0; a < analystCount; a++) {
                int analyst = a;
                analysts.submit(() -> readLoop(http, base, analystToken, analyst, running, reads));
            }
            int total = rate * seconds;
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                long planned = start + (long) (i * 1e9 / rate);
                long wait = planned - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                int n = sequence.incrementAndGet();
                int w = n % wardenTokens.length;
                String key = "load-" + n;
                String body = body(points[n % points.length], n);
                boolean retried = n % 20 == 0;
                pending.add(clients.submit(() -> {
                    outcomes.add(post(http, base, wardenTokens[w], w, key, body, planned, false));
                    // a phone that lost the answer sends the same request again
                    if (retried) outcomes.add(post(http, base, wardenTokens[w], w, key, body, System.nanoTime(), true));
                }));
            }
            for (var f : pending) f.get(120, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            running.set(false);
            return new Step(new ArrayList<>(outcomes), reads, elapsed);
        }
    }

    private static Outcome post(HttpClient http, String base, String token, int warden, String key, String body,
                                long planned, boolean retry) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/reports"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long id = 0;
            if (response.statusCode() / 100 == 2) {
                Matcher m = ID.matcher(response.body());
                if (m.find()) id = Long.parseLong(m.group(1));
            }
            return new Outcome(warden, key, response.statusCode(), id, (System.nanoTime() - planned) / 1e6, retry);
        } catch (HttpTimeoutException e) {
            return new Outcome(warden, key, -1, 0, (System.nanoTime() - planned) / 1e6, retry);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return new Outcome(warden, key, -1, 0, (System.nanoTime() - planned) / 1e6, retry);
        }
    }

    /** An analyst reading hotspot maps and incident pages one after the other while the step runs: {status, millis} each. */
    private static void readLoop(HttpClient http, String base, String token, int analyst, AtomicBoolean running,
                                 List<double[]> reads) {
        String[] paths = {"/api/hotspots?method=grid&cell=250", "/api/incidents?limit=200",
                "/api/hotspots?method=gistar&cell=250", "/api/incidents?limit=200&category=fly-tipping"};
        int k = analyst;
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            String path = paths[k++ % paths.length];
            long t = System.nanoTime();
            int status;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token).GET().build();
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                status = -1;
            }
            reads.add(new double[]{status, (System.nanoTime() - t) / 1e6});
        }
    }

    private static String row(int rate, List<Outcome> outcomes, List<double[]> reads) {
        double[] ms = outcomes.stream().mapToDouble(Outcome::millis).sorted().toArray();
        double[] readMs;
        int[] readStatus;
        synchronized (reads) {
            readMs = reads.stream().mapToDouble(r -> r[1]).sorted().toArray();
            readStatus = reads.stream().mapToInt(r -> (int) r[0]).toArray();
        }
        return String.format(Locale.ROOT, "  %-10d %6d %8.0f %8.0f %6d %6d %6d %6d | %6d %8.0f %8.0f %6d %6d%n", rate,
                outcomes.size(), percentile(ms, 50), percentile(ms, 99),
                outcomes.stream().filter(o -> o.status() / 100 == 2).count(),
                outcomes.stream().filter(o -> o.status() == 503).count(),
                outcomes.stream().filter(o -> o.status() / 100 == 5 && o.status() != 503).count(),
                outcomes.stream().filter(o -> o.status() < 0 || (o.status() / 100 != 2 && o.status() / 100 != 5)).count(),
                readMs.length, percentile(readMs, 50), percentile(readMs, 99),
                Arrays.stream(readStatus).filter(s -> s == 503).count(),
                Arrays.stream(readStatus).filter(s -> s / 100 == 5 && s != 503).count());
    }

    /**
     * Lost: a key answered 2xx whose report is not stored. Duplicated: a key with more than one stored
     * report or idempotency row. Inconsistent: answers for one key that name different reports.
     */
    private static String check(BenchmarkContext context, List<Outcome> outcomes, long[] wardenIds) throws Exception {
        Map<String, Integer> keyRows = new HashMap<>();
        Map<String, Integer> incidentRows = new HashMap<>();
        try (Connection c = context.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id, key, count(*) FROM idempotency_key WHERE key LIKE 'load-%' GROUP BY user_id, key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keyRows.put(rs.getLong(1) + ":" + rs.getString(2), rs.getInt(3));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT external_key, count(*) FROM incident WHERE source = 'warden' AND external_key LIKE 'warden:%:load-%' GROUP BY external_key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) incidentRows.put(rs.getString(1).substring("warden:".length()), rs.getInt(2));
            }
        }
        Map<String, Long> answeredId = new ConcurrentHashMap<>();
        int lost = 0, inconsistent = 0;
        for (Outcome o : outcomes) {
            if (o.status() / 100 != 2) continue;
            String k = wardenIds[o.warden()] + ":" + o.key();
            if (keyRows.getOrDefault(k, 0) != 1 || incidentRows.getOrDefault(k, 0) != 1) lost++;
            Long before = answeredId.putIfAbsent(k, o.reportId());
            if (before != null && before != o.reportId()) inconsistent++;
        }
        long duplicated = keyRows.values().stream().filter(n -> n > 1).count()
                + incidentRows.values().stream().filter(n -> n > 1).count();
        long storedNotAnswered = incidentRows.keySet().stream().filter(k -> !answeredId.containsKey(k)).count();
        return String.format(Locale.ROOT, "keys answered 2xx (warm-up included): %,d; reports stored: %,d; lost: %d; duplicated: %d;"
                        + " answers for one key naming different reports: %d; stored but never answered 2xx (the client saw 503"
                        + " or a time-out, and a retry would get it): %d",
                answeredId.size(), incidentRows.size(), lost, duplicated, inconsistent, storedNotAnswered);
    }

    /** Points (lon, lat) spread over the demo wards, made by PostGIS. */
    private static double[][] pointsInBorough(BenchmarkContext context, int n) throws Exception {
        List<double[]> points = new ArrayList<>();
        try (Connection c = context.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT ST_X(p), ST_Y(p) FROM (
                    SELECT ST_Transform((ST_Dump(ST_GeneratePoints(ST_Union(ST_Buffer(b.geom, -20)), ?, 7))).geom, 4326) AS p
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo') q""")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) points.add(new double[]{rs.getDouble(1), rs.getDouble(2)});
            }
        }
        return points.toArray(double[][]::new);
    }

    private static String body(double[] p, int n) {
        String occurred = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        return String.format(Locale.ROOT, """
                {"category": "fly-tipping", "lon": %.6f, "lat": %.6f, "accuracyM": 8, "occurredAt": "%s",
                 "description": "Load test report %d", "locationText": "Behind the shops",
                 "flyTipping": {"size": "car-boot", "wasteType": "household", "landType": "back-alley"}}""",
                p[0], p[1], occurred, n);
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static List<Integer> rates(String option) {
        if (option == null) return DEFAULT_RATES;
        List<Integer> rates = new ArrayList<>();
        for (String part : option.split(",")) {
            try {
                int r = Integer.parseInt(part.trim());
                if (r <= 0) throw new NumberFormatException();
                rates.add(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rates must be whole numbers above 0 separated by commas, e.g. 50,100,200,400; not '" + option + "'");
            }
        }
        return rates;
    }
}
