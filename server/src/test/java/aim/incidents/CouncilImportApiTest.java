package aim.incidents;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/incidents/import/council over HTTP against the started app. */
@Tag("postgis")
class CouncilImportApiTest {
    static final String CSV = """
            Ref,Type,Date Reported,X,Y,Notes
            H-1,asb-noise,05/03/2024,449500,520100,Loud music
            H-2,Parking,05/03/2024,449500,520100,
            H-3,fly-tipping,2099-01-01,449500,520100,
            """;
    static final String MAP = "id=Ref,category=Type,occurred=Date Reported,easting=X,northing=Y,description=Notes";
    @Fresh static TestServer server;

    private static String path(String map) {
        return "/api/incidents/import/council" + (map == null ? "" : "?map=" + URLEncoder.encode(map, StandardCharsets.UTF_8));
    }

    @Test
    void anAdminUploadsACsvWithTheMappingInTheQuery() throws Exception {
        var response = server.send("POST", path(MAP), HttpRequest.BodyPublishers.ofString(CSV), "Content-Type", "text/csv",
                "Authorization", "Bearer " + server.adminToken);
        assertEquals(200, response.statusCode(), response.body());
        var report = json(response);
        assertEquals("council", report.path("source").asText());
        assertEquals(3, report.path("read").asInt());
        assertEquals(1, report.path("imported").asInt());
        assertEquals(2, report.path("rejected").asInt());
        assertEquals(3, report.path("issues").get(0).path("line").asInt());
        assertEquals("Type", report.path("issues").get(0).path("field").asText());
        assertEquals(4, report.path("issues").get(1).path("line").asInt());
        assertTrue(report.path("issues").get(1).path("message").asText().contains("in the future"));
    }

    @Test
    void anAnalystSendsTheMappingAsAMultipartField() throws Exception {
        String analyst = server.userToken("annie", Role.ANALYST);
        String csv = CSV.replace("H-", "M-");
        var response = PoliceImportApiTest.multipart(server, path(null), "council.csv", csv, analyst, "map",
                "{\"id\":\"Ref\",\"category\":\"Type\",\"occurred\":\"Date Reported\",\"easting\":\"X\",\"northing\":\"Y\","
                        + "\"category-values\":{\"Parking\":\"env-abandoned-vehicle\"}}");
        assertEquals(200, response.statusCode(), response.body());
        var report = json(response);
        assertEquals("council.csv", report.path("file").asText());
        assertEquals(2, report.path("imported").asInt(), report.toString());
        assertEquals(1, report.path("rejected").asInt());
    }

    @Test
    void theMappingIsRequiredAndChecked() throws Exception {
        var none = server.send("POST", path(null), HttpRequest.BodyPublishers.ofString(CSV), "Content-Type", "text/csv",
                "Authorization", "Bearer " + server.adminToken);
        assertEquals(400, none.statusCode());
        assertEquals("map", json(none).path("field").asText());
        var unknownField = server.send("POST", path(MAP + ",colour=C"), HttpRequest.BodyPublishers.ofString(CSV),
                "Content-Type", "text/csv", "Authorization", "Bearer " + server.adminToken);
        assertEquals(400, unknownField.statusCode());
        var missingColumn = server.send("POST", path(MAP.replace("Notes", "Comments")), HttpRequest.BodyPublishers.ofString(CSV),
                "Content-Type", "text/csv", "Authorization", "Bearer " + server.adminToken);
        assertEquals(422, missingColumn.statusCode());
        assertTrue(json(missingColumn).path("detail").asText().contains("'Comments'"), missingColumn.body());
    }

    @Test
    void onlyAdminsAndAnalystsMayImport() throws Exception {
        assertEquals(401, server.send("POST", path(MAP), HttpRequest.BodyPublishers.ofString(CSV), "Content-Type", "text/csv")
                .statusCode());
        String planner = server.userToken("pam", Role.PLANNER);
        assertEquals(403, server.send("POST", path(MAP), HttpRequest.BodyPublishers.ofString(CSV), "Content-Type", "text/csv",
                "Authorization", "Bearer " + planner).statusCode());
    }
}
