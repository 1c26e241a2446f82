package aim.web;

import aim.DemoLoader;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error is an RFC 9457 problem in UTF-8, including those Jetty raises before the app sees the request
 * (undecodable URI, 414, 431); a wrong method is 405 with Allow; trailing text after JSON is 400; a bbox of
 * NaN, Infinity or out of range is 400 before anything is written.
 */
@Tag("postgis")
class ServerProblemsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Fresh static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
    }

    @Test
    void jettyErrorsAreProblemsNotHtml() throws Exception {
        assertRawProblem(raw("GET /api/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
        assertRawProblem(raw("GET /api/incidents?q=" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 414);
        assertRawProblem(raw("GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"), 431);
        assertRawProblem(raw("GET /api/health HTTP/1.1\r\nHost: localhost\r\nBad Header Line\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void nulCharactersInQueriesAndJsonAre400s() throws Exception {
        String admin = "Bearer " + server.adminToken;
        assertProblem(server.get("/api/assets?q=a%00b", "Authorization", admin), 400, "q");
        assertProblem(server.get("/api/hotspots/emerging?version=%00", "Authorization", admin), 400, "version");
        assertProblem(server.send("POST", "/api/me/tokens", HttpRequest.BodyPublishers.ofString("{\"name\":\"a\\u0000b\"}"),
                "Authorization", admin, "Content-Type", "application/json"), 400, "name");
        assertProblem(server.send("POST", "/api/reports", HttpRequest.BodyPublishers.ofString("{\"description\":\"\\u0000\"}"),
                "Authorization", admin, "Content-Type", "application/json", "Idempotency-Key", "nul"), 400, "description");
    }

    @Test
    void problemsAreUtf8AndSaySo() throws Exception {
        var response = server.http.send(HttpRequest.newBuilder(java.net.URI.create(server.url("/api/incidents?category=caf%C3%A9%C3%97")))
                .header("Authorization", "Bearer " + server.adminToken).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, response.statusCode());
        assertEquals("application/problem+json;charset=utf-8", response.headers().firstValue("Content-Type").orElse("")
                .replace(" ", "").toLowerCase());
        String detail = JSON.readTree(new String(response.body(), StandardCharsets.UTF_8)).path("detail").asText();
        assertTrue(detail.contains("café×"), detail);
        byte[] utf8 = "café×".getBytes(StandardCharsets.UTF_8);
        assertTrue(indexOf(response.body(), utf8) >= 0, "the body holds the UTF-8 bytes of 'café×'");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        var health = server.send("POST", "/api/health", HttpRequest.BodyPublishers.noBody());
        assertProblem(health, 405, null);
        assertEquals(List.of("GET", "HEAD"), allow(health));

        var asset = server.send("POST", "/api/assets/5", HttpRequest.BodyPublishers.noBody(), "Authorization", "Bearer " + server.adminToken);
        assertProblem(asset, 405, null);
        assertEquals(List.of("DELETE", "GET", "HEAD", "PUT"), allow(asset).stream().sorted().toList());

        var incidents = server.send("DELETE", "/api/incidents", HttpRequest.BodyPublishers.noBody());
        assertProblem(incidents, 405, null);
        assertEquals(List.of("GET", "HEAD"), allow(incidents));

        assertProblem(server.send("POST", "/api/no-such-thing", HttpRequest.BodyPublishers.noBody()), 404, null);
    }

    @Test
    void trailingTextAfterJsonIs400() throws Exception {
        var login = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"x\"} x"),
                "Content-Type", "application/json");
        assertProblem(login, 400, "body");
        var report = server.send("POST", "/api/reports", HttpRequest.BodyPublishers.ofString("{\"category\":\"fly-tipping\"} {}"),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken, "Idempotency-Key", "trailing");
        assertProblem(report, 400, "body");
        var user = server.send("POST", "/api/users", HttpRequest.BodyPublishers.ofString("{\"username\":\"u\"}]"),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken);
        assertProblem(user, 400, "body");
    }

    @Test
    void badBoundingBoxesAre400BeforeAnythingIsWritten() throws Exception {
        for (String path : List.of("/api/incidents", "/api/assets")) {
            for (String bbox : List.of("NaN,54,-1,55", "-2,54,Infinity,55", "-2,-Infinity,-1,55", "-2,54,-1,NaN",
                    "-200,54,-1,55", "-1,54,-2,55", "-2,55,-1,54", "1e999,0,2,1", "a,b,c,d", "1,2,3")) {
                var response = server.get(path + "?bbox=" + bbox, "Authorization", "Bearer " + server.adminToken);
                assertProblem(response, 400, "bbox");
            }
        }
    }

    @Test
    void brokenMultipartImportsAre4xxProblems() throws Exception {
        List<String> imports = List.of("/api/incidents/import/police", "/api/incidents/import/council?map=" + java.net.URLEncoder.encode("id=Ref,category=Type,occurred=Date,easting=X,northing=Y", StandardCharsets.UTF_8),
                "/api/boundaries/import?level=ward&version=broken", "/api/populations?level=ward", "/api/assets/import?format=csv");
        for (String path : imports) {
            assertProblem(upload(path, "--zz\r\n", "multipart/form-data; boundary=zz"), 400, "file");
            assertProblem(upload(path, "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx\r\n--zz--\r\n",
                    "multipart/form-data"), 400, "file");
            assertProblem(upload(path, "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nxyz",
                    "multipart/form-data; boundary=zz"), 400, "file");
            var nul = upload(path, "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000/../b.csv\"\r\n\r\nxyz\r\n--zz--\r\n",
                    "multipart/form-data; boundary=zz");
            assertTrue(nul.statusCode() >= 400 && nul.statusCode() < 500, path + ": " + nul.statusCode() + " " + nul.body());
            assertProblem(nul, nul.statusCode(), null);
        }
        // a council import whose mapping is a form field of a broken body
        assertProblem(upload("/api/incidents/import/council", "--zz\r\n", "multipart/form-data; boundary=zz"), 400, "map");
    }

    private static HttpResponse<String> upload(String path, String body, String contentType) throws Exception {
        return server.send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.ISO_8859_1)),
                "Authorization", "Bearer " + server.adminToken, "Content-Type", contentType);
    }

    static void assertProblem(HttpResponse<String> response, int status, String field) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                response.headers().toString());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.path("status").asInt(), response.body());
        assertFalse(problem.path("title").asText().isEmpty(), response.body());
        if (field != null) assertEquals(field, problem.path("field").asText(), response.body());
    }

    private static List<String> allow(HttpResponse<String> response) {
        return List.of(response.headers().firstValue("Allow").orElse("").split(",\\s*"));
    }

    private static void assertRawProblem(BodyLimitTest.Response response, int status) throws IOException {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType() + ": " + response.body());
        assertEquals("nosniff", response.contentTypeOptions(), "Jetty's own errors carry the security headers too");
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.path("status").asInt());
        assertFalse(problem.path("title").asText().isEmpty());
    }

    private static BodyLimitTest.Response raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", server.app.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return BodyLimitTest.readResponse(socket.getInputStream());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
