package aim.bench;

import aim.incidents.IncidentImportReport;
import aim.incidents.IncidentImportTimings;
import aim.incidents.PoliceCsvImporter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The police.uk import at scale: a synthetic street-level CSV of {@code --rows} rows (default
 * 1,000,000, see {@link SyntheticPoliceCsv}) imported into an empty incident store, then imported
 * again (every row a duplicate). The import's steps are printed with their times. For comparison, the
 * imported rows (in incident's own columns, exported by COPY TO) are then loaded by a plain COPY into a
 * table like incident without indexes, and into one with incident's indexes: no checks, no keys, no
 * rollups, no partitions.
 */
public final class IncidentImportBenchmark implements Benchmark {
    static final long DEFAULT_ROWS = 1_000_000;

    @Override
    public String name() {
        return "incident-import";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) throws Exception {
        long rows = context.longOption("rows", DEFAULT_ROWS);
        Path file = context.workDir().resolve("synthetic-street.csv");
        long t0 = System.nanoTime();
        SyntheticPoliceCsv.write(file, rows, 20240501L);
        double generated = seconds(t0);
        context.log().printf("  generated %,d rows (%,d MB) in %.1f s%n", rows, Files.size(file) >> 20, generated);

        // --borough demo: load the demo wards, zones and neighbourhoods first, so the import also pays for
        // assigning every incident to them (the rollups of migrations/V9__rollups.sql)
        if ("demo".equals(context.options().get("borough"))) new aim.DemoLoader(context.dataSource(), context.workDir()).loadIfMissing();
        PoliceCsvImporter importer = new PoliceCsvImporter(context.dataSource());
        IncidentImportTimings timings = new IncidentImportTimings();
        long[] wal = walAndCheckpoints(context);
        t0 = System.nanoTime();
        IncidentImportReport first = importer.importFile(file, timings);
        double importSeconds = seconds(t0);
        context.log().println("  import:    " + summary(first));
        printSteps(context, timings, importSeconds);
        printWal(context, wal);

        IncidentImportTimings againTimings = new IncidentImportTimings();
        wal = walAndCheckpoints(context);
        t0 = System.nanoTime();
        IncidentImportReport again = importer.importFile(file, againTimings);
        double reimportSeconds = seconds(t0);
        context.log().println("  re-import: " + summary(again));
        printSteps(context, againTimings, reimportSeconds);
        printWal(context, wal);

        double[] raw = rawCopy(context);

        if (first.read() != rows || first.imported() + first.duplicates() + first.rejected() != rows || again.imported() != 0) {
            throw new IllegalStateException("the import did not account for every row: " + first + " / " + again);
        }
        List<BenchmarkResult> results = new ArrayList<>(List.of(
                new BenchmarkResult(name(), "generate police.uk CSV", rows, generated),
                new BenchmarkResult(name(), "police.uk import (COPY)", first.read(), importSeconds),
                new BenchmarkResult(name(), "police.uk re-import (all duplicates)", again.read(), reimportSeconds),
                new BenchmarkResult(name(), "raw COPY, unindexed table", first.imported(), raw[0]),
                new BenchmarkResult(name(), "raw COPY, incident's indexes", first.imported(), raw[1])));
        return results;
    }

    private static void printSteps(BenchmarkContext context, IncidentImportTimings timings, double total) {
        double sum = 0;
        for (IncidentImportTimings.Step step : timings.steps()) {
            context.log().printf(Locale.ROOT, "    %-52s %8.2f s%n", step.name(), step.seconds());
            sum += step.seconds();
        }
        context.log().printf(Locale.ROOT, "    %-52s %8.2f s%n", "(other: taxonomy, file, connection)", total - sum);
    }

    /**
     * The cluster's WAL position (bytes) and its count of checkpoints so far: what an import wrote, and how many
     * checkpoints it met (each one makes the next change to every page log the whole page again), are figures the
     * shared machine's noise does not touch.
     */
    private static long[] walAndCheckpoints(BenchmarkContext context) throws Exception {
        try (Connection c = context.dataSource().getConnection(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn, checkpoints_timed + checkpoints_req"
                     + " FROM pg_stat_bgwriter")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static void printWal(BenchmarkContext context, long[] before) throws Exception {
        long[] after = walAndCheckpoints(context);
        context.log().printf(Locale.ROOT, "    %-52s %,8d MB, %d checkpoint(s) began%n", "WAL written (cluster-wide)",
                (after[0] - before[0]) >> 20, after[1] - before[1]);
    }

    /**
     * The imported rows loaded by a plain COPY (text format, one transaction each) into a table with
     * incident's columns and no index, then into one with incident's indexes (as a partition would
     * have them); seconds of each. The tables are dropped again.
     */
    private static double[] rawCopy(BenchmarkContext context) throws Exception {
        Path rowsFile = context.workDir().resolve("incident-rows.copy");
        double[] seconds = new double[2];
        try (Connection c = context.dataSource().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            try (OutputStream out = Files.newOutputStream(rowsFile)) {
                copy.copyOut("COPY (SELECT * FROM incident) TO STDOUT", out);
            }
            String[] ddl = {"CREATE TABLE bench_raw_copy (LIKE incident INCLUDING DEFAULTS)",
                    "CREATE TABLE bench_raw_copy (LIKE incident INCLUDING DEFAULTS INCLUDING INDEXES)"};
            for (int k = 0; k < 2; k++) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute(ddl[k]);
                }
                long t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(rowsFile)) {
                    copy.copyIn("COPY bench_raw_copy FROM STDIN", in, 1 << 16);
                }
                c.commit();
                seconds[k] = seconds(t0);
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE bench_raw_copy");
                }
            }
        }
        Files.deleteIfExists(rowsFile);
        context.log().printf(Locale.ROOT, "  raw COPY of the imported rows: %.2f s into a table without indexes, %.2f s with incident's indexes%n",
                seconds[0], seconds[1]);
        return seconds;
    }

    private static String summary(IncidentImportReport r) {
        return String.format("read %,d, imported %,d, duplicates %,d, rejected %,d, area-only %,d",
                r.read(), r.imported(), r.duplicates(), r.rejected(), r.areaOnly());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
