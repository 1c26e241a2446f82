package aim.incidents;

import aim.core.DomainException;
import aim.core.Issue;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Council CSV imports on real PostGIS: both coordinate systems, UK dates, the taxonomy and fly-tipping vocabularies. */
@Tag("postgis")
class CouncilCsvImporterTest {
    /** "Now" for these tests: 15 June 2024, 13:00 in London. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-15T12:00:00Z"), ZoneOffset.UTC);
    @Fresh static HikariDataSource db;

    static final String GRID_CSV = """
            Ref,Type,Date Reported,X,Y,Street,Ward,Notes,Status
            C-1,asb-noise,05/03/2024,449500,520100,Linthorpe Road,E05001234,Loud music,open
            C-2,ASB: Noise,5/3/2024 22:15,449600,520200,Linthorpe Road,E05001234,,Closed
            C-3,Environmental: graffiti,2024-05-01,,,Albert Park,E05001235,Tag on wall,
            C-4,env-graffiti,01-05-2024,449700,520300,,,,
            C-5,Parking,05/03/2024,449500,520100,,,,
            C-6,asb-noise,01/07/2024,449500,520100,,,,
            C-7,asb-noise,31/02/2024,449500,520100,,,,
            C-8,asb-noise,05/03/2024,800000,520100,,,,
            C-9,asb-noise,05/03/2024,449500,,,,,
            C-10,asb-noise,05/03/2024,449500,520100,,,,Pending
            ,asb-noise,05/03/2024,449500,520100,,,,
            C-12,asb-noise,2024-06-15T11:59:00Z,449500,520100,,,,
            C-13,asb-noise,15/06/2024 13:30,449500,520100,,,,
            C-1,asb-noise,06/03/2024,449500,520100,,,,
            """;
    static final String GRID_MAP = "id=Ref,category=Type,occurred=Date Reported,easting=X,northing=Y,description=Notes,"
            + "location=Street,ward=Ward,status=Status";

    @Test
    void eastingNorthingRowsWithUkDatesAreImportedAndBadRowsReportedByLine() throws Exception {
        var importer = new CouncilCsvImporter(db, CLOCK);
        var mapping = CouncilColumnMapping.parse(GRID_MAP);
        IncidentImportReport report = importer.importCsv(new StringReader(GRID_CSV), "asb.csv", mapping);
        Map<Integer, Issue> byLine = report.issues().stream()
                .collect(Collectors.toMap(Issue::line, i -> i));
        assertEquals(List.of(6, 7, 8, 9, 10, 11, 12, 14), report.issues().stream().map(Issue::line).toList(),
                report.issues().toString());
        assertEquals("council", report.source());
        assertEquals(14, report.read());
        assertEquals(8, report.rejected());
        assertEquals(5, report.imported());
        assertEquals(1, report.duplicates(), "C-1 twice in the file: the first is kept");
        assertEquals(1, report.areaOnly());

        assertEquals("Type", byLine.get(6).field());
        assertTrue(byLine.get(6).message().startsWith("unknown category 'Parking'"), byLine.get(6).message());
        assertEquals("Date Reported", byLine.get(7).field());
        assertEquals("the date 01/07/2024 is in the future", byLine.get(7).message());
        assertTrue(byLine.get(8).message().contains("'31/02/2024' is not a date"), byLine.get(8).message());
        assertEquals("X", byLine.get(9).field());
        assertTrue(byLine.get(9).message().contains("outside the British National Grid"), byLine.get(9).message());
        assertEquals("Y", byLine.get(10).field());
        assertEquals("Status", byLine.get(11).field());
        assertEquals("Ref", byLine.get(12).field());
        assertEquals("the date 15/06/2024 13:30 is in the future", byLine.get(14).message());

        try (Connection c = db.getConnection(); var st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT external_key, source, category, occurred_precision, location_precision, status, description,
                       location_text, area_code, ST_X(geom) AS e, ST_Y(geom) AS n,
                       to_char(occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') AS local
                FROM incident WHERE external_key LIKE 'C-%' ORDER BY external_key""")) {
            assertTrue(rs.next());
            assertEquals("C-1", rs.getString("external_key"));
            assertEquals("council", rs.getString("source"));
            assertEquals("asb-noise", rs.getString("category"));
            assertEquals("day", rs.getString("occurred_precision"));
            assertEquals("2024-03-05 00:00", rs.getString("local"));
            assertEquals("exact", rs.getString("location_precision"));
            assertEquals(449_500, rs.getDouble("e"));
            assertEquals(520_100, rs.getDouble("n"));
            assertEquals("Loud music", rs.getString("description"));
            assertEquals("Linthorpe Road", rs.getString("location_text"));
            assertEquals("E05001234", rs.getString("area_code"));
            assertEquals("open", rs.getString("status"));
            assertTrue(rs.next());
            assertEquals("C-12", rs.getString("external_key"));
            assertEquals("minute", rs.getString("occurred_precision"));
            assertEquals("2024-06-15 12:59", rs.getString("local"));
            assertTrue(rs.next());
            assertEquals("C-2", rs.getString("external_key"));
            assertEquals("asb-noise", rs.getString("category"), "a label matches, whatever its case");
            assertEquals("minute", rs.getString("occurred_precision"));
            assertEquals("2024-03-05 22:15", rs.getString("local"));
            assertEquals("closed", rs.getString("status"));
            assertNull(rs.getString("description"));
            assertTrue(rs.next());
            assertEquals("C-3", rs.getString("external_key"));
            assertEquals("env-graffiti", rs.getString("category"));
            assertEquals("area", rs.getString("location_precision"));
            assertEquals(0, rs.getDouble("e"));
            assertTrue(rs.wasNull());
            assertEquals("E05001235", rs.getString("area_code"));
            assertTrue(rs.next());
            assertEquals("C-4", rs.getString("external_key"));
            assertEquals("2024-05-01 00:00", rs.getString("local"));
            assertTrue(!rs.next());
        }

        IncidentImportReport again = importer.importCsv(new StringReader(GRID_CSV), "asb.csv", mapping);
        assertEquals(0, again.imported());
        assertEquals(6, again.duplicates());
        assertEquals(8, again.rejected());
    }

    @Test
    void lonLatRowsWithASavedMappingTranslateValuesAndCheckTheFlyTippingVocabularies() throws Exception {
        Path mapFile = Files.createTempFile("aim-council-map", ".json");
        Path csvFile = Files.createTempFile("aim-council", ".csv");
        try {
            Files.writeString(mapFile, """
                    {"id": "Case No", "category": "Incident Type", "occurred": "Date", "lon": "Longitude", "lat": "Latitude",
                     "location": "Location", "fly_size": "Size", "fly_waste_type": "Waste", "fly_land_type": "Land",
                     "category-values": {"Fly tip": "fly-tipping", "Dog mess": "env-dog-fouling"}}""");
            Files.writeString(csvFile, """
                    Case No,Incident Type,Date,Longitude,Latitude,Location,Size,Waste,Land
                    F-1,Fly tip,2024-04-02T09:15:00+01:00,-1.2345,54.5678,Back lane,car-boot,household,back-alley
                    F-2,fly-tipping,02/04/2024,-1.2,54.55,,Car boot or less,Construction/demolition/excavation,Back alleyway
                    F-3,Fly tip,02/04/2024,-1.2,54.55,,lorry,household,highway
                    F-4,Dog mess,02/04/2024,-1.2,54.55,,car-boot,,
                    F-5,Dog mess,02/04/2024,-1.2,54.55,Park,,,
                    F-6,Fly tip,02/04/2024,-12.2,54.55,,,,
                    F-7,Fly tip,02/04/2024,-1.2,54.55,,,plutonium,
                    """);
            var mapping = CouncilColumnMapping.read(mapFile);
            IncidentImportReport report = new CouncilCsvImporter(db, CLOCK).importFile(csvFile, mapping);
            assertEquals(List.of(4, 5, 7, 8), report.issues().stream().map(Issue::line).toList(), report.issues().toString());
            assertEquals(3, report.imported());
            assertEquals("Size", report.issues().get(0).field());
            assertTrue(report.issues().get(0).message().startsWith("unknown fly_size 'lorry'"), report.issues().get(0).message());
            assertEquals("fly_size is only for fly-tipping, not env-dog-fouling", report.issues().get(1).message());
            assertEquals("Longitude", report.issues().get(2).field());
            assertEquals("Waste", report.issues().get(3).field());

            try (Connection c = db.getConnection(); var st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT external_key, category, fly_size, fly_waste_type, fly_land_type, location_precision, occurred_precision,
                           ST_Distance(geom, ST_Transform(ST_SetSRID(ST_MakePoint(-1.2345, 54.5678), 4326), 27700)) AS off_by,
                           occurred_at = timestamptz '2024-04-02 08:15:00Z' AS at_right_time
                    FROM incident WHERE external_key LIKE 'F-%' ORDER BY external_key""")) {
                assertTrue(rs.next());
                assertEquals("F-1", rs.getString("external_key"));
                assertEquals("fly-tipping", rs.getString("category"));
                assertEquals("car-boot", rs.getString("fly_size"));
                assertEquals("household", rs.getString("fly_waste_type"));
                assertEquals("back-alley", rs.getString("fly_land_type"));
                assertEquals("exact", rs.getString("location_precision"));
                assertEquals("minute", rs.getString("occurred_precision"));
                assertEquals(0, rs.getDouble("off_by"), 0.001);
                assertTrue(rs.getBoolean("at_right_time"));
                assertTrue(rs.next());
                assertEquals("F-2", rs.getString("external_key"));
                assertEquals("car-boot", rs.getString("fly_size"), "a vocabulary label is accepted");
                assertEquals("construction", rs.getString("fly_waste_type"));
                assertEquals("back-alley", rs.getString("fly_land_type"));
                assertTrue(rs.next());
                assertEquals("F-5", rs.getString("external_key"));
                assertEquals("env-dog-fouling", rs.getString("category"));
                assertTrue(!rs.next());
            }

            // the command line: a saved mapping file, a summary table, the rejected rows by line
            var out = new ByteArrayOutputStream();
            int status = IncidentImportCommand.council(db, List.of(csvFile), mapFile.toString(), new PrintStream(out, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, printed);
            assertTrue(printed.contains("line 4: Size: unknown fly_size 'lorry'"), printed);
            assertTrue(printed.matches("(?s).*" + csvFile.getFileName() + "\\s+7\\s+0\\s+3\\s+4\\s+0.*"), printed);
        } finally {
            Files.deleteIfExists(mapFile);
            Files.deleteIfExists(csvFile);
        }
    }

    @Test
    void aMappingThatDoesNotFitTheFileOrTheTaxonomyIsRefusedBeforeAnyRow() {
        var importer = new CouncilCsvImporter(db, CLOCK);
        DomainException missing = assertThrows(DomainException.class, () -> importer.importCsv(new StringReader(GRID_CSV), "asb.csv",
                CouncilColumnMapping.parse("id=Ref,category=Type,occurred=Date Logged")));
        assertEquals(422, aim.web.Problems.status(missing));
        assertTrue(missing.getMessage().contains("no column 'Date Logged'"), missing.getMessage());

        DomainException translation = assertThrows(DomainException.class, () -> importer.importCsv(new StringReader(GRID_CSV), "asb.csv",
                CouncilColumnMapping.parse("{\"id\":\"Ref\",\"category\":\"Type\",\"occurred\":\"Date Reported\","
                        + "\"category-values\":{\"Parking\":\"bad-parking\"}}")));
        assertEquals(400, aim.web.Problems.status(translation));
        assertEquals("map", translation.field());
        assertTrue(translation.getMessage().contains("'bad-parking'"), translation.getMessage());
    }
}
