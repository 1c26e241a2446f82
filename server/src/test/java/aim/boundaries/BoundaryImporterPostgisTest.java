package aim.boundaries;

import aim.core.DomainException;
import aim.testing.SharedData;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Boundary imports on real PostGIS, with the real ONS files from ../shared. */
@Tag("postgis")
class BoundaryImporterPostgisTest {
    @Fresh static HikariDataSource db;
    static BoundaryImporter importer;
    static BoundaryRepository repository;

    @BeforeAll
    static void start() {
        importer = new BoundaryImporter(db);
        repository = new BoundaryRepository(db);
    }

    @Test
    void importsMiddlesbroughWardsDetectingOnsFieldsAndYear() throws Exception {
        Path file = SharedData.path("geo-data/ons-wards-2013/E06000002.json");
        var report = importer.importFile(file, BoundaryImportOptions.of(BoundaryLevel.WARD).withVersion("mbro-2013"));
        assertEquals(23, report.read());
        assertEquals(23, report.imported());
        assertEquals("WD13CD", report.codeField());
        assertEquals("WD13NM", report.nameField());
        assertEquals(4326, report.srid());
        var set = repository.find(BoundaryLevel.WARD, "mbro-2013").orElseThrow();
        assertEquals(23, set.featureCount());
        assertTrue(set.attribution().contains("Crown copyright"));
        // stored in British National Grid, around Middlesbrough
        assertEquals(27700, scalar("SELECT DISTINCT ST_SRID(geom) FROM boundary WHERE set_id = " + set.id()));
        double[] centre = centre(set.id());
        assertTrue(centre[0] > 445_000 && centre[0] < 456_000, "easting " + centre[0]);
        assertTrue(centre[1] > 511_000 && centre[1] < 522_000, "northing " + centre[1]);
        // Middlesbrough is about 54 km²
        double km2 = ((Number) scalar("SELECT sum(area_m2) / 1e6 FROM boundary WHERE set_id = " + set.id())).doubleValue();
        assertTrue(km2 > 50 && km2 < 58, "area " + km2);
    }

    @Test
    void versionDefaultsToOnsYearAndANewerImportBecomesCurrentWithoutDestroyingTheOlder(@TempDir Path dir) throws Exception {
        Path older = SharedData.path("geo-data/ons-wards-2013/E06000001.json");
        importer.importFile(older, new BoundaryImportOptions(BoundaryLevel.ZONE, null, LocalDate.of(2013, 12, 1),
                null, null, null, null, false, false, null));
        assertTrue(repository.find(BoundaryLevel.ZONE, "ons-2013").isPresent(), "version named after the ONS year");

        Path renamed = dir.resolve("wards-2024.json");
        Files.writeString(renamed, Files.readString(older).replace("WD13CD", "WD24CD").replace("WD13NM", "WD24NM"));
        var report = importer.importFile(renamed, new BoundaryImportOptions(BoundaryLevel.ZONE, null, LocalDate.of(2024, 5, 2),
                null, null, null, null, false, false, null));
        assertEquals("ons-2024", report.version());
        assertEquals("WD24CD", report.codeField());

        var both = repository.versions().stream().filter(s -> s.level() == BoundaryLevel.ZONE).toList();
        assertEquals(2, both.size());
        assertEquals(both.get(0).featureCount(), both.get(1).featureCount());
    }

    @Test
    void rejectsAWholeFileWhenOneFeatureIsOutsideGreatBritain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.geojson");
        Files.writeString(file, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"code":"A","name":"Fine"},"geometry":{"type":"Polygon","coordinates":[[[-1.2,54.5],[-1.1,54.5],[-1.1,54.6],[-1.2,54.5]]]}},
                 {"type":"Feature","properties":{"code":"B","name":"Paris"},"geometry":{"type":"Polygon","coordinates":[[[2.3,48.8],[2.4,48.8],[2.4,48.9],[2.3,48.8]]]}}
                ]}""");
        DomainException problem = assertThrows(DomainException.class, () ->
                importer.importFile(file, BoundaryImportOptions.of(BoundaryLevel.WARD).withVersion("bad")));
        assertEquals(422, aim.web.Problems.status(problem));
        var issues = (List<?>) problem.issues();
        assertEquals(1, issues.size());
        assertTrue(issues.get(0).toString().contains("feature 2"), issues.toString());
        assertTrue(issues.get(0).toString().contains("outside Great Britain"), issues.toString());
        assertFalse(repository.find(BoundaryLevel.WARD, "bad").isPresent(), "nothing half-imported");
    }

    @Test
    void repairsASelfIntersectingPolygonAndReportsWhere(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bowtie.geojson");
        Files.writeString(file, """
                {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},
                 "features":[{"type":"Feature","properties":{"code":"Z1","name":"Bow tie"},
                  "geometry":{"type":"Polygon","coordinates":[[[450000,515000],[451000,516000],[451000,515000],[450000,516000],[450000,515000]]]}}]}""");
        var report = importer.importFile(file, BoundaryImportOptions.of(BoundaryLevel.ZONE).withVersion("bowtie"));
        assertEquals(1, report.imported());
        assertEquals(1, report.repaired());
        assertEquals(27700, report.srid());
        var issue = report.issues().get(0);
        assertEquals("repaired", issue.severity());
        assertEquals("450500.0 515500.0", issue.location());
        double area = ((Number) scalar("SELECT area_m2 FROM boundary WHERE code = 'Z1'")).doubleValue();
        assertEquals(500_000, area, 1.0, "both triangles kept");
    }

    @Test
    void explainsMissingFieldsMalformedJsonAndDuplicateVersions(@TempDir Path dir) throws Exception {
        Path noFields = dir.resolve("nofields.geojson");
        Files.writeString(noFields, """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"foo":"x"},
                 "geometry":{"type":"Polygon","coordinates":[[[-1.2,54.5],[-1.1,54.5],[-1.1,54.6],[-1.2,54.5]]]}}]}""");
        var p1 = assertThrows(DomainException.class, () -> importer.importFile(noFields, BoundaryImportOptions.of(BoundaryLevel.WARD)));
        assertEquals("code-field", p1.field());
        assertTrue(p1.getMessage().contains("[foo]"), p1.getMessage());

        Path broken = dir.resolve("broken.geojson");
        Files.writeString(broken, "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\",,}]}");
        var p2 = assertThrows(DomainException.class, () -> importer.importFile(broken, BoundaryImportOptions.of(BoundaryLevel.WARD)));
        assertEquals("file", p2.field());
        assertTrue(p2.getMessage().contains("line 2"), p2.getMessage());

        Path file = SharedData.path("geo-data/ons-wards-2013/E06000004.json");
        importer.importFile(file, BoundaryImportOptions.of(BoundaryLevel.WARD).withVersion("stockton"));
        var p3 = assertThrows(DomainException.class, () -> importer.importFile(file, BoundaryImportOptions.of(BoundaryLevel.WARD).withVersion("stockton")));
        assertEquals(409, aim.web.Problems.status(p3));
    }

    private static Object scalar(String sql) throws SQLException {
        try (var c = db.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1);
        }
    }

    private static double[] centre(long setId) throws SQLException {
        try (var c = db.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT ST_X(ST_Centroid(ST_Collect(geom))), ST_Y(ST_Centroid(ST_Collect(geom))) FROM boundary WHERE set_id = " + setId)) {
            rs.next();
            return new double[]{rs.getDouble(1), rs.getDouble(2)};
        }
    }
}
