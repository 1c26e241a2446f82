package aim.boundaries;

import aim.testing.SharedData;
import aim.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every English local authority's real ONS 2013 wards import, each file as its own version. */
@Tag("postgis")
class OnsWardsPostgisTest {

    @Test
    void allEnglishAuthoritiesWardsImport() throws Exception {
        Path dir = SharedData.path("geo-data/ons-wards-2013");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(322, files.size(), "one file per English local authority");
        try (HikariDataSource db = TestDatabase.fresh()) {
            BoundaryImporter importer = new BoundaryImporter(db);
            int read = 0, imported = 0;
            List<String> failures = new ArrayList<>();
            for (Path file : files) {
                String lad = file.getFileName().toString().replace(".json", "");
                try {
                    var report = importer.importFile(file, BoundaryImportOptions.of(BoundaryLevel.WARD).withVersion(lad));
                    read += report.read();
                    imported += report.imported();
                    if (lad.equals("E06000002")) assertEquals(23, report.imported(), "Middlesbrough has 23 wards");
                } catch (RuntimeException e) {
                    failures.add(lad + ": " + e.getMessage());
                }
            }
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(read, imported);
            assertTrue(imported > 7_000, "about 7,600 wards, got " + imported);
            try (var c = db.getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FILTER (WHERE NOT ST_IsValid(geom)), count(*) FROM boundary")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "every stored geometry is valid");
                assertEquals(imported, rs.getInt(2));
            }
        }
    }
}
