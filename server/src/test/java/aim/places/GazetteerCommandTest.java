package aim.places;

import aim.CommandLineAccess;
import aim.Config;
import aim.db.DatabaseUrl;
import aim.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./aim import gazetteer FILE}: OS Open Names with its header row and Code-Point Open without one;
 * the report is printed, a file with bad rows exits 1 with the good rows kept, and without wards (a new
 * database) nothing is left out as outside the council.
 */
@Tag("postgis")
class GazetteerCommandTest {

    @Test
    void importsOpenNamesAndCodePointOpen(@TempDir Path dir) throws Exception {
        try (var ds = TestDatabase.fresh()) {
            Config config = Config.fromEnvironment(Map.of()).withDatabase(new DatabaseUrl(ds.getJdbcUrl(), ds.getUsername(), ds.getPassword()));
            Path names = dir.resolve("NZ51.csv");
            Files.writeString(names, """
                    ID,NAME1,TYPE,LOCAL_TYPE,GEOMETRY_X,GEOMETRY_Y,MBR_XMIN,MBR_YMIN,MBR_XMAX,MBR_YMAX,POSTCODE_DISTRICT,POPULATED_PLACE,DISTRICT_BOROUGH
                    osgb1,Linthorpe Road,transportNetwork,Named Road,449400,519300,449300,518800,449500,519800,TS1,Middlesbrough,Middlesbrough
                    osgb2,Linthorpe,populatedPlace,Suburban Area,448900,518700,,,,,TS5,Middlesbrough,Middlesbrough
                    osgb3,TS1 2AB,other,Postcode,449450,519350,,,,,TS1,Middlesbrough,Middlesbrough
                    osgb4,Nowhere,populatedPlace,Hamlet,east,519300,,,,,TS1,,
                    """, StandardCharsets.UTF_8);
            var out = new ByteArrayOutputStream();
            assertEquals(1, run(config, out, "import", "gazetteer", names.toString()), "a rejected row: exit 1");
            JsonNode report = aim.core.Json.mapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals("os-open-names", report.path("format").asText());
            assertEquals(3, report.path("imported").asInt());
            assertEquals(1, report.path("rejected").asInt());
            assertEquals(5, report.path("issues").get(0).path("line").asInt(), "the header is line 1");
            assertTrue(report.path("licence").asText().contains("Open Government Licence v3.0"));

            Path codePoint = dir.resolve("ts.csv");
            Files.writeString(codePoint, """
                    "TS1 1AA",10,449000,519900,"E92000001","","E10000000","E08000024","E05001234"
                    "TS1 1AB",10,449050,519950,"E92000001","","E10000000","E08000024","E05001234"
                    """, StandardCharsets.UTF_8);
            out.reset();
            assertEquals(0, run(config, out, "import", "gazetteer", codePoint.toString(), "--licence", "Code-Point Open, OGL"));
            report = aim.core.Json.mapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals("code-point-open", report.path("format").asText());
            assertEquals(2, report.path("imported").asInt());
            try (var c = ds.getConnection(); var st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT kind, count(*) FROM gazetteer GROUP BY kind ORDER BY kind")) {
                StringBuilder kinds = new StringBuilder();
                while (rs.next()) kinds.append(rs.getString(1)).append('=').append(rs.getInt(2)).append(' ');
                assertEquals("place=1 postcode=3 street=1 ", kinds.toString());
            }
            assertThrows(IllegalArgumentException.class, () -> run(config, out, "import", "gazetteer", dir.resolve("missing.csv").toString()));
        }
    }

    private static int run(Config config, ByteArrayOutputStream captured, String... args) throws Exception {
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            return CommandLineAccess.run(config, args);
        } finally {
            System.setOut(out);
        }
    }
}
