package aim.web;

import aim.DemoLoader;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.SharedData;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The built web map in headless Chromium against the real server and PostGIS, with the demo borough
 * loaded and no base map (tile url "", as offline). Clicks are real input events at the pixel of a point
 * well inside a ward (the centre of its largest inscribed circle, computed by PostGIS from the stored
 * geometry), so they test what a user would hit, not Leaflet's event API.
 *
 * <p>The tests run in order: the last one imports a second ward set, which changes the default view.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebMapBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String REAL_VERSION = "ons-2013";
    private static final int MIDDLESBROUGH_WARDS = 23;

    @Fresh static TestServer server;
    /** feature count of the demo ward set, from GET /api/boundaries/versions */
    static int demoWardCount;
    static int demoNeighbourhoodCount;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");

        var versions = server.get("/api/boundaries/versions");
        assertEquals(200, versions.statusCode(), versions.body());
        JsonNode demoWards = version(TestServer.json(versions), "ward", DemoLoader.VERSION);
        JsonNode demoNeighbourhoods = version(TestServer.json(versions), "neighbourhood", DemoLoader.VERSION);
        demoWardCount = demoWards.path("featureCount").asInt();
        demoNeighbourhoodCount = demoNeighbourhoods.path("featureCount").asInt();
        assertTrue(demoWardCount >= 10, "the demo borough has wards: " + demoWards);
        assertTrue(demoWards.path("current").asBoolean(), "demo wards are current before any real import: " + demoWards);
        // the map shows what GET /api/boundaries answers; the versions list must agree with it
        assertEquals(demoWardCount, wardFeatures(null).size(), "features of GET /api/boundaries?level=ward");
    }

    @Test
    @Order(1)
    void desktopShowsDemoWardsNeighbourhoodsControlsAndAWardPopupOnClick() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            openMap(browser);
            var d = browser.driver;

            assertEquals(List.of(1280L, 800L), browser.js("return [window.innerWidth, window.innerHeight];"), "viewport");
            assertEquals(demoWardCount, d.findElements(By.cssSelector("path.aim-ward")).size(), "ward paths drawn");
            int neighbourhoods = browser.waitUntil(SHORT, "neighbourhood paths drawn",
                    x -> nonZero(x.findElements(By.cssSelector("path.aim-neighbourhood")).size()));
            assertTrue(neighbourhoods >= 4, neighbourhoods + " neighbourhood paths");
            assertEquals(demoNeighbourhoodCount, neighbourhoods, "one path per demo neighbourhood");

            WebElement banner = d.findElement(By.id("demo-banner"));
            assertTrue(banner.isDisplayed(), "demo label shown");
            assertTrue(banner.getText().toLowerCase(Locale.ROOT).contains("demo"), "demo label text: " + banner.getText());
            assertTrue(d.findElement(By.cssSelector(".leaflet-control-scale")).isDisplayed(), "scale bar");
            assertTrue(d.findElement(By.cssSelector(".leaflet-control-layers")).isDisplayed(), "layer control");
            assertTrue(d.findElement(By.id("ward-version")).isDisplayed(), "ward version picker");
            String attribution = d.findElement(By.cssSelector(".leaflet-control-attribution")).getText();
            assertTrue(attribution.contains(DemoLoader.ATTRIBUTION), "demo attribution shown: " + attribution);
            assertTrue(d.findElements(By.id("aim-message")).isEmpty(), "no error message in the header");
            assertWardsFitTheMap(browser);

            clickWardAndExpectPopup(browser, DemoLoader.VERSION, wardFeatures(null));
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    @Order(2)
    void phoneShowsTheMapFullScreenAndAWardPopupOnTap() throws Exception {
        try (Browser browser = Browser.phone(360, 640)) {
            openMap(browser);
            var d = browser.driver;

            assertEquals(List.of(360L, 640L), browser.js("return [window.innerWidth, window.innerHeight];"), "viewport");
            @SuppressWarnings("unchecked")
            Map<String, Number> rect = (Map<String, Number>) browser.js(
                    "const r = document.getElementById('map').getBoundingClientRect();"
                            + " return {width: r.width, height: r.height, bottom: r.bottom};");
            assertTrue(rect.get("height").doubleValue() >= 400, "map height on a phone: " + rect);
            assertTrue(rect.get("width").doubleValue() >= 359, "map width on a phone: " + rect);
            assertTrue(rect.get("bottom").doubleValue() >= 639, "map reaches the bottom of the screen: " + rect);
            assertEquals(demoWardCount, d.findElements(By.cssSelector("path.aim-ward")).size(), "ward paths drawn");
            assertTrue(d.findElement(By.id("demo-banner")).isDisplayed(), "demo label shown on a phone");
            assertWardsFitTheMap(browser);

            clickWardAndExpectPopup(browser, DemoLoader.VERSION, wardFeatures(null));
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    @Order(3)
    void aNewlyImportedWardSetIsShownAfterReloadAndTheDemoSetStaysSelectable() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            // The same browser before and after the import: a reload must not show a cached answer.
            openMap(browser);
            var d = browser.driver;
            assertEquals(demoWardCount, d.findElements(By.cssSelector("path.aim-ward")).size(), "demo wards before the import");

            var response = server.postFile("/api/boundaries/import?level=ward&version=" + REAL_VERSION,
                    SharedData.path("geo-data/ons-wards-2013/E06000002.json"), "application/geo+json", server.adminToken);
            assertEquals(201, response.statusCode(), response.body());
            JsonNode report = TestServer.json(response);
            assertEquals(REAL_VERSION, report.path("version").asText(), response.body());
            assertEquals(MIDDLESBROUGH_WARDS, report.path("imported").asInt(), response.body());
            assertTrue(version(TestServer.json(server.get("/api/boundaries/versions")), "ward", REAL_VERSION)
                    .path("current").asBoolean(), "the imported set is current");

            d.navigate().refresh();
            waitForReady(browser);
            assertEquals(MIDDLESBROUGH_WARDS, d.findElements(By.cssSelector("path.aim-ward")).size(),
                    "ward paths of the new current set after reload");
            assertEquals(List.of(REAL_VERSION), wardVersionsOnMap(browser), "versions of the ward features on the map");
            String attribution = d.findElement(By.cssSelector(".leaflet-control-attribution")).getText();
            assertTrue(attribution.contains("Crown copyright"), "ONS attribution shown: " + attribution);

            Select picker = new Select(d.findElement(By.id("ward-version")));
            assertEquals(REAL_VERSION, picker.getFirstSelectedOption().getAttribute("value"), "the current set is selected");
            List<String> offered = picker.getOptions().stream().map(o -> o.getAttribute("value")).toList();
            assertTrue(offered.contains(DemoLoader.VERSION), "demo still offered: " + offered);
            assertTrue(offered.contains(REAL_VERSION), "new set offered: " + offered);
            assertWardsFitTheMap(browser);

            clickWardAndExpectPopup(browser, REAL_VERSION, wardFeatures(REAL_VERSION));

            picker.selectByValue(DemoLoader.VERSION);
            browser.waitUntil(SHORT, "the demo wards drawn after picking 'demo'",
                    x -> x.findElements(By.cssSelector("path.aim-ward")).size() == demoWardCount
                            && wardVersionsOnMap(browser).equals(List.of(DemoLoader.VERSION)));
            assertEquals(demoWardCount, d.findElements(By.cssSelector("path.aim-ward")).size(), "demo ward paths");
            assertTrue(d.findElement(By.id("demo-banner")).isDisplayed(), "demo label with the demo wards");
            String demoAttribution = browser.waitUntil(SHORT, "demo attribution after picking 'demo'", x -> {
                String text = x.findElement(By.cssSelector(".leaflet-control-attribution")).getText();
                return text.contains(DemoLoader.ATTRIBUTION) ? text : null;
            });
            assertFalse(demoAttribution.contains("Crown copyright"),
                    "the ONS attribution leaves with the ONS wards: " + demoAttribution);
            assertNoConsoleErrors(browser);
        }
    }

    // --- helpers ---

    private static void openMap(Browser browser) {
        browser.driver.get(server.url("/"));
        waitForReady(browser);
    }

    private static void waitForReady(Browser browser) {
        try {
            browser.waitUntil(READY, "window.aimReady === true",
                    d -> Boolean.TRUE.equals(browser.js("return window.aimReady === true || window.aimError != null;"))
                            ? Boolean.TRUE : null);
        } catch (TimeoutException e) {
            fail("the map did not become ready within " + READY.toSeconds() + " s; console: " + consoleText(browser), e);
        }
        Object error = browser.js("return window.aimError ?? null;");
        assertNull(error, "window.aimError; console: " + consoleText(browser));
        assertEquals(Boolean.TRUE, browser.js("return window.aimReady;"));
    }

    /** A ward well inside the map and clear of the controls: click (or tap) it; its popup must name it. */
    private static void clickWardAndExpectPopup(Browser browser, String version, Map<String, String> namesByCode) throws Exception {
        var d = browser.driver;
        assertTrue(d.findElements(By.cssSelector(".leaflet-popup")).isEmpty(), "no popup before the click");
        Target target = pickTarget(browser, version, namesByCode);
        browser.clickAt(target.x, target.y);
        WebElement name;
        try {
            name = browser.waitUntil(SHORT, "a popup with .ward-name", x -> {
                var found = x.findElements(By.cssSelector(".leaflet-popup .ward-name"));
                return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
            });
        } catch (TimeoutException e) {
            throw new AssertionError("no ward popup after clicking " + target + "; element at that point: "
                    + browser.js("const e = document.elementFromPoint(arguments[0], arguments[1]);"
                    + " return e ? e.tagName + ' class=' + e.getAttribute('class') : null;", target.x, target.y)
                    + "; console: " + consoleText(browser), e);
        }
        assertEquals(target.name, name.getText(), "ward name in the popup after clicking " + target);
        String content = d.findElement(By.cssSelector(".leaflet-popup-content")).getText();
        assertTrue(content.contains(target.code), "popup shows the ward code: " + content);
        assertEquals(1, d.findElements(By.cssSelector(".leaflet-popup")).size(), "exactly one popup");
        // no focus rectangle after the click: neither what the click focused nor the ward's shape has an outline
        Object outlines = browser.js("""
                const shape = document.elementFromPoint(arguments[0], arguments[1]);
                const style = (e) => e ? getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth : 'none 0px';
                return [document.activeElement?.tagName + ': ' + style(document.activeElement),
                        (shape?.tagName ?? '') + ': ' + style(shape?.closest('path') ?? null)];""", target.x, target.y);
        assertTrue(outlines instanceof List<?> list && list.size() == 2 && list.stream().map(String::valueOf)
                .allMatch(o -> o.endsWith(": none 0px") || o.contains(": none ")), "no focus outline after the click: " + outlines);
    }

    private record Target(String code, String name, int x, int y) {
    }

    /**
     * Wards of the set by the radius of their largest inscribed circle (largest first: the most robust
     * against simplification); the first whose centre is on screen and not under a control.
     */
    private static Target pickTarget(Browser browser, String version, Map<String, String> namesByCode) throws Exception {
        var candidates = new ArrayList<Object[]>();
        try (var c = server.dataSource.getConnection();
             var ps = c.prepareStatement("""
                     SELECT b.code, ST_X(p) AS lon, ST_Y(p) AS lat FROM (
                         SELECT b.code, ST_Transform(mic.center, 4326) AS p, mic.radius
                         FROM boundary b JOIN boundary_set s ON s.id = b.set_id,
                              LATERAL ST_MaximumInscribedCircle(b.geom) mic
                         WHERE s.level = 'ward' AND s.version = ?) b
                     ORDER BY b.radius DESC, b.code""")) {
            ps.setString(1, version);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) candidates.add(new Object[]{rs.getString(1), rs.getDouble(2), rs.getDouble(3)});
            }
        }
        assertEquals(namesByCode.size(), candidates.size(), "wards of " + version + " in the database and in the API");
        List<String> rejected = new ArrayList<>();
        for (Object[] candidate : candidates) {
            String code = (String) candidate[0];
            @SuppressWarnings("unchecked")
            Map<String, Object> at = (Map<String, Object>) browser.js("""
                    const map = window.aimMap;
                    const p = map.latLngToContainerPoint([arguments[1], arguments[0]]);
                    const r = map.getContainer().getBoundingClientRect();
                    const x = Math.round(r.left + p.x), y = Math.round(r.top + p.y);
                    const margin = 12;
                    const inside = x > r.left + margin && x < r.right - margin && y > r.top + margin && y < r.bottom - margin;
                    const covered = [...document.querySelectorAll('.leaflet-control')].some((c) => {
                      const b = c.getBoundingClientRect();
                      return x > b.left - margin && x < b.right + margin && y > b.top - margin && y < b.bottom + margin;
                    });
                    return {x, y, ok: inside && !covered};""", candidate[1], candidate[2]);
            int x = ((Number) at.get("x")).intValue();
            int y = ((Number) at.get("y")).intValue();
            if (Boolean.TRUE.equals(at.get("ok"))) {
                String name = namesByCode.get(code);
                assertNotNull(name, "ward " + code + " of the database is in GET /api/boundaries");
                return new Target(code, name, x, y);
            }
            rejected.add(code + "@" + x + "," + y);
        }
        throw new AssertionError("no ward of " + version + " has an interior point on screen clear of the controls: " + rejected);
    }

    /** Every ward path lies within the map element (the map was fitted to the wards). */
    private static void assertWardsFitTheMap(Browser browser) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fit = (Map<String, Object>) browser.js("""
                const m = document.getElementById('map').getBoundingClientRect();
                let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
                for (const p of document.querySelectorAll('path.aim-ward')) {
                  const b = p.getBoundingClientRect();
                  left = Math.min(left, b.left); top = Math.min(top, b.top);
                  right = Math.max(right, b.right); bottom = Math.max(bottom, b.bottom);
                }
                return {ok: left >= m.left - 1 && top >= m.top - 1 && right <= m.right + 1 && bottom <= m.bottom + 1,
                        wards: [left, top, right, bottom].map(Math.round), map: [m.left, m.top, m.right, m.bottom].map(Math.round),
                        share: ((right - left) * (bottom - top)) / (m.width * m.height)};""");
        assertEquals(Boolean.TRUE, fit.get("ok"), "all wards within the map: " + fit);
        // fitted, not merely inside: the wards use a fair part of the map
        assertTrue(((Number) fit.get("share")).doubleValue() > 0.15, "wards fill the map: " + fit);
    }

    /** The distinct versions of the ward features on the map. */
    @SuppressWarnings("unchecked")
    private static List<String> wardVersionsOnMap(Browser browser) {
        return (List<String>) browser.js("""
                const versions = new Set();
                window.aimMap.eachLayer((l) => {
                  const p = l.feature && l.feature.properties;
                  if (p && p.level === 'ward' && l.getLatLngs) versions.add(p.version);
                });
                return [...versions].sort();""");
    }

    private static void assertNoConsoleErrors(Browser browser) {
        List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }

    private static String consoleText(Browser browser) {
        return browser.console().stream().map(e -> e.getLevel() + " " + e.getMessage()).collect(Collectors.joining(" | "));
    }

    /** code -> name of the wards GET /api/boundaries?level=ward answers (the current set when version is null). */
    private static Map<String, String> wardFeatures(String version) throws Exception {
        var response = server.get("/api/boundaries?level=ward" + (version == null ? "" : "&version=" + version));
        assertEquals(200, response.statusCode(), response.body());
        var names = new LinkedHashMap<String, String>();
        for (JsonNode feature : TestServer.json(response).path("features")) {
            names.put(feature.path("properties").path("code").asText(), feature.path("properties").path("name").asText());
        }
        return names;
    }

    private static JsonNode version(JsonNode versions, String level, String version) {
        for (JsonNode v : versions) {
            if (level.equals(v.path("level").asText()) && version.equals(v.path("version").asText())) return v;
        }
        throw new AssertionError("no " + level + " version " + version + " in " + versions);
    }

    private static Integer nonZero(int n) {
        return n == 0 ? null : n;
    }
}
