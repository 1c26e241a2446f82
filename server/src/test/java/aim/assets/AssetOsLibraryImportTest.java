package aim.assets;

import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.testing.Fresh;
import aim.testing.SharedData;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static aim.assets.AssetFixtures.count;
import static aim.assets.AssetFixtures.get;
import static aim.assets.AssetFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real OS library footprints (3,469 across Great Britain, WKT polygons in EPSG:27700) imported into a
 * database whose current wards are Middlesbrough's 23 real ONS 2013 wards: Middlesbrough's libraries are
 * kept and every other row is rejected by its line with "outside the council area"; re-importing changes
 * rows instead of adding them; the command line gives the same result.
 */
@Tag("postgis")
class AssetOsLibraryImportTest {
    @Fresh static TestServer server;
    static Path libraries;
    /** line → row, read independently with commons-csv. */
    static Map<Integer, CSVRecord> rows = new HashMap<>();
    /** the lines whose footprint intersects a Middlesbrough ward, by PostGIS directly. */
    static Set<Integer> insideLines = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        new BoundaryImporter(server.dataSource).importFile(SharedData.path("geo-data/ons-wards-2013/E06000002.json"),
                BoundaryImportOptions.of(BoundaryLevel.WARD));
        libraries = SharedData.path("data/os-library-buildings/os_library_buildings.csv");
        try (var reader = Files.newBufferedReader(libraries, StandardCharsets.UTF_8);
             var csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader);
             var c = server.dataSource.getConnection();
             var ps = c.prepareStatement("""
                     SELECT EXISTS (SELECT 1 FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                                    WHERE s.version = 'ons-2013' AND ST_Intersects(b.geom, ST_GeomFromText(?, 27700)))""")) {
            for (CSVRecord r : csv) {
                int line = (int) r.getRecordNumber() + 1;
                rows.put(line, r);
                ps.setString(1, r.get("WKT"));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) insideLines.add(line);
                }
            }
        }
    }

    @Test
    void middlesbroughLibrariesAreKeptAndTheRestRejectedByLine() throws Exception {
        assertEquals(3469, rows.size());
        String planner = server.userToken("pat", Role.PLANNER);
        var response = server.postFile("/api/assets/import?format=csv&category=library", libraries, "text/csv", planner);
        assertEquals(200, response.statusCode(), response.body().substring(0, Math.min(500, response.body().length())));
        JsonNode report = json(response);
        assertEquals(3469, report.path("read").asInt());
        assertEquals(insideLines.size(), report.path("imported").asInt());
        assertEquals(insideLines.size(), report.path("inserted").asInt());
        assertEquals(3469 - insideLines.size(), report.path("rejected").asInt());
        assertTrue(insideLines.size() >= 8 && insideLines.size() < 20, insideLines.toString());

        Set<Integer> rejected = new HashSet<>();
        for (JsonNode issue : report.path("issues")) {
            String where = issue.path("where").asText();
            assertTrue(where.matches("line \\d+"), where);
            int line = Integer.parseInt(where.substring(5));
            if (issue.path("severity").asText().equals("error")) {
                assertEquals("outside the council area (the ons-2013 wards)", issue.path("message").asText(), issue.toString());
                rejected.add(line);
            } else {
                assertEquals("warning", issue.path("severity").asText());
                assertTrue(insideLines.contains(line), "warnings only for kept rows");
                assertTrue(rows.get(line).get("distinctive_name").isBlank(), "an unnamed footprint");
            }
        }
        Set<Integer> expectedRejected = new HashSet<>(rows.keySet());
        expectedRejected.removeAll(insideLines);
        assertEquals(expectedRejected, rejected);
        assertTrue(rejected.contains(347), "Thornaby Central Library (Stockton-on-Tees) is outside Middlesbrough");
        assertEquals("Thornaby Central Library", rows.get(347).get("distinctive_name"));

        String viewer = server.userToken("vera", Role.VIEWER);
        JsonNode features = json(get(server, "/api/assets?category=library", viewer)).path("features");
        Set<String> names = new TreeSet<>();
        for (JsonNode f : features) {
            names.add(f.path("properties").path("name").asText());
            assertEquals("Polygon", f.path("geometry").path("type").asText());
            assertTrue(f.path("properties").path("ward").asText().startsWith("E05"), "each library is in a Middlesbrough ward");
        }
        for (String library : List.of("Central Library", "Acklam Library", "Marton Community Hub and Library",
                "Hemlington Community Hub and Library", "Thorntree Community Hub and Library", "Easterside Community Hub and Library")) {
            assertTrue(names.contains(library), library + " missing from " + names);
        }
        for (String outside : List.of("Thornaby Central Library", "Grangetown Library", "Yarm Library", "Ormesby Library",
                "Broughty Ferry Library")) {
            assertTrue(!names.contains(outside), outside + " is not in Middlesbrough");
        }
        Set<String> expectedNames = new TreeSet<>();
        for (int line : insideLines) {
            String n = rows.get(line).get("distinctive_name");
            expectedNames.add(n.isBlank() ? "Library (unnamed)" : n);
        }
        assertEquals(expectedNames, names);
        // the OS feature id (a UUID) is the asset's uid, so the file can be imported again
        assertEquals(insideLines.size(), count(server, "SELECT count(*) FROM asset a WHERE a.source = 'csv upload' AND a.kind = 'place'"));
        String firstId = rows.get(insideLines.iterator().next()).get("id").toLowerCase();
        assertEquals(1, count(server, "SELECT count(*) FROM asset WHERE uid = '" + firstId + "'"));

        // again, through the command line: the same rows are updated, nothing added
        var out = new ByteArrayOutputStream();
        int status = AssetCommand.importFile(server.dataSource, libraries, null, "library", null, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(1, status, "rows were rejected");
        JsonNode again = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(0, again.path("inserted").asInt());
        assertEquals(insideLines.size(), again.path("updated").asInt());
        assertEquals(insideLines.size(), count(server, "SELECT count(*) FROM asset"));
        assertEquals(insideLines.size(), count(server, "SELECT count(*) FROM asset a WHERE a.source = 'os_library_buildings.csv'"));
    }
}
