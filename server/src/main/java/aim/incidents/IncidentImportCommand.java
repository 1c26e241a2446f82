package aim.incidents;

import aim.core.DomainException;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./aim import police FILE…} and {@code ./aim import council FILE --map MAPPING}: imports
 * each file (one transaction each) and prints a summary table and the rejected rows. A file that
 * cannot be imported at all is reported and the others still imported; the exit status is then 1.
 */
public final class IncidentImportCommand {
    /** Rejected rows printed per file; the report counts them all. */
    private static final int PRINTED_ISSUES = 20;

    private IncidentImportCommand() {
    }

    public static int police(DataSource dataSource, List<Path> files, PrintStream out) {
        if (files.isEmpty()) throw new IllegalArgumentException("usage: aim import police FILE… (data.police.uk street-level CSV files)");
        PoliceCsvImporter importer = new PoliceCsvImporter(dataSource);
        return run("police", files, out, importer::importFile);
    }

    /** {@code map} is a saved mapping file (JSON) or an inline {@code field=Column,…} mapping. */
    public static int council(DataSource dataSource, List<Path> files, String map, PrintStream out) throws java.io.IOException {
        if (files.isEmpty() || map == null) {
            throw new IllegalArgumentException("usage: aim import council FILE… --map \"id=Ref,category=Type,occurred=Date,easting=X,northing=Y\" | --map mapping.json");
        }
        // a saved mapping is a file (normally *.json); an inline one has field=Column pairs or is a JSON object
        boolean inline = map.strip().startsWith("{") || map.contains("=") && !map.endsWith(".json");
        if (!inline && !Files.isReadable(Path.of(map))) throw new IllegalArgumentException("cannot read the mapping file " + map);
        CouncilColumnMapping mapping = inline ? CouncilColumnMapping.parse(map) : CouncilColumnMapping.read(Path.of(map));
        CouncilCsvImporter importer = new CouncilCsvImporter(dataSource);
        return run("council", files, out, file -> importer.importFile(file, mapping));
    }

    private interface FileImport {
        IncidentImportReport run(Path file) throws Exception;
    }

    private static int run(String source, List<Path> files, PrintStream out, FileImport importFile) {
        for (Path file : files) {
            if (!Files.isReadable(file)) throw new IllegalArgumentException("cannot read " + file);
        }
        List<IncidentImportReport> reports = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String format = "%-32s %10s %10s %10s %10s %10s%n";
        out.printf(format, "file", "read", "imported", "duplicates", "rejected", "area-only");
        for (Path file : files) {
            try {
                IncidentImportReport r = importFile.run(file);
                reports.add(r);
                out.printf(format, r.file(), r.read(), r.imported(), r.duplicates(), r.rejected(), r.areaOnly());
            } catch (DomainException e) {
                failures.add(file.getFileName() + ": not imported: " + e.getMessage());
                out.printf("%-32s not imported (see below)%n", file.getFileName());
            } catch (Exception e) {
                failures.add(file.getFileName() + ": not imported: " + e.getMessage());
                out.printf("%-32s failed (see below)%n", file.getFileName());
            }
        }
        if (reports.size() > 1) {
            IncidentImportReport t = IncidentImportReport.total(source, reports);
            out.printf(format, "total (" + t.file() + ")", t.read(), t.imported(), t.duplicates(), t.rejected(), t.areaOnly());
        }
        for (IncidentImportReport r : reports) {
            if (r.rejected() == 0) continue;
            out.println();
            out.println(r.file() + ": " + r.rejected() + " rejected row(s)");
            r.issues().stream().limit(PRINTED_ISSUES).forEach(i -> out.println("  " + i.where() + ": "
                    + (i.field() == null ? "" : i.field() + ": ") + i.message()));
            if (r.rejected() > PRINTED_ISSUES) out.println("  … and " + (r.rejected() - PRINTED_ISSUES) + " more");
        }
        if (!failures.isEmpty()) {
            out.println();
            failures.forEach(out::println);
            return 1;
        }
        return 0;
    }
}
