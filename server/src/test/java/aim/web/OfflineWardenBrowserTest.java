package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Screenshots;
import aim.testing.TestServer;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The warden without signal (issue 14 items 7 and 8), in a phone-sized headless Chromium.
 *
 * <p>Offline: a local tile server (the JDK's HTTP server on another origin, with CORS, answering
 * {@code no-store} so that the browser's HTTP cache cannot stand in for the service worker's) stands
 * for OpenStreetMap. The warden opens /report/ and / once with signal; then the network is cut (DevTools'
 * offline emulation) and the tile server stopped. Reloading / and /report/ shows each page from the
 * service worker with "Offline" in the header, the ward outlines and the tiles viewed before; the AIM
 * header link opens the cached map page, not the browser's offline page. The tile cache stays within its
 * 50 MB bound (its eviction is unit-tested in web-map/test/tiles.test.js).
 *
 * <p>The form: where comes first; errors shown at Send go as each field is fixed; after Send the page is
 * back at the top with the report's reference and a "New report" button.
 */
@Tag("browser")
class OfflineWardenBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String WARDEN = "warden.olly";

    static HttpServer tileServer;
    static final AtomicInteger tileRequests = new AtomicInteger();
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        byte[] png = tilePng();
        tileServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tileServer.createContext("/", exchange -> {
            tileRequests.incrementAndGet();
            boolean tile = exchange.getRequestURI().getPath().matches("/\\d+/\\d+/\\d+\\.png");
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(tile ? 200 : 404, tile ? png.length : -1);
            if (tile) exchange.getResponseBody().write(png);
            exchange.close();
        });
        tileServer.start();
        String tiles = "http://127.0.0.1:" + tileServer.getAddress().getPort() + "/{z}/{x}/{y}.png";
        server = TestServer.configured(Map.of("AIM_TILE_URL", tiles, "AIM_TILE_ATTRIBUTION", "Test tiles"));
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        server.userToken(WARDEN, Role.WARDEN);
    }

    @AfterAll
    static void stop() {
        if (tileServer != null) tileServer.stop(0);
        if (server != null) server.close();
    }

    @Test
    void afterOneVisitWithSignalBothPagesOpenOfflineWithTheirTilesAndWards() throws Exception {
        double[] gps = interiorPointOfADemoWard();
        try (Browser phone = Browser.phone(390, 844)) {
            var d = phone.driver;
            phone.geolocation(origin(), gps[1], gps[0], 10);
            phone.logIn(origin(), WARDEN, TestServer.PASSWORD, "/report/");
            waitForReportPage(phone);
            phone.waitUntil(READY, "an active service worker controlling the page", x -> Boolean.TRUE.equals(phone.js(
                    "return !!(navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === 'activated');")) ? true : null);
            assertFalse(d.findElement(By.id("aim-offline")).isDisplayed(), "online: no Offline sign");
            phone.waitUntil(SHORT, "the GPS fix", x -> phone.js("return window.aimReport.location();"));
            waitForTilesAndWards(phone, "#report-map", ".aim-report-ward", "the pin map online");
            Screenshots.save(phone, "warden-phone"); // the README's picture of the warden's report page
            // the first visit loaded before the worker took control: what it showed is asked for again through it
            phone.waitUntil(SHORT, "the pin map's tiles kept", x -> ((Number) phone.jsAsync("""
                    const done = arguments[arguments.length - 1];
                    caches.open('aim-tiles').then((c) => c.keys()).then((k) => done(k.length), () => done(0));""")).intValue() > 0 ? true : null);

            // the map page once with signal (a warden's first view is the incidents alone: the link adds the wards)
            d.get(server.url("/?layers=incidents,wards"));
            waitForMap(phone);
            waitForTilesAndWards(phone, "#map", ".leaflet-aim-ward-pane path", "the map page online");
            int viewed = tileRequests.get();
            assertTrue(viewed > 0, "tiles came from the tile server");

            @SuppressWarnings("unchecked")
            Map<String, Number> usage = (Map<String, Number>) phone.jsAsync("""
                    const done = arguments[arguments.length - 1];
                    caches.open('aim-tiles').then(async (cache) => {
                      let bytes = 0, tiles = 0;
                      for (const request of await cache.keys()) {
                        const response = await cache.match(request);
                        bytes += Number(response.headers.get('x-aim-bytes'));
                        tiles += 1;
                      }
                      done({tiles, bytes});
                    }).catch((e) => done({error: String(e)}));""");
            assertTrue(usage.get("tiles").intValue() > 0, "viewed tiles kept: " + usage);
            assertTrue(usage.get("tiles").intValue() <= viewed, "only tiles actually asked for (no prefetch): " + usage + " of " + viewed);
            assertTrue(usage.get("bytes").longValue() <= 50L * 1024 * 1024, "within the 50 MB bound: " + usage);

            // --- no signal, and the tile server gone ---
            phone.offline(true);
            tileServer.stop(0);
            tileServer = null;
            d.navigate().refresh();
            waitForMap(phone);
            phone.waitUntil(SHORT, "Offline in the map page's header", x -> x.findElement(By.id("aim-offline")).isDisplayed() ? true : null);
            waitForTilesAndWards(phone, "#map", ".leaflet-aim-ward-pane path", "the map page offline");
            assertEquals(0.0, ((Number) phone.js("return performance.getEntriesByType('navigation')[0].transferSize;")).doubleValue(),
                    "the map page came from the worker, not the network");
            String attribution = d.findElement(By.cssSelector("#map .leaflet-control-attribution")).getText();
            assertTrue(attribution.contains("Test tiles"), "the tiles keep their attribution offline: " + attribution);

            d.get(server.url("/report/"));
            waitForReportPage(phone);
            phone.waitUntil(SHORT, "Offline in the report page's header", x -> x.findElement(By.id("aim-offline")).isDisplayed() ? true : null);
            phone.waitUntil(SHORT, "the GPS fix offline", x -> phone.js("return window.aimReport.location();"));
            waitForTilesAndWards(phone, "#report-map", ".aim-report-ward", "the pin map offline");

            // the AIM link in the header opens the cached map page, not the browser's offline page
            d.findElement(By.cssSelector(".aim-header h1 a")).click();
            phone.waitUntil(SHORT, "at /", x -> URI.create(x.getCurrentUrl()).getPath().equals("/") ? true : null);
            waitForMap(phone);
            assertTrue(d.findElement(By.id("aim-offline")).isDisplayed(), "still says Offline");
            assertEquals(1, d.findElements(By.id("map")).size(), "the map page's shell");
        }
    }

    @Test
    void theFormAsksWhereFirstClearsEachErrorWhenFixedAndShowsTheReferenceAtTheTop() throws Exception {
        double[] at = interiorPointOfADemoWard();
        try (Browser phone = Browser.phone(390, 844)) {
            var d = phone.driver;
            phone.logIn(origin(), WARDEN, TestServer.PASSWORD, "/report/"); // no GPS permission: the pin is tapped
            waitForReportPage(phone);
            assertEquals(Boolean.TRUE, phone.js("""
                    const where = document.getElementById('where-heading'), what = document.getElementById('what-heading');
                    return !!(where.compareDocumentPosition(what) & Node.DOCUMENT_POSITION_FOLLOWING);"""), "where comes before what");

            send(phone);
            assertEquals(List.of("location", "category"), shownErrors(phone), "both missing at Send");
            d.findElement(By.cssSelector("button[data-category='fly-tipping']")).click();
            assertEquals(List.of("location"), shownErrors(phone), "the category error goes when a category is chosen");

            // tap the pin map inside a demo ward
            phone.js("window.aimReport.map.setView([arguments[0], arguments[1]], 17, {animate: false});"
                    + " document.getElementById('report-map').scrollIntoView({block: 'center'});", at[1], at[0]);
            WebElement map = d.findElement(By.id("report-map"));
            Map<String, Number> centre = phone.settledCentre(map);
            phone.clickAt(centre.get("x").intValue(), centre.get("y").intValue());
            phone.waitUntil(SHORT, "the pin placed", x -> phone.js("return window.aimReport.location();"));
            assertEquals(List.of(), shownErrors(phone), "the location error goes when the pin is placed");

            send(phone);
            assertEquals(List.of("flySize", "flyWasteType"), shownErrors(phone), "the fly-tipping details are missing");
            new Select(d.findElement(By.id("fly-size"))).selectByValue("car-boot");
            assertEquals(List.of("flyWasteType"), shownErrors(phone), "the size error goes when a size is chosen");
            new Select(d.findElement(By.id("fly-waste"))).selectByValue("household");
            assertEquals(List.of(), shownErrors(phone), "every error gone");

            send(phone);
            WebElement done = phone.waitUntil(SHORT, "the report sent", x -> {
                WebElement box = x.findElement(By.id("report-done"));
                return box.isDisplayed() && "sent".equals(box.getAttribute("data-state")) ? box : null;
            });
            long id = single("SELECT max(id) FROM incident WHERE source = 'warden'");
            assertEquals("Report " + id, d.findElement(By.id("report-reference")).getText(), "the report's reference");
            assertEquals(0L, ((Number) phone.js("return Math.round(window.scrollY);")).longValue(), "back at the top");
            @SuppressWarnings("unchecked")
            Map<String, Number> box = (Map<String, Number>) phone.js("""
                    const r = document.getElementById('new-report').getBoundingClientRect();
                    return {top: r.top, bottom: r.bottom, height: window.innerHeight};""");
            assertTrue(box.get("top").doubleValue() >= 0 && box.get("bottom").doubleValue() <= box.get("height").doubleValue(),
                    "New report is on screen without scrolling: " + box);
            assertFalse(d.findElement(By.id("report-form")).isDisplayed(), "the form gives way to the reference");
            assertTrue(done.getText().contains("Sent"), done.getText());

            d.findElement(By.id("new-report")).click();
            assertTrue(d.findElement(By.id("report-form")).isDisplayed(), "a new, empty form");
            assertFalse(d.findElement(By.id("report-done")).isDisplayed());
            assertEquals(0, d.findElements(By.cssSelector(".aim-category[aria-pressed='true']")).size(), "no category chosen");
            assertEquals(List.of(), shownErrors(phone));
        }
    }

    // --- helpers ---

    private static void send(Browser phone) {
        WebElement button = phone.driver.findElement(By.id("send-report"));
        phone.js("arguments[0].scrollIntoView({block: 'center'});", button);
        button.click();
    }

    /** The fields whose error is shown, in page order. */
    @SuppressWarnings("unchecked")
    private static List<String> shownErrors(Browser phone) {
        return (List<String>) phone.js("""
                return [...document.querySelectorAll('.aim-field-error')].filter((e) => !e.hidden && e.textContent).map((e) => e.dataset.field);""");
    }

    private static void waitForTilesAndWards(Browser browser, String map, String wards, String what) {
        try {
            browser.waitUntil(READY, "tiles and ward outlines on " + what, x -> Boolean.TRUE.equals(browser.js("""
                    const tiles = [...document.querySelectorAll(arguments[0] + ' img.leaflet-tile')]
                      .filter((img) => img.complete && img.naturalWidth > 0 && img.style.visibility !== 'hidden');
                    return tiles.length > 0 && document.querySelectorAll(arguments[0] + ' ' + arguments[1]).length > 0;""", map, wards))
                    ? true : null);
        } catch (TimeoutException e) {
            fail(what + ": tiles " + browser.js("return document.querySelectorAll(arguments[0] + ' img.leaflet-tile').length;", map)
                    + ", loaded " + browser.js("return [...document.querySelectorAll(arguments[0] + ' img.leaflet-tile')]"
                    + ".filter((i) => i.complete && i.naturalWidth > 0).length;", map)
                    + ", wards " + browser.js("return document.querySelectorAll(arguments[0] + ' ' + arguments[1]).length;", map, wards)
                    + "; page: " + browser.driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    private static void waitForMap(Browser browser) {
        try {
            browser.waitUntil(READY, "the map page ready", x -> Boolean.TRUE.equals(browser.js("return window.aimReady === true;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the map page did not start: " + browser.js("return window.aimError ?? null;") + "; page: "
                    + browser.driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    private static void waitForReportPage(Browser browser) {
        try {
            browser.waitUntil(READY, "window.aimReport.ready", x -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimReport && window.aimReport.ready === true;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the report page did not start; url " + browser.driver.getCurrentUrl() + "; page: "
                    + browser.driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    private static String origin() {
        URI uri = URI.create(server.url("/"));
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    /** [lon, lat] of a point inside a demo ward (PostGIS ST_PointOnSurface, WGS84). */
    private static double[] interiorPointOfADemoWard() throws SQLException {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT ST_X(p), ST_Y(p) FROM (
                    SELECT ST_Transform(ST_PointOnSurface(b.geom), 4326) AS p
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.level = 'ward' AND s.version = ? ORDER BY ST_Area(b.geom) DESC, b.code LIMIT 1) x""")) {
            ps.setString(1, DemoLoader.VERSION);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a demo ward");
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    private static long single(String sql) throws SQLException {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    /** A 256 × 256 PNG tile. */
    private static byte[] tilePng() throws Exception {
        BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(0xe9e6df));
        g.fillRect(0, 0, 256, 256);
        g.setColor(new Color(0x9c9c9c));
        g.drawRect(0, 0, 255, 255);
        g.dispose();
        var out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", out), "a PNG writer");
        return out.toByteArray();
    }
}
