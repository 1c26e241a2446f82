package aim.accounts;

import aim.web.AccessControl;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log-in, sessions, API tokens and roles over HTTP against the started app. */
@Tag("postgis")
class AccountsApiTest {
    @Fresh static TestServer server;

    private HttpResponse<String> logIn(String username, String password) throws Exception {
        return server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"), "Content-Type", "application/json");
    }

    @Test
    void logInSetsAnHttpOnlySessionCookieThatSignsRequestsUntilLogOut() throws Exception {
        server.userToken("wendy", Role.WARDEN);
        var response = logIn("wendy", TestServer.PASSWORD);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("warden", json(response).path("role").asText());
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith(AccessControl.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain http on localhost: " + setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        var me = server.get("/api/me", "Cookie", cookie);
        assertEquals(200, me.statusCode());
        assertEquals("wendy", json(me).path("username").asText());
        assertFalse(me.body().contains("hash"), "no password hash ever leaves the server");

        // only a digest of the session is stored
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM user_session WHERE encode(token_hash, 'escape') LIKE '%" + cookie.substring(cookie.indexOf('=') + 1) + "%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }

        assertEquals(204, server.send("POST", "/api/logout", HttpRequest.BodyPublishers.noBody(), "Cookie", cookie,
                "Origin", server.origin()).statusCode());
        assertEquals(401, server.get("/api/me", "Cookie", cookie).statusCode(), "the session ended");
    }

    @Test
    void wrongPasswordsAreRefusedAndFiveInARowLockTheAccount() throws Exception {
        server.userToken("lockme", Role.VIEWER);
        assertEquals(401, logIn("nobody", "whatever-password").statusCode());
        for (int i = 0; i < 5; i++) {
            var wrong = logIn("lockme", "not the password");
            assertEquals(401, wrong.statusCode());
            assertEquals("wrong username or password", json(wrong).path("detail").asText());
        }
        assertEquals(429, logIn("lockme", TestServer.PASSWORD).statusCode(), "locked even with the right password");
        assertEquals(400, logIn("", "x").statusCode());
        var malformed = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString("{\"username\": 5,"),
                "Content-Type", "application/json");
        assertEquals(400, malformed.statusCode(), malformed.body());
        for (String body : new String[]{"null", "", "[]", "{\"username\":\"a\",\"password\":\"b\",\"extra\":1}"}) {
            var bad = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(body), "Content-Type", "application/json");
            assertEquals(400, bad.statusCode(), body + " → " + bad.body());
        }
    }

    @Test
    void rolesDecideWhatMayBeCalled() throws Exception {
        assertEquals(401, server.get("/api/me").statusCode());
        assertEquals(401, server.get("/api/users").statusCode());
        String viewer = server.userToken("vic", Role.VIEWER);
        var forbidden = server.get("/api/users", "Authorization", "Bearer " + viewer);
        assertEquals(403, forbidden.statusCode());
        assertEquals("role", json(forbidden).path("field").asText());
        var users = server.get("/api/users", "Authorization", "Bearer " + server.adminToken);
        assertEquals(200, users.statusCode());
        assertFalse(users.body().contains("password"), users.body());

        var created = server.send("POST", "/api/users", HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"pat\",\"role\":\"planner\",\"password\":\"short\"}"), "Content-Type", "application/json",
                "Authorization", "Bearer " + server.adminToken);
        assertEquals(400, created.statusCode());
        assertEquals("password", json(created).path("field").asText());
        var badRole = server.send("POST", "/api/users", HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"pat\",\"role\":\"overlord\",\"password\":\"long enough pw\"}"), "Content-Type", "application/json",
                "Authorization", "Bearer " + server.adminToken);
        assertEquals("role", json(badRole).path("field").asText());
    }

    @Test
    void aDeviceTokenWorksUntilItsUserIsDisabled() throws Exception {
        server.userToken("phone-user", Role.WARDEN);
        var login = logIn("phone-user", TestServer.PASSWORD);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        var token = server.send("POST", "/api/me/tokens", HttpRequest.BodyPublishers.ofString("{\"name\":\"phone 1\"}"),
                "Content-Type", "application/json", "Cookie", cookie, "Origin", server.origin());
        assertEquals(201, token.statusCode(), token.body());
        String secret = json(token).path("token").asText();
        assertTrue(secret.startsWith("aim_"));
        assertEquals(200, server.get("/api/me", "Authorization", "Bearer " + secret).statusCode());
        server.accounts.disable("phone-user");
        assertEquals(401, server.get("/api/me", "Authorization", "Bearer " + secret).statusCode());
    }
}
