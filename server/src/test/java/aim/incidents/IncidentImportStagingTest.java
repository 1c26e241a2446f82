package aim.incidents;

import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The import's staging (IncidentImportStaging, migrations/V22__import_steps.sql) on real PostGIS, through a
 * pool of one connection: the session's temp_buffers raised for the import and the connection retired after it;
 * a pooled connection that already used temporary tables still imports (with its own temp_buffers); the new
 * rows' ids ascend with their keys, each month's rows land in their month's partition, and a re-import adds nothing.
 */
@Tag("postgis")
class IncidentImportStagingTest {
    @Fresh({"AIM_DB_POOL_SIZE=1"}) static HikariDataSource db;

    /** {@code perMonth} rows in each of {@code months} (e.g. "2019-04"), keys {@code prefix-<random>}, in file order by month. */
    static String file(String prefix, int perMonth, String... months) {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder(String.join(",", PoliceCsvImporter.HEADER)).append('\n');
        for (String month : months) {
            for (int k = 0; k < perMonth; k++) {
                // keys in no month order: their sort interleaves the months
                csv.append(prefix).append('-').append(Long.toHexString(random.nextLong())).append(',').append(month)
                        .append(",Cleveland Police,Cleveland Police,-1.234,54.567,On or near Albert Road,E01012001,")
                        .append("Middlesbrough 001A,Burglary,Under investigation,\n");
            }
        }
        return csv.toString();
    }

    static long backendPid() throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, Long> perMonth(String prefix) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_char(rollup_month(occurred_at), 'YYYY-MM'), tableoid::regclass::text, count(*)"
                     + " FROM incident WHERE external_key LIKE '" + prefix + "-%' GROUP BY 1, 2")) {
            while (rs.next()) {
                // every row is in its own month's partition
                assertEquals("incident_" + rs.getString(1).replace('-', '_'), rs.getString(2));
                counts.put(rs.getString(1), rs.getLong(3));
            }
        }
        return counts;
    }

    @Test
    void anImportRetiresItsConnectionAndItsIdsAscendWithItsKeys() throws Exception {
        try (Connection c = db.getConnection()) {
            db.evictConnection(c); // a session that has not used temporary tables (the other test's may have)
        }
        long before = backendPid();
        IncidentImportReport report = new PoliceCsvImporter(db).importCsv(new StringReader(file("ret", 300, "2019-04", "2019-05", "2019-06")), "ret.csv");
        assertEquals(900, report.imported());
        // the session that raised temp_buffers is gone: the pool's next connection is a new one, with the default
        assertNotEquals(before, backendPid());
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW temp_buffers")) {
            rs.next();
            assertEquals("8MB", rs.getString(1));
        }
        assertEquals(Map.of("2019-04", 300L, "2019-05", 300L, "2019-06", 300L), perMonth("ret"));
        // ids taken in key order (the file is in month order)
        List<String> byId = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT external_key FROM incident_key WHERE external_key LIKE 'ret-%' ORDER BY id")) {
            while (rs.next()) byId.add(rs.getString(1));
        }
        List<String> sorted = new ArrayList<>(byId);
        Collections.sort(sorted); // String order is code-point order, as COLLATE "C" for these ASCII keys
        assertEquals(sorted, byId);
        // and a re-import adds nothing
        assertEquals(0, new PoliceCsvImporter(db).importCsv(new StringReader(file("ret", 300, "2019-04", "2019-05", "2019-06")), "ret.csv").imported());
    }

    @Test
    void aPooledConnectionThatAlreadyUsedTemporaryTablesStillImports() throws Exception {
        long pid;
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            // this session's temporary buffers now exist at the default size and can no longer be resized
            st.execute("CREATE TEMP TABLE scratch (n integer)");
            st.execute("INSERT INTO scratch VALUES (1)"); // the first page read or written allocates the buffers
            st.execute("DROP TABLE scratch");
            try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
        }
        IncidentImportReport report = new PoliceCsvImporter(db).importCsv(new StringReader(file("used", 200, "2019-08", "2019-09")), "used.csv");
        assertEquals(400, report.imported());
        assertEquals(0, report.rejected());
        assertEquals(Map.of("2019-08", 200L, "2019-09", 200L), perMonth("used"));
        // it kept its settings, so it stays in the pool
        assertEquals(pid, backendPid());
    }
}
