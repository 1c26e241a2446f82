package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.logging.LogEntry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The incidents layer at scale in headless Chromium: the demo borough with 20,000 incidents of the
 * last 60 days spread over its wards. At the borough zoom the map is ready with counts per square
 * from the view's vector tiles (GET /tiles/incidents/z/x/y.mvt) and never asks the incident list; zoomed
 * in to 16 the incidents of the view are points from the tiles; the legend explains both. Requests are counted by
 * the test build's window.aimRequests (every fetch the page made).
 */
@Tag("browser")
class IncidentScaleBrowserTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final String ANALYST = "analyst.scale";
    private static final int PLANTED = 20_000;

    @Fresh static TestServer server;
    /** [lon, lat] of a point inside the borough */
    static double[] inside;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        server.userToken(ANALYST, Role.ANALYST);
        String borough = "(SELECT ST_Union(b.geom) FROM boundary b JOIN boundary_set s ON s.id = b.set_id"
                + " WHERE s.level = 'ward' AND s.version = '" + DemoLoader.VERSION + "')";
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', now() - make_interval(days => 1 + d.path[1] %% 60), 'day', d.geom, 'exact',
                           'scale-' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(%s, %d, 11)) d""".formatted(borough, PLANTED));
            try (var rs = st.executeQuery("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(" + borough + "), 4326) AS p) x")) {
                rs.next();
                inside = new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    @Test
    void theBoroughShowsCountsPerSquareAndZoomingInShowsTheIncidents() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/?layers=incidents,wards,neighbourhoods&from="
                    + java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).minusDays(90) + "&to=" + java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")));
            // (a link: an analyst's first view has no incidents and its period is the last complete quarter; these are recent)
            try {
                browser.waitUntil(READY, "the map and the incidents", x -> Boolean.TRUE.equals(browser.js(
                        "return (window.aimReady === true && window.aimIncidents?.ready === true) || window.aimError != null;")) ? true : null);
            } catch (TimeoutException e) {
                fail("the map did not become ready; console: " + consoleText(browser), e);
            }
            assertNull(browser.js("return window.aimError ?? null;"), "window.aimError");

            // the borough zoom: counts per square, no incident paged
            Number zoom = (Number) browser.js("return window.aimMap.getZoom();");
            assertTrue(zoom.intValue() < 15, "the borough zoom: " + zoom);
            assertEquals("counts", browser.js("return window.aimIncidents.mode();"));
            @SuppressWarnings("unchecked")
            List<Map<String, Number>> cells = (List<Map<String, Number>>) browser.js("return window.aimIncidents.cells();");
            long sum = cells.stream().mapToLong(m -> m.get("count").longValue()).sum();
            assertTrue(sum >= PLANTED, "the counts cover the planted incidents: " + sum + " in " + cells.size() + " cells");
            assertTrue(d.findElements(By.cssSelector("path.aim-count-cell")).size() > 10, "count squares drawn");
            assertEquals(0L, ((Number) browser.js("return window.aimIncidents.ids().length;")).longValue(), "no incident points");
            assertTrue(incidentPages(browser).isEmpty(), "no incident page on load: " + incidentPages(browser));
            // the counts come from the vector tiles of the view (aim.tiles), not from a count request
            List<String> tiles = requests(browser, "/tiles/incidents/");
            assertTrue(!tiles.isEmpty() && tiles.stream().allMatch(u -> u.matches("/tiles/incidents/" + zoom.intValue() + "/\\d+/\\d+\\.mvt\\?from=.*")),
                    "the view's tiles: " + tiles);
            assertTrue(requests(browser, "/api/hotspots?method=grid").stream().noneMatch(u -> u.contains("bbox=")), "no counts request");
            String status = d.findElement(By.id("incident-status")).getText();
            assertTrue(status.matches("[\\d,]+ incidents in view, as counts per \\d+ m square: zoom in to see each one"), status);
            String legend = legendText(browser, "counts per");
            assertTrue(legend.matches("(?s).*Incidents: counts per \\d+ m square — zoom in to see each one.*"), legend);

            // zoomed in to 16: the incidents of the view as points, a few pages at most
            browser.js("window.aimMap.setView([arguments[0], arguments[1]], 16, {animate: false});", inside[1], inside[0]);
            browser.waitUntil(SHORT, "points at zoom 16", x -> "points".equals(browser.js("return window.aimIncidents.mode();"))
                    && ((Number) browser.js("return window.aimIncidents.ids().length;")).intValue() > 0 ? true : null);
            int points = ((Number) browser.js("return window.aimIncidents.ids().length;")).intValue();
            assertTrue(points > 100 && points <= 5000, points + " points");
            assertTrue(d.findElements(By.cssSelector(".aim-incident, .marker-cluster")).size() > 0, "markers or clusters drawn");
            assertTrue(d.findElements(By.cssSelector("path.aim-count-cell")).isEmpty(), "no count squares");
            // from the tiles at zoom 16: never a page of the incident list
            assertTrue(incidentPages(browser).isEmpty(), "no incident list request: " + incidentPages(browser));
            assertTrue(requests(browser, "/tiles/incidents/16/").size() > 0, "tiles at zoom 16");
            // the status line explains the points (the legend keeps only the counts' section, so it stays short)
            String pointsLine = d.findElement(By.id("incident-status")).getText();
            assertTrue(pointsLine.matches("[\\d,]+ incidents, each one shown: zoom out for counts per square"), pointsLine);
            assertTrue(!legendText(browser, "Legend").contains("counts per"), "no counts section while points are shown");

            // back out: the counts again, and still no more incident pages
            browser.js("window.aimMap.setZoom(13, {animate: false});");
            browser.waitUntil(SHORT, "counts at zoom 13", x -> "counts".equals(browser.js("return window.aimIncidents.mode();")) ? true : null);
            assertTrue(legendText(browser, "counts per 250 m square").contains("zoom in to see each one"));
            assertTrue(incidentPages(browser).isEmpty());
            assertTrue(requests(browser, "/tiles/incidents/13/").size() > 0, "tiles at zoom 13");
            assertNoConsoleErrors(browser);
        }
    }

    /** The incident list requests the page made (not the categories). */
    private static List<String> incidentPages(Browser browser) {
        return requests(browser, "/api/incidents?");
    }

    @SuppressWarnings("unchecked")
    private static List<String> requests(Browser browser, String prefix) {
        List<String> all = (List<String>) browser.js("return window.aimRequests;");
        return all.stream().filter(u -> u.startsWith(prefix)).toList();
    }

    private static String legendText(Browser browser, String containing) {
        return browser.waitUntil(SHORT, "the legend with '" + containing + "'", x -> {
            var found = x.findElements(By.id("hotspot-legend"));
            String text = found.isEmpty() ? "" : found.get(0).getAttribute("textContent");
            return text.contains(containing) ? text : null;
        });
    }

    private static void assertNoConsoleErrors(Browser browser) {
        List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }

    private static String consoleText(Browser browser) {
        return browser.console().stream().map(e -> e.getLevel() + " " + e.getMessage()).collect(Collectors.joining(" | "));
    }
}
