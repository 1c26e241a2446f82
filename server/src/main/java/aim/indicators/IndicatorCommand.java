package aim.indicators;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code ./aim import indicator FILE --kind survey|count|score [--indicator CODE[,CODE…]]}: the importer the API uses. */
public final class IndicatorCommand {
    private IndicatorCommand() {
    }

    /** Imports the file and prints the report (bad rows by line); 1 when any row was rejected. */
    public static int importFile(DataSource ds, Path file, String kind, String indicators, PrintStream out) throws IOException {
        List<String> only = indicators == null ? List.of()
                : Arrays.stream(indicators.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        IndicatorImportReport report;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            report = new IndicatorImporter(new IndicatorRepository(ds)).importCsv(reader,
                    new IndicatorImporter.Options(IndicatorKind.importable(kind, "--kind"), only, file.getFileName().toString(), false));
        }
        out.println(aim.core.Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return report.rejected() > 0 ? 1 : 0;
    }
}
