package aim.bench;

import aim.Config;
import aim.DemoLoader;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.web.App;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The area statistics and time series at scale: {@code --rows} incidents (default 1,000,000) generated
 * by PostGIS over the demo borough for 2024–2025 (55% month-precise police rows, 1% of them area-only
 * with the code of a generated 1 km "LSOA" set, the rest council and warden reports with day or minute
 * precision), then each endpoint timed over HTTP (java.net.http against the started app, whole body
 * read) against a hand-written SQL query computing the same counts over JDBC (bounds bound as
 * parameters, so the time index filters before the point-in-polygon tests): the median of
 * {@code --runs} runs (default 5) after one warm-up, HTTP and SQL runs interleaved so that load from
 * elsewhere hits both alike. Before timing, the endpoint's counts are checked against the SQL's.
 * Target: HTTP within 1.5× of the raw SQL.
 */
public final class AreaStatisticsBenchmark implements Benchmark {
    static final long DEFAULT_ROWS = 1_000_000;
    static final int DEFAULT_RUNS = 5;
    static final double TARGET_RATIO = 1.5;

    /** The demo ward set; the LSOA → ward mapping (an LSOA's ward holds its point-on-surface; the newest LSOA set wins). */
    private static final String WARDS_AND_LSOAS = """
            WITH ward_set AS (SELECT id FROM boundary_set WHERE level = 'ward' AND version = 'demo'),
            lsoa_ward AS (
                SELECT DISTINCT ON (l.code) l.code, x.id AS ward_id
                FROM boundary l JOIN boundary_set s ON s.id = l.set_id AND s.level = 'lsoa'
                LEFT JOIN LATERAL (SELECT w.id FROM boundary w WHERE w.set_id = (SELECT id FROM ward_set)
                                   AND ST_Intersects(w.geom, ST_PointOnSurface(l.geom)) ORDER BY w.code LIMIT 1) x ON true
                ORDER BY l.code, s.valid_from DESC),
            """;

    /**
     * Every incident between two local midnights (parameters 1–4: start, end, start, end as timestamps)
     * with its ward: located ones by point in polygon (a point on an edge goes to the lowest ward code),
     * area-only ones through their LSOA (ward_id null: unknown LSOA).
     */
    private static final String HITS = """
            hits AS (
                SELECT w.id AS ward_id, i.category, i.occurred_at, i.occurred_precision
                FROM boundary w JOIN incident i ON ST_Intersects(w.geom, i.geom)
                WHERE w.set_id = (SELECT id FROM ward_set)
                  AND i.occurred_at >= ?::timestamp AT TIME ZONE 'Europe/London'
                  AND i.occurred_at < ?::timestamp AT TIME ZONE 'Europe/London'
                  AND (ST_Contains(w.geom, i.geom) OR NOT EXISTS (
                       SELECT 1 FROM boundary o WHERE o.set_id = w.set_id AND o.code < w.code AND ST_Intersects(o.geom, i.geom)))
                UNION ALL
                SELECT m.ward_id, i.category, i.occurred_at, i.occurred_precision
                FROM incident i LEFT JOIN lsoa_ward m ON m.code = i.area_code
                WHERE i.geom IS NULL
                  AND i.occurred_at >= ?::timestamp AT TIME ZONE 'Europe/London'
                  AND i.occurred_at < ?::timestamp AT TIME ZONE 'Europe/London')
            """;

    /**
     * Per ward id (null: area-only rows of unknown LSOAs), the incidents of the window and of the previous
     * period; month-precise rows count only when their whole month is inside (the rule of
     * aim.incidents.OccurredWindow). Parameters 5–8: from, to, previous from, previous to.
     */
    static final String RAW_STATS = WARDS_AND_LSOAS + HITS + """
            SELECT h.ward_id,
                   count(*) FILTER (WHERE l.d >= ?::date AND CASE WHEN h.occurred_precision = 'month'
                                    THEN l.d + interval '1 month' <= ?::date + 1 ELSE l.d < ?::date + 1 END),
                   count(*) FILTER (WHERE l.d >= ?::date AND CASE WHEN h.occurred_precision = 'month'
                                    THEN l.d + interval '1 month' <= ?::date + 1 ELSE l.d < ?::date + 1 END)
            FROM hits h CROSS JOIN LATERAL (SELECT h.occurred_at AT TIME ZONE 'Europe/London' AS d) l
            GROUP BY h.ward_id""";

    /** Per local month and category, the incidents in wards between two dates. Parameter 5: to. */
    static final String RAW_SERIES = WARDS_AND_LSOAS + HITS + """
            SELECT to_char(l.d, 'YYYY-MM'), h.category, count(*)
            FROM hits h CROSS JOIN LATERAL (SELECT h.occurred_at AT TIME ZONE 'Europe/London' AS d) l
            WHERE h.ward_id IS NOT NULL
              AND CASE WHEN h.occurred_precision = 'month' THEN l.d + interval '1 month' <= ?::date + 1 ELSE true END
            GROUP BY 1, 2""";

    @Override
    public String name() {
        return "area-statistics";
    }

    /** One timed case: an HTTP request and the raw SQL computing the same counts. */
    private record Case(String name, String path, Callable<Long> sql) {
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) throws Exception {
        return run(context.dataSource(), context.workDir(), context.longOption("rows", DEFAULT_ROWS),
                (int) context.longOption("runs", DEFAULT_RUNS), context.log());
    }

    /** Loads the demo geography and {@code rows} generated incidents into an empty database, then times. */
    public static List<BenchmarkResult> run(DataSource dataSource, java.nio.file.Path workDir, long rows, int runs, PrintStream log)
            throws Exception {
        new DemoLoader(dataSource, workDir).loadIfMissing();
        long t0 = System.nanoTime();
        generate(dataSource, rows);
        log.printf(Locale.ROOT, "  generated %,d incidents and a 1 km LSOA set in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);

        Config config = Config.fromEnvironment(Map.of("AIM_TILE_URL", "")).withPort(0);
        Javalin app = App.create(config, dataSource).start(0);
        try {
            Accounts accounts = new Accounts(dataSource);
            accounts.create("bench", "bench", Role.ANALYST, "bench password " + System.nanoTime());
            String token = accounts.createApiToken("bench", "bench");
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + app.port();
            ObjectMapper json = new ObjectMapper();

            String year = "from=2025-01-01&to=2025-12-31";
            check(json.readTree(get(http, base + "/api/areas/stats?" + year, token)), rawStats(dataSource, "2025-01-01", "2025-12-31",
                    "2024-01-01", "2024-12-31"));
            long seriesTotal = json.readTree(get(http, base + "/api/areas/borough/all/series?from=2024-01-01&to=2025-12-31", token))
                    .path("meta").path("count").asLong();
            if (seriesTotal != rawSeries(dataSource, "2024-01-01", "2025-12-31")) {
                throw new IllegalStateException("the borough series (" + seriesTotal + ") disagrees with the raw SQL");
            }

            List<Case> cases = List.of(
                    new Case("ward stats 12m", "/api/areas/stats?level=ward&" + year,
                            () -> rawStatsRows(dataSource, "2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31")),
                    new Case("ward stats 12m CSV", "/api/areas/stats?level=ward&format=csv&" + year,
                            () -> rawStatsRows(dataSource, "2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31")),
                    new Case("neighbourhood stats 12m", "/api/areas/stats?level=neighbourhood&" + year,
                            () -> rawStatsRows(dataSource, "2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31")),
                    new Case("ward stats 1 quarter", "/api/areas/stats?level=ward&from=2025-04-01&to=2025-06-30",
                            () -> rawStatsRows(dataSource, "2025-04-01", "2025-06-30", "2025-01-01", "2025-03-31")),
                    new Case("borough series 24m", "/api/areas/borough/all/series?from=2024-01-01&to=2025-12-31",
                            () -> rawSeries(dataSource, "2024-01-01", "2025-12-31")),
                    new Case("borough series 8q", "/api/areas/borough/all/series?interval=quarter&from=2024-01-01&to=2025-12-31",
                            () -> rawSeries(dataSource, "2024-01-01", "2025-12-31")));

            List<BenchmarkResult> results = new ArrayList<>();
            List<String[]> table = new ArrayList<>();
            for (Case c : cases) {
                log.println("  timing " + c.name() + " …");
                Callable<Long> httpCall = () -> (long) get(http, base + c.path(), token).length();
                httpCall.call(); // warm-up: JIT, plans, caches
                c.sql().call();
                double[] httpTimes = new double[runs], sqlTimes = new double[runs];
                for (int r = 0; r < runs; r++) {
                    // interleaved, alternating which goes first, so background load falls on both alike
                    if (r % 2 == 0) {
                        sqlTimes[r] = time(c.sql());
                        httpTimes[r] = time(httpCall);
                    } else {
                        httpTimes[r] = time(httpCall);
                        sqlTimes[r] = time(c.sql());
                    }
                }
                double sql = median(sqlTimes), web = median(httpTimes);
                table.add(new String[]{c.name(), String.format(Locale.ROOT, "%.3f", sql), String.format(Locale.ROOT, "%.3f", web),
                        String.format(Locale.ROOT, "%.2f", web / sql), web / sql <= TARGET_RATIO ? "yes" : "NO"});
                results.add(new BenchmarkResult("area-statistics", c.name() + ": raw SQL", rows, sql));
                results.add(new BenchmarkResult("area-statistics", c.name() + ": HTTP", rows, web));
            }
            log.println();
            log.printf("  %,d incidents, median of %d runs (seconds)%n", rows, runs);
            String format = "  %-24s %10s %10s %8s %10s%n";
            log.printf(format, "case", "raw SQL", "HTTP", "ratio", "≤ " + TARGET_RATIO + "×");
            for (String[] row : table) log.printf(format, (Object[]) row);
            return results;
        } finally {
            app.stop();
        }
    }

    /** The incidents and the LSOA set. Deterministic (seeded). */
    static void generate(DataSource dataSource, long rows) throws Exception {
        String sql = """
                SELECT setseed(0.2025);
                WITH s AS (INSERT INTO boundary_set (level, version, valid_from, demo, attribution)
                           VALUES ('lsoa', 'bench-lsoa', '2021-03-21', true, 'generated for the benchmark') RETURNING id),
                borough AS (SELECT ST_Union(b.geom) AS geom FROM boundary b JOIN boundary_set ws ON ws.id = b.set_id
                            WHERE ws.level = 'ward' AND ws.version = 'demo'),
                cells AS (SELECT ST_CollectionExtract(ST_Intersection(g.geom, borough.geom), 3) AS geom
                          FROM borough, ST_SquareGrid(1000, borough.geom) g WHERE ST_Intersects(g.geom, borough.geom))
                INSERT INTO boundary (set_id, code, name, geom)
                SELECT s.id, 'E0109' || lpad(row_number() OVER ()::text, 4, '0'), 'Bench LSOA ' || row_number() OVER (),
                       ST_Multi(c.geom)
                FROM s, cells c WHERE NOT ST_IsEmpty(c.geom) AND ST_Area(c.geom) > 1;
                CREATE TEMP TABLE bench_lsoa AS
                    SELECT array_agg(b.code ORDER BY b.code) AS codes FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.version = 'bench-lsoa';
                CREATE TEMP TABLE bench_box AS
                    SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) - ST_XMin(e) AS dx, ST_YMax(e) - ST_YMin(e) AS dy
                    FROM (SELECT ST_Extent(b.geom)::geometry AS e FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = 'demo') x;
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key, area_code)
                SELECT src,
                       (ARRAY['anti-social-behaviour','violence-and-sexual-offences','criminal-damage-arson','burglary',
                              'vehicle-crime','shoplifting','asb-noise','env-graffiti','env-dog-fouling','fly-tipping'])[1 + floor(r2 * 10)::int],
                       CASE WHEN src = 'police' THEN date_trunc('month', local)::timestamp AT TIME ZONE 'Europe/London'
                            ELSE local AT TIME ZONE 'Europe/London' END,
                       CASE src WHEN 'police' THEN 'month' WHEN 'council' THEN 'day' ELSE 'minute' END,
                       CASE WHEN area_only THEN NULL WHEN src = 'police' THEN ST_SnapToGrid(pt, 50) ELSE pt END,
                       CASE WHEN area_only THEN 'area' WHEN src = 'police' THEN 'snapped' ELSE 'exact' END,
                       'bench-' || n,
                       CASE WHEN area_only THEN CASE WHEN mod(n, 1000) = 0 THEN 'E01999999'
                            ELSE codes[1 + floor(r3 * array_length(codes, 1))::int] END END
                FROM (SELECT n, r, r2, r3, codes,
                             CASE WHEN r < 0.55 THEN 'police' WHEN r < 0.80 THEN 'council' ELSE 'warden' END AS src,
                             r < 0.55 AND mod(n, 100) = 0 AS area_only,
                             timestamp '2024-01-01' + r2 * interval '731 days' AS local,
                             ST_SetSRID(ST_MakePoint(x0 + random() * dx, y0 + random() * dy), 27700) AS pt
                      FROM (SELECT n, random() AS r, random() AS r2, random() AS r3 FROM generate_series(1, %d) n) g,
                           bench_lsoa, bench_box) x;
                -- the rows' months get their partitions (the rows move there from the default partition)
                SELECT incident_ensure_months(rollup_month(min(occurred_at)), rollup_month(max(occurred_at))) FROM incident;
                ANALYZE incident;
                ANALYZE boundary;
                """.formatted(rows);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " → " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** Raw SQL: counts per ward id (null: unlocated), current and previous. */
    static Map<Long, long[]> rawStats(DataSource ds, String from, String to, String previousFrom, String previousTo) throws Exception {
        Map<Long, long[]> out = new HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(RAW_STATS)) {
            LocalDate f = LocalDate.parse(from), t = LocalDate.parse(to), pf = LocalDate.parse(previousFrom), pt = LocalDate.parse(previousTo);
            bindBounds(ps, pf, t);
            Object[] dates = {f, t, t, pf, pt, pt};
            for (int k = 0; k < dates.length; k++) ps.setObject(5 + k, dates[k]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put((Long) rs.getObject(1), new long[]{rs.getLong(2), rs.getLong(3)});
            }
        }
        return out;
    }

    private static long rawStatsRows(DataSource ds, String from, String to, String previousFrom, String previousTo) throws Exception {
        return rawStats(ds, from, to, previousFrom, previousTo).size();
    }

    private static long rawSeries(DataSource ds, String from, String to) throws Exception {
        long n = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(RAW_SERIES)) {
            bindBounds(ps, LocalDate.parse(from), LocalDate.parse(to));
            ps.setObject(5, LocalDate.parse(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) n += rs.getLong(3);
            }
        }
        return n;
    }

    /** Parameters 1–4 of {@link #HITS}: local midnight starting {@code first}, local midnight after {@code last}, twice. */
    private static void bindBounds(PreparedStatement ps, LocalDate first, LocalDate last) throws java.sql.SQLException {
        for (int k = 0; k < 2; k++) {
            ps.setObject(1 + 2 * k, first.atStartOfDay());
            ps.setObject(2 + 2 * k, last.plusDays(1).atStartOfDay());
        }
    }

    /** The endpoint's ward counts and unlocated figures must be the raw SQL's. */
    private static void check(JsonNode body, Map<Long, long[]> raw) {
        long current = 0, previous = 0;
        for (Map.Entry<Long, long[]> e : raw.entrySet()) {
            if (e.getKey() == null) continue;
            current += e.getValue()[0];
            previous += e.getValue()[1];
        }
        long[] unlocated = raw.getOrDefault(null, new long[2]);
        JsonNode meta = body.path("meta");
        if (meta.path("count").asLong() != current || meta.path("previousCount").asLong() != previous
                || meta.path("unlocated").path("count").asLong() != unlocated[0]
                || meta.path("unlocated").path("previousCount").asLong() != unlocated[1]) {
            throw new IllegalStateException("the endpoint disagrees with the raw SQL: " + meta + " vs " + current + "/" + previous
                    + ", unlocated " + Arrays.toString(unlocated));
        }
    }

    private static double time(Callable<Long> call) throws Exception {
        long t0 = System.nanoTime();
        call.call();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
