package aim.web;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of response carries the security headers; personal data is never cached; health hides versions. */
@Tag("postgis")
class SecurityHeadersTest {
    @Fresh static TestServer server;
    static String viewerToken;

    @BeforeAll
    static void start() {
        viewerToken = server.userToken("viewer", Role.VIEWER);
    }

    @Test
    void everyKindOfResponseHasTheSecurityHeaders() throws Exception {
        String bearer = "Bearer " + server.adminToken;
        List<HttpResponse<String>> responses = List.of(
                server.get("/"),                                        // the map page (static)
                server.get("/login/"),                                  // the log-in page (static)
                server.get("/report/"),                                 // the report page (static)
                server.get("/sw.js"),                                   // a static script
                server.get("/no-such-file.png"),                        // static 404
                server.get("/api/config"),                              // public JSON
                server.get("/api/me", "Authorization", bearer),        // personal data
                server.get("/api/incidents"),                           // 401 problem
                server.get("/api/users", "Authorization", "Bearer " + viewerToken), // 403 problem
                server.get("/api/incidents?bbox=1,2", "Authorization", bearer),    // 4xx problem
                server.get("/api/nothing-here"),                        // API 404 problem
                server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString("{\"username\":\"x\",\"password\":\"y\"}"),
                        "Content-Type", "application/json"));           // failed log-in
        for (var r : responses) {
            String where = r.request().method() + " " + r.uri() + " -> " + r.statusCode();
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
                    && csp.contains("worker-src 'self'"), where + ": " + csp);
            assertFalse(csp.contains("unsafe-eval") || csp.matches(".*script-src[^;]*unsafe-inline.*"), where + ": " + csp);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), where);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), where);
            assertEquals("strict-origin", r.headers().firstValue("Referrer-Policy").orElse(""), where);
            if (r.uri().getPath().startsWith("/api/")) {
                assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"), where);
            }
        }
        assertEquals(200, responses.get(0).statusCode());
        assertEquals(200, responses.get(6).statusCode());
        assertEquals(401, responses.get(7).statusCode());
    }

    @Test
    void bundlesAreHashedAndKeptForAYearThePagesRevalidated() throws Exception {
        for (String page : List.of("/", "/report/", "/login/", "/actions/", "/meetings/")) {
            var html = server.get(page);
            assertEquals(200, html.statusCode(), page);
            assertEquals("no-cache", html.headers().firstValue("Cache-Control").orElse(""), page);
            Matcher bundle = Pattern.compile("(?:src|href)=\"([^\"]+\\.(?:js|css))\"").matcher(html.body());
            int found = 0;
            while (bundle.find()) {
                String path = bundle.group(1);
                assertTrue(path.matches(".*-[A-Z0-9]{8}\\.(js|css)"), page + " names a hashed bundle: " + path);
                var r = server.get(path);
                assertEquals(200, r.statusCode(), path);
                assertEquals("public, max-age=31536000, immutable", r.headers().firstValue("Cache-Control").orElse(""), path);
                found++;
            }
            assertEquals(2, found, page + ": its script and its style sheet");
        }
        for (String path : List.of("/sw.js", "/index.html", "/images/layers.png")) {
            var r = server.get(path);
            assertEquals(200, r.statusCode(), path);
            assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""), path);
        }
        assertEquals(404, server.get("/app.js").statusCode(), "no unhashed bundle");
        assertEquals(404, server.get("/app-AAAAAAAA.js").statusCode(), "a hashed name that is not built");
    }

    @Test
    void healthShowsVersionsOnlyToAdmins() throws Exception {
        for (String[] headers : List.of(new String[0], new String[]{"Authorization", "Bearer " + viewerToken},
                new String[]{"Authorization", "Bearer not-a-token"})) {
            var r = server.get("/api/health", headers);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = TestServer.json(r);
            assertEquals("ok", body.path("status").asText());
            assertEquals(1, body.size(), "only the status: " + body);
            assertFalse(r.body().contains("PostgreSQL") || r.body().contains("POSTGIS"), r.body());
        }
        var admin = TestServer.json(server.get("/api/health", "Authorization", "Bearer " + server.adminToken));
        assertTrue(admin.path("database").asText().startsWith("PostgreSQL"), admin.toString());
        assertTrue(admin.path("postgis").asText().contains("POSTGIS"), admin.toString());
        assertTrue(admin.has("app") && admin.path("migration").asInt() > 0, admin.toString());
    }

    @Test
    void tileHostIsAllowedAsAnImageSource() {
        assertEquals("https://tile.openstreetmap.org", SecurityHeaders.tileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png"));
        assertEquals("https://*.tile.example.org:8443", SecurityHeaders.tileSource("https://{s}.tile.example.org:8443/{z}/{x}/{y}.png"));
        assertEquals("https:", SecurityHeaders.tileSource("https://tiles-{s}{r}.example.{tld}/{z}/{x}/{y}.png"));
        assertEquals("", SecurityHeaders.tileSource(""));
        assertEquals("", SecurityHeaders.tileSource("/tiles/{z}/{x}/{y}.png"));
        String csp = new SecurityHeaders("https://tile.openstreetmap.org/{z}/{x}/{y}.png").contentSecurityPolicy();
        assertTrue(csp.contains("img-src 'self' data: blob: https://tile.openstreetmap.org"), csp);
        assertTrue(csp.contains("connect-src 'self' https://tile.openstreetmap.org;"), "the service worker fetches viewed tiles: " + csp);
        assertTrue(new SecurityHeaders("").contentSecurityPolicy().contains("connect-src 'self';"), "no tile host, none allowed");
    }
}
