package aim.hotspots;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSV form: RFC 4180 quoting, a header row, empty fields for nulls. */
class AreaStatisticsCsvTest {

    @Test
    void quotesAndNullsRoundTrip() throws Exception {
        List<AreaStatistics.Row> rows = AreaStatistics.compute(List.of(
                new AreaStatistics.Input("W1", "Smith's \"Quarter\", North", 20, 8, 4_000, 2021),
                new AreaStatistics.Input("W2", "Line\nbreak", 3, 0, null, null)), 28, 28);
        AreaPeriods periods = AreaPeriods.of(LocalDate.parse("2025-05-01"), LocalDate.parse("2025-05-28"));
        StringWriter out = new StringWriter();
        AreaStatisticsCsv.write(rows, periods, out);
        String text = out.toString();
        assertTrue(text.startsWith(String.join(",", AreaStatisticsCsv.COLUMNS) + "\r\n"), text);
        assertTrue(text.contains("\"Smith's \"\"Quarter\"\", North\""), text);

        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(text)).getRecords();
        assertEquals(2, records.size());
        CSVRecord a = records.get(0);
        assertEquals("Smith's \"Quarter\", North", a.get("name"));
        assertEquals("20", a.get("count"));
        assertEquals(5.0, Double.parseDouble(a.get("rate_per_1000")));
        assertEquals("1", a.get("rank"));
        assertEquals(0.035698138, Double.parseDouble(a.get("p_value")), 1e-9);
        assertEquals("true", a.get("significant"));
        assertEquals("2025-04-03", a.get("previous_from"));
        CSVRecord b = records.get(1);
        assertEquals("Line\nbreak", b.get("name"));
        assertEquals("", b.get("rate_per_1000"));
        assertEquals("", b.get("rank"));
        assertEquals("", b.get("population"));
        assertEquals("no population", b.get("rate_note"));
        assertEquals("", b.get("change_percent"));
        assertEquals("area-stats-ward-demo-2025-05-01-to-2025-05-28.csv",
                AreaStatisticsCsv.filename(aim.boundaries.BoundaryLevel.WARD, "demo", periods));
    }
}
