package aim.bench;

import aim.incidents.IncidentImportReport;
import aim.incidents.PoliceCsvImporter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The police.uk import at scale: a synthetic street-level CSV of {@code --rows} rows (default
 * 1,000,000, see {@link SyntheticPoliceCsv}) imported into an empty incident store, then imported
 * again (every row a duplicate).
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
        t0 = System.nanoTime();
        IncidentImportReport first = importer.importFile(file);
        double importSeconds = seconds(t0);
        context.log().println("  import:    " + summary(first));

        t0 = System.nanoTime();
        IncidentImportReport again = importer.importFile(file);
        double reimportSeconds = seconds(t0);
        context.log().println("  re-import: " + summary(again));

        if (first.read() != rows || first.imported() + first.duplicates() + first.rejected() != rows || again.imported() != 0) {
            throw new IllegalStateException("the import did not account for every row: " + first + " / " + again);
        }
        return List.of(
                new BenchmarkResult(name(), "generate police.uk CSV", rows, generated),
                new BenchmarkResult(name(), "police.uk import (COPY)", first.read(), importSeconds),
                new BenchmarkResult(name(), "police.uk re-import (all duplicates)", again.read(), reimportSeconds));
    }

    private static String summary(IncidentImportReport r) {
        return String.format("read %,d, imported %,d, duplicates %,d, rejected %,d, area-only %,d",
                r.read(), r.imported(), r.duplicates(), r.rejected(), r.areaOnly());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
