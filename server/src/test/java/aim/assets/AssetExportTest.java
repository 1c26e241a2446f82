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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static aim.assets.AssetFixtures.count;
import static aim.assets.AssetFixtures.demoWardPoint;
import static aim.assets.AssetFixtures.get;
import static aim.assets.AssetFixtures.json;
import static aim.assets.AssetFixtures.place;
import static aim.assets.AssetFixtures.point;
import static aim.assets.AssetFixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV and GeoJSON exports: people only for roles that may see them (audited), and a CSV export imports again. */
@Tag("postgis")
class AssetExportTest {

    @Test
    void exportsAsCsvAndGeoJsonByRoleAndTheCsvImportsIntoAnEmptyDatabase(@TempDir Path dir) throws Exception {
        String csvText;
        try (TestServer server = new TestServer()) {
            new DemoLoader(server.dataSource, dir).loadIfMissing();
            String planner = server.userToken("pat", Role.PLANNER);
            String analyst = server.userToken("ana", Role.ANALYST);
            double[] p = demoWardPoint(server, 3);
            assertEquals(201, post(server, "/api/assets", planner, place("library", "Export Library", point(server, p[0], p[1]))).statusCode());
            assertEquals(201, post(server, "/api/assets", server.adminToken, """
                    {"kind": "people", "category": "community-champion", "name": "Private Person", "geometry": %s}"""
                    .formatted(point(server, p[0] + 50, p[1] + 50))).statusCode());

            var plannerCsv = get(server, "/api/assets/export?format=csv", planner);
            assertEquals(200, plannerCsv.statusCode(), plannerCsv.body());
            assertTrue(plannerCsv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            assertFalse(plannerCsv.body().contains("Private Person"), "no people for a planner");
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new StringReader(plannerCsv.body())).getRecords();
            assertEquals(1, rows.size());
            assertEquals("Export Library", rows.get(0).get("name"));
            assertTrue(rows.get(0).get("wkt").startsWith("POINT"), rows.get(0).get("wkt"));

            long audits = count(server, "SELECT count(*) FROM asset_audit");
            var analystCsv = get(server, "/api/assets/export?format=csv", analyst);
            assertTrue(analystCsv.body().contains("Private Person"), "analysts see people");
            assertEquals(audits + 1, count(server, "SELECT count(*) FROM asset_audit"), "the people read is audited");

            var geojson = get(server, "/api/assets/export?format=geojson", planner);
            assertEquals(200, geojson.statusCode());
            assertEquals(1, json(geojson).path("features").size());
            assertEquals(400, get(server, "/api/assets/export?format=shapefile", planner).statusCode());
            csvText = plannerCsv.body();
        }
        // the planner's CSV imports into an empty database with the same name, category and place
        try (TestServer fresh = new TestServer()) {
            new DemoLoader(fresh.dataSource, dir.resolve("again")).loadIfMissing();
            Path file = Files.writeString(dir.resolve("assets.csv"), csvText);
            var imported = fresh.send("POST", "/api/assets/import?format=csv", HttpRequest.BodyPublishers.ofFile(file),
                    "Content-Type", "text/csv", "Authorization", "Bearer " + fresh.adminToken);
            assertEquals(200, imported.statusCode(), imported.body());
            assertEquals(1, json(imported).path("imported").asInt(), imported.body());
            assertEquals(1, count(fresh, "SELECT count(*) FROM asset WHERE name = 'Export Library' AND category = 'library' AND kind = 'place'"));
        }
    }
}
