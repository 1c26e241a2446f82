package aim.incidents;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.areas.RollupMaintenanceTest;
import aim.bench.SyntheticPoliceCsv;
import aim.testing.AtOnce;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * incident partitioned by month (migrations/V11__incident_partitions.sql): rows land in their month's
 * partition (the month in Europe/London, as the rollups count it), a month's query reads only its
 * partitions, (source, external_key) stays unique across months (also for 50 parallel retries of one
 * warden report whose month has no partition yet), deleting an incident still removes its events, photos
 * and idempotency keys, moving a report to another month moves its row and keeps the rollups equal to a
 * recount, and rows that waited in the default partition move to their month when it is created.
 */
@Tag("postgis")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionTest {
    @Fresh({"AIM_DB_POOL_SIZE=4", "AIM_MAX_CONCURRENT_REQUESTS=64", "AIM_REQUEST_QUEUE_MS=30000"})
    static TestServer server;
    static String warden;
    static double[] inside;
    static Path policeFile;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        warden = server.userToken("wendy", Role.WARDEN);
        inside = pointInWard(2);
        // police.uk rows over January to April 2019: months that have no partition yet
        policeFile = dir.resolve("police.csv");
        SyntheticPoliceCsv.write(policeFile, 4_000, 11L, YearMonth.of(2019, 1), 4);
    }

    @Test
    @Order(1)
    void importedRowsLandInTheirMonthsPartitions() throws Exception {
        // February has a partition already (its rows go in by the ordinary insert); January, March and April
        // are built whole by the import and attached (incident_insert_rows)
        assertEquals(1, count("SELECT incident_ensure_months('2019-02-01', '2019-02-01')"));
        IncidentImportReport report = new PoliceCsvImporter(server.dataSource).importFile(policeFile);
        assertEquals(4_000, report.read());
        assertTrue(report.imported() > 3_900, report.toString());
        for (String month : List.of("2019_01", "2019_02", "2019_03", "2019_04")) {
            assertEquals(1, count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'incident'::regclass"
                    + " AND inhrelid = 'incident_" + month + "'::regclass"), month);
            assertTrue(count("SELECT count(*) FROM incident_" + month) > 900, month);
        }
        // every row of the store (the demo's and the import's) is in the partition of its rollup month
        assertEquals(0, count("""
                SELECT count(*) FROM incident i
                WHERE i.tableoid::regclass::text <> 'incident_' || to_char(rollup_month(i.occurred_at), 'YYYY_MM')"""));
        assertEquals(0, count("SELECT count(*) FROM incident_default"));
        assertEquals(count("SELECT count(*) FROM incident"), count("SELECT count(*) FROM incident_key"));
        assertExact("the import");
    }

    @Test
    @Order(2)
    void aMonthsQueryReadsOnlyItsPartitions() throws Exception {
        String plan = plan("""
                SELECT count(*) FROM incident
                WHERE occurred_at >= timestamptz '2019-02-01 00:00 Europe/London'
                  AND occurred_at < timestamptz '2019-04-01 00:00 Europe/London'""");
        assertTrue(plan.contains("incident_2019_02") && plan.contains("incident_2019_03"), plan);
        assertFalse(plan.contains("incident_2019_01") || plan.contains("incident_2019_04") || plan.contains("incident_default"), plan);
        // the same with bound values (pruned when the plan is made for them)
        try (Connection c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                EXPLAIN SELECT count(*) FROM incident WHERE occurred_at >= ? AND occurred_at < ?""")) {
            ps.setObject(1, java.time.OffsetDateTime.parse("2019-03-01T00:00Z"));
            ps.setObject(2, java.time.OffsetDateTime.parse("2019-04-01T00:00+01:00"));
            StringBuilder text = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) text.append(rs.getString(1)).append('\n');
            }
            assertTrue(text.toString().contains("incident_2019_03"), text.toString());
            assertFalse(text.toString().contains("incident_2019_02") || text.toString().contains("incident_2019_04"), text.toString());
        }
    }

    @Test
    @Order(3)
    void sourceAndExternalKeyStayUniqueAcrossMonths() throws Exception {
        execute("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                VALUES ('council', 'asb-noise', '2019-01-10 10:00Z', 'minute', ST_SetSRID(ST_MakePoint(450000, 520000), 27700),
                        'exact', 'same-key')""");
        SQLException e = assertThrows(SQLException.class, () -> execute("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                VALUES ('council', 'asb-noise', '2019-03-10 10:00Z', 'minute', ST_SetSRID(ST_MakePoint(450000, 520000), 27700),
                        'exact', 'same-key')"""));
        assertEquals("23505", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("incident_source_external_key_key"), e.getMessage());
        assertEquals(1, count("SELECT count(*) FROM incident WHERE external_key = 'same-key'"));
        // another source may use the same key
        execute("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                VALUES ('warden', 'asb-noise', '2019-03-10 10:00Z', 'minute', ST_SetSRID(ST_MakePoint(450000, 520000), 27700),
                        'exact', 'same-key')""");
        // a re-import adds nothing, whichever month its rows are in
        IncidentImportReport again = new PoliceCsvImporter(server.dataSource).importFile(policeFile);
        assertEquals(0, again.imported(), again.toString());
        assertEquals(again.read() - again.rejected(), again.duplicates(), again.toString());
        assertExact("the duplicates");
    }

    @Test
    @Order(4)
    void fiftyParallelRetriesOfOneReportInAMonthWithoutAPartitionStoreOneReport() throws Exception {
        assertEquals(0, count("SELECT count(*) FROM pg_class WHERE relname = 'incident_2018_07'"));
        String body = report("2018-07-14T09:15:00Z", "Fifty retries");
        List<HttpResponse<String>> answers = AtOnce.all(50, i -> post("retry-key", body));
        Set<Long> ids = new HashSet<>();
        int created = 0;
        for (var r : answers) {
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.statusCode() + " " + r.body());
            if (r.statusCode() == 201) created++;
            ids.add(json(r).path("id").asLong());
        }
        assertEquals(1, created, "one request creates the report, the others replay it");
        assertEquals(1, ids.size(), ids.toString());
        assertEquals(1, count("SELECT count(*) FROM incident WHERE description = 'Fifty retries'"));
        assertEquals(1, count("SELECT count(*) FROM incident_2018_07 WHERE description = 'Fifty retries'"));
        assertEquals(1, count("SELECT count(*) FROM idempotency_key WHERE key = 'retry-key'"));
        assertExact("the parallel retries");
    }

    @Test
    @Order(5)
    void deletingAnIncidentRemovesItsEventsPhotosAndIdempotencyKeys() throws Exception {
        long id = count("SELECT id FROM incident WHERE description = 'Fifty retries'");
        execute("""
                INSERT INTO incident_photo (incident_id, content_type, sha256, original, stripped, width, height)
                VALUES (%d, 'image/png', 'abc', '\\x00', '\\x00', 1, 1)""".formatted(id));
        assertEquals(1, count("SELECT count(*) FROM incident_event WHERE incident_id = " + id));
        assertEquals(1, count("SELECT count(*) FROM idempotency_key WHERE incident_id = " + id));
        // a reference to an incident that does not exist is refused, as before
        SQLException e = assertThrows(SQLException.class, () -> execute("INSERT INTO incident_event (incident_id, kind) VALUES (-5, 'edit')"));
        assertEquals("23503", e.getSQLState());

        execute("DELETE FROM incident WHERE id = " + id);
        for (String table : List.of("incident_key WHERE id", "incident_event WHERE incident_id", "incident_photo WHERE incident_id",
                "idempotency_key WHERE incident_id")) {
            assertEquals(0, count("SELECT count(*) FROM " + table + " = " + id), table);
        }
        assertExact("the delete");
    }

    @Test
    @Order(6)
    void movingReportsToAnotherMonthMovesTheirRowsAndKeepsTheRollupsExact() throws Exception {
        var created = post("move-key", report("2019-02-03T10:00:00Z", "To be moved"));
        assertEquals(201, created.statusCode(), created.body());
        long id = json(created).path("id").asLong();
        assertEquals("incident_2019_02", string("SELECT tableoid::regclass::text FROM incident WHERE id = " + id));
        // over HTTP, to a month that has no partition yet
        var moved = server.send("PATCH", "/api/reports/" + id, HttpRequest.BodyPublishers.ofString("{\"occurredAt\": \"2017-11-30T23:30:00Z\"}"),
                "Authorization", "Bearer " + warden, "Content-Type", "application/json");
        assertEquals(200, moved.statusCode(), moved.body());
        assertEquals("incident_2017_11", string("SELECT tableoid::regclass::text FROM incident WHERE id = " + id));
        assertEquals(1, count("SELECT count(*) FROM incident_key WHERE id = %d AND occurred_at = '2017-11-30 23:30Z'".formatted(id)));
        assertEquals(2, count("SELECT count(*) FROM incident_event WHERE incident_id = " + id), "created and edit");
        assertExact("an edit to another month");
        // by SQL: a whole month's rows a month later (into a month with rows already, and out of the import's window)
        execute("UPDATE incident SET occurred_at = occurred_at + interval '1 month' WHERE occurred_at >= '2019-03-01' AND source = 'police'");
        assertEquals(0, count("SELECT count(*) FROM incident_2019_04 WHERE rollup_month(occurred_at) <> '2019-04-01'"));
        assertTrue(count("SELECT count(*) FROM incident_default") > 0, "April's rows moved to May, which has no partition");
        assertEquals(0, count("""
                SELECT count(*) FROM incident i JOIN incident_key k ON k.id = i.id
                WHERE (k.source, k.external_key, k.occurred_at) IS DISTINCT FROM (i.source, i.external_key, i.occurred_at)"""));
        assertExact("an update across months");
    }

    @Test
    @Order(7)
    void rowsInTheDefaultPartitionMoveToTheirMonthWhenItIsCreated() throws Exception {
        execute("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                VALUES ('council', 'asb-noise', '2016-03-31 23:30Z', 'minute', ST_SetSRID(ST_MakePoint(450100, 520100), 27700),
                        'exact', 'waiting-1'),
                       ('council', 'asb-noise', '2016-03-01 00:30Z', 'minute', ST_SetSRID(ST_MakePoint(450200, 520200), 27700),
                        'exact', 'waiting-2')""");
        long first = count("SELECT id FROM incident WHERE external_key = 'waiting-1'");
        execute("INSERT INTO incident_event (incident_id, kind) VALUES (" + first + ", 'edit')");
        // 23:30 UTC on 31 March 2016 is already April in London (BST)
        assertEquals("incident_default", string("SELECT tableoid::regclass::text FROM incident WHERE id = " + first));
        long waiting = count("SELECT count(*) FROM incident_default");
        assertExact("rows in the default partition");

        assertEquals(2, count("SELECT incident_ensure_months('2016-03-01', '2016-04-01')"));
        assertEquals("incident_2016_04", string("SELECT tableoid::regclass::text FROM incident WHERE id = " + first));
        assertEquals("incident_2016_03", string("SELECT tableoid::regclass::text FROM incident WHERE external_key = 'waiting-2'"));
        assertEquals(waiting - 2, count("SELECT count(*) FROM incident_default"));
        assertEquals(1, count("SELECT count(*) FROM incident_event WHERE incident_id = " + first + " AND kind = 'edit'"));
        assertEquals(0, count("SELECT incident_ensure_months('2016-03-01', '2016-04-01')"), "nothing left to create");

        // and the months moved to in the previous test
        count("SELECT incident_ensure_months('2019-05-01', '2019-05-31')");
        assertEquals(0, count("SELECT count(*) FROM incident_default"));
        assertEquals(0, count("""
                SELECT count(*) FROM incident i
                WHERE i.tableoid::regclass::text <> 'incident_' || to_char(rollup_month(i.occurred_at), 'YYYY_MM')"""));
        assertExact("creating the months");
    }

    @Test
    @Order(8)
    void theBulkPathCountsNewMonthsAndMonthsWhoseRowsWaitedInTheDefaultPartition() throws Exception {
        // June 2015 has rows in the default partition (and so cell counts) but no partition; July 2015 has nothing.
        // incident_insert_rows builds both whole: June's cell counts are added to (an upsert), July's are all new
        // (a plain insert, migrations/V23__import_new_months.sql); a sensitive category adds generalised cells.
        String rows = """
                INSERT INTO %s (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', c, t, 'minute', ST_SetSRID(ST_MakePoint(450100.5 + (k %% 3) * 70, 520100.5), 27700), 'exact', %s || k
                FROM generate_series(1, 30) k,
                     LATERAL (SELECT CASE WHEN k %% 2 = 0 THEN 'asb-noise' ELSE 'violence-and-sexual-offences' END AS c,
                                     CASE WHEN k %% 3 = 0 THEN timestamptz '2015-07-10 10:00Z' ELSE timestamptz '2015-06-10 10:00Z' END AS t) x""";
        execute(rows.formatted("incident", "'waiting-june-'") + " WHERE t < '2015-07-01'");
        assertTrue(count("SELECT count(*) FROM incident_default WHERE occurred_at < '2015-07-01'") > 0);
        assertTrue(count("SELECT count(*) FROM cell_month_count WHERE month = '2015-06-01'") > 0);
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE TEMP TABLE staged (LIKE incident INCLUDING DEFAULTS) ON COMMIT DROP");
            st.execute(rows.formatted("staged", "'bulk-'"));
            st.execute("SELECT * FROM incident_insert_rows('staged')");
            c.commit();
        }
        assertEquals("incident_2015_06", string("SELECT tableoid::regclass::text FROM incident WHERE external_key = 'waiting-june-1'"));
        assertEquals("incident_2015_07", string("SELECT tableoid::regclass::text FROM incident WHERE external_key = 'bulk-3'"));
        assertEquals(0, count("SELECT count(*) FROM incident_default"));
        assertExact("a bulk insert into a new month and a month whose rows waited in the default partition");
    }

    private static void assertExact(String after) throws Exception {
        assertTrue(RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, after) > 0, "assignments exist");
    }

    static String report(String occurredAt, String description) {
        return String.format(Locale.ROOT, """
                {"category": "fly-tipping", "lon": %s, "lat": %s, "accuracyM": 8.5, "occurredAt": "%s",
                 "description": "%s", "flyTipping": {"size": "small-van", "wasteType": "household", "landType": "back-alley"}}""",
                inside[0], inside[1], occurredAt, description);
    }

    static HttpResponse<String> post(String key, String body) throws Exception {
        return server.send("POST", "/api/reports", HttpRequest.BodyPublishers.ofString(body),
                "Authorization", "Bearer " + warden, "Content-Type", "application/json", "Idempotency-Key", key);
    }

    static double[] pointInWard(int n) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6)
                FROM (SELECT ST_Transform(ST_PointOnSurface(b.geom), 4326) AS p
                      FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                      WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET ? LIMIT 1) q""")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    static String plan(String sql) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) text.append(rs.getString(1)).append('\n');
        }
        return text.toString();
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long count(String sql) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String string(String sql) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
