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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The incidents layer of the map in headless Chromium: nothing (and a "Sign in" link) when signed
 * out; for an analyst signed in through /login/, the incidents in view as clustered markers (from the
 * vector tiles at zoom 14 and above), a
 * category filter that hides and shows them, and a popup with the category label. The incidents are
 * rows inserted with SQL at interior points of demo wards (council ASB noise, and one graffiti
 * report that the filter must leave alone).
 */
@Tag("browser")
class IncidentMapBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String ANALYST = "analyst.ana";

    @Fresh static TestServer server;
    /** ids of the inserted asb-noise incidents, and of the graffiti one */
    static final List<Long> noise = new ArrayList<>();
    static long graffiti;
    /** [lon, lat] of the first noise incident */
    static double[] firstNoiseAt;
    /** [lon, lat] of the four incidents */
    static List<double[]> points;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        server.userToken(ANALYST, Role.ANALYST);
        try (var c = server.dataSource.getConnection()) {
            List<double[]> points = new ArrayList<>();
            try (var st = c.createStatement(); var rs = st.executeQuery("""
                    SELECT ST_X(p), ST_Y(p) FROM (
                        SELECT ST_Transform(ST_PointOnSurface(b.geom), 4326) AS p, b.code
                        FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                        WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code LIMIT 4) x""".formatted(DemoLoader.VERSION))) {
                while (rs.next()) points.add(new double[]{rs.getDouble(1), rs.getDouble(2)});
            }
            assertEquals(4, points.size(), "four demo wards");
            try (var ps = c.prepareStatement("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          location_text, status, external_key)
                    VALUES ('council', ?, now() - interval '2 days', 'day',
                            ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700), 'exact', ?, 'open', ?)""",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < points.size(); i++) {
                    boolean isNoise = i < 3;
                    ps.setString(1, isNoise ? "asb-noise" : "env-graffiti");
                    ps.setDouble(2, points.get(i)[0]);
                    ps.setDouble(3, points.get(i)[1]);
                    ps.setString(4, "Test street " + i);
                    ps.setString(5, "browser-test-" + i);
                    ps.executeUpdate();
                    try (var keys = ps.getGeneratedKeys()) {
                        assertTrue(keys.next());
                        if (isNoise) noise.add(keys.getLong(1));
                        else graffiti = keys.getLong(1);
                    }
                }
            }
            firstNoiseAt = points.get(0);
            IncidentMapBrowserTest.points = points;
        }
    }

    @Test
    void signedOutTheMapOffersSignInAndShowsNoIncidents() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            d.get(server.url("/"));
            waitForMap(browser);
            assertEquals(Boolean.FALSE, browser.js("return window.aimIncidents.enabled;"), "no incidents layer when signed out");
            WebElement signIn = d.findElement(By.id("aim-signin"));
            assertTrue(signIn.isDisplayed(), "a Sign in link");
            assertEquals("/login/", URI.create(signIn.getAttribute("href")).getPath());
            assertTrue(d.findElements(By.id("aim-signout")).isEmpty(), "no sign-out link");
            assertTrue(d.findElements(By.cssSelector(".aim-incident")).isEmpty(), "no incident markers");
            assertTrue(d.findElements(By.id("incident-filters")).isEmpty(), "no incident filters");
            assertTrue(!d.findElement(By.cssSelector(".leaflet-control-layers")).getAttribute("textContent").contains("Incidents"),
                    "no Incidents overlay in the layer control");
            assertEquals(401, server.get("/api/incidents").statusCode(), "the API refuses signed-out callers too");
            assertNoConsoleErrors(browser);

            signIn.click();
            browser.waitUntil(SHORT, "the log-in page", x -> x.findElements(By.id("login-form")).isEmpty() ? null : true);
        }
    }

    @Test
    void anAnalystSeesIncidentsFiltersThemByCategoryAndOpensAPopup() throws Exception {
        try (Browser browser = Browser.desktop(2000, 1400)) {
            var d = browser.driver;
            // a wrong password first: the problem's detail is shown
            d.get(server.url("/login/"));
            d.findElement(By.id("username")).sendKeys(ANALYST);
            d.findElement(By.id("password")).sendKeys("not the password");
            d.findElement(By.id("login-submit")).click();
            WebElement error = browser.waitUntil(SHORT, "a log-in error", x -> {
                WebElement e = x.findElement(By.id("login-error"));
                return e.isDisplayed() && !e.getText().isBlank() ? e : null;
            });
            assertTrue(URI.create(d.getCurrentUrl()).getPath().equals("/login/"), "still on the log-in page");
            String refused = error.getText();

            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/?layers=incidents,wards,neighbourhoods&from="
                    + java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).minusDays(90) + "&to=" + java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")));
            // (a link: an analyst's first view has no incidents and its period is the last complete quarter; these are recent)
            waitForMap(browser);
            browser.waitUntil(READY, "incidents loaded", x -> Boolean.TRUE.equals(browser.js("return window.aimIncidents.ready === true;")) ? true : null);
            assertTrue(refused.length() > 3 && !refused.startsWith("HTTP "), "the server's reason is shown: " + refused);

            // the incidents' vector tiles hold points from zoom 14 (counts below): zoom to 14 over the four
            List<Long> all = new ArrayList<>(noise);
            all.add(graffiti);
            browser.js("""
                    const m = window.aimMap; m.fitBounds(arguments[0], {animate: false});
                    if (m.getZoom() < 14) m.setZoom(14, {animate: false});""", points.stream().map(p -> List.of(p[1], p[0])).toList());
            waitForIds(browser, sorted(all), "the inserted incidents are on the map as points");
            String user = d.findElement(By.id("aim-user")).getText();
            assertTrue(user.contains(ANALYST) && user.contains("analyst"), "who is signed in: " + user);
            assertTrue(d.findElement(By.id("aim-signout")).isDisplayed(), "a sign-out link");
            assertTrue(d.findElement(By.cssSelector(".leaflet-control-layers")).getAttribute("textContent").contains("Incidents"),
                    "an Incidents overlay in the layer control");
            assertTrue(d.findElements(By.cssSelector(".aim-incident, .marker-cluster")).size() > 0, "markers or clusters drawn");

            // the category filter: untick "ASB: noise" -> only the graffiti; tick it again -> all
            d.findElement(By.id("incident-filter-toggle")).click();
            WebElement noiseBox = browser.waitUntil(SHORT, "the ASB noise checkbox", x -> {
                WebElement e = x.findElement(By.cssSelector("#incident-filters input[name='category'][value='asb-noise']"));
                return e.isDisplayed() ? e : null;
            });
            assertTrue(noiseBox.isSelected(), "every category ticked by default");
            noiseBox.click();
            waitForIds(browser, List.of(graffiti), "only the graffiti after unticking ASB noise");
            assertTrue(d.findElements(By.cssSelector(".aim-incident[data-incident-id='" + noise.get(0) + "']")).isEmpty(),
                    "no noise marker in the page");
            noiseBox.click();
            waitForIds(browser, sorted(all), "every incident after ticking ASB noise again");
            d.findElement(By.id("incident-filter-toggle")).click(); // fold the panel away

            // a new incident appears without a reload: the 30 s poll asks for ids after the newest shown
            long fresh;
            try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    VALUES ('council', 'asb-noise', now(), 'minute',
                            ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700), 'exact', 'browser-test-new') RETURNING id""")) {
                ps.setDouble(1, firstNoiseAt[0] + 0.0005);
                ps.setDouble(2, firstNoiseAt[1]);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    fresh = rs.getLong(1);
                }
            }
            Object added = browser.jsAsync(
                    "const done = arguments[arguments.length - 1]; window.aimIncidents.poll().then(done, (e) => done('' + e));");
            assertEquals(1L, ((Number) added).longValue(), "one incident added by the poll");
            all.add(fresh);
            waitForIds(browser, sorted(all), "the new incident on the map after a poll");

            // a popup with the category label, from a real click on the marker
            browser.js("window.aimMap.setView([arguments[0], arguments[1]], 18, {animate: false});", firstNoiseAt[1], firstNoiseAt[0]);
            long id = noise.get(0);
            WebElement marker = browser.waitUntil(SHORT, "the marker of incident " + id, x -> {
                var found = x.findElements(By.cssSelector(".aim-incident[data-incident-id='" + id + "']"));
                return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
            });
            assertTrue(marker.getAttribute("class").contains("aim-incident-asb"), marker.getAttribute("class"));
            Map<String, Number> at = browser.settledCentre(marker);
            browser.clickAt(at.get("x").intValue(), at.get("y").intValue());
            try {
                browser.waitUntil(SHORT, "the incident popup", x -> Boolean.TRUE.equals(browser.js(
                        "const e = document.querySelector('.leaflet-popup .incident-category'); return !!e && e.offsetParent !== null;")) ? true : null);
            } catch (TimeoutException e) {
                throw new AssertionError("no popup after clicking the marker at " + at + "; element there: " + browser.js(
                        "const e = document.elementFromPoint(arguments[0], arguments[1]); return e ? e.outerHTML.slice(0, 200) : null;",
                        at.get("x"), at.get("y")), e);
            }
            // the tile's few fields first, then the incident's details from GET /api/incidents/{id}
            String popup = browser.waitUntil(SHORT, "the incident's details in the popup", x -> {
                String text = (String) browser.js("return document.querySelector('.leaflet-popup-content')?.innerText ?? '';");
                return text.contains("Test street 0") ? text : null;
            });
            assertEquals("ASB: noise", d.findElement(By.cssSelector(".leaflet-popup .incident-category")).getText());
            assertTrue(popup.contains("Test street 0"), "location text: " + popup);
            assertTrue(popup.contains("open"), "status: " + popup);
            assertNoConsoleErrors(browser);
        }
    }

    // --- helpers ---

    private static void waitForMap(Browser browser) {
        try {
            browser.waitUntil(READY, "the map and the incidents hook", x -> Boolean.TRUE.equals(browser.js(
                    "return (window.aimReady === true && !!window.aimIncidents) || window.aimError != null;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the map did not become ready; console: " + consoleText(browser), e);
        }
        assertNull(browser.js("return window.aimError ?? null;"), "window.aimError");
    }

    private static List<Long> loadedIds(Browser browser) {
        @SuppressWarnings("unchecked")
        List<Number> ids = (List<Number>) browser.js("return window.aimIncidents.ids();");
        return sorted(ids.stream().map(Number::longValue).toList());
    }

    private static void waitForIds(Browser browser, List<Long> expected, String what) {
        try {
            browser.waitUntil(SHORT, what, x -> loadedIds(browser).equals(sorted(expected)) ? true : null);
        } catch (TimeoutException e) {
            fail(what + ": expected " + expected + ", loaded " + loadedIds(browser), e);
        }
    }

    private static List<Long> sorted(List<Long> ids) {
        return ids.stream().sorted().toList();
    }

    /** No console error, except the log-in refusal (a 401 of /api/login) the analyst test provokes on purpose. */
    private static void assertNoConsoleErrors(Browser browser) {
        List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !(m.contains("/api/login") && m.contains("401")))
                .toList();
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }

    private static String consoleText(Browser browser) {
        return browser.console().stream().map(e -> e.getLevel() + " " + e.getMessage()).collect(Collectors.joining(" | "));
    }
}
