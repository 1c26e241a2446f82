package aim.incidents;

import aim.DemoLoader;
import aim.areas.RollupMaintenanceTest;
import aim.bench.SyntheticPoliceCsv;
import aim.core.DomainException;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./aim retention --before YYYY-MM}: the months before the cut go whole (partitions, rows waiting in
 * the default partition, their rollup and key rows, events), newer months and the placed points are untouched and the
 * rollups still equal a recount; a problem whose target counts incidents of those months stops it unless
 * forced.
 */
@Tag("postgis")
class RetentionTest {
    @Fresh static TestServer server;

    /** The months from March 2019 on, as the rollups and incident rows hold them (compared before and after). */
    static final String NEWER = """
            SELECT (SELECT count(*) FROM incident WHERE occurred_at >= timestamptz '2019-03-01 00:00 Europe/London'),
                   (SELECT md5(string_agg(id::text, ',' ORDER BY id)) FROM incident WHERE occurred_at >= timestamptz '2019-03-01 00:00 Europe/London'),
                   (SELECT md5(string_agg(a::text, ',' ORDER BY a::text)) FROM area_month_count a WHERE month >= '2019-03-01'),
                   (SELECT md5(string_agg(c::text, ',' ORDER BY c::text)) FROM cell_month_count c WHERE month >= '2019-03-01'),
                   (SELECT md5(string_agg(pa::text, ',' ORDER BY pa::text)) FROM point_area pa)""";

    @Test
    void dropsTheMonthsBeforeTheCutWithTheirRollupsAndLeavesNewerMonthsAlone(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        Path police = dir.resolve("police.csv");
        SyntheticPoliceCsv.write(police, 4_000, 7L, YearMonth.of(2019, 1), 4);
        new PoliceCsvImporter(server.dataSource).importFile(police);
        // a row of a month without a partition (it waits in the default partition), and events of old incidents
        execute("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', 'asb-noise', '2018-12-12 10:00Z', 'minute', geom, 'exact', 'old-default'
                FROM incident WHERE geom IS NOT NULL AND occurred_at >= '2019-02-01' LIMIT 1""");
        execute("INSERT INTO incident_event (incident_id, kind) SELECT id, 'edit' FROM incident WHERE occurred_at < '2019-03-01'");
        long old = count("SELECT count(*) FROM incident WHERE occurred_at < timestamptz '2019-03-01 00:00 Europe/London'");
        long january = count("SELECT count(*) FROM incident_2019_01");
        long february = count("SELECT count(*) FROM incident_2019_02");
        assertEquals(january + february + 1, old);
        assertTrue(count("SELECT count(*) FROM cell_month_count WHERE month < '2019-03-01'") > 0);
        assertTrue(count("SELECT count(*) FROM area_month_count WHERE month < '2019-03-01'") > 0, "the import is in the wards");
        List<String> newer = strings(NEWER);
        long total = count("SELECT count(*) FROM incident");

        // a problem whose baseline (the same months a year before its target's) reaches back before the cut
        long user = count("SELECT id FROM app_user LIMIT 1");
        execute("""
                INSERT INTO problem (title, categories, place_spec, place_label, geom, owner, objective, target_percent, target_months,
                                     target_baseline, target_start, start_date, created_by)
                VALUES ('Noise in the square', '{asb-noise}', '{"polygon": true}', 'The square',
                        ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(450000, 520000), 27700), 100)), 'aim', 'Less noise',
                        -20, 3, 'same-period-last-year', '2019-09-01', '2019-08-01', %d)""".formatted(user));
        DomainException refused = assertThrows(DomainException.class,
                () -> new IncidentRetention(server.dataSource).dropBefore(YearMonth.of(2019, 3), false));
        assertTrue(refused.getMessage().contains("Noise in the square") && refused.getMessage().contains("2018-09-01"), refused.getMessage());
        assertEquals(total, count("SELECT count(*) FROM incident"), "nothing dropped");

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, IncidentRetention.run(server.dataSource, "2019-03", true, new PrintStream(printed, true, StandardCharsets.UTF_8)));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("dropped 2019-01: " + String.format("%,d", january) + " incidents"), out);
        assertTrue(out.contains("dropped 2019-02: " + String.format("%,d", february) + " incidents"), out);
        assertTrue(out.contains("dropped rows from the default partition: 1 incidents"), out);

        assertEquals(0, count("SELECT count(*) FROM pg_class WHERE relname IN ('incident_2019_01', 'incident_2019_02')"));
        assertEquals(1, count("SELECT count(*) FROM pg_class WHERE relname = 'incident_2019_03'"));
        assertEquals(total - old, count("SELECT count(*) FROM incident"));
        assertEquals(0, count("SELECT count(*) FROM incident WHERE occurred_at < timestamptz '2019-03-01 00:00 Europe/London'"));
        assertEquals(0, count("SELECT count(*) FROM cell_month_count WHERE month < '2019-03-01'"));
        assertEquals(0, count("SELECT count(*) FROM area_month_count WHERE month < '2019-03-01'"));
        assertEquals(0, count("SELECT count(*) FROM incident_key WHERE id NOT IN (SELECT id FROM incident)"));
        assertEquals(0, count("SELECT count(*) FROM incident_event WHERE incident_id NOT IN (SELECT id FROM incident)"));
        assertEquals(count("SELECT count(*) FROM incident"), count("SELECT count(*) FROM incident_key"));
        assertEquals(newer, strings(NEWER), "the newer months' rows and rollups are untouched");
        assertExact();

        // nothing left to drop; without a problem counting them, no --force needed
        execute("DELETE FROM problem");
        printed.reset();
        IncidentRetention.run(server.dataSource, "2019-03", false, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("0 month(s), 0 incidents dropped"), printed.toString());
        assertThrows(IllegalArgumentException.class, () -> IncidentRetention.run(server.dataSource, "2019-3", false, System.out));
        assertThrows(IllegalArgumentException.class, () -> IncidentRetention.run(server.dataSource, "2019-13", false, System.out));
    }

    private static void assertExact() throws Exception {
        assertTrue(RollupMaintenanceTest.assertRollupsEqualRecount(server.dataSource, "retention") > 0);
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

    static List<String> strings(String sql) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) values.add(rs.getString(i));
            return values;
        }
    }
}
