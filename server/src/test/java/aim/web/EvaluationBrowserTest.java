package aim.web;

import aim.DemoLoader;
import aim.accounts.Organisations;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Did it work?" on the map in headless Chromium, against the real server and PostGIS with the demo borough:
 * a problem on a demo ward with a week of action (May 2025) and noise complaints planted before (April) and
 * during it. An analyst opens the problem from a shared view, presses the action's "Did it work?": the
 * target, the buffer ring and the control are drawn on the map, the bars hold the counts the API gives, RES
 * and the WDQ reading are shown in words. Choosing a suggested control ward runs it again against that ward.
 * The briefing's deep link ({@code evaluate=action:ID}, or {@code evaluate=problem}) opens it directly.
 */
@Tag("browser")
class EvaluationBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String ANALYST = "analyst.evaluation";
    @Fresh static TestServer server;
    static String token, ward;
    static long problem, action;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing());
        token = server.userToken(ANALYST, Role.ANALYST);
        new Organisations(server.dataSource).create("police", "Cleveland Police", "police");
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code OFFSET 3 LIMIT 1""".formatted(DemoLoader.VERSION))) {
            rs.next();
            ward = rs.getString(1);
        }
        problem = TestServer.json(post("/api/problems", """
                {"title": "Noise on the estate", "categories": ["asb-noise"], "area": "ward:%s", "owner": "aim",
                 "objective": "Fewer noise complaints", "startDate": "2025-04-01"}""".formatted(ward))).path("id").asLong();
        action = TestServer.json(post("/api/problems/" + problem + "/actions", """
                {"title": "Week of action", "organisation": "police", "due": "2025-05-31", "startsOn": "2025-05-01", "endsOn": "2025-05-31"}"""))
                .path("id").asLong();
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', 'asb-noise', timestamptz '2025-04-01 12:00+01' + (k * interval '1 day') + (CASE WHEN k >= 18 THEN interval '12 days' ELSE interval '0 days' END),
                       'minute', ST_PointOnSurface(b.geom), 'exact', 'eval-browser-' || k
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = ?, generate_series(0, 23) k
                WHERE b.code = ?""")) {
            ps.setString(1, DemoLoader.VERSION);
            ps.setString(2, ward);
            ps.executeUpdate(); // 18 in April, 6 in May
        }
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', 'asb-noise', timestamptz '2025-04-10 12:00+01' + (k * interval '3 days'), 'minute',
                       ST_PointOnSurface(o.geom), 'exact', 'eval-browser-control-' || o.code || '-' || k
                FROM boundary o JOIN boundary w ON w.set_id = o.set_id AND w.code = ?
                JOIN boundary_set s ON s.id = o.set_id AND s.level = 'ward' AND s.version = ?, generate_series(0, 11) k
                WHERE NOT ST_DWithin(o.geom, w.geom, 1000)""")) {
            ps.setString(1, ward);
            ps.setString(2, DemoLoader.VERSION);
            ps.executeUpdate(); // in every ward more than 1 km away (in the control): April and May
        }
    }

    @Test
    void theActionsDidItWorkShowsZonesBarsResAndTheReading() throws Exception {
        JsonNode api = TestServer.json(server.get("/api/evaluation?action=" + action, "Authorization", "Bearer " + token));
        assertEquals(18, api.path("target").path("before").asLong(), api.toString());
        assertEquals(6, api.path("target").path("after").asLong(), api.toString());
        assertTrue(api.path("res").path("value").isNumber(), api.toString());
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            d.get(server.url("/?layers=problems,wards&problem=" + problem));
            WebElement evaluate = browser.waitUntil(READY, "the problem's detail with the action", x -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimProblems && window.aimProblems.ready && window.aimProblems.detailId() === arguments[0];", problem))
                    ? x.findElements(By.cssSelector("button.loop-evaluate[data-action-id='" + action + "']")).stream().findFirst().orElse(null) : null);
            assertTrue(d.findElement(By.id("problem-evaluate")).isDisplayed(), "the problem has its own button");
            evaluate.click();
            browser.waitUntil(READY, "the evaluation", x -> "true".equals(x.findElement(By.id("evaluation")).getAttribute("data-ready"))
                    && !x.findElements(By.cssSelector("#evaluation-bars .eval-bar")).isEmpty() ? true : null);
            assertTrue(d.findElement(By.id("evaluation-title")).getText().contains("Week of action"));
            for (String zone : new String[]{"target", "buffer", "control"}) {
                for (String period : new String[]{"before", "after"}) {
                    WebElement bar = d.findElement(By.cssSelector("#evaluation-bars .eval-bar[data-zone='" + zone + "'][data-period='" + period + "']"));
                    assertEquals(api.path(zone).path(period).asText(), bar.getAttribute("data-count"), zone + " " + period);
                }
                assertFalse(d.findElements(By.cssSelector("path.aim-eval-" + zone)).isEmpty(), "the " + zone + " is on the map");
            }
            assertEquals(String.format(java.util.Locale.ROOT, "RES %.2f (95%% interval %.2f to %.2f)", api.path("res").path("value").asDouble(),
                    api.path("res").path("low").asDouble(), api.path("res").path("high").asDouble()), d.findElement(By.id("evaluation-res")).getText());
            assertEquals(api.path("interpretation").path("text").asText(), d.findElement(By.id("evaluation-reading")).getText());
            assertEquals("2025-05-01", d.findElement(By.id("evaluation-after-from")).getAttribute("value"));

            // a suggested control ward, chosen: the evaluation runs again against it
            WebElement choice = browser.waitUntil(READY, "suggested controls", x ->
                    x.findElements(By.cssSelector("#evaluation-suggestions input[type=checkbox]")).stream().findFirst().orElse(null));
            String code = choice.getAttribute("value");
            choice.click();
            browser.waitUntil(READY, "the evaluation against " + code, x -> code.equals(x.findElement(By.id("evaluation")).getAttribute("data-control"))
                    && "true".equals(x.findElement(By.id("evaluation")).getAttribute("data-ready")) ? true : null);
            JsonNode chosen = TestServer.json(server.get("/api/evaluation?action=" + action + "&buffer=500&control=ward:" + code,
                    "Authorization", "Bearer " + token));
            assertEquals(chosen.path("control").path("before").asText(), d.findElement(By.cssSelector(
                    "#evaluation-bars .eval-bar[data-zone='control'][data-period='before']")).getAttribute("data-count"));
            assertEquals(chosen.path("interpretation").path("text").asText(), d.findElement(By.id("evaluation-reading")).getText());
            LoopMapFixture.assertNoConsoleErrors(browser);
        }
    }

    @Test
    void theBriefingsDeepLinkOpensTheActionsDidItWorkAndTheAddressKeepsIt() throws Exception {
        JsonNode api = TestServer.json(server.get("/api/evaluation?action=" + action, "Authorization", "Bearer " + token));
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            // the link the meeting briefing gives an operation (BriefingEvaluations)
            d.get(server.url("/?layers=problems,wards&problem=" + problem + "&evaluate=action:" + action));
            browser.waitUntil(READY, "the evaluation from the link", x -> "true".equals(x.findElement(By.id("evaluation")).getAttribute("data-ready"))
                    && !x.findElements(By.cssSelector("#evaluation-bars .eval-bar")).isEmpty() ? true : null);
            assertTrue(d.findElement(By.id("evaluation")).isDisplayed());
            assertTrue(d.findElement(By.id("evaluation-title")).getText().contains("Week of action"));
            assertEquals(api.path("target").path("before").asText(), d.findElement(By.cssSelector(
                    "#evaluation-bars .eval-bar[data-zone='target'][data-period='before']")).getAttribute("data-count"));
            // the address keeps the evaluation (a shared link reopens it); the problem's own "Did it work?" too
            browser.waitUntil(READY, "the address", x -> String.valueOf(browser.js("return location.search;")).contains("evaluate=action:" + action) ? true : null);
            d.get(server.url("/?layers=problems,wards&problem=" + problem + "&evaluate=problem"));
            browser.waitUntil(READY, "the problem's evaluation from the link", x -> "true".equals(x.findElement(By.id("evaluation")).getAttribute("data-ready"))
                    && !x.findElements(By.cssSelector("#evaluation-bars .eval-bar")).isEmpty() ? true : null);
            assertEquals("Did it work? Noise on the estate", d.findElement(By.id("evaluation-title")).getText());
            LoopMapFixture.assertNoConsoleErrors(browser);
        }
    }

    private static java.net.http.HttpResponse<String> post(String path, String body) throws Exception {
        var response = server.send("POST", path, HttpRequest.BodyPublishers.ofString(body), "Authorization", "Bearer " + token,
                "Content-Type", "application/json");
        assertEquals(201, response.statusCode(), response.body());
        return response;
    }
}
