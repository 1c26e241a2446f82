package aim.accounts;

import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API tokens expire, can be listed and revoked by their owner and by admins, and go with a password change or disable. */
@Tag("postgis")
class ApiTokenTest {
    @Fresh("AIM_TOKEN_DAYS=30") static TestServer server;

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static HttpResponse<String> newToken(String token, String name) throws Exception {
        return server.send("POST", "/api/me/tokens", HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"),
                "Content-Type", "application/json", "Authorization", bearer(token));
    }

    private static HttpResponse<String> delete(String path, String token) throws Exception {
        return server.send("DELETE", path, HttpRequest.BodyPublishers.noBody(), "Authorization", bearer(token));
    }

    private static int me(String token) throws Exception {
        return server.get("/api/me", "Authorization", bearer(token)).statusCode();
    }

    private static void sql(String statement) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void aTokenExpiresAfterTheConfiguredDays() throws Exception {
        String first = server.userToken("expiring", Role.WARDEN);
        var issued = newToken(first, "phone");
        assertEquals(201, issued.statusCode(), issued.body());
        JsonNode body = json(issued);
        Instant expires = Instant.parse(body.path("expiresAt").asText());
        Instant expected = Instant.now().plus(Duration.ofDays(30));
        assertTrue(Math.abs(Duration.between(expected, expires).toMinutes()) < 5, "AIM_TOKEN_DAYS=30: " + expires);
        String phone = body.path("token").asText();
        assertEquals(200, me(phone));

        sql("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = " + body.path("id").asLong());
        var expired = server.get("/api/me", "Authorization", bearer(phone));
        assertEquals(401, expired.statusCode(), expired.body());
        assertEquals("Authorization", json(expired).path("field").asText());
        assertEquals(200, me(first), "only that token expired");
    }

    @Test
    void anOwnerListsAndRevokesTheirTokensButNotOthers() throws Exception {
        String main = server.userToken("owner", Role.PLANNER);
        String spare = json(newToken(main, "laptop")).path("token").asText();
        var list = server.get("/api/me/tokens", "Authorization", bearer(main));
        assertEquals(200, list.statusCode(), list.body());
        JsonNode tokens = json(list);
        assertEquals(2, tokens.size(), list.body());
        JsonNode laptop = tokens.get(0);
        assertEquals("laptop", laptop.path("name").asText());
        for (String field : new String[]{"id", "name", "createdAt", "expiresAt", "lastUsedAt"}) {
            assertTrue(laptop.has(field), field + " in " + laptop);
        }
        assertFalse(list.body().contains(spare) || list.body().contains(main), "never the secret");
        assertFalse(list.body().contains("hash"), list.body());
        assertTrue(tokens.get(1).path("lastUsedAt").isTextual(), "the token in use is marked used: " + list.body());

        // someone else cannot revoke it through their own list
        String other = server.userToken("not-owner", Role.PLANNER);
        assertEquals(404, delete("/api/me/tokens/" + laptop.path("id").asLong(), other).statusCode());
        assertEquals(200, me(spare));

        assertEquals(204, delete("/api/me/tokens/" + laptop.path("id").asLong(), main).statusCode());
        assertEquals(401, me(spare), "revoked");
        assertEquals(1, json(server.get("/api/me/tokens", "Authorization", bearer(main))).size());
        assertEquals(404, delete("/api/me/tokens/" + laptop.path("id").asLong(), main).statusCode(), "already revoked");
        var bad = delete("/api/me/tokens/abc", main);
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("id", json(bad).path("field").asText());

        // a session-signed list works too (the web map), and a token can revoke itself
        String cookie = server.sessionCookie("owner");
        assertEquals(200, server.get("/api/me/tokens", "Cookie", cookie).statusCode());
        long mainId = json(server.get("/api/me/tokens", "Cookie", cookie)).get(0).path("id").asLong();
        var viaCookie = server.send("DELETE", "/api/me/tokens/" + mainId, HttpRequest.BodyPublishers.noBody(),
                "Cookie", cookie, "Origin", server.origin());
        assertEquals(204, viaCookie.statusCode(), viaCookie.body());
        assertEquals(401, me(main));
    }

    @Test
    void anAdminListsAndRevokesAnyonesTokens() throws Exception {
        String warden = server.userToken("lost-phone", Role.WARDEN);
        var forbidden = server.get("/api/users/lost-phone/tokens", "Authorization", bearer(warden));
        assertEquals(403, forbidden.statusCode());
        var list = server.get("/api/users/lost-phone/tokens", "Authorization", bearer(server.adminToken));
        assertEquals(200, list.statusCode(), list.body());
        long id = json(list).get(0).path("id").asLong();
        assertEquals(403, delete("/api/users/lost-phone/tokens/" + id, warden).statusCode(), "not an admin");
        assertEquals(200, me(warden));
        assertEquals(204, delete("/api/users/lost-phone/tokens/" + id, server.adminToken).statusCode());
        assertEquals(401, me(warden), "revoked by the admin");
        assertEquals(0, json(server.get("/api/users/lost-phone/tokens", "Authorization", bearer(server.adminToken))).size());
        assertEquals(404, server.get("/api/users/nobody-here/tokens", "Authorization", bearer(server.adminToken)).statusCode());
        assertEquals(404, delete("/api/users/admin/tokens/" + id, server.adminToken).statusCode(), "not the admin's token");
    }

    @Test
    void aPasswordChangeEndsSessionsAndOnRequestTokens() throws Exception {
        String token = server.userToken("changer", Role.ANALYST);
        String cookie = server.sessionCookie("changer");
        assertEquals(200, server.get("/api/me", "Cookie", cookie).statusCode());

        assertEquals(0, server.accounts.setPassword("changer", "a brand new password", false));
        assertEquals(401, server.get("/api/me", "Cookie", cookie).statusCode(), "the session ended");
        assertEquals(200, me(token), "tokens stay unless asked");

        assertEquals(1, server.accounts.setPassword("changer", "another new password", true));
        assertEquals(401, me(token), "revoked with the password change");
    }

    @Test
    void disablingAUserRevokesTheirSessionsAndTokens() throws Exception {
        String token = server.userToken("leaver", Role.VIEWER);
        String cookie = server.sessionCookie("leaver");
        server.accounts.disable("leaver");
        assertEquals(401, server.get("/api/me", "Cookie", cookie).statusCode());
        assertEquals(401, me(token));
        assertTrue(server.accounts.tokens("leaver").isEmpty(), "revoked, not merely refused while disabled");
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT count(*) FILTER (WHERE revoked_at IS NULL) FROM api_token t JOIN app_user u ON u.id = t.user_id
                     WHERE u.username = 'leaver'""")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void logOutEndsTheSessionButNotTheTokens() throws Exception {
        String token = server.userToken("leaving-for-the-day", Role.WARDEN);
        String cookie = server.sessionCookie("leaving-for-the-day");
        var out = server.send("POST", "/api/logout", HttpRequest.BodyPublishers.noBody(), "Cookie", cookie, "Origin", server.origin());
        assertEquals(204, out.statusCode(), out.body());
        assertEquals(401, server.get("/api/me", "Cookie", cookie).statusCode());
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM user_session s JOIN app_user u ON u.id = s.user_id "
                     + "WHERE u.username = 'leaving-for-the-day'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the session row is gone");
        }
        assertEquals(200, me(token));
    }
}
