package aim.hotspots;

import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.PopulationImporter;
import aim.incidents.PoliceCsvImporter;
import aim.testing.Fresh;
import aim.testing.SharedData;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The intelligence views on real data: Darlington's 2013 ONS wards, its census population
 * apportioned from LSOAs, and the real Durham Constabulary police.uk files (Oct 2018 – Feb 2019).
 */
@Tag("postgis")
class DurhamPoliceHotspotsTest {
    @Fresh static TestServer server;
    static String analyst;
    static final String WINDOW = "from=2018-10-01&to=2019-02-28";

    @BeforeAll
    static void load() throws Exception {
        analyst = server.userToken("aim-group", Role.ANALYST);
        var importer = new BoundaryImporter(server.dataSource);
        importer.importFile(SharedData.path("geo-data/ons-wards-2013/E06000005.json"), BoundaryImportOptions.of(BoundaryLevel.WARD));
        importer.importFile(SharedData.path("geo-data/ons-lsoa-2011/E06000005.json"), BoundaryImportOptions.of(BoundaryLevel.LSOA));
        var boundaries = new BoundaryRepository(server.dataSource);
        var populations = new PopulationImporter(server.dataSource, boundaries);
        try (var csv = Files.newBufferedReader(SharedData.path("data/census2011-lsoa-population/LSOA_pop_v2.csv"), StandardCharsets.UTF_8)) {
            populations.importCsv(csv, BoundaryLevel.LSOA, null, null, new PopulationImporter.Columns(null, null, null));
        }
        populations.apportionFromLsoa(BoundaryLevel.WARD, null, null, null);
        List<Path> files;
        try (Stream<Path> s = Files.list(SharedData.path("data/police-uk-durham-2018-10_2019-02"))) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        var police = new PoliceCsvImporter(server.dataSource);
        for (Path file : files) police.importFile(file);
    }

    private JsonNode get(String path) throws Exception {
        var response = server.get(path, "Authorization", "Bearer " + analyst);
        assertEquals(200, response.statusCode(), path + " → " + response.body());
        return json(response);
    }

    @Test
    void giStarFindsHotSpotsInDarlington() throws Exception {
        JsonNode map = get("/api/hotspots?method=gistar&cell=250&" + WINDOW);
        assertTrue(map.path("meta").path("incidents").asInt() > 1000, map.path("meta").toString());
        int hot = 0;
        for (JsonNode f : map.path("features")) if (f.path("properties").path("bin").asInt() == 3) hot++;
        assertTrue(hot >= 3, "hot spots at 99% after FDR: " + hot);
        assertNotNull(map.path("meta").path("critical_p").get("0.01"));
    }

    @Test
    void wardRatesUseApportionedCensusPopulationsAndCountEveryDarlingtonIncident() throws Exception {
        JsonNode stats = get("/api/areas/stats?level=ward&" + WINDOW + "&category=anti-social-behaviour,burglary,violence-and-sexual-offences");
        long total = 0;
        List<String> withoutRate = new ArrayList<>();
        for (JsonNode area : stats.path("areas")) {
            total += area.path("count").asLong();
            if (area.path("rate").isNull()) withoutRate.add(area.path("name").asText());
        }
        assertTrue(withoutRate.isEmpty(), "every ward has a population: " + withoutRate);
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT count(*) FROM incident i
                WHERE i.category IN ('anti-social-behaviour', 'burglary', 'violence-and-sexual-offences')
                  AND EXISTS (SELECT 1 FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                              WHERE s.level = 'ward' AND ST_Covers(b.geom, i.geom))""")) {
            rs.next();
            assertEquals(rs.getLong(1), total - stats.path("meta").path("areaOnly").asLong(0),
                    "located incidents in Darlington's wards");
        }
        assertEquals(1, stats.path("areas").get(0).path("rank").asInt());
    }

    @Test
    void quarterlySeriesUseFinancialYearLabelsAndMonthPrecision() throws Exception {
        String ward = get("/api/boundaries?level=ward").path("features").get(0).path("properties").path("code").asText();
        JsonNode series = get("/api/areas/ward/" + ward + "/series?interval=quarter&from=2018-10-01&to=2019-03-31");
        List<String> labels = new ArrayList<>();
        for (JsonNode p : series.path("periods")) labels.add(p.path("label").asText());
        assertEquals(List.of("Q3 18/19", "Q4 18/19"), labels);
        JsonNode months = get("/api/areas/ward/" + ward + "/series?interval=month&from=2018-10-01&to=2019-03-31");
        long q3 = 0;
        for (JsonNode p : months.path("periods")) {
            if (p.path("label").asText().compareTo("2019-01") < 0) q3 += p.path("count").asLong();
        }
        assertEquals(q3, series.path("periods").get(0).path("count").asLong(), "Oct–Dec months add up to Q3");
        assertFalse(months.path("periods").get(5).path("count").asLong() > 0, "no March 2019 file: nothing in March");
    }
}
