package aim.areas;

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

    @Test
    void textCellsThatLookLikeFormulasAreNeutralisedButNegativeNumbersStayNumbers() throws Exception {
        // W1 falls from 9 to 2: its change is a negative number, which must stay a number
        List<AreaStatistics.Row> rows = AreaStatistics.compute(List.of(
                new AreaStatistics.Input("=1+2", "=HYPERLINK(\"http://evil.example\",\"open\")", 2, 9, 4_000, 2021),
                new AreaStatistics.Input("W2", "@SUM(A1)", 3, 3, 1_000, 2021),
                new AreaStatistics.Input("W3", "-2+3", 1, 1, 1_000, 2021),
                new AreaStatistics.Input("W4", "+44 tab\there", 1, 1, 1_000, 2021)), 28, 28);
        AreaPeriods periods = AreaPeriods.of(LocalDate.parse("2025-05-01"), LocalDate.parse("2025-05-28"));
        StringWriter out = new StringWriter();
        AreaStatisticsCsv.write(rows, periods, out);
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(out.toString())).getRecords();
        var byCode = new java.util.HashMap<String, CSVRecord>();
        for (CSVRecord r : records) byCode.put(r.get("code"), r);
        CSVRecord evil = byCode.get("'=1+2");
        assertTrue(evil != null, "the code is neutralised too: " + out);
        assertEquals("'=HYPERLINK(\"http://evil.example\",\"open\")", evil.get("name"));
        assertEquals("-7", evil.get("change"), "a negative change is a number, not text");
        assertTrue(Double.parseDouble(evil.get("change_percent")) < 0, evil.get("change_percent"));
        assertEquals("'@SUM(A1)", byCode.get("W2").get("name"));
        assertEquals("'-2+3", byCode.get("W3").get("name"));
        assertEquals("'+44 tab\there", byCode.get("W4").get("name"));
        for (CSVRecord r : records) {
            for (String cell : r) {
                assertTrue(cell.isEmpty() || "=+@\t\r".indexOf(cell.charAt(0)) < 0, "no formula starts a cell: " + cell);
                if (!cell.isEmpty() && cell.charAt(0) == '-') Double.parseDouble(cell); // only numbers may start with '-'
            }
        }
    }
}
