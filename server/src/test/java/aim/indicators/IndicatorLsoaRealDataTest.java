package aim.indicators;

import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.PopulationImporter;
import aim.testing.Fresh;
import aim.testing.SharedData;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An LSOA score on real geography: Darlington's 2011 LSOAs with their census populations and its 2013 wards.
 * A score per LSOA (a made-up value per code, as an IMD file would give) is read back by LSOA ({@code level=lsoa},
 * the LSOA choropleth) and by ward (population-weighted), both checked against an independent SQL computation.
 */
@Tag("postgis")
class IndicatorLsoaRealDataTest {
    @Fresh static TestServer server;
    static String analyst;
    /** the score given to each LSOA */
    static final Map<String, Double> SCORES = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws Exception {
        analyst = server.userToken("ind-lsoa", Role.ANALYST);
        var importer = new BoundaryImporter(server.dataSource);
        importer.importFile(SharedData.path("geo-data/ons-wards-2013/E06000005.json"), BoundaryImportOptions.of(BoundaryLevel.WARD));
        importer.importFile(SharedData.path("geo-data/ons-lsoa-2011/E06000005.json"), BoundaryImportOptions.of(BoundaryLevel.LSOA));
        var populations = new PopulationImporter(server.dataSource, new BoundaryRepository(server.dataSource));
        try (var csv = Files.newBufferedReader(SharedData.path("data/census2011-lsoa-population/LSOA_pop_v2.csv"), StandardCharsets.UTF_8)) {
            populations.importCsv(csv, BoundaryLevel.LSOA, null, null, new PopulationImporter.Columns(null, null, null));
        }
        StringBuilder csv = new StringBuilder("lsoa,measure,period,value,name,direction\n");
        List<String> codes = strings("SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'lsoa' ORDER BY b.code");
        for (int k = 0; k < codes.size(); k++) {
            double score = 5 + (k * 7919 % 613) / 10.0; // 5.0 … 66.2, spread across the LSOAs
            SCORES.put(codes.get(k), score);
            csv.append(codes.get(k)).append(",imd-test,2019,").append(score).append(k == 0 ? ",IMD score (test),down\n" : ",,\n");
        }
        var r = server.send("POST", "/api/indicators/import?kind=score", HttpRequest.BodyPublishers.ofString(csv.toString()),
                "Content-Type", "text/csv", "Authorization", "Bearer " + analyst);
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void lsoaRowsAreTheLsoasOfTheWardsWithTheirOwnScores() throws Exception {
        List<String> expected = strings("""
                SELECT l.code FROM boundary l JOIN boundary_set ls ON ls.id = l.set_id AND ls.level = 'lsoa'
                WHERE EXISTS (SELECT 1 FROM boundary w JOIN boundary_set ws ON ws.id = w.set_id AND ws.level = 'ward'
                              WHERE ST_Covers(w.geom, ST_PointOnSurface(l.geom)))
                ORDER BY l.code""");
        assertTrue(expected.size() > 50, "Darlington has " + expected.size() + " LSOAs");
        JsonNode t = get("level=lsoa&indicator=imd-test&interval=month&from=2019-01-01&to=2019-01-31");
        List<String> listed = new ArrayList<>();
        for (JsonNode row : t.path("rows")) {
            String code = row.path("area").path("code").asText();
            listed.add(code);
            assertEquals(SCORES.get(code), row.path("cells").get(0).path("value").asDouble(), 1e-9, code);
            assertTrue(row.path("area").path("population").asInt() > 500, code + " has its census population");
        }
        assertEquals(expected, listed);
    }

    @Test
    void wardScoresAreThePopulationWeightedMeanOfTheirLsoas() throws Exception {
        Map<String, Double> expected = new LinkedHashMap<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT w.code, l.code, p.population FROM boundary l
                JOIN boundary_set ls ON ls.id = l.set_id AND ls.level = 'lsoa'
                JOIN latest_population p ON p.boundary_id = l.id
                JOIN boundary w ON ST_Covers(w.geom, ST_PointOnSurface(l.geom))
                JOIN boundary_set ws ON ws.id = w.set_id AND ws.level = 'ward'""")) {
            Map<String, double[]> sums = new LinkedHashMap<>();
            while (rs.next()) {
                double[] s = sums.computeIfAbsent(rs.getString(1), k -> new double[2]);
                s[0] += rs.getInt(3) * SCORES.get(rs.getString(2));
                s[1] += rs.getInt(3);
            }
            sums.forEach((ward, s) -> expected.put(ward, s[0] / s[1]));
        }
        JsonNode t = get("indicator=imd-test&interval=month&from=2019-01-01&to=2019-01-31");
        int n = 0;
        for (JsonNode row : t.path("rows")) {
            String ward = row.path("area").path("code").asText();
            if (!expected.containsKey(ward)) continue;
            assertEquals(expected.get(ward), row.path("cells").get(0).path("value").asDouble(), 0.0005, ward); // 3 decimals
            n++;
        }
        assertEquals(expected.size(), n);
        assertTrue(n > 20, n + " wards");
    }

    private static JsonNode get(String query) throws Exception {
        var r = server.get("/api/indicators?" + query, "Authorization", "Bearer " + analyst);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
