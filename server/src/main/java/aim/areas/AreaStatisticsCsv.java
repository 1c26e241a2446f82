package aim.areas;

import aim.boundaries.BoundaryLevel;
import aim.csv.CsvText;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Area statistics as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
 * comma, quote or line break), one header row then one row per area in rank order. Numbers are
 * written as in the JSON; an empty field is a null (no population, no previous count). Text cells
 * that a spreadsheet would run as a formula get a leading apostrophe ({@link CsvText}).
 */
public final class AreaStatisticsCsv {
    public static final List<String> COLUMNS = List.of(
            "code", "name", "count", "population", "population_year", "rate_per_1000", "rate_note", "rank",
            "previous_count", "previous_rate_per_1000", "previous_rank",
            "change", "change_percent", "change_rate_per_1000", "p_value", "significant",
            "from", "to", "previous_from", "previous_to");

    private AreaStatisticsCsv() {
    }

    public static void write(List<AreaStatistics.Row> rows, AreaPeriods periods, Writer out) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).build();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (AreaStatistics.Row r : rows) {
                List<Object> v = new ArrayList<>();
                v.add(r.code());
                v.add(r.name());
                v.add(r.count());
                v.add(r.population());
                v.add(r.populationYear());
                v.add(r.rate());
                v.add(r.rateNote());
                v.add(r.rank());
                v.add(r.previous().count());
                v.add(r.previous().rate());
                v.add(r.previous().rank());
                v.add(r.change().count());
                v.add(r.change().percent());
                v.add(r.change().rate());
                v.add(r.change().pValue());
                v.add(r.change().significant());
                v.add(periods.from());
                v.add(periods.to());
                v.add(periods.previousFrom());
                v.add(periods.previousTo());
                csv.printRecord(v.stream().map(CsvText::cell)); // text cells safe from formula injection
            }
        }
    }

    /** {@code area-stats-ward-demo-2024-04-01-to-2025-03-31.csv} (version names are [A-Za-z0-9._-]). */
    public static String filename(BoundaryLevel level, String version, AreaPeriods periods) {
        return "area-stats-" + level.id() + "-" + version + "-" + periods.from() + "-to-" + periods.to() + ".csv";
    }
}
