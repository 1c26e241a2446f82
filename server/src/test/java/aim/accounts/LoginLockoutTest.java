package aim.accounts;

import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lockout treats every name alike (so it reveals no usernames), starts afresh when a lock expires,
 * and one remote address cannot spray passwords across many names.
 */
@Tag("postgis")
class LoginLockoutTest {
    @Fresh("AIM_LOGIN_FAILURES_PER_MINUTE=1000") static TestServer server;

    @BeforeAll
    static void start() {
        // a generous address limit here: these tests make many failed log-ins from one address on purpose
    }

    private static HttpResponse<String> logIn(TestServer on, String username, String password) throws Exception {
        return on.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"), "Content-Type", "application/json");
    }

    /** Status, body and Retry-After of five wrong passwords and then a sixth attempt with {@code last}. */
    private static String lockoutTranscript(String username, String last) throws Exception {
        StringBuilder transcript = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            var wrong = logIn(server, username, "not the password " + i);
            transcript.append(wrong.statusCode()).append(' ').append(wrong.body()).append('\n');
        }
        var after = logIn(server, username, last);
        return transcript.append(after.statusCode()).append(' ').append(after.body()).append(' ')
                .append(after.headers().firstValue("Retry-After").orElse("-")).toString();
    }

    @Test
    void anUnknownNameLocksExactlyLikeAKnownOne() throws Exception {
        server.userToken("known-user", Role.VIEWER);
        String known = lockoutTranscript("known-user", TestServer.PASSWORD);
        String unknown = lockoutTranscript("unknown-user", TestServer.PASSWORD);
        assertTrue(known.endsWith(" 300") && known.contains("429 "), known);
        assertEquals(known, unknown, "the answers must not tell which names exist");
        // case and spaces do not give a fresh counter
        assertEquals(429, logIn(server, "  Known-User ", "whatever it is").statusCode());
    }

    @Test
    void anExpiredLockStartsTheCountAfresh() throws Exception {
        server.userToken("comes-back", Role.VIEWER);
        for (int i = 0; i < 5; i++) assertEquals(401, logIn(server, "comes-back", "wrong password " + i).statusCode());
        assertEquals(429, logIn(server, "comes-back", TestServer.PASSWORD).statusCode(), "locked");
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            // five minutes pass
            st.executeUpdate("UPDATE login_failure SET locked_until = now() - interval '1 second', "
                    + "last_failed_at = now() - interval '6 minutes' WHERE username = 'comes-back'");
        }
        var typo = logIn(server, "comes-back", "one more typo");
        assertEquals(401, typo.statusCode(), "one wrong password after the lock is an ordinary failure: " + typo.body());
        var right = logIn(server, "comes-back", TestServer.PASSWORD);
        assertEquals(200, right.statusCode(), "not locked again by a single typo: " + right.body());
    }

    @Test
    void oneAddressIsThrottledAcrossNames() throws Exception {
        try (TestServer strict = new TestServer(Map.of("AIM_LOGIN_FAILURES_PER_MINUTE", "3"))) {
            strict.userToken("sprayed", Role.VIEWER);
            for (String name : new String[]{"alpha", "beta", "gamma"}) {
                assertEquals(401, logIn(strict, name, "Winter2026!").statusCode());
            }
            var throttled = logIn(strict, "sprayed", TestServer.PASSWORD);
            assertEquals(429, throttled.statusCode(), "even the right password waits: " + throttled.body());
            assertEquals("application/problem+json; charset=utf-8", throttled.headers().firstValue("Content-Type").orElse(""));
            assertEquals("address", json(throttled).path("field").asText());
            int retryAfter = Integer.parseInt(throttled.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            // API tokens and sessions are unaffected
            assertEquals(200, strict.get("/api/me", "Authorization", "Bearer " + strict.adminToken).statusCode());
        }
    }
}
