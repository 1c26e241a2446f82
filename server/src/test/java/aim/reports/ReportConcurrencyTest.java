package aim.reports;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.AtOnce;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static aim.reports.ReportFixture.flyTipping;
import static aim.reports.ReportFixture.get;
import static aim.reports.ReportFixture.post;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many report requests at once against a small pool (4 connections, more requests admitted than
 * that): no request may take a second connection while it holds one, or the pool deadlocks and
 * requests fail after the connection timeout. Every answer is 2xx, and each Idempotency-Key stores
 * exactly one report.
 */
@Tag("postgis")
class ReportConcurrencyTest {
    static final int PARALLEL = 50;
    @Fresh({"AIM_DB_POOL_SIZE=4", "AIM_DB_CONNECTION_TIMEOUT_MS=5000", "AIM_MAX_CONCURRENT_REQUESTS=64", "AIM_REQUEST_QUEUE_MS=30000"})
    static TestServer server;
    static String warden;
    static double[] inside;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        warden = server.userToken("wendy", Role.WARDEN);
        inside = ReportFixture.pointInWard(server, 2);
    }

    @Test
    void fiftyParallelPostsWithOneKeyStoreOneReportAndAllAnswerIt() throws Exception {
        String body = flyTipping(inside, "Fifty at once");
        List<HttpResponse<String>> answers = AtOnce.all(PARALLEL, i -> post(server, warden, "same-key-50", body));
        Set<Long> ids = new HashSet<>();
        int created = 0;
        for (var r : answers) {
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.statusCode() + " " + r.body());
            if (r.statusCode() == 201) created++;
            ids.add(json(r).path("id").asLong());
        }
        assertEquals(1, created, "one request creates the report, the others replay it");
        assertEquals(1, ids.size(), "every answer names the same report: " + ids);
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM idempotency_key WHERE key = 'same-key-50'"));
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE description = 'Fifty at once'"));
    }

    @Test
    void fiftyParallelReportsWithPhotosAreEachStoredOnceAndReadBack() throws Exception {
        byte[] jpeg = ReportFixture.encode(ReportFixture.image(64, 48, Color.BLUE), "jpg");
        List<HttpResponse<String>> answers = AtOnce.all(PARALLEL, i -> {
            var created = post(server, warden, "parallel-" + i, flyTipping(inside, "Parallel " + i));
            if (created.statusCode() != 201) return created;
            long id = json(created).path("id").asLong();
            var photo = ReportFixture.postPhoto(server, warden, id, jpeg, "p.jpg", "image/jpeg");
            if (photo.statusCode() != 201) return photo;
            var one = get(server, warden, "/api/reports/" + id);
            if (one.statusCode() != 200 || json(one).path("photos").size() != 1) return one;
            var image = ReportFixture.getBytes(server, warden, json(photo).path("url").asText());
            if (image.statusCode() != 200) throw new AssertionError("photo: " + image.statusCode());
            return get(server, warden, "/api/reports/mine");
        });
        for (var r : answers) assertEquals(200, r.statusCode(), r.body());
        assertEquals(PARALLEL, ReportFixture.count(server, "SELECT count(*) FROM idempotency_key WHERE key LIKE 'parallel-%'"));
        assertEquals(0, ReportFixture.count(server, """
                SELECT count(*) FROM (SELECT external_key FROM incident WHERE description LIKE 'Parallel %'
                                      GROUP BY external_key HAVING count(*) <> 1) d"""));
        assertEquals(PARALLEL, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE description LIKE 'Parallel %'"));
        assertEquals(PARALLEL, ReportFixture.count(server, """
                SELECT count(*) FROM incident_photo p JOIN incident i ON i.id = p.incident_id WHERE i.description LIKE 'Parallel %'"""));
    }
}
