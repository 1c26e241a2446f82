package aim.assets;

import aim.boundaries.BoundaryRepository;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./aim import assets FILE} and {@code ./aim export assets}: the same importers and exporter the API
 * uses, run by an operator on the database (recorded without a user). The export is Open Referral UK JSON
 * of the services only, so it never holds people assets.
 */
public final class AssetCommand {
    private AssetCommand() {
    }

    /** Imports a CSV (default) or Open Referral JSON file and prints the report; 1 when any row was rejected. */
    public static int importFile(DataSource ds, Path file, String format, String category, String kind, PrintStream out)
            throws IOException {
        var boundaries = new BoundaryRepository(ds);
        var categories = new AssetCategories(ds);
        var writer = new AssetWriter(ds, boundaries, categories);
        String chosen = format != null ? format : file.getFileName().toString().toLowerCase().endsWith(".json") ? "openreferral" : "csv";
        AssetImportReport report;
        switch (chosen) {
            case "csv" -> {
                try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    report = new AssetCsvImporter(ds, writer, categories).importCsv(reader, new AssetCsvImporter.Options(category,
                            kind == null ? null : AssetKind.parse(kind, "--kind"), file.getFileName().toString()), null);
                }
            }
            case "openreferral" -> {
                try (InputStream in = Files.newInputStream(file)) {
                    report = new OpenReferralImporter(ds, writer, categories).importJson(in, category, file.getFileName().toString(), null);
                }
            }
            default -> throw new IllegalArgumentException("--format is csv or openreferral, not '" + format + "'");
        }
        out.println(aim.core.Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return report.rejected() > 0 ? 1 : 0;
    }

    /** Writes the services as Open Referral UK JSON to {@code file}, or to {@code out} when it is null. */
    public static int export(DataSource ds, Path file, String format, String category, PrintStream out) throws IOException {
        if (format != null && !format.equals("openreferral")) throw new IllegalArgumentException("--format is openreferral, not '" + format + "'");
        List<String> categories = category == null ? List.of() : List.of(new AssetCategories(ds).require(category, "--category").code());
        Long wardSetId = CouncilWards.currentId(new BoundaryRepository(ds));
        OutputStream target = file == null ? out : Files.newOutputStream(file);
        int n;
        try (JsonGenerator g = aim.core.Json.mapper().getFactory().createGenerator(target)) {
            g.useDefaultPrettyPrinter();
            if (file == null) g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // keep standard output open
            n = new OpenReferralExporter(ds).write(categories, wardSetId, g);
        } finally {
            if (file != null) target.close();
        }
        if (file != null) out.println("exported " + n + " services to " + file);
        else out.println();
        return 0;
    }
}
