package aim.web;

import aim.accounts.Role;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A large ward set in headless Chromium (a national one has 7,600 wards): 600 square wards of 1 km (30 × 20,
 * EPSG:27700 from (440000, 505000)), more than the map's LARGE_SET (layers/boundary-tiles.js), so the
 * analyst's map draws them from the ward vector tiles: it never asks for their GeoJSON, asks each tile of the
 * fitted view once (none before the fit), fits the map to the set from its TileJSON, and a click on a ward
 * shows its name and opens its profile (the view link names it).
 */
@Tag("browser")
class LargeWardSetBrowserTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final String ANALYST = "analyst.large";
    private static final int COLUMNS = 30, ROWS = 20, SIDE = 1000, X0 = 440000, Y0 = 505000;

    @Fresh static TestServer server;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        StringBuilder features = new StringBuilder();
        for (int c = 0; c < COLUMNS; c++) {
            for (int r = 0; r < ROWS; r++) {
                int x = X0 + c * SIDE, y = Y0 + r * SIDE;
                if (!features.isEmpty()) features.append(",\n");
                features.append("""
                        {"type": "Feature", "properties": {"code": "W%02d%02d", "name": "Ward %d-%d"}, "geometry": {"type": "Polygon",
                         "coordinates": [[[%d, %d], [%d, %d], [%d, %d], [%d, %d], [%d, %d]]]}}""".formatted(c, r, c, r,
                        x, y, x + SIDE, y, x + SIDE, y + SIDE, x, y + SIDE, x, y));
            }
        }
        Path wards = work.resolve("wards.json");
        Files.writeString(wards, """
                {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
                 "features": [%s]}""".formatted(features));
        new BoundaryImporter(server.dataSource).importFile(wards, new BoundaryImportOptions(BoundaryLevel.WARD, "large",
                LocalDate.of(2024, 1, 1), null, "code", "name", null, false, false, null));
        server.userToken(ANALYST, Role.ANALYST);
    }

    @Test
    void aLargeWardSetIsDrawnFromTilesFetchedOnceAndAWardCanBeClicked() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            try {
                browser.waitUntil(READY, "the map", x -> Boolean.TRUE.equals(browser.js(
                        "return window.aimReady === true || window.aimError != null;")) ? true : null);
            } catch (TimeoutException e) {
                fail("the map did not become ready; console: " + console(browser), e);
            }
            assertNull(browser.js("return window.aimError ?? null;"), "window.aimError");
            // the tiles of the fitted view are drawn
            browser.waitUntil(SHORT, "ward tiles drawn", x -> x.findElements(By.cssSelector("canvas.aim-boundary-tile")).size() > 0 ? true : null);
            int zoom = ((Number) browser.js("return window.aimMap.getZoom();")).intValue();
            // fitted to the set (from its TileJSON): the view holds the 30 km × 20 km of wards
            assertTrue(zoom >= 9 && zoom <= 12, "fitted zoom " + zoom);
            assertEquals(1, requests(browser, "/tiles/wards.json").size(), "the TileJSON once");
            assertTrue(requests(browser, "/api/boundaries?").stream().noneMatch(u -> u.contains("level=ward")),
                    "no ward GeoJSON: " + requests(browser, "/api/boundaries?"));
            List<String> tiles = requests(browser, "/tiles/wards/");
            assertTrue(!tiles.isEmpty(), "ward tiles asked for");
            assertTrue(tiles.stream().allMatch(u -> u.matches("/tiles/wards/" + zoom + "/\\d+/\\d+\\.mvt(\\?version=large)?")), "only the fitted zoom's tiles: " + tiles);
            assertEquals(tiles.size(), new HashSet<>(tiles).size(), "each tile once: " + tiles);

            // a click on ward (12, 7): its name, and its profile (the view link names the ward)
            double[] lonLat = lonLat(X0 + 12 * SIDE + SIDE / 2.0, Y0 + 7 * SIDE + SIDE / 2.0);
            // the click finds the ward in its tile's features: clicked again until that tile has been drawn (the wait
            // above is for the first tile of the view, not this one)
            String name = browser.waitUntil(SHORT, "the ward's popup", x -> {
                var found = x.findElements(By.cssSelector(".leaflet-popup .ward-name"));
                if (!found.isEmpty()) return found.get(0).getText();
                browser.js("window.aimMap.fire('click', {latlng: {lat: arguments[0], lng: arguments[1]}});", lonLat[1], lonLat[0]);
                return null;
            });
            assertEquals("Ward 12-7", name);
            browser.waitUntil(SHORT, "the ward in the view link", x -> String.valueOf(browser.js("return window.location.search;"))
                    .contains("ward=W1207") ? true : null);

            // zooming in asks the next zoom's tiles, still no GeoJSON
            browser.js("window.aimMap.setView([arguments[0], arguments[1]], arguments[2], {animate: false});", lonLat[1], lonLat[0], zoom + 2);
            browser.waitUntil(SHORT, "tiles at the next zoom", x -> requests(browser, "/tiles/wards/" + (zoom + 2) + "/").isEmpty() ? null : true);
            assertTrue(requests(browser, "/api/boundaries?").stream().noneMatch(u -> u.contains("level=ward")));
            List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage).toList();
            assertTrue(errors.isEmpty(), "browser console errors: " + errors);
            assertTrue(d.findElements(By.cssSelector("path.aim-ward")).isEmpty(), "no GeoJSON ward paths");
        }
    }

    /** WGS84 {lon, lat} of a British National Grid point. */
    private static double[] lonLat(double x, double y) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(" + x + ", " + y
                     + "), 27700), 4326) AS p) q")) {
            rs.next();
            return new double[]{rs.getDouble(1), rs.getDouble(2)};
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> requests(Browser browser, String prefix) {
        List<String> all = (List<String>) browser.js("return window.aimRequests;");
        return all.stream().filter(u -> u.startsWith(prefix)).toList();
    }

    private static String console(Browser browser) {
        return String.join("\n", browser.console().stream().map(LogEntry::getMessage).toList());
    }
}
