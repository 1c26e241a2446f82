package aim.web;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API admission limit: with one slot and no queue, a request that arrives while another is being
 * served is answered at once with 503, Retry-After and a problem body; static files are not limited;
 * once the slot frees the server answers normally again.
 */
@Tag("postgis")
class RequestAdmissionTest {
    @Fresh({"AIM_MAX_CONCURRENT_REQUESTS=1", "AIM_REQUEST_QUEUE_MS=200"}) static TestServer server;
    static String warden;

    @BeforeAll
    static void start() {
        warden = server.userToken("wendy", Role.WARDEN);
    }

    @Test
    void aSaturatedApiAnswers503WithRetryAfterAndKeepsServingAfterwards() throws Exception {
        String body = "{\"category\": \"fly-tipping\", \"lon\": -1.5, \"lat\": 54.5}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket slow = new Socket("localhost", server.app.port())) {
            // a request whose body arrives slowly holds the only slot while the handler waits to read it
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/reports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + warden
                    + "\r\nIdempotency-Key: slow-1\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 10);
            out.flush();
            awaitBusy();

            long t0 = System.nanoTime();
            var refused = server.get("/api/me", "Authorization", "Bearer " + warden);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertEquals("nosniff", refused.headers().firstValue("X-Content-Type-Options").orElse(""), "the 503 carries the security headers too");
            assertEquals(503, json(refused).path("status").asInt());
            assertEquals("Service Unavailable", json(refused).path("title").asText());
            assertTrue(millis < 5000, "refused after the queue wait, not a stall: " + millis + " ms");

            // the signed-out public endpoints are admitted like every other API request
            var publicRefused = server.get("/api/public/areas?from=2025-01&to=2025-02");
            assertEquals(503, publicRefused.statusCode(), publicRefused.body());
            assertEquals(503, server.get("/api/public/hotspots?from=2025-01&to=2025-02").statusCode());
            // and so are the OGC API and the vector tiles, which query the database like the API
            for (String path : new String[]{"/ogc", "/ogc/collections/wards/items", "/tiles/wards.json", "/tiles/wards/12/2030/1300.mvt"}) {
                var ogcRefused = server.get(path);
                assertEquals(503, ogcRefused.statusCode(), path + ": " + ogcRefused.body());
            }

            // the web map itself is not limited
            assertEquals(200, server.get("/").statusCode());

            // the slow request completes (a 4xx: this database has no wards) and frees the slot
            out.write(bytes, 10, bytes.length - 10);
            out.flush();
            String answer = new String(readAll(slow.getInputStream()), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 4"), answer);
        }
        var after = server.get("/api/me", "Authorization", "Bearer " + warden);
        assertEquals(200, after.statusCode(), after.body());
    }

    /** Waits until the slow request holds the slot (an API request is refused), at most a few seconds. */
    private static void awaitBusy() throws Exception {
        for (int i = 0; i < 100; i++) {
            if (server.get("/api/me", "Authorization", "Bearer " + warden).statusCode() == 503) return;
            Thread.sleep(50);
        }
        throw new AssertionError("the slow request never took the slot");
    }

    private static byte[] readAll(InputStream in) throws Exception {
        return in.readAllBytes();
    }
}
