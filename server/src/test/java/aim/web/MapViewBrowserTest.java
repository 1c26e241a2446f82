package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.hotspots.FinancialQuarter;
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
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The map's first view, legend and period in headless Chromium (web-map panels/layer-choice.js, legend.js,
 * period-label.js), against the real server and PostGIS with the demo borough and 40 council reports spread
 * over the last complete financial quarter (the default period). Each role starts with its own layers; the
 * hotspot cells and the ward rates are never on the map together; the layers chosen come back after a reload
 * (a shared link still wins); every layer on the map has its legend section and no other; the map states its
 * period once and every layer's request (cells, ward statistics, incident counts and points) uses it, also
 * after the period is changed.
 */
@Tag("browser")
class MapViewBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    /** The layer control's title of each legend section key (legend.js data-legend). */
    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("Hotspots", "hotspots"), Map.entry("Ward rates", "rates"), Map.entry("Indicator", "indicator"),
            Map.entry("Wards", "wards"), Map.entry("Neighbourhoods", "neighbourhoods"), Map.entry("Zones", "zones"),
            Map.entry("Incidents", "incidents"), Map.entry("Problems", "problems"), Map.entry("Community assets", "assets"),
            Map.entry("Gaps", "gaps"));
    private static final int REPORTS = 40;

    @Fresh static TestServer server;
    static FinancialQuarter quarter;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        for (Role role : List.of(Role.ANALYST, Role.PLANNER, Role.WARDEN, Role.VIEWER)) server.userToken(user(role), role);
        quarter = FinancialQuarter.of(LocalDate.now(ZoneId.of("Europe/London"))).previous();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            int inserted = st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          status, external_key)
                    SELECT 'council', 'asb-noise', ('%s'::date + (d.path[1] * 2 %% %d) + time '12:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'open', 'map-view-test-' || d.path[1]
                    FROM (SELECT ST_Union(b.geom) AS geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = '%s') w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(w.geom, %d, 3)) d
                    """.formatted(quarter.start(), quarter.end().toEpochDay() - quarter.start().toEpochDay() + 1,
                    DemoLoader.VERSION, REPORTS));
            assertEquals(REPORTS, inserted);
        }
    }

    private static String user(Role role) {
        return "map.view." + role.id();
    }

    @Test
    void eachRoleStartsWithItsOwnLayersEachExplainedInTheLegend() {
        Map<Role, Set<String>> expected = Map.of(
                Role.ANALYST, Set.of("Hotspots", "Wards", "Problems"),
                Role.PLANNER, Set.of("Community assets", "Gaps"),
                Role.WARDEN, Set.of("Incidents"),
                Role.VIEWER, Set.of("Wards"));
        for (Role role : List.of(Role.ANALYST, Role.PLANNER, Role.WARDEN, Role.VIEWER)) {
            try (Browser browser = Browser.desktop(1440, 900)) {
                browser.logIn(server.url(""), user(role), TestServer.PASSWORD, "/");
                waitForMap(browser);
                if (role == Role.WARDEN) waitForIncidents(browser);
                if (role == Role.PLANNER) {
                    browser.waitUntil(READY, "the gaps worked out", x -> !requests(browser, "/api/assets/gaps?").isEmpty()
                            && Boolean.FALSE.equals(browser.js("return window.aimAssets.coverage()?.loading ?? true;")) ? true : null);
                }
                Set<String> on = overlaysOn(browser);
                assertEquals(expected.get(role), on, role + ": the first view's layers");
                assertLegendMatches(browser, on);
                if (role == Role.WARDEN) {
                    assertFalse(requests(browser, "/tiles/incidents/").isEmpty(), "the incidents' vector tiles");
                    for (String url : requests(browser, "/tiles/incidents/")) assertTrue(url.contains("source=warden"), "a warden's reports: " + url);
                    assertTrue(requests(browser, "/api/incidents?").isEmpty(), "never the incident list");
                }
                if (role == Role.ANALYST) {
                    String legend = browser.driver.findElement(By.id("hotspot-legend")).getText();
                    assertTrue(legend.contains("Natural breaks (Jenks, ckmeans)"), "the count classes name their scheme: " + legend);
                }
                assertNoConsoleErrors(browser);
            }
        }
    }

    @Test
    void oneThematicLayerAtATimeAndTheChoiceIsRememberedUnlessALinkSaysOtherwise() {
        try (Browser browser = Browser.desktop(1440, 900)) {
            var d = browser.driver;
            browser.logIn(server.url(""), user(Role.ANALYST), TestServer.PASSWORD, "/");
            waitForMap(browser);
            assertFalse(d.findElements(By.cssSelector("path.aim-hotspot-cell")).isEmpty(), "the hotspot cells are drawn");

            toggleOverlay(browser, "Ward rates");
            browser.waitUntil(SHORT, "the ward rates replace the hotspot cells", x ->
                    overlaysOn(browser).contains("Ward rates") && !overlaysOn(browser).contains("Hotspots")
                            && !x.findElements(By.cssSelector("path.aim-ward-rate")).isEmpty() ? true : null);
            assertTrue(d.findElements(By.cssSelector("path.aim-hotspot-cell")).isEmpty(), "no hotspot cell under the ward rates");
            toggleOverlay(browser, "Incidents");
            waitForIncidents(browser);
            assertEquals(Set.of("Ward rates", "Wards", "Problems", "Incidents"), overlaysOn(browser));
            browser.waitUntil(SHORT, "the legend follows", x -> legendKeys(browser).equals(keysOf(overlaysOn(browser))) ? true : null);

            // back to the hotspot cells: the ward rates go
            toggleOverlay(browser, "Hotspots");
            browser.waitUntil(SHORT, "the hotspot cells replace the ward rates", x ->
                    overlaysOn(browser).contains("Hotspots") && !overlaysOn(browser).contains("Ward rates") ? true : null);
            // the indicator choropleth is thematic too, with its own legend section
            toggleOverlay(browser, "Indicator");
            browser.waitUntil(SHORT, "the indicator choropleth replaces the hotspot cells", x ->
                    overlaysOn(browser).contains("Indicator") && !overlaysOn(browser).contains("Hotspots") ? true : null);
            browser.waitUntil(SHORT, "its legend section", x -> legendKeys(browser).equals(keysOf(overlaysOn(browser))) ? true : null);
            toggleOverlay(browser, "Ward rates");
            browser.waitUntil(SHORT, "the ward rates again", x ->
                    !overlaysOn(browser).contains("Hotspots") && !overlaysOn(browser).contains("Indicator") ? true : null);

            // a new visit (no link): the same layers
            d.get(server.url("/"));
            waitForMap(browser);
            waitForIncidents(browser);
            assertEquals(Set.of("Ward rates", "Wards", "Problems", "Incidents"), overlaysOn(browser), "remembered after a reload");
            assertLegendMatches(browser, overlaysOn(browser));

            // a shared link wins for its visit, and does not replace the remembered choice
            d.get(server.url("/?layers=hotspots,wards"));
            waitForMap(browser);
            assertEquals(Set.of("Hotspots", "Wards"), overlaysOn(browser), "the link's layers");
            d.get(server.url("/"));
            waitForMap(browser);
            waitForIncidents(browser);
            assertEquals(Set.of("Ward rates", "Wards", "Problems", "Incidents"), overlaysOn(browser), "still the user's own choice");
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void onePeriodIsStatedOnceAndDrivesEveryLayer() {
        try (Browser browser = Browser.desktop(1440, 900)) {
            var d = browser.driver;
            browser.logIn(server.url(""), user(Role.ANALYST), TestServer.PASSWORD, "/");
            waitForMap(browser);
            toggleOverlay(browser, "Incidents");
            waitForIncidents(browser);

            String period = d.findElement(By.id("aim-period")).getText();
            String words = quarter.label() + ": " + dayMonth(quarter.start()) + " – " + dayMonth(quarter.end()) + " " + quarter.end().getYear();
            assertEquals("Period: " + words, period, "the map's period, with both ends");
            String page = (String) browser.js("return document.body.innerText;");
            assertEquals(1, occurrences(page, quarter.label()), "the period is stated once: " + page);
            // (the boundary version picker's "demo — from 2024-05-01 (current)" is when the wards took effect, not a window)
            String layersText = (String) browser.js(
                    "const b = document.body.cloneNode(true); b.querySelector('#ward-version')?.remove(); return b.textContent;");
            assertFalse(layersText.matches("(?s).*\\bfrom \\d{4}-\\d{2}-\\d{2}.*"), "no layer states a window of its own: " + layersText);
            assertFalse(d.findElement(By.id("incident-filter-toggle")).getText().contains("from"), "the incidents' summary has no dates");
            assertTrue(d.findElements(By.id("incident-from")).isEmpty(), "the incidents have no dates of their own");
            assertEveryLayerAsks(browser, quarter.start(), quarter.end(), 0);

            // another period: every layer asks again, for it
            int before = ((Number) browser.js("return window.aimRequests.length;")).intValue();
            browser.js("const s = document.getElementById('hotspot-period'); s.value = 'last-month'; s.dispatchEvent(new Event('change'));");
            YearMonth month = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1);
            LocalDate from = month.atDay(1), to = month.atEndOfMonth();
            browser.waitUntil(READY, "every layer reloaded for the new period", x -> {
                List<String> after = requestsSince(browser, before);
                boolean cells = after.stream().anyMatch(u -> u.startsWith("/api/hotspots?") && !u.contains("bbox="));
                boolean counts = after.stream().anyMatch(u -> u.startsWith("/tiles/incidents/")); // the incidents' vector tiles
                boolean stats = after.stream().anyMatch(u -> u.startsWith("/api/areas/stats?"));
                return cells && counts && stats ? true : null;
            });
            waitForIncidents(browser);
            String monthName = monthAbbreviation(month.getMonth());
            browser.waitUntil(SHORT, "the new period stated", x -> x.findElement(By.id("aim-period")).getText()
                    .equals("Period: " + monthName + " " + month.getYear() + ": " + dayMonth(from) + " – " + dayMonth(to) + " " + to.getYear()) ? true : null);
            assertEveryLayerAsks(browser, from, to, before);
            assertNoConsoleErrors(browser);
        }
    }

    // --- helpers ---

    /** Every request for cells, ward statistics, incident counts or incidents since request number `since` is for from–to. */
    private static void assertEveryLayerAsks(Browser browser, LocalDate from, LocalDate to, int since) {
        List<String> asked = requestsSince(browser, since).stream()
                .filter(u -> u.startsWith("/api/hotspots?") || u.startsWith("/api/areas/stats?") || u.startsWith("/api/incidents?")
                        || u.startsWith("/tiles/incidents/"))
                .toList();
        assertFalse(asked.isEmpty(), "requests made");
        for (String prefix : List.of("/api/hotspots?", "/api/areas/stats?")) {
            assertTrue(asked.stream().anyMatch(u -> u.startsWith(prefix)), "a request to " + prefix + ": " + asked);
        }
        for (String url : asked) {
            assertTrue(url.contains("from=" + from) && url.contains("to=" + to), "the map's period " + from + "–" + to + ": " + url);
        }
    }

    private static String dayMonth(LocalDate date) {
        return date.getDayOfMonth() + " " + monthAbbreviation(date.getMonth());
    }

    /** 'Sep', as periods.js writes it (Java's UK short form is 'Sept'). */
    private static String monthAbbreviation(java.time.Month month) {
        return month.getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH).substring(0, 3);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) n++;
        return n;
    }

    private static void waitForMap(Browser browser) {
        try {
            browser.waitUntil(READY, "the map, its panels and the first layers", x -> Boolean.TRUE.equals(browser.js(
                    "return (window.aimReady === true && window.aimHotspots?.ready === true && window.aimAssets?.ready === true)"
                            + " || window.aimError != null;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the map did not become ready: " + browser.console().stream().map(LogEntry::getMessage).toList(), e);
        }
        assertEquals(null, browser.js("return window.aimError ?? null;"), "window.aimError");
    }

    private static void waitForIncidents(Browser browser) {
        browser.waitUntil(READY, "incidents loaded", x -> Boolean.TRUE.equals(browser.js("return window.aimIncidents.ready === true;")) ? true : null);
    }

    /** The titles of the overlays ticked in the layer control (it follows the map). */
    @SuppressWarnings("unchecked")
    private static Set<String> overlaysOn(Browser browser) {
        return new TreeSet<>((List<String>) browser.js("""
                return [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
                  .filter((l) => l.querySelector('input').checked).map((l) => l.textContent.trim());"""));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> legendKeys(Browser browser) {
        return new TreeSet<>((List<String>) browser.js(
                "return [...document.querySelectorAll('#hotspot-legend section[data-legend]')].map((s) => s.dataset.legend);"));
    }

    private static Set<String> keysOf(Set<String> titles) {
        return titles.stream().map(KEYS::get).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Each layer on the map has its legend section, with items, and no layer off the map has one. */
    private static void assertLegendMatches(Browser browser, Set<String> on) {
        browser.waitUntil(SHORT, "a legend section per layer on the map " + on + " (shown: " + legendKeys(browser) + ")",
                x -> legendKeys(browser).equals(keysOf(on)) ? true : null);
        for (String key : keysOf(on)) {
            Number items = (Number) browser.js("return document.querySelectorAll(`#hotspot-legend section[data-legend='${arguments[0]}'] li`).length;", key);
            assertTrue(items.intValue() > 0, "the legend explains " + key);
        }
    }

    private static void toggleOverlay(Browser browser, String name) {
        assertEquals(Boolean.TRUE, browser.js("""
                const input = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
                  .find((l) => l.textContent.trim() === arguments[0])?.querySelector('input');
                input?.click();
                return Boolean(input);""", name), "the layer control has " + name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> requests(Browser browser, String prefix) {
        return ((List<String>) browser.js("return window.aimRequests;")).stream().filter(u -> u.startsWith(prefix)).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> requestsSince(Browser browser, int since) {
        List<String> all = (List<String>) browser.js("return window.aimRequests;");
        return all.subList(Math.min(since, all.size()), all.size());
    }

    private static void assertNoConsoleErrors(Browser browser) {
        List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !(m.contains("/api/login") && m.contains("401")))
                .toList();
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }
}
