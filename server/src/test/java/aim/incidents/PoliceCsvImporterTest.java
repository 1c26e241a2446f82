package aim.incidents;

import aim.core.DomainException;
import aim.core.Issue;
import aim.testing.SharedData;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The police.uk street-level import on real PostGIS: the five real Durham months, and crafted bad rows. */
@Tag("postgis")
class PoliceCsvImporterTest {
    static final String HEADER = String.join(",", PoliceCsvImporter.HEADER);
    /** The Durham files' rows (the other tests add rows of other months to the same database). */
    static final String DURHAM = "source = 'police' AND occurred_at >= timestamptz '2018-10-01 00:00 Europe/London'"
            + " AND occurred_at < timestamptz '2019-03-01 00:00 Europe/London'";
    @Fresh static HikariDataSource db;

    static List<Path> durhamFiles() throws Exception {
        try (Stream<Path> files = Files.list(SharedData.path("data/police-uk-durham-2018-10_2019-02"))) {
            return files.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
    }

    @Test
    void theFiveRealDurhamMonthsImportCompletelyAndOnceOnly() throws Exception {
        List<Path> files = durhamFiles();
        assertEquals(5, files.size());
        PoliceCsvImporter importer = new PoliceCsvImporter(db);
        List<IncidentImportReport> reports = files.stream().map(f -> {
            try {
                return importer.importFile(f);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        IncidentImportReport total = IncidentImportReport.total("police", reports);
        assertEquals(31_795, total.read());
        assertEquals(0, total.rejected(), total.issues().toString());
        assertEquals(total.read(), total.imported() + total.duplicates() + total.rejected());
        // police.uk lists 12 crimes of January 2019 twice (a second outcome): each is stored once
        assertEquals(12, total.duplicates());
        assertEquals(12, reports.get(3).duplicates());
        assertEquals(31_783, total.imported());
        assertEquals(16, total.areaOnly());
        assertEquals(List.of(0L, 9L, 7L, 0L, 0L), reports.stream().map(IncidentImportReport::areaOnly).toList());

        // per month, what the files hold (less January's repeated Crime IDs)
        Map<String, Long> expected = new TreeMap<>();
        for (Path f : files) {
            try (CSVParser csv = CSVParser.parse(f, StandardCharsets.UTF_8, CSVFormat.DEFAULT.builder().setHeader().build())) {
                for (CSVRecord r : csv) expected.merge(r.get("Month"), 1L, Long::sum);
            }
        }
        expected.merge("2019-01", -12L, Long::sum);
        assertEquals(expected, countsPerMonth());
        assertEquals(Map.of("2018-10", 6611L, "2018-11", 6272L, "2018-12", 6000L, "2019-01", 6453L, "2019-02", 6447L), countsPerMonth());

        try (Connection c = db.getConnection()) {
            // anti-social behaviour has no Crime ID: every row is stored, under a derived key, identical rows under ordinals
            assertEquals(6_623, count(c, "SELECT count(*) FROM incident WHERE " + DURHAM + " AND category = 'anti-social-behaviour'"));
            assertEquals(6_623, count(c, "SELECT count(*) FROM incident WHERE " + DURHAM + " AND external_key ~ '^[0-9a-f]{64}#[0-9]+$'"));
            assertEquals(1_927, count(c, "SELECT count(*) FROM incident WHERE " + DURHAM + " AND external_key ~ '#([2-9]|[0-9]{2,})$'"));
            assertEquals(0, count(c, "SELECT count(*) FROM incident WHERE " + DURHAM + " AND category = 'anti-social-behaviour' AND external_key !~ '#'"));
            // rows without coordinates: area-only, never a point
            assertEquals(16, count(c, "SELECT count(*) FROM incident WHERE " + DURHAM + " AND geom IS NULL AND location_precision = 'area'"));
            assertEquals(31_783 - 16, count(c, "SELECT count(*) FROM incident WHERE " + DURHAM + " AND location_precision = 'snapped' AND ST_SRID(geom) = 27700"));
            // one row in full: the snap point in British National Grid, the month's first moment in London
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT source, category, occurred_precision, location_text, area_code, outcome, status,
                           occurred_at = timestamptz '2018-10-01 00:00:00+01' AS month_start,
                           ST_Distance(geom, ST_Transform(ST_SetSRID(ST_MakePoint(-1.740027, 54.907060), 4326), 27700)) AS off_by,
                           round(ST_X(geom)) AS e, round(ST_Y(geom)) AS n
                    FROM incident
                    WHERE external_key = 'f13ce20f93c355e9c54085d78c858c7affbc3755e8b5cf03afcb1e87b6a82060'""")) {
                assertTrue(rs.next());
                assertEquals("police", rs.getString("source"));
                assertEquals("shoplifting", rs.getString("category"));
                assertEquals("month", rs.getString("occurred_precision"));
                assertEquals("On or near The Copse", rs.getString("location_text"));
                assertEquals("E01020634", rs.getString("area_code"));
                assertEquals("Investigation complete; no suspect identified", rs.getString("outcome"));
                assertTrue(rs.getBoolean("month_start"));
                assertEquals(0, rs.getDouble("off_by"), 0.001);
                // -1.740027, 54.907060 (north-west of Durham city) is about 416,700 E, 556,950 N
                assertEquals(416_700, rs.getDouble("e"), 300);
                assertEquals(556_950, rs.getDouble("n"), 300);
            }
            assertEquals(1, count(c, "SELECT count(DISTINCT occurred_at) FROM incident WHERE occurred_at = timestamptz '2018-12-01 00:00:00+00'"));
        }

        // every point is exactly (bit for bit) the transform of its own row's coordinates, although the
        // import transforms each distinct point once: checked for every row with a Crime ID
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE durham_rows (crime_id text, lon text, lat text) ON COMMIT DROP");
            }
            var copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            for (Path f : files) {
                try (CSVParser csv = CSVParser.parse(f, StandardCharsets.UTF_8, CSVFormat.DEFAULT.builder().setHeader().build())) {
                    for (CSVRecord r : csv) {
                        if (!r.get("Crime ID").isEmpty() && !r.get("Longitude").isEmpty()) {
                            rows.append(r.get("Crime ID")).append('\t').append(r.get("Longitude")).append('\t').append(r.get("Latitude")).append('\n');
                        }
                    }
                }
            }
            copy.copyIn("COPY durham_rows FROM STDIN", new StringReader(rows.toString()));
            String compared = """
                    FROM (SELECT crime_id, min(lon) AS lon, min(lat) AS lat FROM durham_rows GROUP BY 1 HAVING count(DISTINCT (lon, lat)) = 1) r JOIN incident i ON i.source = 'police' AND i.external_key = r.crime_id
                    WHERE ST_AsEWKB(i.geom) %s ST_AsEWKB(ST_Transform(ST_SetSRID(ST_MakePoint(r.lon::float8, r.lat::float8), 4326), 27700))""";
            assertTrue(count(c, "SELECT count(*) " + compared.formatted("=")) > 25_000);
            assertEquals(0, count(c, "SELECT count(*) " + compared.formatted("<>")));
            c.rollback();
        }

        // the same files again: nothing new
        for (Path f : files) {
            IncidentImportReport again = importer.importFile(f);
            assertEquals(0, again.imported(), f.toString());
            assertEquals(again.read(), again.duplicates());
            assertEquals(0, again.areaOnly());
        }
        try (Connection c = db.getConnection()) {
            assertEquals(31_783, count(c, "SELECT count(*) FROM incident WHERE " + DURHAM));
        }
    }

    @Test
    void badRowsAreRejectedWithTheirLineAndReasonWhileGoodRowsAreKept() throws Exception {
        String csv = HEADER + "\n"
                + "k-good-1,2024-05,Cleveland Police,Cleveland Police,-1.234,54.567,On or near Albert Road,E01012001,Middlesbrough 001A,Burglary,Under investigation,\n" // 2
                + "k-bad-type,2024-05,Cleveland Police,Cleveland Police,-1.234,54.567,On or near Albert Road,E01012001,Middlesbrough 001A,Jaywalking,,\n"        // 3
                + "k-future,2099-01,Cleveland Police,Cleveland Police,-1.234,54.567,On or near Albert Road,E01012001,Middlesbrough 001A,Burglary,,\n"          // 4
                + "k-far,2024-05,Cleveland Police,Cleveland Police,12.5,54.567,On or near Albert Road,E01012001,Middlesbrough 001A,Burglary,,\n"               // 5
                + "k-short,2024-05,Cleveland Police,-1.234,54.567,On or near Albert Road,E01012001,Burglary,,\n"                                               // 6
                + ",2024-05,Cleveland Police,Cleveland Police,-1.2,54.5,On or near Park,E01012002,Middlesbrough 002A,Anti-social behaviour,,\n"             // 7
                + ",2024-05,Cleveland Police,Cleveland Police,-1.2,54.5,On or near Park,E01012002,Middlesbrough 002A,Anti-social behaviour,,\n"             // 8
                + "k-month,2024-13,Cleveland Police,Cleveland Police,-1.2,54.5,On or near Park,E01012002,Middlesbrough 002A,Drugs,,\n"                       // 9
                + "k-half,2024-05,Cleveland Police,Cleveland Police,,54.5,On or near Park,E01012002,Middlesbrough 002A,Drugs,,\n"                            // 10
                + "k-area,2024-05,Cleveland Police,Cleveland Police,,,No Location,E01012002,Middlesbrough 002A,Drugs,,\n"                                    // 11
                + "k-multiline,2024-05,Cleveland Police,Cleveland Police,-1.2,54.5,\"On or near\nHigh Street\",E01012002,Middlesbrough 002A,Robbery,,\n"    // 12-13
                + "k-nan,2024-05,Cleveland Police,Cleveland Police,-1.2,abc,On or near Park,E01012002,Middlesbrough 002A,Drugs,,\n"                          // 14
                + "k-next-month,2024-07,Cleveland Police,Cleveland Police,-1.2,54.5,On or near Park,E01012002,Middlesbrough 002A,Drugs,,\n"                  // 15
                + "k-lat,2024-05,Cleveland Police,Cleveland Police,-1.2,48.1,On or near Park,E01012002,Middlesbrough 002A,Drugs,,\n";                        // 16
        // "now" is mid-June 2024: July is in the future
        PoliceCsvImporter importer = new PoliceCsvImporter(db, Clock.fixed(Instant.parse("2024-06-15T12:00:00Z"), ZoneOffset.UTC));
        IncidentImportReport report = importer.importCsv(new StringReader(csv), "crafted.csv");
        assertEquals(14, report.read());
        Map<Integer, Issue> byLine = new HashMap<>();
        report.issues().forEach(i -> byLine.put(i.line(), i));
        assertEquals(List.of(3, 4, 5, 6, 9, 10, 14, 15, 16), report.issues().stream().map(Issue::line).toList(),
                report.issues().toString());
        assertEquals(9, report.rejected());
        assertEquals(5, report.imported());
        assertEquals(0, report.duplicates());
        assertEquals(1, report.areaOnly());

        assertEquals("Crime type", byLine.get(3).field());
        assertEquals("unknown crime type 'Jaywalking'", byLine.get(3).message());
        assertEquals("line 3", byLine.get(3).where());
        assertEquals("crafted.csv", byLine.get(3).file());
        assertEquals("Month", byLine.get(4).field());
        assertEquals("month 2099-01 is in the future", byLine.get(4).message());
        assertEquals("Longitude", byLine.get(5).field());
        assertTrue(byLine.get(5).message().contains("outside Great Britain"), byLine.get(5).message());
        assertEquals("expected 12 columns, found 10", byLine.get(6).message());
        assertTrue(byLine.get(9).message().contains("'2024-13' is not a month"), byLine.get(9).message());
        assertEquals("Longitude", byLine.get(10).field());
        assertEquals("latitude 'abc' is not a number", byLine.get(14).message());
        assertEquals("month 2024-07 is in the future", byLine.get(15).message());
        assertEquals("Latitude", byLine.get(16).field());

        try (Connection c = db.getConnection()) {
            assertEquals(2, count(c, "SELECT count(*) FROM incident WHERE source = 'police' AND location_text = 'On or near Park'"
                    + " AND category = 'anti-social-behaviour'"), "two identical ASB rows are two incidents");
            assertEquals(1, count(c, "SELECT count(*) FROM incident WHERE external_key = 'k-area' AND geom IS NULL"
                    + " AND location_precision = 'area' AND area_code = 'E01012002'"));
            assertEquals(1, count(c, "SELECT count(*) FROM incident WHERE external_key = 'k-multiline'"
                    + " AND location_text = E'On or near\\nHigh Street'"));
            assertEquals(0, count(c, "SELECT count(*) FROM incident WHERE external_key IN ('k-bad-type', 'k-future', 'k-far', 'k-short')"));
        }

        IncidentImportReport again = importer.importCsv(new StringReader(csv), "crafted.csv");
        assertEquals(0, again.imported());
        assertEquals(5, again.duplicates());
        assertEquals(9, again.rejected());
    }

    @Test
    void excelQuirksAreReadAndAWrongHeaderIsAProblemNamingTheColumn() throws Exception {
        // byte-order mark, CRLF, header in another case
        String csv = "\uFEFF" + HEADER.toUpperCase() + "\r\n"
                + "k-excel,2021-02,Cleveland Police,Cleveland Police,-1.21,54.55,On or near Excel Street,E01012003,Middlesbrough 003A,Vehicle crime,,\r\n";
        IncidentImportReport report = new PoliceCsvImporter(db).importCsv(
                new InputStreamReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8), "excel.csv");
        assertEquals(1, report.imported(), report.toString());

        String noType = HEADER.replace(",Crime type", "") + "\nk,2021-02,a,b,-1.2,54.5,x,E01,n,o,\n";
        DomainException missing = assertThrows(DomainException.class, () -> new PoliceCsvImporter(db).importCsv(new StringReader(noType), "wrong.csv"));
        assertEquals(422, aim.web.Problems.status(missing));
        assertTrue(missing.getMessage().contains("no column 'Crime type'"), missing.getMessage());

        DomainException empty = assertThrows(DomainException.class, () -> new PoliceCsvImporter(db).importCsv(new StringReader(""), "empty.csv"));
        assertEquals(422, aim.web.Problems.status(empty));

        String unterminated = HEADER + "\nk-q,2021-02,a,b,-1.2,54.5,\"On or near,E01,n,Drugs,,\n";
        DomainException malformed = assertThrows(DomainException.class,
                () -> new PoliceCsvImporter(db).importCsv(new StringReader(unterminated), "broken.csv"));
        assertEquals(422, aim.web.Problems.status(malformed));
        assertTrue(malformed.getMessage().contains("malformed CSV"), malformed.getMessage());

        Path latin1 = Files.createTempFile("aim-latin1", ".csv");
        try {
            Files.write(latin1, (HEADER + "\nk-l,2021-02,a,b,-1.2,54.5,On or near Caf\u00e9,E01,n,Drugs,,\n").getBytes(StandardCharsets.ISO_8859_1));
            DomainException notUtf8 = assertThrows(DomainException.class, () -> new PoliceCsvImporter(db).importFile(latin1));
            assertTrue(notUtf8.getMessage().contains("not UTF-8"), notUtf8.getMessage());
        } finally {
            Files.delete(latin1);
        }
        try (Connection c = db.getConnection()) {
            assertEquals(0, count(c, "SELECT count(*) FROM incident WHERE external_key IN ('k', 'k-q', 'k-l')"), "nothing of a failed file is kept");
        }
    }

    @Test
    void rowsOfManyBatchesKeepTheirLinesAndARepeatedKeyKeepsItsFirstRowAcrossMonths() throws Exception {
        // the file is read on a thread of its own in batches of 1,000 rows (ReadAhead): lines, rejections and the
        // first-row rule (also across months) must not depend on it
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 3_500; i++) {
            int line = i + 2;
            String month = line % 2 == 1 ? "2020-06" : "2020-04"; // line 3 is in June
            if (line % 1_000 == 0 || line % 1_000 == 1) {
                csv.append("k-batch-bad-").append(line).append(',').append(month)
                        .append(",Cleveland Police,Cleveland Police,-1.2,54.5,On or near Batch Road,E01012003,Middlesbrough 003A,Jaywalking,,\n");
            } else if (line == 1_500) {
                // the Crime ID of line 3 again, in an earlier month and with another crime type: line 3 wins
                csv.append("k-batch-3,2020-04,Cleveland Police,Cleveland Police,-1.2,54.5,On or near Batch Road,E01012003,Middlesbrough 003A,Robbery,,\n");
            } else {
                csv.append("k-batch-").append(line).append(',').append(month)
                        .append(",Cleveland Police,Cleveland Police,-1.2").append(i % 10)
                        .append(",54.55,On or near Batch Road,E01012003,Middlesbrough 003A,Drugs,,\n");
            }
        }
        IncidentImportReport report = new PoliceCsvImporter(db).importCsv(new StringReader(csv.toString()), "batches.csv");
        List<Integer> badLines = List.of(1_000, 1_001, 2_000, 2_001, 3_000, 3_001);
        assertEquals(badLines, report.issues().stream().map(Issue::line).toList(), report.issues().toString());
        assertEquals(3_500, report.read());
        assertEquals(3_500 - 6 - 1, report.imported());
        assertEquals(1, report.duplicates());
        try (Connection c = db.getConnection()) {
            assertEquals(1, count(c, "SELECT count(*) FROM incident WHERE external_key = 'k-batch-3' AND category = 'drugs'"
                    + " AND occurred_at = timestamptz '2020-06-01 00:00 Europe/London'"));
            assertEquals(3_500 - 6 - 1, count(c, "SELECT count(*) FROM incident WHERE external_key LIKE 'k-batch-%'"));
        }
        IncidentImportReport again = new PoliceCsvImporter(db).importCsv(new StringReader(csv.toString()), "batches.csv");
        assertEquals(0, again.imported());
        assertEquals(3_500 - 6, again.duplicates());
    }

    @Test
    void aFileThatBreaksAfterThousandsOfGoodRowsLeavesNothingAndThePoolWorks() throws Exception {
        // the first thousands of rows are already in the COPY when the file breaks: the failure reaches the
        // caller, the transaction is rolled back, and the connection is reusable
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 5_000; i++) {
            csv.append("k-midway-").append(i).append(",2021-03,Cleveland Police,Cleveland Police,-1.2").append(i % 10)
                    .append(",54.55,On or near Midway Road,E01012003,Middlesbrough 003A,Drugs,,\n");
        }
        String broken = csv + "k-midway-q,2021-03,a,b,-1.2,54.5,\"On or near,E01,n,Drugs,,\n";
        DomainException malformed = assertThrows(DomainException.class,
                () -> new PoliceCsvImporter(db).importCsv(new StringReader(broken), "midway.csv"));
        assertTrue(malformed.getMessage().contains("malformed CSV"), malformed.getMessage());
        try (Connection c = db.getConnection()) {
            assertEquals(0, count(c, "SELECT count(*) FROM incident WHERE external_key LIKE 'k-midway-%'"), "nothing of a failed file is kept");
        }
        for (int k = 0; k < 12; k++) { // more imports than the pool has connections: none was left broken
            IncidentImportReport report = new PoliceCsvImporter(db).importCsv(new StringReader(csv.toString()), "midway.csv");
            assertEquals(k == 0 ? 5_000 : 0, report.imported(), report.toString());
        }
    }

    @Test
    void theCommandImportsManyFilesAndGoesOnPastABadOne() throws Exception {
        Path dir = Files.createTempDirectory("aim-police-cli");
        try {
            Path march = dir.resolve("2022-03-street.csv"), april = dir.resolve("2022-04-street.csv"), wrong = dir.resolve("wrong.csv");
            Files.writeString(march, HEADER + "\ncli-1,2022-03,Cleveland Police,Cleveland Police,-1.2,54.5,On or near A,E01,n,Drugs,,\n"
                    + "cli-2,2022-03,Cleveland Police,Cleveland Police,-1.2,54.5,On or near A,E01,n,Shoplifting,,\n");
            Files.writeString(april, HEADER + "\ncli-3,2022-04,Cleveland Police,Cleveland Police,,,No Location,,,Drugs,,\n"
                    + "cli-4,2022-04,Cleveland Police,Cleveland Police,-1.2,54.5,On or near A,E01,n,Arson,,\n");
            Files.writeString(wrong, "a,b,c\n1,2,3\n");
            var out = new java.io.ByteArrayOutputStream();
            int status = IncidentImportCommand.police(db, List.of(march, wrong, april),
                    new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, status, printed);
            assertTrue(printed.matches("(?s).*2022-03-street.csv\\s+2\\s+2\\s+0\\s+0\\s+0\\n.*"), printed);
            assertTrue(printed.matches("(?s).*2022-04-street.csv\\s+2\\s+1\\s+0\\s+1\\s+1\\n.*"), printed);
            assertTrue(printed.matches("(?s).*total \\(2 files\\)\\s+4\\s+3\\s+0\\s+1\\s+1\\n.*"), printed);
            assertTrue(printed.contains("line 3: Crime type: unknown crime type 'Arson'"), printed);
            assertTrue(printed.contains("wrong.csv: not imported: wrong.csv is not a police.uk street-level CSV"), printed);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    private static Map<String, Long> countsPerMonth() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = db.getConnection(); var st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT to_char(occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), count(*) FROM incident WHERE "
                        + DURHAM + " GROUP BY 1")) {
            while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
        }
        return counts;
    }

    static long count(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
