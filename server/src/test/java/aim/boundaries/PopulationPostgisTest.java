package aim.boundaries;

import aim.core.DomainException;
import aim.core.Issue;
import aim.testing.SharedData;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Populations: direct CSV import, apportioning real LSOA census figures to real wards, and neighbourhood sums. */
@Tag("postgis")
class PopulationPostgisTest {
    @Fresh static HikariDataSource db;
    static BoundaryRepository repository;
    static PopulationImporter populations;

    @BeforeAll
    static void load() throws Exception {
        repository = new BoundaryRepository(db);
        populations = new PopulationImporter(db, repository);
        var importer = new BoundaryImporter(db);
        importer.importFile(SharedData.path("geo-data/ons-wards-2013/E06000002.json"), BoundaryImportOptions.of(BoundaryLevel.WARD));
        importer.importFile(SharedData.path("geo-data/ons-lsoa-2011/E06000002.json"), BoundaryImportOptions.of(BoundaryLevel.LSOA));
    }

    @Test
    void censusLsoaFiguresApportionToWardsAndSumToNeighbourhoods() throws Exception {
        try (var csv = Files.newBufferedReader(SharedData.path("data/census2011-lsoa-population/LSOA_pop_v2.csv"), StandardCharsets.UTF_8)) {
            var report = populations.importCsv(csv, BoundaryLevel.LSOA, "ons-2011", null, new PopulationImporter.Columns(null, null, null));
            assertEquals(86, report.imported(), "Middlesbrough's 86 LSOAs");
            assertEquals(report.read() - 86, report.unmatched(), "the rest of England and Wales is counted, not rejected");
            assertEquals(0, report.rejected());
        }
        var apportioned = populations.apportionFromLsoa(BoundaryLevel.WARD, "ons-2013", "ons-2011", null);
        assertEquals(2011, apportioned.year());
        assertEquals(23, apportioned.areas());
        assertEquals(138_412, apportioned.smallAreaPopulation());
        // area weighting over slightly different generalisations loses or gains a little at the edges
        assertEquals(138_412, apportioned.apportionedPopulation(), 138_412 * 0.02);

        var wards = BoundaryVersions.resolve(repository, BoundaryLevel.WARD, "ons-2013");
        var builder = new NeighbourhoodBuilder(db, repository);
        try (var c = db.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT code FROM boundary WHERE set_id = " + wards.get(0).id() + " ORDER BY code")) {
            var north = new java.util.ArrayList<String>();
            var south = new java.util.ArrayList<String>();
            int i = 0;
            while (rs.next()) (i++ % 2 == 0 ? north : south).add(rs.getString(1));
            builder.define("halves", "ons-2013", null, java.util.List.of(
                    new NeighbourhoodDefinition("N", "North", north), new NeighbourhoodDefinition("S", "South", south)), false, false);
        }
        try (var c = db.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT sum(lp.population) FROM latest_population lp JOIN boundary b ON b.id = lp.boundary_id
                     JOIN boundary_set s ON s.id = b.set_id WHERE s.version = 'halves'""")) {
            rs.next();
            assertEquals(apportioned.apportionedPopulation(), rs.getLong(1), "neighbourhoods sum their wards");
        }
    }

    @Test
    void badRowsAreReportedByLineAndGoodRowsKept() throws Exception {
        String csv = """
                code,population,year
                E05001482,9001,2021
                E05001483,lots,2021
                E05001484,-5,2021
                ,100,2021
                E05001485,7000,21
                E05001482,9002,2021
                E05001486,8000,2021
                """;
        var report = populations.importCsv(new StringReader(csv), BoundaryLevel.WARD, "ons-2013", null, new PopulationImporter.Columns(null, null, null));
        assertEquals(7, report.read());
        assertEquals(2, report.imported());
        assertEquals(5, report.rejected());
        var lines = report.issues().stream().map(Issue::where).toList();
        assertEquals(java.util.List.of("line 3", "line 4", "line 5", "line 6", "line 7"), lines);
        assertTrue(report.issues().get(0).message().contains("lots"));
    }

    @Test
    void neighbourhoodPopulationsAreNotImportedDirectly() {
        var problem = assertThrows(DomainException.class, () -> populations.importCsv(new StringReader("code,population,year\n"),
                BoundaryLevel.NEIGHBOURHOOD, null, null, new PopulationImporter.Columns(null, null, null)));
        assertEquals("level", problem.field());
        var noYear = assertThrows(DomainException.class, () -> populations.importCsv(new StringReader("code,population\nE05001482,5\n"),
                BoundaryLevel.WARD, "ons-2013", null, new PopulationImporter.Columns(null, null, null)));
        assertEquals("year", noYear.field());
    }
}
