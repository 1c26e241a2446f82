package aim.indicators;

import aim.csv.CsvText;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The indicator table as CSV, one record per indicator, area and period (long form, so a spreadsheet pivot
 * gives the council's layout of areas × quarters). Text cells are formula-safe ({@link CsvText}).
 */
public final class IndicatorCsv {
    static final List<String> HEADER = List.of("indicator", "indicator_name", "kind", "direction", "level", "area_code", "area_name",
            "population", "period", "period_start", "period_end", "value", "rate_per_1000", "n", "ci_low", "ci_high", "previous",
            "change", "change_percent", "p_value", "significant", "target", "target_measure", "rag");

    private IndicatorCsv() {
    }

    public static void write(IndicatorTable.Table table, Writer out) throws IOException {
        Map<String, Indicator> indicators = new HashMap<>();
        table.indicators().forEach(i -> indicators.put(i.code(), i));
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n").build())) {
            csv.printRecord(HEADER);
            for (IndicatorTable.Row row : table.rows()) {
                Indicator i = indicators.get(row.indicator());
                for (int p = 0; p < row.cells().size(); p++) {
                    IndicatorTable.Cell c = row.cells().get(p);
                    IndicatorTable.Period period = table.periods().get(p);
                    csv.printRecord(List.of(i.code(), i.name(), i.kind().id(), i.direction(), table.level().id(), row.area().code(),
                                    row.area().name(), blank(row.area().population()), period.label(), period.start(), period.end(),
                                    blank(c.value()), blank(c.rate()), blank(c.n()), blank(c.low()), blank(c.high()), blank(c.previous()),
                                    blank(c.change()), blank(c.changePercent()), blank(c.pValue()), blank(c.significant()),
                                    blank(c.target()), blank(c.targetMeasure()), blank(c.rag()))
                            .stream().map(CsvText::cell).toList());
                }
            }
        }
    }

    private static Object blank(Object v) {
        return v == null ? "" : v;
    }
}
