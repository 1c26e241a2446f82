package aim.incidents;

import aim.db.Database;
import aim.db.DatabaseUrl;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A deployment serves with a role that has row access only (Database.grantServing, docs/deploy.md): it may not
 * create or attach tables. A warden's report in a new month and an import of new months still make their
 * partitions (incident_create_month and incident_insert_rows run as incident's owner).
 */
@Tag("postgis")
class ServingRolePartitionTest {
    @Fresh static HikariDataSource db;

    @Test
    void aRowOnlyServingRoleMakesNewMonthsPartitionsThroughReportsAndImports(@TempDir Path dir) throws Exception {
        String role = "aim_rows_only_" + System.nanoTime(); // roles belong to the whole cluster
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'rows only 1'");
        }
        Database.grantServing(db, role);
        try (HikariDataSource serving = Database.connect(new DatabaseUrl(db.getJdbcUrl(), role, "rows only 1"), 2, 10_000)) {
            assertFalse(Database.isSuperuser(serving));
            try (Connection c = serving.getConnection()) {
                // what the report path does before it writes a report in a month without a partition
                assertEquals(1, IncidentPartitions.ensureMonths(c, LocalDate.of(2031, 1, 15), LocalDate.of(2031, 1, 15)));
            }
            Path csv = dir.resolve("new-months.csv");
            Files.writeString(csv, PoliceCsvImporterTest.HEADER
                    + "\nrole-1,2011-03,Cleveland Police,Cleveland Police,-1.2,54.5,On or near A,E01,n,Drugs,,"
                    + "\nrole-2,2011-04,Cleveland Police,Cleveland Police,-1.21,54.51,On or near B,E01,n,Drugs,,\n");
            IncidentImportReport report = new PoliceCsvImporter(serving).importFile(csv);
            assertEquals(2, report.imported(), report.toString());
        }
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT count(*) FROM pg_inherits
                     WHERE inhparent = 'incident'::regclass
                       AND inhrelid::regclass::text IN ('incident_2031_01', 'incident_2011_03', 'incident_2011_04')""")) {
            rs.next();
            assertEquals(3, rs.getLong(1), "the three new months are partitions of incident");
        }
    }
}
