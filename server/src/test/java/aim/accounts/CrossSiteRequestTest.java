package aim.accounts;

import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-site request forgery: a foreign page that a signed-in admin visits must not be able to
 * create users (or change anything) with the admin's session cookie, whatever body type it sends;
 * the map's own pages and API-token clients keep working.
 */
@Tag("postgis")
class CrossSiteRequestTest {
    private static final String EVIL = "https://evil.example";
    private static final String PUBLIC_ORIGIN = "https://aim.example.test";
    @Fresh("AIM_PUBLIC_ORIGIN=" + PUBLIC_ORIGIN) static TestServer server;
    static String adminCookie;

    @BeforeAll
    static void start() throws Exception {
        server.userToken("root", Role.ADMIN);
        adminCookie = server.sessionCookie("root");
    }

    private static String newAdmin(String username) {
        return "{\"username\":\"" + username + "\",\"role\":\"admin\",\"password\":\"attacker password 1\"}";
    }

    private static HttpResponse<String> postUsers(String body, String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of("Cookie", adminCookie));
        all.addAll(List.of(headers));
        return server.send("POST", "/api/users", HttpRequest.BodyPublishers.ofString(body), all.toArray(String[]::new));
    }

    private static void assertNoUser(String username) {
        assertTrue(server.accounts.find(username).isEmpty(), username + " must not have been created");
    }

    @Test
    void aForeignPageCannotCreateAnAdminWithTheSessionCookieWhateverItSends() throws Exception {
        String multipart = "--b\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nmallory4\r\n--b--\r\n";
        Map<String, String[]> attempts = Map.of(
                "mallory1", new String[]{newAdmin("mallory1"), "text/plain"},
                "mallory2", new String[]{"username=mallory2&role=admin&password=attacker+password+1", "application/x-www-form-urlencoded"},
                "mallory3", new String[]{multipart.replace("mallory4", "mallory3"), "multipart/form-data; boundary=b"},
                "mallory4", new String[]{newAdmin("mallory4"), "application/json"});
        for (var attempt : attempts.entrySet()) {
            var response = postUsers(attempt.getValue()[0], "Content-Type", attempt.getValue()[1], "Origin", EVIL);
            assertEquals(403, response.statusCode(), attempt.getValue()[1] + " → " + response.body());
            assertEquals("application/problem+json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            assertEquals("Origin", json(response).path("field").asText());
            assertNoUser(attempt.getKey());
        }

        // the browser's own verdict, sent by every current browser, counts first
        var crossSite = postUsers(newAdmin("mallory5"), "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site");
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertEquals("Sec-Fetch-Site", json(crossSite).path("field").asText());
        var sameSite = postUsers(newAdmin("mallory6"), "Content-Type", "application/json", "Sec-Fetch-Site", "same-site",
                "Origin", "https://sub.aim.example.test");
        assertEquals(403, sameSite.statusCode(), "a sibling subdomain is another origin: " + sameSite.body());
        var nullOrigin = postUsers(newAdmin("mallory7"), "Content-Type", "application/json", "Origin", "null");
        assertEquals(403, nullOrigin.statusCode(), "a sandboxed frame's opaque origin: " + nullOrigin.body());
        // a cookie write that names no origin at all is refused (browsers always send Origin on writes)
        var noOrigin = postUsers(newAdmin("mallory8"), "Content-Type", "application/json");
        assertEquals(403, noOrigin.statusCode(), noOrigin.body());
        for (int i = 5; i <= 8; i++) assertNoUser("mallory" + i);

        // other writes are guarded the same way, including log-out and DELETE
        var token = server.send("POST", "/api/me/tokens", HttpRequest.BodyPublishers.ofString("{\"name\":\"evil\"}"),
                "Content-Type", "application/json", "Cookie", adminCookie, "Origin", EVIL);
        assertEquals(403, token.statusCode(), token.body());
        var logOut = server.send("POST", "/api/logout", HttpRequest.BodyPublishers.noBody(), "Cookie", adminCookie, "Origin", EVIL);
        assertEquals(403, logOut.statusCode());
        assertEquals(200, server.get("/api/me", "Cookie", adminCookie).statusCode(), "the session survived");
    }

    @Test
    void theMapsOwnPagesWriteWithTheCookieAndJson() throws Exception {
        var sameOrigin = postUsers(newAdmin("friend1"), "Content-Type", "application/json", "Origin", server.origin());
        assertEquals(201, sameOrigin.statusCode(), sameOrigin.body());
        var fetchMetadata = postUsers(newAdmin("friend2"), "Content-Type", "application/json; charset=utf-8",
                "Sec-Fetch-Site", "same-origin", "Origin", server.origin());
        assertEquals(201, fetchMetadata.statusCode(), fetchMetadata.body());
        // behind a proxy that rewrites Host, the configured public origin is this server's origin
        var viaProxy = postUsers(newAdmin("friend3"), "Content-Type", "application/json", "Origin", PUBLIC_ORIGIN);
        assertEquals(201, viaProxy.statusCode(), viaProxy.body());

        // same origin but not JSON: JSON endpoints take only application/json
        for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b"}) {
            var wrongType = postUsers(newAdmin("friend4"), "Content-Type", type, "Origin", server.origin());
            assertEquals(415, wrongType.statusCode(), type + " → " + wrongType.body());
            assertEquals("Content-Type", json(wrongType).path("field").asText());
        }
        assertNoUser("friend4");
    }

    @Test
    void apiTokenClientsNeedNoOriginButStillSendJson() throws Exception {
        var created = server.send("POST", "/api/users", HttpRequest.BodyPublishers.ofString(newAdmin("script1")),
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminToken);
        assertEquals(201, created.statusCode(), created.body());
        var plain = server.send("POST", "/api/users", HttpRequest.BodyPublishers.ofString(newAdmin("script2")),
                "Content-Type", "text/plain", "Authorization", "Bearer " + server.adminToken);
        assertEquals(415, plain.statusCode(), plain.body());
        assertNoUser("script2");
        var untyped = server.send("POST", "/api/users", HttpRequest.BodyPublishers.ofString(newAdmin("script3")),
                "Authorization", "Bearer " + server.adminToken);
        assertEquals(415, untyped.statusCode(), untyped.body());
        assertNoUser("script3");
    }

    @Test
    void aForeignPageCannotSignTheVisitorIntoAnotherAccount() throws Exception {
        server.userToken("victim-trap", Role.VIEWER);
        String body = "{\"username\":\"victim-trap\",\"password\":\"" + TestServer.PASSWORD + "\"}";
        var forged = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(body),
                "Content-Type", "application/json", "Origin", EVIL);
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.headers().firstValue("Set-Cookie").isEmpty(), "no session was set");
        var asForm = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString("username=victim-trap"),
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(415, asForm.statusCode(), asForm.body());

        // the log-in page itself, and scripts without Origin, sign in
        var page = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(body),
                "Content-Type", "application/json", "Origin", server.origin(), "Sec-Fetch-Site", "same-origin");
        assertEquals(200, page.statusCode(), page.body());
        String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(setCookie.contains("Secure"), "the public origin is https: " + setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.contains("Domain"), "host-only: " + setCookie);
    }
}
