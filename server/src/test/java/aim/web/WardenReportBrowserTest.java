package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.NetworkGate;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The warden's offline report, end to end (the acceptance test): a phone-sized headless
 * Chromium signs in as a warden through /login/, opens /report/ with a GPS fix inside the demo
 * borough, waits for the service worker, loses the network, reloads the page (served by the service
 * worker), records a fly-tipping report with a photo, and sees it wait; the database has nothing.
 * The network comes back: the report is sent by itself, exactly once, with its photo. An analyst
 * (a second, desktop browser) then finds it on the map's incidents layer.
 *
 * <p>The network is cut twice over. DevTools' offline emulation (Network.emulateNetworkConditions) gives
 * the page what it sees of a lost signal ({@code navigator.onLine}, the online event). But it is set per
 * target, so after a reload the service worker could still reach the server (a run once saw the queued
 * report arrive while "offline"): the phone therefore reaches the server through a {@link NetworkGate},
 * cut at the same moment, so nothing it sends (page or service worker) arrives while offline. The
 * service worker's own fetches from its cache need no network at all.
 */
@Tag("browser")
class WardenReportBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    /** The page retries on the online event, else every 20 s: allow for two rounds. */
    private static final Duration SENT = Duration.ofSeconds(50);
    private static final String WARDEN = "warden.wendy";
    private static final String ANALYST = "analyst.alan";

    @Fresh static TestServer server;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        server.userToken(WARDEN, Role.WARDEN);
        server.userToken(ANALYST, Role.ANALYST);
    }

    @Test
    void aReportMadeWithoutSignalIsSentOnceWhenTheSignalReturnsAndTheAnalystSeesIt(@TempDir Path files) throws Exception {
        double[] gps = interiorPointOfADemoWard();
        Path photo = files.resolve("fly-tip.jpg");
        writeJpeg(photo);
        long reportId;

        try (Browser phone = Browser.phone(360, 640); NetworkGate signal = new NetworkGate(URI.create(server.url("/")).getPort())) {
            var d = phone.driver;
            phone.geolocation(signal.origin(), gps[1], gps[0], 10); // before the page asks for it

            // signed out, the report page sends the warden to log in, and back afterwards
            d.get(signal.url("/report/"));
            phone.waitUntil(SHORT, "redirected to the log-in page", x -> {
                URI at = URI.create(x.getCurrentUrl());
                return at.getPath().equals("/login/") && "next=%2Freport%2F".equals(at.getRawQuery()) ? true : null;
            });
            phone.logIn(signal.origin(), WARDEN, TestServer.PASSWORD, "/report/");
            waitForReportPage(phone);
            assertEquals(List.of(360L, 640L), phone.js("return [window.innerWidth, window.innerHeight];"), "phone viewport");

            // the service worker is installed, active and controls the page; the shell is cached
            phone.waitUntil(READY, "an active service worker controlling the page", x -> Boolean.TRUE.equals(phone.js(
                    "return !!(navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === 'activated');"))
                    ? true : null);
            Object cached = phone.jsAsync("""
                    const done = arguments[arguments.length - 1];
                    caches.keys().then(async (names) => {
                      const found = [];
                      for (const name of names) {
                        const cache = await caches.open(name);
                        for (const r of await cache.keys()) found.push(new URL(r.url).pathname);
                      }
                      done(found.sort());
                    }).catch((e) => done('error: ' + e));""");
            // of the API, only the map settings and boundaries (public, kept for the pin map offline)
            assertTrue(cached instanceof List<?> list && list.contains("/report/")
                    && list.stream().map(String::valueOf).anyMatch(p -> p.matches("/report/report-[A-Z0-9]{8}\\.js"))
                    && list.stream().map(String::valueOf).filter(p -> p.startsWith("/api"))
                            .allMatch(p -> p.equals("/api/config") || p.equals("/api/boundaries") || p.equals("/api/boundaries/versions")),
                    "the shell is cached, of the API only the map settings and boundaries: " + cached);

            // GPS: the page has the fix we gave it
            phone.waitUntil(SHORT, "the GPS fix on the report page", x -> phone.js("return window.aimReport.location();"));
            @SuppressWarnings("unchecked")
            Map<String, Object> location = (Map<String, Object>) phone.js("return window.aimReport.location();");
            assertEquals("gps", location.get("source"), "location from GPS: " + location);
            assertEquals(gps[1], ((Number) location.get("lat")).doubleValue(), 1e-6, "latitude: " + location);
            assertEquals(10.0, ((Number) location.get("accuracyM")).doubleValue(), 1e-6, "accuracy: " + location);

            // --- no signal ---
            signal.cut(true);
            phone.offline(true);
            phone.waitUntil(SHORT, "navigator.onLine false", x -> Boolean.FALSE.equals(phone.js("return navigator.onLine;")) ? true : null);
            Object apiOffline = phone.jsAsync("""
                    const done = arguments[arguments.length - 1];
                    fetch('/api/health', {cache: 'no-store'}).then((r) => done('answered ' + r.status), (e) => done('failed'));""");
            assertEquals("failed", apiOffline, "while offline, the page's API requests (passed through the service worker) fail");

            // the page opens without signal: the service worker serves the shell
            d.navigate().refresh();
            waitForReportPage(phone);
            assertTrue(d.findElement(By.cssSelector("button[data-category='fly-tipping']")).isDisplayed(),
                    "categories shown offline (kept by the page from the last visit)");
            assertEquals(Boolean.TRUE, phone.js("return !!navigator.serviceWorker.controller;"), "the reloaded page is controlled by the worker");
            assertEquals(0.0, ((Number) phone.js(
                    "return performance.getEntriesByType('navigation')[0].transferSize;")).doubleValue(), "the page came from no network transfer");
            phone.waitUntil(SHORT, "the GPS fix after the offline reload", x -> phone.js("return window.aimReport.location();"));

            // record a fly-tipping report with a photo
            d.findElement(By.cssSelector("button[data-category='fly-tipping']")).click();
            assertEquals("true", d.findElement(By.cssSelector("button[data-category='fly-tipping']")).getAttribute("aria-pressed"));
            assertTrue(d.findElement(By.id("fly-details")).isDisplayed(), "fly-tipping details shown for fly-tipping");
            new Select(d.findElement(By.id("fly-size"))).selectByValue("car-boot");
            new Select(d.findElement(By.id("fly-waste"))).selectByValue("household");
            d.findElement(By.id("description")).sendKeys("Black bags and a mattress behind the shops");
            d.findElement(By.id("location-text")).sendKeys("Rear of the parade");
            d.findElement(By.id("photo-input")).sendKeys(photo.toAbsolutePath().toString());
            phone.waitUntil(SHORT, "the photo preview", x -> x.findElements(By.cssSelector("#photo-previews img")).size() == 1 ? true : null);
            d.findElement(By.id("send-report")).click();

            phone.waitUntil(SHORT, "1 waiting to send", x -> "1".equals(x.findElement(By.id("queue-count")).getAttribute("data-count")) ? true : null);
            assertTrue(d.findElement(By.id("queue-count")).getText().contains("1 waiting to send"), d.findElement(By.id("queue-count")).getText());
            assertEquals(1, d.findElements(By.cssSelector("#my-reports li[data-state='waiting']")).size(), "listed as waiting");
            assertEquals(0, wardenIncidents(), "nothing reached the server while offline");
            assertEquals("false", d.findElement(By.cssSelector("button[data-category='fly-tipping']")).getAttribute("aria-pressed"),
                    "the form is cleared for the next report");

            // still queued after reloading without signal (IndexedDB), still nothing on the server
            d.navigate().refresh();
            waitForReportPage(phone);
            phone.waitUntil(SHORT, "still 1 waiting after the reload", x -> "1".equals(x.findElement(By.id("queue-count")).getAttribute("data-count")) ? true : null);
            assertEquals(0, wardenIncidents(), "still nothing on the server");

            // --- signal again: sent by itself, once ---
            signal.cut(false);
            phone.offline(false);
            try {
                phone.waitUntil(SENT, "0 waiting to send", x -> "0".equals(x.findElement(By.id("queue-count")).getAttribute("data-count")) ? true : null);
            } catch (TimeoutException e) {
                fail("the queued report was not sent after the network came back: " + d.findElement(By.id("queue-count")).getText()
                        + "; list: " + d.findElement(By.id("my-reports")).getText() + "; console: " + consoleText(phone), e);
            }
            assertEquals(1, wardenIncidents(), "exactly one warden incident");
            reportId = single("SELECT id FROM incident WHERE source = 'warden'");
            assertEquals(1, single("SELECT count(*) FROM incident_photo WHERE incident_id = " + reportId), "its one photo");
            assertEquals(1, single("SELECT count(*) FROM incident_photo"), "one photo in all");
            assertEquals(1, single("SELECT count(*) FROM idempotency_key"), "one idempotency key");
            Map<String, Object> row = row("""
                    SELECT i.category, i.fly_size, i.fly_waste_type, i.description, i.location_text, i.location_precision,
                           i.accuracy_m, u.username,
                           ST_Distance(i.geom, ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700)) AS metres_off
                    FROM incident i JOIN app_user u ON u.id = i.recorded_by WHERE i.id = ?""", gps[0], gps[1], reportId);
            assertEquals("fly-tipping", row.get("category"), row.toString());
            assertEquals("car-boot", row.get("fly_size"), row.toString());
            assertEquals("household", row.get("fly_waste_type"), row.toString());
            assertEquals("Black bags and a mattress behind the shops", row.get("description"), row.toString());
            assertEquals("Rear of the parade", row.get("location_text"), row.toString());
            assertEquals(WARDEN, row.get("username"), "recorded by the warden: " + row);
            assertEquals(10.0, ((Number) row.get("accuracy_m")).doubleValue(), 1e-6, row.toString());
            assertTrue(((Number) row.get("metres_off")).doubleValue() < 1, "stored at the GPS position: " + row);

            phone.waitUntil(SHORT, "the report listed as sent (from /api/reports/mine)",
                    x -> x.findElements(By.cssSelector("#my-reports li[data-state='sent'][data-report-id='" + reportId + "']")).size() == 1 ? true : null);
            assertTrue(d.findElements(By.cssSelector("#my-reports li[data-state='waiting']")).isEmpty(), "nothing waiting in the list");

            // a later retry round sends nothing more
            phone.jsAsync("const done = arguments[arguments.length - 1]; window.aimReport.flush().then(() => done(true));");
            assertEquals(1, wardenIncidents(), "still exactly one warden incident after another send round");
            assertNoScriptErrors(phone);
        }

        // --- the analyst's map shows it ---
        try (Browser desktop = Browser.desktop(1280, 800)) {
            logIn(desktop, ANALYST, "/?layers=incidents,wards,neighbourhoods&from="
                    + java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).minusDays(90) + "&to=" + java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")));
            // (a link: an analyst's first view has no incidents and its period is the last complete quarter; these are recent)
            desktop.waitUntil(READY, "the map and its incidents loaded", x -> Boolean.TRUE.equals(desktop.js(
                    "return window.aimReady === true && !!window.aimIncidents && window.aimIncidents.ready === true;")) ? true : null);
            assertNull(desktop.js("return window.aimError ?? null;"), "map error");
            // the incidents' vector tiles hold points from zoom 14: close in over the report, it is one of them
            desktop.js("window.aimMap.setView([arguments[0], arguments[1]], 18, {animate: false});", gps[1], gps[0]);
            desktop.waitUntil(SHORT, "the new report " + reportId + " on the map", x -> {
                @SuppressWarnings("unchecked")
                List<Number> ids = (List<Number>) desktop.js("return window.aimIncidents.ids();");
                return ids.stream().anyMatch(id -> id.longValue() == reportId) ? true : null;
            });
            String userText = desktop.driver.findElement(By.id("aim-user")).getText();
            assertTrue(userText.contains(ANALYST) && userText.contains("analyst"), "who is signed in: " + userText);

            // its marker, unclustered at a close zoom, opens a popup naming the category; the open legend (with the
            // neighbourhoods' key) reaches the centre of this 558 px map, so it is folded as a user would
            desktop.js("document.querySelector('details.aim-legend').open = false;");
            desktop.js("window.aimMap.setView([arguments[0], arguments[1]], 18, {animate: false});", gps[1], gps[0]);
            WebElement marker = desktop.waitUntil(SHORT, "the marker of report " + reportId, x -> {
                var found = x.findElements(By.cssSelector(".aim-incident[data-incident-id='" + reportId + "']"));
                return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
            });
            assertTrue(marker.getAttribute("class").contains("aim-incident-fly-tipping"), marker.getAttribute("class"));
            Map<String, Number> at = desktop.settledCentre(marker);
            desktop.clickAt(at.get("x").intValue(), at.get("y").intValue());
            desktop.waitUntil(SHORT, "the incident popup", x -> Boolean.TRUE.equals(desktop.js(
                    "const e = document.querySelector('.leaflet-popup .incident-category'); return !!e && e.offsetParent !== null;")) ? true : null);
            // the tile's few fields first, then the incident's details from GET /api/incidents/{id}
            String popup = desktop.waitUntil(SHORT, "the report's details in the popup", x -> {
                String text = (String) desktop.js("return document.querySelector('.leaflet-popup-content')?.innerText ?? '';");
                return text.contains("Black bags and a mattress") ? text : null;
            });
            assertEquals("Fly-tipping", desktop.driver.findElement(By.cssSelector(".leaflet-popup .incident-category")).getText());
            assertTrue(popup.contains("Car boot or less") && popup.contains("Household"), "fly-tipping details: " + popup);
            assertTrue(popup.contains("Black bags and a mattress"), "the analyst sees the description: " + popup);
            assertNoScriptErrors(desktop);
        }
    }

    // --- helpers ---

    private static String origin() {
        URI uri = URI.create(server.url("/"));
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static void logIn(Browser browser, String username, String next) {
        browser.logIn(origin(), username, TestServer.PASSWORD, next);
    }

    private static void waitForReportPage(Browser browser) {
        try {
            browser.waitUntil(READY, "window.aimReport.ready", x -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimReport && window.aimReport.ready === true;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the report page did not start; url " + browser.driver.getCurrentUrl() + "; page: "
                    + browser.driver.findElement(By.tagName("body")).getText() + "; console: " + consoleText(browser), e);
        }
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

    private static void writeJpeg(Path file) throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(0x9c755f));
        g.fillRect(0, 0, 64, 48);
        g.setColor(Color.BLACK);
        g.fillOval(16, 12, 32, 24);
        g.dispose();
        assertTrue(ImageIO.write(image, "jpg", file.toFile()), "a JPEG writer");
    }

    private static long wardenIncidents() throws SQLException {
        return single("SELECT count(*) FROM incident WHERE source = 'warden'");
    }

    private static long single(String sql) throws SQLException {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private static Map<String, Object> row(String sql, Object... args) throws SQLException {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                var meta = rs.getMetaData();
                var row = new java.util.LinkedHashMap<String, Object>();
                for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i), rs.getObject(i));
                assertFalse(rs.next(), "one row: " + sql);
                return row;
            }
        }
    }

    /**
     * No uncaught script error. (Failed requests while offline are logged by Chromium as console errors
     * too; they are expected here, so only script errors count.)
     */
    static void assertNoScriptErrors(Browser browser) {
        List<String> errors = browser.console().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Uncaught") || m.contains("TypeError") || m.contains("ReferenceError"))
                .toList();
        assertTrue(errors.isEmpty(), "script errors in the browser console: " + errors);
    }

    static String consoleText(Browser browser) {
        return browser.console().stream().map(e -> e.getLevel() + " " + e.getMessage()).collect(Collectors.joining(" | "));
    }
}
