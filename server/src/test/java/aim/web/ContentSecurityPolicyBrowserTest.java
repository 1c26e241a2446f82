package aim.web;

import aim.Config;
import aim.DemoLoader;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The map, log-in, report, meetings and actions pages in headless Chromium under the server's Content-Security-Policy
 * break none of it: no violation is reported (neither a {@code securitypolicyviolation} event nor a
 * "Content Security Policy" console message), with incident markers, legend swatches, the base map
 * from another origin (the configured tile host) and the report page's service worker.
 */
@Tag("browser")
class ContentSecurityPolicyBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String PASSWORD = "correct horse battery";
    /** Records every violation from the start of each document (injected before the page's own scripts, outside its CSP). */
    private static final String RECORDER = """
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', (e) =>
              window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));""";

    @Fresh static HikariDataSource dataSource;
    static Javalin app;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        new DemoLoader(dataSource, work).loadEverythingIfMissing(); // wards, incidents, assets
        var accounts = new Accounts(dataSource);
        accounts.create("ana", "Ana", Role.ANALYST, PASSWORD);
        accounts.create("wes", "Wes", Role.WARDEN, PASSWORD);
        // tiles from another origin (nothing listens there: the requests fail, but CSP must allow them)
        Config config = Config.fromEnvironment(Map.of("AIM_TILE_URL", "http://127.0.0.1:9/{z}/{x}/{y}.png")).withPort(0);
        app = App.create(config, dataSource).start(0);
    }

    @AfterAll
    static void stop() {
        if (app != null) app.stop();
    }

    /** [lon, lat] of the centre of British National Grid square (i, j) of {@code size} metres. */
    private static double[] centreOf(int i, int j, int size) {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint((? + 0.5) * ?, (? + 0.5) * ?), 27700), 4326) p")) {
            ps.setInt(1, i);
            ps.setInt(2, size);
            ps.setInt(3, j);
            ps.setInt(4, size);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String origin() {
        return "http://localhost:" + app.port();
    }

    @Test
    void mapLogInAndReportPagesRunWithoutAnyViolation() {
        try (Browser browser = Browser.desktop(1280, 800)) {
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));

            // the public map: wards, base-map tiles requested from the tile host
            browser.driver.get(origin() + "/");
            waitForMap(browser);
            browser.waitUntil(READY, "tiles requested", d -> Boolean.TRUE.equals(browser.js(
                    "return performance.getEntriesByType('resource').some((r) => r.name.startsWith('http://127.0.0.1:9/'))"
                            + " || document.querySelectorAll('img.leaflet-tile').length > 0;")) ? true : null);
            assertNoViolations(browser, "the public map");

            browser.driver.get(origin() + "/login/");
            browser.waitUntil(READY, "the log-in form", d -> d.findElements(org.openqa.selenium.By.id("login-form")).isEmpty() ? null : true);
            assertNoViolations(browser, "the log-in page");

            // signed in as an analyst: incident markers (inline style attributes), legend, analysis panel
            browser.logIn(origin(), "ana", PASSWORD, "/?layers=incidents,hotspots,wards"); // incidents are not in an analyst's first view
            waitForMap(browser);
            browser.waitUntil(READY, "incidents loaded", d -> Boolean.TRUE.equals(browser.js("return window.aimIncidents.ready === true;")) ? true : null);
            // the incidents' vector tiles hold counts below zoom 14: zoom to 16 in the busiest square for the markers
            int zoom = ((Number) browser.js("return window.aimMap.getZoom();")).intValue();
            @SuppressWarnings("unchecked")
            Map<String, Number> busiest = (Map<String, Number>) browser.js(
                    "return [...window.aimIncidents.cells()].sort((a, b) => b.count - a.count)[0];");
            double[] at = centreOf(busiest.get("i").intValue(), busiest.get("j").intValue(), aim.tiles.TileRepository.cellForZoom(zoom));
            browser.js("window.aimMap.setView([arguments[0], arguments[1]], 16, {animate: false});", at[1], at[0]);
            browser.waitUntil(READY, "markers drawn", d -> d.findElements(org.openqa.selenium.By.cssSelector(".aim-incident, .marker-cluster")).isEmpty() ? null : true);
            assertNoViolations(browser, "the analyst's map");

            // the meeting loop's pages, served from dist/ like the others
            browser.driver.get(origin() + "/meetings/");
            browser.waitUntil(READY, "window.aimMeetings.ready", d -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimMeetings && window.aimMeetings.ready === true;")) ? true : null);
            assertNoViolations(browser, "the meetings page");
            browser.driver.get(origin() + "/actions/");
            browser.waitUntil(READY, "window.aimActions.ready", d -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimActions && window.aimActions.ready === true;")) ? true : null);
            assertNoViolations(browser, "the actions page");
            browser.driver.get(origin() + "/");
            waitForMap(browser);

            // the detector works: an inline script is refused and reported
            browser.js("const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.head.appendChild(s);");
            browser.waitUntil(Duration.ofSeconds(5), "the refused inline script reported",
                    d -> ((List<?>) browser.js("return window.__csp;")).isEmpty() ? null : true);
            assertFalse(Boolean.TRUE.equals(browser.js("return window.__ran === true;")), "the inline script did not run");
        }

        try (Browser phone = Browser.phone(360, 640)) {
            phone.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
            phone.logIn(origin(), "wes", PASSWORD, "/report/");
            phone.waitUntil(READY, "window.aimReport.ready", d -> Boolean.TRUE.equals(phone.js(
                    "return !!window.aimReport && window.aimReport.ready === true;")) ? true : null);
            phone.waitUntil(READY, "an active service worker controlling the page", d -> Boolean.TRUE.equals(phone.js(
                    "return !!(navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === 'activated');"))
                    ? true : null);
            assertNoViolations(phone, "the report page");
        }
    }

    private static void waitForMap(Browser browser) {
        browser.waitUntil(READY, "the map", d -> Boolean.TRUE.equals(browser.js(
                "return window.aimReady === true || window.aimError != null;")) ? true : null);
        assertEquals(null, browser.js("return window.aimError ?? null;"), "window.aimError");
        browser.waitUntil(READY, "ward outlines", d -> d.findElements(org.openqa.selenium.By.cssSelector("path.leaflet-interactive")).isEmpty() ? null : true);
    }

    private static void assertNoViolations(Browser browser, String page) {
        Object events = browser.js("return window.__csp ?? ['no recorder: ' + location.href];");
        assertEquals(List.of(), events, page + ": securitypolicyviolation events");
        String console = browser.console().stream()
                .map(e -> e.getMessage())
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"))
                .collect(Collectors.joining("\n"));
        assertTrue(console.isEmpty(), page + ": " + console);
    }
}
