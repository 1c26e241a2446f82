package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.hotspots.FinancialQuarter;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
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
 * The hotspot panel of the map in headless Chromium, against the real server and PostGIS with the
 * demo borough. Incidents are inserted with SQL: a planted cluster of 120 council "ASB: noise" reports
 * within 120 m of a point in one ward (ST_GeneratePoints with a seed), spread over the last complete
 * financial quarter, which is the panel's default period, and 200 seeded background reports over the
 * whole borough across that quarter and the one before. An analyst signs in, switches to Gi*: the
 * planted cells are hot spots at 99% confidence, drawn in the hot-spot colour and explained in the
 * legend; the planted ward heads the ranking by rate with a significant rise; its row zooms the map
 * to it and opens its profile (a chart and the top categories); a click on a hot cell lists its
 * incidents; the quarter before's map, tested on the last quarter, gives a hit rate and PAI in words. On a phone the panel starts folded and opens as a bottom sheet. For emerging hot spots a
 * second, steady cluster of {@value #STEADY} council "Environment: littering" reports in another ward is
 * spread over the last 12 complete months (the emerging window): its cells show a hot-spot pattern,
 * drawn, explained in the legend and in their popups.
 */
@Tag("browser")
class HotspotPanelBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String ANALYST = "analyst.hotspots";
    /** Gi* bin 3 ("hot spot, 99% confidence") in layers/hotspots.js */
    private static final String HOT_SPOT_COLOUR = "#b2182b";
    private static final int PLANTED = 120;
    /** the steady cluster over the last 12 complete months, 8 a month */
    private static final int STEADY = 96;

    @Fresh static TestServer server;
    static String token;
    static String wardCode;
    static String wardName;
    /** the planted ward's extent in WGS84: minLon, minLat, maxLon, maxLat */
    static double[] wardBox;
    /** the last complete financial quarter: the panel's default period */
    static FinancialQuarter quarter;
    /** the emerging window: the last 12 complete months */
    static LocalDate monthsFrom, monthsTo;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        token = server.userToken(ANALYST, Role.ANALYST);
        quarter = FinancialQuarter.of(LocalDate.now(ZoneId.of("Europe/London"))).previous();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("""
                    SELECT b.code, b.name, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    CROSS JOIN LATERAL (SELECT ST_Transform(b.geom, 4326) AS e) g
                    WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code OFFSET 4 LIMIT 1""".formatted(DemoLoader.VERSION))) {
                assertTrue(rs.next(), "a fifth demo ward");
                wardCode = rs.getString(1);
                wardName = rs.getString(2);
                wardBox = new double[]{rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)};
            }
            // the cluster: seeded random points within 120 m of a point inside the ward, one per day or so of the quarter
            int planted = st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          location_text, status, external_key)
                    SELECT 'council', 'asb-noise', ('%s'::date + (d.path[1] %% %d) + time '12:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'Cluster street ' || d.path[1], 'open', 'hotspot-test-' || d.path[1]
                    FROM (SELECT b.geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = '%s' AND b.code = '%s') w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(
                        ST_Intersection(ST_Buffer(ST_PointOnSurface(w.geom), 120), w.geom), %d, 7)) d
                    """.formatted(quarter.start(), quarter.end().toEpochDay() - quarter.start().toEpochDay() + 1,
                    DemoLoader.VERSION, wardCode, PLANTED));
            assertEquals(PLANTED, planted, "planted incidents");
            // the steady cluster: within 80 m of a point in another ward, 8 a month over the last 12 complete months
            java.time.YearMonth thisMonth = java.time.YearMonth.now(ZoneId.of("Europe/London"));
            monthsFrom = thisMonth.minusMonths(12).atDay(1);
            monthsTo = thisMonth.minusMonths(1).atEndOfMonth();
            int steady = st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          location_text, status, external_key)
                    SELECT 'council', 'env-littering',
                           ('%s'::date + (d.path[1] %% 12) * interval '1 month' + (d.path[1] %% 27) * interval '1 day'
                            + time '09:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'Steady lane ' || d.path[1], 'open', 'emerging-test-' || d.path[1]
                    FROM (SELECT b.geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = '%s' AND b.code <> '%s' ORDER BY b.code LIMIT 1) w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(
                        ST_Intersection(ST_Buffer(ST_PointOnSurface(w.geom), 80), w.geom), %d, 5)) d
                    """.formatted(monthsFrom, DemoLoader.VERSION, wardCode, STEADY));
            assertEquals(STEADY, steady, "steady incidents");
            // the background: seeded points over the borough, across the previous quarter and the last one
            st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          status, external_key)
                    SELECT 'council', (ARRAY['env-graffiti', 'env-littering', 'asb-nuisance'])[1 + d.path[1] %% 3],
                           ('%s'::date + (d.path[1] %% 180) + time '10:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'open', 'background-test-' || d.path[1]
                    FROM (SELECT ST_Union(b.geom) AS geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = '%s') w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(w.geom, 200, 11)) d
                    """.formatted(quarter.previous().start(), DemoLoader.VERSION));
        }
    }

    @Test
    void anAnalystFindsThePlantedHotspotItsWardAndItsIncidents() throws Exception {
        String period = "from=" + quarter.start() + "&to=" + quarter.end();
        JsonNode gi = api("/api/hotspots?method=gistar&cell=250&" + period);
        List<String> hotCells = cellsWithBin(gi, 3);
        assertFalse(hotCells.isEmpty(), "the server finds 99% hot spots in the planted cluster: " + gi.path("meta"));
        JsonNode stats = api("/api/areas/stats?level=ward&" + period);
        JsonNode first = stats.path("areas").get(0);
        assertEquals(wardCode, first.path("code").asText(), "the planted ward has the highest rate: " + first);

        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForPanel(browser);
            WebElement panel = d.findElement(By.id("aim-analysis"));
            assertTrue(panel.isDisplayed(), "the hotspot panel beside the map");
            assertEquals("true", d.findElement(By.id("analysis-toggle")).getAttribute("aria-expanded"), "open on a desktop");
            assertEquals("last-quarter", d.findElement(By.id("hotspot-period")).getAttribute("value"), "default period");
            assertTrue(d.findElement(By.id("aim-period")).getText().startsWith("Period: " + quarter.label()),
                    "the map's period in words: " + d.findElement(By.id("aim-period")).getText());

            // Gi*: the planted cells are hot spots at 99% confidence, drawn in the hot-spot colour
            d.findElement(By.cssSelector("input[name='hotspot-method'][value='gistar']")).click();
            waitForDrawn(browser, "gistar");
            List<WebElement> hot = d.findElements(By.cssSelector("path.aim-hotspot-bin-3"));
            assertEquals(hotCells.size(), hot.size(), "one path per 99% hot-spot cell of the server's answer");
            assertEquals(hotCells.stream().sorted().toList(),
                    hot.stream().map(p -> p.getAttribute("data-cell")).sorted().toList(), "the same cells");
            for (WebElement path : hot) {
                assertEquals(HOT_SPOT_COLOUR, path.getAttribute("fill").toLowerCase(Locale.ROOT), "hot-spot fill");
            }
            String legend = d.findElement(By.id("hotspot-legend")).getText();
            for (String words : List.of("hot spot, 99% confidence", "hot spot, 95% confidence", "not significant",
                    "cold spot, 95% confidence")) {
                assertTrue(legend.contains(words), "the legend explains '" + words + "': " + legend);
            }
            String status = d.findElement(By.id("hotspot-status")).getText();
            int hotAny = cellsWithBin(gi, 1).size() + cellsWithBin(gi, 2).size() + hotCells.size();
            assertTrue(status.startsWith(hotAny + " hot-spot cell"), "status (every hot bin): " + status);

            // the ranking: the planted ward first, its rate with 1 decimal, a significant rise
            List<WebElement> rows = d.findElements(By.cssSelector("#ward-ranking tbody tr"));
            assertEquals(stats.path("areas").size(), rows.size(), "one row per ward");
            WebElement top = rows.get(0);
            assertEquals(wardCode, top.getAttribute("data-code"));
            assertEquals("1", top.findElement(By.cssSelector(".ranking-rank")).getText());
            assertEquals(wardName, top.findElement(By.cssSelector(".ranking-name")).getText());
            assertEquals(String.format(Locale.ROOT, "%.1f", first.path("rate").asDouble()), top.findElement(By.cssSelector(".ranking-rate")).getText());
            String change = top.findElement(By.cssSelector(".ranking-change")).getText();
            assertTrue(change.contains("▲") && change.endsWith("*"), "a significant rise: " + change);
            // the ward rates instead of the cells (one thematic layer at a time), then the cells again
            toggleOverlay(browser, "Ward rates");
            browser.waitUntil(SHORT, "the choropleth's top class is drawn",
                    x -> x.findElements(By.cssSelector("path.aim-ward-rate-class-5")).isEmpty() ? null : true);
            assertTrue(d.findElements(By.cssSelector("path.aim-hotspot-cell")).isEmpty(), "no cells under the ward rates");
            browser.waitUntil(SHORT, "the ward rates explained", x -> {
                String text = x.findElement(By.id("hotspot-legend")).getText();
                return text.contains("incidents per 1,000 residents") && text.contains("Natural breaks (Jenks, ckmeans)") ? true : null;
            });
            toggleOverlay(browser, "Hotspots");
            waitForDrawn(browser, "gistar");
            String csv = d.findElement(By.id("ward-ranking-csv")).getAttribute("href");
            assertTrue(csv.contains("/api/areas/stats?") && csv.contains("format=csv") && csv.contains(period), csv);
            var download = server.get(java.net.URI.create(csv).getRawPath() + "?" + java.net.URI.create(csv).getRawQuery(),
                    "Authorization", "Bearer " + token);
            assertEquals(200, download.statusCode(), download.body());
            assertTrue(download.body().lines().skip(1).findFirst().orElse("").startsWith(wardCode + ","), "CSV: " + download.body());

            // a click on the row zooms to the ward and opens its profile
            double zoomBefore = ((Number) browser.js("return window.aimMap.getZoom();")).doubleValue();
            top.click();
            browser.waitUntil(SHORT, "the map zoomed to " + wardName, x -> {
                @SuppressWarnings("unchecked")
                Map<String, Number> view = (Map<String, Number>) browser.js(
                        "const c = window.aimMap.getCenter(); return {lat: c.lat, lng: c.lng, zoom: window.aimMap.getZoom()};");
                double lng = view.get("lng").doubleValue(), lat = view.get("lat").doubleValue();
                boolean inside = lng > wardBox[0] && lng < wardBox[2] && lat > wardBox[1] && lat < wardBox[3];
                return inside && view.get("zoom").doubleValue() > zoomBefore ? true : null;
            });
            assertEquals("true", d.findElement(By.cssSelector("#ward-ranking tr[data-code='" + wardCode + "']")).getAttribute("aria-selected"),
                    "the row is marked (the table is redrawn)");
            WebElement profile = browser.waitUntil(SHORT, "the ward profile", x -> {
                WebElement p = x.findElement(By.id("ward-profile"));
                return p.isDisplayed() && "true".equals(p.getAttribute("data-ready")) ? p : null;
            });
            assertEquals(wardName, profile.findElement(By.id("ward-profile-name")).getText());
            WebElement canvas = profile.findElement(By.cssSelector("canvas#ward-profile-chart"));
            assertTrue(canvas.isDisplayed() && canvas.getSize().getWidth() > 100 && canvas.getSize().getHeight() > 100,
                    "a chart canvas: " + canvas.getSize());
            assertTrue(canvas.getAttribute("aria-label").contains(quarter.label() + " " + first.path("count").asLong()),
                    "the chart's last quarter: " + canvas.getAttribute("aria-label"));
            assertEquals(Boolean.TRUE, browser.js("return arguments[0].getContext('2d').getImageData(0, 0, arguments[0].width,"
                    + " arguments[0].height).data.some((v, k) => k % 4 === 3 && v > 0);", canvas), "the chart is drawn");
            List<WebElement> categories = profile.findElements(By.cssSelector("#ward-profile-categories > li"));
            assertFalse(categories.isEmpty(), "top categories");
            // the planted ASB: noise, alone or first inside the anti-social behaviour group (police.uk and council ASB as one)
            WebElement firstCategory = categories.get(0);
            assertEquals("ASB: noise", firstCategory.findElement(By.cssSelector(firstCategory.getAttribute("data-group") != null
                    ? ".profile-category-parts .profile-category" : ".profile-category")).getText());
            assertTrue(profile.findElement(By.id("ward-profile-summary")).getText().contains("Rank 1"),
                    profile.findElement(By.id("ward-profile-summary")).getText());

            // a click on a hot cell lists its incidents
            clickHotCell(browser, busiest(gi, 3));
            // (one script: the popup's content is replaced once the list arrives)
            WebElement popup = browser.waitUntil(SHORT, "the cell's incident list", x -> (WebElement) browser.js(
                    "const p = document.querySelector('.leaflet-popup .hotspot-cell-popup');"
                            + " return p && !p.querySelector('.hotspot-cell-loading') ? p : null;"));
            assertEquals("hot spot, 99% confidence", popup.findElement(By.cssSelector(".hotspot-cell-title")).getText());
            int count = Integer.parseInt(popup.getAttribute("data-count"));
            List<WebElement> listed = popup.findElements(By.cssSelector(".hotspot-cell-incidents li[data-incident-id]"));
            assertEquals(count, listed.size(), "every incident of the cell is listed: " + popup.getText());
            assertTrue(listed.stream().anyMatch(li -> li.getText().contains("ASB: noise") && li.getText().contains("Cluster street")),
                    "the planted reports: " + popup.getAttribute("outerHTML"));

            // its trend by quarter: the cell's series counts the same incidents in the same quarter
            String cell = popup.getAttribute("data-i") + ", " + popup.getAttribute("data-j");
            popup.findElement(By.cssSelector(".hotspot-cell-trend")).click();
            browser.waitUntil(SHORT, "the cell's profile", x -> {
                WebElement p = x.findElement(By.id("ward-profile"));
                return "true".equals(p.getAttribute("data-ready"))
                        && x.findElement(By.id("ward-profile-name")).getText().equals("Grid cell " + cell + " (250 m)") ? true : null;
            });
            String bars = d.findElement(By.id("ward-profile-chart")).getAttribute("aria-label");
            assertTrue(bars.endsWith(quarter.label() + " " + count), "the cell's last quarter: " + bars);

            // "Does this map predict?": the quarter before's Gi* map, tested on the last quarter (the planted cluster)
            browser.js("for (const [id, v] of [['hotspot-from', arguments[0]], ['hotspot-to', arguments[1]]]) {"
                    + " const i = document.getElementById(id); i.value = v; i.dispatchEvent(new Event('change')); }",
                    quarter.previous().start().toString(), quarter.previous().end().toString());
            d.findElement(By.id("hotspot-accuracy-run")).click();
            WebElement accuracy = browser.waitUntil(READY, "the accuracy figures", x -> {
                WebElement t = x.findElement(By.id("hotspot-accuracy-text"));
                String state = t.getAttribute("data-state"); // absent until the first answer
                return state != null && List.of("done", "empty", "error").contains(state) ? t : null;
            });
            assertTrue(accuracy.getText().matches("(?s)The top 3% of the area \\(\\d+ cells?\\) held .*\\(PAI \\d+\\.\\d\\); the simple count map: .*"),
                    "hit rate and PAI in words: " + accuracy.getText());
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void emergingHotSpotsShowEachCellsPatternExplained() throws Exception {
        JsonNode emerging = api("/api/hotspots/emerging?interval=month&cell=250&from=" + monthsFrom + "&to=" + monthsTo);
        assertEquals(12, emerging.path("meta").path("slices").size(), "12 monthly slices: " + emerging.path("meta"));
        List<JsonNode> patterned = new java.util.ArrayList<>();
        emerging.path("features").forEach(f -> {
            if (!f.path("properties").path("pattern").asText().startsWith("no pattern")) patterned.add(f.path("properties"));
        });
        assertFalse(patterned.isEmpty(), "the steady cluster shows a pattern: " + emerging.path("meta"));
        patterned.sort(java.util.Comparator.comparingLong((JsonNode p) -> p.path("count").asLong()).reversed());
        JsonNode busiest = patterned.get(0);
        String pattern = busiest.path("pattern").asText();
        assertTrue(pattern.endsWith("hot spot"), "the steady cluster is a hot-spot pattern: " + busiest);

        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForPanel(browser);
            assertFalse(d.findElement(By.id("hotspot-emerging")).isDisplayed(), "no interval choice for counts");
            d.findElement(By.cssSelector("input[name='hotspot-method'][value='emerging']")).click();
            waitForDrawn(browser, "emerging");
            assertEquals("month", d.findElement(By.id("hotspot-interval")).getAttribute("value"), "monthly by default");
            String note = d.findElement(By.id("hotspot-emerging-text")).getText();
            assertTrue(note.contains("last 12 months") && note.contains("whatever the period"), "the window explained: " + note);
            assertEquals("last-quarter", d.findElement(By.id("hotspot-period")).getAttribute("value"), "the period preset is kept");

            List<WebElement> paths = d.findElements(By.cssSelector("path.aim-hotspot-cell[class*='aim-hotspot-pattern-']"));
            assertEquals(patterned.size(), paths.size(), "one path per cell with a pattern");
            String slug = pattern.replace(" spot", "").replace(' ', '-');
            WebElement path = d.findElement(By.cssSelector("path.aim-hotspot-cell[data-cell='" + busiest.path("i").asInt() + ","
                    + busiest.path("j").asInt() + "']"));
            assertTrue(path.getAttribute("class").contains("aim-hotspot-pattern-" + slug), path.getAttribute("class"));
            String fill = path.getAttribute("fill").toLowerCase(Locale.ROOT);
            assertTrue(Integer.parseInt(fill.substring(1, 3), 16) > Integer.parseInt(fill.substring(5, 7), 16), "a warm colour: " + fill);

            String legend = d.findElement(By.id("hotspot-legend")).getText();
            assertTrue(legend.contains("Emerging hot and cold spots") && legend.contains(pattern + " — ")
                    && legend.contains("Mann–Kendall"), "the legend explains the pattern: " + legend);
            String status = d.findElement(By.id("hotspot-status")).getText();
            assertTrue(status.contains("hot-spot pattern") && status.contains("12 months"), "status: " + status);

            browser.js("window.aimHotspots.openCell(arguments[0], arguments[1]);", busiest.path("i").asInt(), busiest.path("j").asInt());
            WebElement popup = browser.waitUntil(SHORT, "the cell's popup", x -> (WebElement) browser.js(
                    "const p = document.querySelector('.leaflet-popup .hotspot-cell-popup');"
                            + " return p && !p.querySelector('.hotspot-cell-loading') ? p : null;"));
            // (textContent: the popup may still be panning into view)
            assertEquals(pattern, popup.findElement(By.cssSelector(".hotspot-cell-title")).getAttribute("textContent"));
            String detail = popup.findElement(By.cssSelector(".hotspot-cell-detail")).getAttribute("textContent");
            assertTrue(detail.startsWith(busiest.path("count").asLong() + " incident") && detail.contains("Mann–Kendall z = "),
                    "count and trend: " + detail);
            assertFalse(popup.findElement(By.cssSelector(".hotspot-cell-explain")).getAttribute("textContent").isBlank(), "what the pattern means");
            assertTrue(popup.findElements(By.cssSelector(".hotspot-cell-incidents li")).stream()
                    .anyMatch(li -> li.getAttribute("textContent").contains("Steady lane")),
                    "its incidents from the same window: " + popup.getAttribute("textContent"));

            // by quarter: 12 financial quarters, still whatever the period
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id("hotspot-interval"))).selectByValue("quarter");
            browser.waitUntil(READY, "quarterly cells", x -> {
                String text = x.findElement(By.id("hotspot-status")).getText();
                return text.contains("12 quarters") || x.findElement(By.id("hotspot-status")).getAttribute("class").contains("aim-error") ? text : null;
            });
            assertNull(browser.js("return window.aimHotspots.state().error;"), "no hotspot error");
            assertTrue(d.findElement(By.id("hotspot-emerging-text")).getText().contains("last 12 quarters"));
            assertFalse(d.findElements(By.cssSelector("path.aim-hotspot-cell[class*='aim-hotspot-pattern-']")).isEmpty(),
                    "quarterly patterns drawn");
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void onAPhoneThePanelIsAFoldedBottomSheetAndSignedOutThereIsNone() throws Exception {
        try (Browser browser = Browser.phone(360, 640)) {
            var d = browser.driver;
            d.get(server.url("/"));
            browser.waitUntil(READY, "the map signed out", x -> Boolean.TRUE.equals(browser.js("return window.aimReady === true;")) ? true : null);
            assertFalse(d.findElement(By.id("aim-analysis")).isDisplayed(), "no panel when signed out");
            assertEquals(Boolean.FALSE, browser.js("return window.aimHotspots.enabled;"));
            assertTrue(d.findElements(By.cssSelector("path.aim-hotspot-cell, path.aim-ward-rate")).isEmpty(), "no analysis layers");
            for (String path : List.of("/api/hotspots", "/api/areas/stats?level=ward&from=2026-01-01&to=2026-03-31")) {
                assertEquals(401, server.get(path).statusCode(), "the API refuses signed-out callers: " + path);
            }

            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForPanel(browser);
            WebElement toggle = d.findElement(By.id("analysis-toggle"));
            assertEquals("false", toggle.getAttribute("aria-expanded"), "folded at first on a phone");
            assertFalse(d.findElement(By.id("ward-ranking")).isDisplayed(), "the table is folded away");
            // panels on demand: folded, the panel asks for nothing and draws nothing until it is opened
            assertEquals(List.of(), analysisRequests(browser), "no hotspot or ward statistics request while folded");
            assertTrue(d.findElements(By.cssSelector("path.aim-hotspot-cell, path.aim-ward-rate")).isEmpty(), "no analysis layers while folded");
            @SuppressWarnings("unchecked")
            Map<String, Number> map = (Map<String, Number>) browser.js(
                    "const r = document.getElementById('map').getBoundingClientRect(); return {width: r.width, bottom: r.bottom};");
            assertTrue(map.get("width").doubleValue() >= 359 && map.get("bottom").doubleValue() >= 639, "the map fills the screen: " + map);
            toggle.click();
            WebElement table = browser.waitUntil(SHORT, "the unfolded panel", x -> {
                WebElement t = x.findElement(By.id("ward-ranking"));
                return t.isDisplayed() ? t : null;
            });
            assertEquals(wardCode, table.findElement(By.cssSelector("tbody tr")).getAttribute("data-code"));
            waitForDrawn(browser, "forecast"); // the default method (enough history)
            assertEquals(2, analysisRequests(browser).size(), "opened: the cells and the statistics, once each: " + analysisRequests(browser));
            @SuppressWarnings("unchecked")
            Map<String, Number> sheet = (Map<String, Number>) browser.js(
                    "const r = document.getElementById('aim-analysis').getBoundingClientRect(); return {top: r.top, bottom: r.bottom, width: r.width};");
            // the open sheet sits on the other panels' peek bars (the folded assets sheet's bar, at the very bottom)
            Number peekTop = (Number) browser.js("return document.getElementById('aim-assets').getBoundingClientRect().top;");
            assertTrue(Math.abs(sheet.get("bottom").doubleValue() - peekTop.doubleValue()) <= 1 && peekTop.doubleValue() >= 590
                    && sheet.get("top").doubleValue() > 150 && sheet.get("width").doubleValue() >= 359,
                    "a bottom sheet that leaves the map visible: " + sheet + ", peek bars from " + peekTop);
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void aHiddenLayerIsNotRequestedUntilItIsShownAgain() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForPanel(browser);
            waitForDrawn(browser, "forecast"); // the default method (enough history)
            assertEquals(2, analysisRequests(browser).size(), "the open panel's first view: cells and statistics: " + analysisRequests(browser));

            // the Hotspots layer off: another method is not requested while nothing shows it
            toggleOverlay(browser, "Hotspots");
            d.findElement(By.cssSelector("input[name='hotspot-method'][value='gistar']")).click();
            browser.waitUntil(SHORT, "the method chosen", x -> "gistar".equals(browser.js("return window.aimHotspots.state().method;")) ? true : null);
            assertTrue(requests(browser, "/api/hotspots?").stream().noneMatch(u -> u.contains("method=gistar")),
                    "no Gi* request with the layer off: " + analysisRequests(browser));
            // shown again: the out-of-date cells are requested once
            toggleOverlay(browser, "Hotspots");
            waitForDrawn(browser, "gistar");
            assertEquals(1, requests(browser, "/api/hotspots?").stream().filter(u -> u.contains("method=gistar")).count(),
                    "one Gi* request once shown: " + analysisRequests(browser));
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void hexagonsAreOfferedForTheGridMethodsAndTheViewKeepsThem() throws Exception {
        String period = "from=" + quarter.start() + "&to=" + quarter.end();
        JsonNode gi = api("/api/hotspots?method=gistar&cell=250&grid=hex&" + period);
        assertEquals("hex", gi.path("meta").path("grid").asText(), "the server counts on hexagons: " + gi.path("meta"));
        List<String> hotCells = cellsWithBin(gi, 3);
        assertFalse(hotCells.isEmpty(), "the planted cluster is a 99% hot spot on hexagons too");
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForPanel(browser);
            waitForDrawn(browser, "forecast");
            assertEquals("square", d.findElement(By.id("hotspot-grid")).getAttribute("value"), "squares first");
            d.findElement(By.cssSelector("input[name='hotspot-method'][value='gistar']")).click();
            waitForDrawn(browser, "gistar");

            // Hexagons: the same method on hexagons, drawn as the server answers, the legend and the address say so
            new Select(d.findElement(By.id("hotspot-grid"))).selectByValue("hex");
            browser.waitUntil(READY, "Gi* on hexagons drawn", x -> requests(browser, "/api/hotspots?").stream()
                    .anyMatch(u -> u.contains("method=gistar") && u.contains("grid=hex"))
                    && Boolean.FALSE.equals(browser.js("return window.aimHotspots.state().loading;")) ? true : null);
            waitForDrawn(browser, "gistar");
            List<WebElement> hot = d.findElements(By.cssSelector("path.aim-hotspot-bin-3"));
            assertEquals(hotCells.stream().sorted().toList(), hot.stream().map(p -> p.getAttribute("data-cell")).sorted().toList(),
                    "the server's 99% hot hexagons");
            String legend = d.findElement(By.id("hotspot-legend")).getText();
            assertTrue(legend.contains("250 m hexagons"), "the legend: " + legend);
            browser.waitUntil(SHORT, "the address keeps the hexagons", x -> String.valueOf(browser.js("return window.location.search;"))
                    .contains("grid=hex") ? true : null);

            // every grid method asks for hexagons now: emerging too
            d.findElement(By.cssSelector("input[name='hotspot-method'][value='emerging']")).click();
            waitForDrawn(browser, "emerging");
            assertTrue(requests(browser, "/api/hotspots/emerging?").stream().allMatch(u -> u.contains("grid=hex")),
                    "emerging on hexagons: " + requests(browser, "/api/hotspots/emerging?"));

            // the view's address opened again: hexagons chosen, and the first cells asked for are hexagons
            String search = String.valueOf(browser.js("return window.location.search;"));
            assertTrue(search.contains("method=emerging") && search.contains("grid=hex"), search);
            d.get(server.url("/" + search));
            waitForPanel(browser);
            waitForDrawn(browser, "emerging");
            assertEquals("hex", d.findElement(By.id("hotspot-grid")).getAttribute("value"), "the view's hexagons");
            List<String> asked = requests(browser, "/api/hotspots/emerging?");
            assertFalse(asked.isEmpty());
            assertTrue(asked.stream().allMatch(u -> u.contains("grid=hex")), "hexagons from the first request: " + asked);

            // back to squares: the next request leaves the grid out
            new Select(d.findElement(By.id("hotspot-grid"))).selectByValue("square");
            browser.waitUntil(READY, "emerging on squares", x -> requests(browser, "/api/hotspots/emerging?").stream()
                    .anyMatch(u -> !u.contains("grid=")) ? true : null);
            waitForDrawn(browser, "emerging");
            browser.waitUntil(SHORT, "the address drops the grid", x -> String.valueOf(browser.js("return window.location.search;"))
                    .contains("grid=") ? null : true);
            assertNoConsoleErrors(browser);
        }
    }

    // --- helpers ---

    /**
     * The panel's requests for hotspot cells and ward statistics the page made (window.aimRequests of the test
     * build); not the incidents layer's counts in view (a grid with a bbox).
     */
    private static List<String> analysisRequests(Browser browser) {
        List<String> found = new java.util.ArrayList<>(requests(browser, "/api/hotspots").stream().filter(u -> !u.contains("bbox=")).toList());
        found.addAll(requests(browser, "/api/areas/stats"));
        return found;
    }

    @SuppressWarnings("unchecked")
    private static List<String> requests(Browser browser, String prefix) {
        List<String> all = (List<String>) browser.js("return window.aimRequests;");
        return all.stream().filter(u -> u.startsWith(prefix)).toList();
    }

    /** Ticks or unticks an overlay in the layer control (folded until hovered, so clicked by script). */
    private static void toggleOverlay(Browser browser, String name) {
        assertEquals(Boolean.TRUE, browser.js("""
                const input = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
                  .find((l) => l.textContent.trim() === arguments[0])?.querySelector('input');
                input?.click();
                return Boolean(input);""", name), "the layer control has " + name);
    }


    private static JsonNode api(String path) throws Exception {
        var response = server.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), path + " → " + response.body());
        return TestServer.json(response);
    }

    private static List<String> cellsWithBin(JsonNode collection, int bin) {
        List<String> cells = new java.util.ArrayList<>();
        for (JsonNode f : collection.path("features")) {
            JsonNode p = f.path("properties");
            if (p.path("bin").asInt() == bin) cells.add(p.path("i").asInt() + "," + p.path("j").asInt());
        }
        return cells;
    }

    private static void waitForPanel(Browser browser) {
        try {
            browser.waitUntil(READY, "the map and the hotspot panel", x -> Boolean.TRUE.equals(browser.js(
                    "return (window.aimReady === true && window.aimHotspots?.ready === true) || window.aimError != null;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the panel did not become ready; console: " + consoleText(browser), e);
        }
        assertNull(browser.js("return window.aimError ?? null;"), "window.aimError");
    }

    private static void waitForDrawn(Browser browser, String method) {
        try {
            browser.waitUntil(READY, method + " cells drawn", x -> Boolean.TRUE.equals(browser.js(
                    "const s = window.aimHotspots.state(); return s.drawn === arguments[0] && !s.loading;", method)) ? true : null);
        } catch (TimeoutException e) {
            fail(method + " not drawn: " + browser.js("return JSON.stringify(window.aimHotspots.state());"), e);
        }
        assertNull(browser.js("return window.aimHotspots.state().error;"), "no hotspot error");
    }

    /** The cells ("i,j") of a bin, the most incidents first. */
    private static List<String> busiest(JsonNode collection, int bin) {
        List<JsonNode> cells = new java.util.ArrayList<>();
        collection.path("features").forEach(f -> {
            if (f.path("properties").path("bin").asInt() == bin) cells.add(f.path("properties"));
        });
        cells.sort(java.util.Comparator.comparingLong((JsonNode p) -> p.path("count").asLong()).reversed());
        return cells.stream().filter(p -> p.path("count").asLong() > 0).map(p -> p.path("i").asInt() + "," + p.path("j").asInt()).toList();
    }

    /** A real click on a pixel of one of these cells (the first possible) that nothing else (an incident marker) covers. */
    private static void clickHotCell(Browser browser, List<String> cells) {
        assertFalse(cells.isEmpty(), "hot cells with incidents");
        @SuppressWarnings("unchecked")
        Map<String, Number> at = (Map<String, Number>) browser.js("""
                for (const cell of arguments[0]) {
                  const path = document.querySelector(`path.aim-hotspot-cell[data-cell="${cell}"]`);
                  if (!path) continue;
                  const r = path.getBoundingClientRect();
                  for (let fy = 0.2; fy <= 0.8; fy += 0.1) for (let fx = 0.2; fx <= 0.8; fx += 0.1) {
                    const x = Math.round(r.left + r.width * fx), y = Math.round(r.top + r.height * fy);
                    if (document.elementFromPoint(x, y) === path) return {x, y};
                  }
                }
                return null;""", cells);
        assertNotNull(at, "an uncovered pixel of a hot cell");
        browser.clickAt(at.get("x").intValue(), at.get("y").intValue());
    }

    /** No console error, except the log-in refusals the log-in page may cause. */
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
