package aim.incidents;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.SharedData;
import aim.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/incidents/import/police over HTTP against the started app. */
@Tag("postgis")
class PoliceImportApiTest {
    static final String PATH = "/api/incidents/import/police";
    @Fresh static TestServer server;

    @Test
    void anAdminUploadsARealMonthAndGetsTheSummary() throws Exception {
        Path december = SharedData.path("data/police-uk-durham-2018-10_2019-02/2018-12-durham-street.csv");
        var response = server.postFile(PATH, december, "text/csv", server.adminToken);
        assertEquals(200, response.statusCode(), response.body());
        var report = json(response);
        assertEquals("police", report.path("source").asText());
        assertEquals(6000, report.path("read").asInt());
        assertEquals(6000, report.path("imported").asInt());
        assertEquals(0, report.path("duplicates").asInt());
        assertEquals(0, report.path("rejected").asInt());
        assertEquals(7, report.path("areaOnly").asInt());
        assertTrue(report.path("issues").isArray());

        var again = json(server.postFile(PATH, december, "text/csv", server.adminToken));
        assertEquals(0, again.path("imported").asInt());
        assertEquals(6000, again.path("duplicates").asInt());
    }

    @Test
    void anAnalystUploadsAMultipartFileAndSeesRejectedRowsByLine() throws Exception {
        String analyst = server.userToken("ana", Role.ANALYST);
        String csv = String.join(",", PoliceCsvImporter.HEADER) + "\n"
                + "api-1,2020-06,Cleveland Police,Cleveland Police,-1.234,54.567,On or near Linthorpe Road,E01012001,Middlesbrough 001A,Drugs,,\n"
                + "api-2,2020-06,Cleveland Police,Cleveland Police,-1.234,54.567,On or near Linthorpe Road,E01012001,Middlesbrough 001A,Loitering,,\n";
        var response = multipart(server, PATH, "june.csv", csv, analyst);
        assertEquals(200, response.statusCode(), response.body());
        var report = json(response);
        assertEquals("june.csv", report.path("file").asText());
        assertEquals(1, report.path("imported").asInt());
        assertEquals(1, report.path("rejected").asInt());
        var issue = report.path("issues").get(0);
        assertEquals(3, issue.path("line").asInt());
        assertEquals("line 3", issue.path("where").asText());
        assertEquals("Crime type", issue.path("field").asText());
        assertEquals("unknown crime type 'Loitering'", issue.path("message").asText());
    }

    @Test
    void onlyAdminsAndAnalystsMayImport() throws Exception {
        String csv = String.join(",", PoliceCsvImporter.HEADER) + "\n";
        var anonymous = server.send("POST", PATH, HttpRequest.BodyPublishers.ofString(csv), "Content-Type", "text/csv");
        assertEquals(401, anonymous.statusCode());
        assertEquals("application/problem+json; charset=utf-8", anonymous.headers().firstValue("Content-Type").orElse(""));
        String viewer = server.userToken("vera", Role.VIEWER);
        var forbidden = server.send("POST", PATH, HttpRequest.BodyPublishers.ofString(csv), "Content-Type", "text/csv",
                "Authorization", "Bearer " + viewer);
        assertEquals(403, forbidden.statusCode());
        String warden = server.userToken("walt", Role.WARDEN);
        assertEquals(403, server.send("POST", PATH, HttpRequest.BodyPublishers.ofString(csv), "Content-Type", "text/csv",
                "Authorization", "Bearer " + warden).statusCode());
    }

    @Test
    void aFileWithoutTheRequiredColumnsIsA422NamingTheColumn() throws Exception {
        String csv = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Last outcome category\n"
                + "x,2020-01,a,b,-1.2,54.5,c,E01,d,e\n";
        var response = server.send("POST", PATH, HttpRequest.BodyPublishers.ofString(csv), "Content-Type", "text/csv",
                "Authorization", "Bearer " + server.adminToken);
        assertEquals(422, response.statusCode(), response.body());
        assertEquals("application/problem+json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        var problem = json(response);
        assertEquals(422, problem.path("status").asInt());
        assertEquals("file", problem.path("field").asText());
        assertTrue(problem.path("detail").asText().contains("'Crime type'"), problem.toString());

        var empty = server.send("POST", PATH, HttpRequest.BodyPublishers.noBody(), "Content-Type", "text/csv",
                "Authorization", "Bearer " + server.adminToken);
        assertEquals(400, empty.statusCode(), empty.body());
    }

    /** A multipart/form-data request with the CSV as part {@code file}. */
    static HttpResponse<String> multipart(TestServer server, String path, String fileName, String csv, String token, String... fields) throws Exception {
        String boundary = "aim-test-boundary-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                    + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(csv.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary, "Authorization", "Bearer " + token);
    }
}
