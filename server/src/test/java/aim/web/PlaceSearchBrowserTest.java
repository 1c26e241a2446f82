package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.hotspots.FinancialQuarter;
import aim.places.DemoGazetteer;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 14 item 11 in headless Chromium over the demo borough and the demo gazetteer, as an analyst:
 * ward names on the map at borough zoom (none zoomed far out); the neighbourhood colour key in the legend;
 * the place search zooming to a ward and to a postcode however it is typed, with the view URL following;
 * the ward profile's quarterly chart with every quarter labelled and a clipped last quarter marked
 * "(part)" with its dates; and police.uk and council anti-social behaviour as one top-category group.
 */
@Tag("browser")
class PlaceSearchBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String ANALYST = "analyst.places";

    @Fresh static TestServer server;
    static String wardCode, wardName;
    static double[] wardBox; // WGS84 minLon, minLat, maxLon, maxLat
    static double[] postcode; // WGS84 lon, lat of ZZ1 1AB
    static Set<String> wardNames = new HashSet<>();
    static List<String> neighbourhoodNames = new ArrayList<>();
    static FinancialQuarter quarter;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        assertTrue(DemoGazetteer.load(server.dataSource, DemoLoader.VERSION) > 0, "the demo gazetteer");
        server.userToken(ANALYST, Role.ANALYST);
        quarter = FinancialQuarter.of(LocalDate.now(ZoneId.of("Europe/London"))).previous();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("""
                    SELECT b.code, b.name, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    CROSS JOIN LATERAL (SELECT ST_Transform(b.geom, 4326) AS e) g
                    WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET 6 LIMIT 1""")) {
                assertTrue(rs.next());
                wardCode = rs.getString(1);
                wardName = rs.getString(2);
                wardBox = new double[]{rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)};
            }
            try (ResultSet rs = st.executeQuery("SELECT b.name FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward'")) {
                while (rs.next()) wardNames.add(rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT b.name FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'neighbourhood'""")) {
                while (rs.next()) neighbourhoodNames.add(rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(geom, 4326) p FROM gazetteer WHERE search_key = 'ZZ11AB') x""")) {
                assertTrue(rs.next(), "the demo postcode ZZ1 1AB");
                postcode = new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
            // anti-social behaviour in the ward in the last complete quarter: police.uk (month precision) and the council's noise reports
            st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, status, external_key)
                    SELECT CASE WHEN d.path[1] <= 30 THEN 'police' ELSE 'council' END,
                           CASE WHEN d.path[1] <= 30 THEN 'anti-social-behaviour' ELSE 'asb-noise' END,
                           CASE WHEN d.path[1] <= 30 THEN ('%1$s'::date)::timestamp AT TIME ZONE 'Europe/London'
                                ELSE ('%1$s'::date + (d.path[1] %% 80) + time '12:00') AT TIME ZONE 'Europe/London' END,
                           CASE WHEN d.path[1] <= 30 THEN 'month' ELSE 'day' END,
                           d.geom, CASE WHEN d.path[1] <= 30 THEN 'snapped' ELSE 'exact' END, 'open', 'places-test-' || d.path[1]
                    FROM (SELECT b.geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = 'demo' AND b.code = '%2$s') w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(w.geom, 70, 3)) d
                    """.formatted(quarter.start(), wardCode));
        }
    }

    @Test
    void labelsKeySearchAndQuarterlyChart() {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForPanel(browser);

            // ward names at borough zoom, none zoomed far out
            // read in one script (labels are redrawn as the map settles: no element references to go stale), and
            // taken once two reads in a row agree
            List<List<String>> previous = new java.util.ArrayList<>(List.of(List.of()));
            List<String> labels = browser.waitUntil(SHORT, "ward labels", x -> {
                @SuppressWarnings("unchecked")
                List<String> texts = (List<String>) browser.js(
                        "return [...document.querySelectorAll('.aim-ward-label')].map(e => e.textContent);");
                boolean settled = !texts.isEmpty() && texts.equals(previous.get(0));
                previous.set(0, texts);
                return settled ? texts : null;
            });
            assertTrue(wardNames.containsAll(labels), "every label is a ward name: " + labels);
            assertTrue(labels.size() >= wardNames.size() / 3, "most wards are named at borough zoom: " + labels.size() + " of " + wardNames.size());
            assertEquals(labels.size(), new HashSet<>(labels).size(), "each name once");
            double boroughZoom = zoom(browser);
            browser.js("window.aimMap.setZoom(9, {animate: false});");
            browser.waitUntil(SHORT, "no labels zoomed out", x -> x.findElements(By.cssSelector(".aim-ward-label")).isEmpty() ? true : null);
            browser.js("window.aimMap.setZoom(arguments[0], {animate: false});", boroughZoom);
            browser.waitUntil(SHORT, "labels again", x -> x.findElements(By.cssSelector(".aim-ward-label")).isEmpty() ? null : true);

            // the neighbourhood colour key: every neighbourhood by name, in name order, each with its swatch
            assertTrue(d.findElements(By.cssSelector("#hotspot-legend [data-legend='neighbourhoods']")).isEmpty(), "no key while they are off");
            toggleOverlay(browser, "Neighbourhoods");
            List<String> key = browser.waitUntil(SHORT, "the neighbourhood key", x -> {
                List<String> items = x.findElements(By.cssSelector("#hotspot-legend [data-legend='neighbourhoods'] .legend-label"))
                        .stream().map(e -> e.getAttribute("textContent")).toList();
                return items.size() == neighbourhoodNames.size() ? items : null;
            });
            assertEquals(neighbourhoodNames.stream().sorted().toList(), key);
            assertEquals(neighbourhoodNames.size(), d.findElements(By.cssSelector("#hotspot-legend [data-legend='neighbourhoods'] .legend-swatch")).size());

            // search a ward by name: the first result is the ward; choosing it zooms the map to it and the URL follows
            WebElement input = d.findElement(By.id("place-search-input"));
            input.sendKeys(wardName);
            WebElement first = browser.waitUntil(SHORT, "results", x -> {
                List<WebElement> results = x.findElements(By.cssSelector("#place-search-results .place-result"));
                return results.isEmpty() ? null : results.get(0);
            });
            assertEquals("ward", first.getAttribute("data-kind"));
            assertTrue(first.getText().startsWith(wardName), first.getText());
            first.click();
            browser.waitUntil(SHORT, "the map on " + wardName, x -> {
                Map<String, Number> v = view(browser);
                double lng = v.get("lng").doubleValue(), lat = v.get("lat").doubleValue();
                return lng > wardBox[0] && lng < wardBox[2] && lat > wardBox[1] && lat < wardBox[3] && v.get("zoom").doubleValue() > boroughZoom
                        ? true : null;
            });
            waitForUrl(browser);
            assertTrue(d.findElement(By.id("place-search-results")).getAttribute("hidden") != null, "the list closes");

            // a postcode typed in lower case without its space, Enter: the map centres on it at street zoom
            input.clear();
            input.sendKeys("zz11ab" + Keys.ENTER);
            browser.waitUntil(SHORT, "the map on ZZ1 1AB", x -> {
                Map<String, Number> v = view(browser);
                return Math.abs(v.get("lng").doubleValue() - postcode[0]) < 1e-4 && Math.abs(v.get("lat").doubleValue() - postcode[1]) < 1e-4
                        && v.get("zoom").doubleValue() == 17 ? true : null;
            });
            assertEquals("ZZ1 1AB", input.getAttribute("value"));
            waitForUrl(browser);

            // the ward's profile: every quarter labelled on the axis, anti-social behaviour as one group
            browser.js("window.aimMap.setZoom(arguments[0], {animate: false});", boroughZoom);
            d.findElement(By.cssSelector("#ward-ranking tr[data-code='" + wardCode + "']")).click();
            WebElement profile = waitForProfile(browser);
            @SuppressWarnings("unchecked")
            List<Object> ticks = (List<Object>) browser.js("return window.aimProfileChart.ticks();");
            String[] quarters = profile.getAttribute("data-quarters").split("\\|");
            assertEquals(8, quarters.length, "eight quarters: " + String.join(", ", quarters));
            assertEquals(quarters.length, ticks.size(), "every quarter has its axis label: " + ticks);
            assertEquals(List.of(quarter.label().split(" ")[0], quarter.label().split(" ")[1]), ticks.get(ticks.size() - 1), "the last quarter, on two lines");
            WebElement group = profile.findElement(By.cssSelector("#ward-profile-categories > li"));
            assertEquals("asb", group.getAttribute("data-group"), "the largest entry is all anti-social behaviour: " + group.getAttribute("outerHTML"));
            assertEquals("Anti-social behaviour", group.findElement(By.cssSelector(".profile-category")).getText());
            List<String> parts = group.findElements(By.cssSelector(".profile-category-parts li")).stream()
                    .map(li -> li.getAttribute("data-category")).toList();
            assertTrue(parts.containsAll(List.of("anti-social-behaviour", "asb-noise")), parts.toString());

            // a period ending inside a quarter: the last quarter is marked "(part)" and its tooltip gives the dates covered
            LocalDate to = quarter.end().minusDays(20);
            browser.js("for (const [id, v] of [['hotspot-from', arguments[0]], ['hotspot-to', arguments[1]]]) {"
                    + " const i = document.getElementById(id); i.value = v; i.dispatchEvent(new Event('change')); }",
                    quarter.start().toString(), to.toString());
            browser.waitUntil(READY, "the stats for the new period", x -> Boolean.TRUE.equals(browser.js(
                    "return window.aimHotspots.state().loading === false;")) ? true : null);
            d.findElement(By.cssSelector("#ward-ranking tr[data-code='" + wardCode + "']")).click();
            browser.waitUntil(SHORT, "a partial last quarter", x -> {
                String q = x.findElement(By.id("ward-profile")).getAttribute("data-quarters");
                return q != null && q.endsWith(quarter.label() + " (part)") ? true : null;
            });
            @SuppressWarnings("unchecked")
            List<String> titles = (List<String>) browser.js("return window.aimProfileChart.titles();");
            String last = titles.get(titles.size() - 1);
            assertTrue(last.startsWith(quarter.label() + ": part only, "), last);
            assertTrue(last.contains(String.valueOf(to.getYear())), last);
            assertFalse(((List<?>) browser.js("return window.aimProfileChart.ticks();")).isEmpty());
        }
    }

    private static void toggleOverlay(Browser browser, String name) {
        assertEquals(Boolean.TRUE, browser.js("""
                const input = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
                  .find((l) => l.textContent.trim() === arguments[0])?.querySelector('input');
                input?.click();
                return Boolean(input);""", name), "the layer control has " + name);
    }

    private static double zoom(Browser browser) {
        return ((Number) browser.js("return window.aimMap.getZoom();")).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Number> view(Browser browser) {
        return (Map<String, Number>) browser.js("const c = window.aimMap.getCenter(); return {lat: c.lat, lng: c.lng, zoom: window.aimMap.getZoom()};");
    }

    /** The URL states the map's view (view-url.js: lat, lon with 5 decimals, z). */
    private static void waitForUrl(Browser browser) {
        browser.waitUntil(SHORT, "the view URL", x -> {
            Map<String, Number> v = view(browser);
            String search = (String) browser.js("return window.location.search;");
            boolean ok = search.contains("z=" + Math.round(v.get("zoom").doubleValue()))
                    && search.contains(String.format(java.util.Locale.ROOT, "lat=%s", trim(v.get("lat").doubleValue())))
                    && search.contains(String.format(java.util.Locale.ROOT, "lon=%s", trim(v.get("lng").doubleValue())));
            return ok ? true : null;
        });
    }

    /** A number as JavaScript's Number(x.toFixed(5)) writes it. */
    private static String trim(double value) {
        return new java.math.BigDecimal(value).setScale(5, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static WebElement waitForProfile(Browser browser) {
        return browser.waitUntil(READY, "the ward profile", x -> {
            WebElement p = x.findElement(By.id("ward-profile"));
            return p.isDisplayed() && "true".equals(p.getAttribute("data-ready")) ? p : null;
        });
    }

    private static void waitForPanel(Browser browser) {
        try {
            browser.waitUntil(READY, "the map and the hotspot panel", x -> Boolean.TRUE.equals(browser.js(
                    "return (window.aimReady === true && window.aimHotspots?.ready === true) || window.aimError != null;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the panel did not become ready", e);
        }
        assertNull(browser.js("return window.aimError ?? null;"), "window.aimError");
    }
}
