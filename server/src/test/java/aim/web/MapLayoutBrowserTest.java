package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.Screenshots;
import aim.testing.TestServer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.print.PrintOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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
 * The map's layouts in headless Chromium with the demo borough, for an analyst (issue 14 items 2, 5, 6, 10):
 * <ul>
 * <li>a projector's 1024 × 768: the side panels overlay the map, one open at a time, so the map keeps at
 * least 60 % of the width uncovered with a panel open and all of it with the panels folded (no empty
 * column); presentation mode (P key or button) leaves the map, the legend, the caption (title and
 * period) and the attribution, in larger type, and Esc brings the rest back;</li>
 * <li>print (CDP Emulation.setEmulatedMedia print): the map across the page with its legend, caption and
 * attribution and no panels or header; the printed PDF is one page holding the legend's words, the caption's
 * title and period and the attribution (read back with PDFBox);</li>
 * <li>the view in the address (method, period, categories, ward, layers, zoom, centre) comes back after a
 * reload of the "Copy link" link;</li>
 * <li>a phone's 390 × 844: bottom sheets with peek, half and full heights (the handle), one open at a time;
 * a search result's marker and popup are above the sheet, also after the sheet is opened again.</li>
 * </ul>
 */
@Tag("browser")
class MapLayoutBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String ANALYST = "analyst.layout";

    @Fresh static TestServer server;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        // the demo as ./aim demo loads it: wards, incidents (so the analyst's first view has hot spots), assets
        assertTrue(new DemoLoader(server.dataSource, work).loadEverythingIfMissing(), "demo loaded into the fresh database");
        server.userToken(ANALYST, Role.ANALYST);
    }

    @Test
    void onAProjectorTheMapKeepsMostOfTheWidthAndPresentationLeavesOnlyTheMap() {
        try (Browser browser = Browser.desktop(1024, 768)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForMap(browser);
            // one panel open at first: the analysis panel; the assets panel folded to a tab
            Object panels = browser.js("return [...document.querySelectorAll('.aim-workspace > aside')].map((a) => a.id + ':' + a.className + ':' + a.dataset.sheet).join(' ');");
            assertEquals("true", d.findElement(By.id("analysis-toggle")).getAttribute("aria-expanded"), "the analysis panel open: " + panels);
            assertEquals("false", d.findElement(By.id("asset-panel-toggle")).getAttribute("aria-expanded"), "the assets panel folded: " + panels);
            assertMapShare(browser, 0.6, "analysis panel open");
            Screenshots.save(browser, "projector");
            assertEquals(1024.0, mapBox(browser).get("width").doubleValue(), 0.5, "the map element spans the page: panels overlay it");

            // opening the assets panel folds the analysis panel
            d.findElement(By.id("asset-panel-toggle")).click();
            assertEquals("true", d.findElement(By.id("asset-panel-toggle")).getAttribute("aria-expanded"));
            assertEquals("false", d.findElement(By.id("analysis-toggle")).getAttribute("aria-expanded"), "one panel at a time");
            assertMapShare(browser, 0.6, "assets panel open");
            // the problems panel from the header: still one at a time
            d.findElement(By.id("problems-open")).click();
            assertEquals("false", d.findElement(By.id("asset-panel-toggle")).getAttribute("aria-expanded"));
            assertMapShare(browser, 0.6, "problems panel open");
            d.findElement(By.id("problems-open")).click();
            // all folded: no column is left empty, the folded panels are small tabs
            assertMapShare(browser, 1.0, "every panel folded");
            for (String id : List.of("aim-assets", "aim-analysis")) {
                Map<String, Number> tab = box(browser, id);
                assertTrue(tab.get("width").doubleValue() < 250 && tab.get("height").doubleValue() < 60, id + " folds to a tab: " + tab);
            }
            d.findElement(By.id("analysis-toggle")).click();

            // presentation: the P key
            d.findElement(By.tagName("body")).sendKeys("p");
            browser.waitUntil(SHORT, "presentation mode", x -> Boolean.TRUE.equals(browser.js(
                    "return document.body.classList.contains('aim-presenting');")) ? true : null);
            for (String id : List.of("aim-header", "aim-analysis", "aim-assets")) {
                assertFalse(d.findElement(By.id(id)).isDisplayed(), id + " hidden while presenting");
            }
            assertFalse(d.findElement(By.cssSelector(".leaflet-control-layers")).isDisplayed(), "no layer control");
            Map<String, Number> map = mapBox(browser);
            assertEquals(0.0, map.get("top").doubleValue(), 0.5, "the map takes the whole screen: " + map);
            assertEquals(768.0, map.get("height").doubleValue(), 0.5, "the map takes the whole screen: " + map);
            assertEquals(1024L, ((Number) browser.js("return window.aimMap.getSize().x;")).longValue(), "Leaflet knows its size");
            WebElement legend = d.findElement(By.id("hotspot-legend"));
            assertTrue(legend.isDisplayed() && legend.getAttribute("open") != null, "the legend shown open");
            assertTrue(Double.parseDouble(legend.getCssValue("font-size").replace("px", "")) >= 18, "legible legend: " + legend.getCssValue("font-size"));
            WebElement caption = d.findElement(By.id("aim-map-caption"));
            assertTrue(caption.isDisplayed(), "the caption");
            String title = d.findElement(By.id("aim-caption-title")).getText();
            String period = d.findElement(By.id("aim-caption-period")).getText();
            String panelPeriod = String.valueOf(browser.js("const s = window.aimHotspots.state(); return s.from + '|' + s.to;"));
            assertTrue(title.startsWith("AIM: ") && title.length() > 5, "a title: " + title);
            assertTrue(period.startsWith("Period: ") && period.length() > 12, "the period once: " + period + " (" + panelPeriod + ")");
            assertTrue(Double.parseDouble(d.findElement(By.id("aim-caption-title")).getCssValue("font-size").replace("px", "")) >= 24);
            assertTrue(d.findElement(By.cssSelector(".leaflet-control-attribution")).isDisplayed(), "the attribution");
            // Esc: back to the full map, panels where they were
            d.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
            browser.waitUntil(SHORT, "presentation ended", x -> x.findElement(By.id("aim-header")).isDisplayed() ? true : null);
            assertTrue(d.findElement(By.id("aim-analysis")).isDisplayed());
            assertFalse(caption.isDisplayed(), "no caption outside presentation");
            // the button and the exit button do the same
            d.findElement(By.id("aim-presentation")).click();
            browser.waitUntil(SHORT, "presentation by button", x -> x.findElement(By.id("aim-presentation-exit")).isDisplayed() ? true : null);
            d.findElement(By.id("aim-presentation-exit")).click();
            browser.waitUntil(SHORT, "presentation ended by button", x -> x.findElement(By.id("aim-header")).isDisplayed() ? true : null);
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void printShowsTheMapAcrossThePageWithLegendCaptionAndAttribution() {
        try (Browser browser = Browser.desktop(1024, 768)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForMap(browser);
            browser.js("document.getElementById('hotspot-legend').open = false;"); // folded on screen: opened for print
            List<String> legendLines;
            String title, period, attribution;
            d.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
            try {
                browser.waitUntil(SHORT, "the print layout", x -> x.findElement(By.id("aim-map-caption")).isDisplayed() ? true : null);
                for (String id : List.of("aim-header", "aim-analysis", "aim-assets")) {
                    assertFalse(d.findElement(By.id(id)).isDisplayed(), id + " not printed");
                }
                assertFalse(d.findElement(By.cssSelector(".leaflet-control-layers")).isDisplayed(), "no layer control printed");
                assertFalse(d.findElement(By.cssSelector(".leaflet-control-zoom")).isDisplayed(), "no zoom buttons printed");
                Map<String, Number> map = mapBox(browser);
                assertTrue(map.get("width").doubleValue() >= 1023, "the map across the page: " + map);
                browser.waitUntil(SHORT, "Leaflet laid out again", x -> ((Number) browser.js(
                        "return window.aimMap.getSize().x - document.getElementById('map').clientWidth;")).intValue() == 0 ? true : null);
                WebElement legend = d.findElement(By.id("hotspot-legend"));
                assertTrue(legend.isDisplayed() && legend.getAttribute("open") != null, "the legend printed open");
                assertTrue(legend.getText().contains("Legend") && legend.getText().length() > 20, "the legend's entries: " + legend.getText());
                legendLines = legend.getText().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
                title = d.findElement(By.id("aim-caption-title")).getText();
                period = d.findElement(By.id("aim-caption-period")).getText();
                attribution = d.findElement(By.cssSelector(".leaflet-control-attribution")).getText();
                assertTrue(title.startsWith("AIM: "), "a title");
                assertTrue(period.startsWith("Period: "), "the period");
                assertTrue(d.findElement(By.cssSelector(".leaflet-control-attribution")).isDisplayed(), "the attribution");
                // inside the map's box: legend and attribution are printed with it
                Map<String, Number> legendBox = box(browser, "hotspot-legend");
                assertTrue(legendBox.get("bottom").doubleValue() <= map.get("bottom").doubleValue() + 0.5, "legend on the map: " + legendBox + " " + map);
            } finally {
                d.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
            }
            browser.waitUntil(SHORT, "the screen layout again", x -> x.findElement(By.id("aim-header")).isDisplayed() ? true : null);
            browser.waitUntil(SHORT, "the legend folded again, as it was", x -> Boolean.FALSE.equals(browser.js(
                    "return document.getElementById('hotspot-legend').open;")) ? true : null);

            // a real print: one A4 landscape page
            PrintOptions options = new PrintOptions();
            options.setOrientation(PrintOptions.Orientation.LANDSCAPE);
            options.setPageSize(new org.openqa.selenium.print.PageSize(21.0, 29.7));
            byte[] pdf = Base64.getDecoder().decode(d.print(options).getContent());
            // the page's words, read back with PDFBox (the content streams are compressed)
            try (PDDocument document = Loader.loadPDF(pdf)) {
                assertEquals(1, document.getNumberOfPages(), "the printed map is one page");
                String text = oneSpaced(new PDFTextStripper().getText(document));
                assertTrue(text.contains("Legend"), "the legend's title printed: " + text);
                for (String line : legendLines) {
                    assertTrue(text.contains(oneSpaced(line)), "the legend's '" + line + "' printed: " + text);
                }
                assertTrue(text.contains(oneSpaced(title)), "the caption's title '" + title + "' printed: " + text);
                assertTrue(text.contains(oneSpaced(period)), "the caption's period '" + period + "' printed: " + text);
                assertTrue(text.contains(oneSpaced(attribution)), "the attribution '" + attribution + "' printed: " + text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void aViewRestoredFromItsLinkShowsTheSameView() {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForMap(browser);
            // change the view: Gi*, a custom period, one category off, a ward's profile, zoomed in, wards off
            d.findElement(By.cssSelector("input[name='hotspot-method'][value='gistar']")).click();
            browser.js("""
                    const period = document.getElementById('hotspot-period');
                    period.value = 'custom'; period.dispatchEvent(new Event('change', {bubbles: true}));""");
            setDate(browser, "from", "2026-06-01");
            setDate(browser, "to", "2026-08-31");
            browser.js("document.getElementById('hotspot-filters').open = true;");
            WebElement category = browser.waitUntil(SHORT, "the category filters", x -> {
                var boxes = x.findElements(By.cssSelector("input[name='hotspot-category']"));
                return boxes.size() > 1 ? boxes.get(1) : null;
            });
            String dropped = category.getAttribute("value");
            browser.js("arguments[0].click();", category);
            // the ranking is drawn again after each change: the third row once the last answer is in
            String ward = browser.waitUntil(READY, "the ward ranking", x -> Boolean.FALSE.equals(browser.js("return window.aimHotspots.state().loading;"))
                    ? (String) browser.js("return document.querySelectorAll('#ward-ranking tbody tr')[2]?.dataset.code ?? null;") : null);
            browser.js("document.querySelector(`#ward-ranking tbody tr[data-code='${arguments[0]}']`).click();", ward);
            toggleOverlay(browser, "Wards");
            browser.waitUntil(SHORT, "the address holds the view", x -> {
                String q = String.valueOf(browser.js("return location.search;"));
                return q.contains("method=gistar") && q.contains("ward=" + ward) && q.contains("from=2026-06-01")
                        && q.contains("to=2026-08-31") && q.contains("category=") && !q.contains(dropped + ",") && !q.matches(".*layers=[^&]*wards.*") ? true : null;
            });
            browser.js("window.aimMap.setZoom(window.aimMap.getZoom() + 1, {animate: false});");
            browser.waitUntil(SHORT, "the zoom in the address", x -> String.valueOf(browser.js("return location.search;"))
                    .contains("z=" + browser.js("return window.aimMap.getZoom();")) ? true : null);
            @SuppressWarnings("unchecked")
            Map<String, Object> before = (Map<String, Object>) browser.js(VIEW);

            // "Copy link" gives the address
            browser.js("window.copied = null; navigator.clipboard.writeText = async (text) => { window.copied = text; };");
            d.findElement(By.id("aim-copy-link")).click();
            String link = browser.waitUntil(SHORT, "the copied link", x -> (String) browser.js("return window.copied;"));
            assertEquals(d.getCurrentUrl(), link, "the link is the address");

            // the link in a fresh page: the same view
            d.get(link);
            waitForMap(browser);
            try {
                browser.waitUntil(SHORT, "the ward profile", x -> ward.equals(browser.js("return new URLSearchParams(location.search).get('ward');"))
                        && x.findElement(By.id("ward-profile")).getText().length() > 0 ? true : null);
            } catch (TimeoutException e) {
                fail("the ward not restored: link " + link + ", address " + d.getCurrentUrl() + ", state "
                        + browser.js("return JSON.stringify(window.aimHotspots.state());"), e);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) browser.js(VIEW);
            assertEquals(before.get("method"), after.get("method"));
            assertEquals("gistar", after.get("method"));
            assertEquals(before.get("from"), after.get("from"));
            assertEquals(before.get("to"), after.get("to"));
            assertEquals(before.get("categories"), after.get("categories"), "the categories ticked");
            assertEquals(before.get("zoom"), after.get("zoom"));
            assertEquals(((Number) before.get("lat")).doubleValue(), ((Number) after.get("lat")).doubleValue(), 1e-4);
            assertEquals(((Number) before.get("lng")).doubleValue(), ((Number) after.get("lng")).doubleValue(), 1e-4);
            assertEquals(before.get("layers"), after.get("layers"), "the same overlays");
            assertEquals(ward, after.get("ward"), "the ward's profile");
            assertEquals(link, d.getCurrentUrl(), "the address unchanged by the restore");
            // the profile closed: the ward leaves the address at once
            d.findElement(By.id("ward-profile-close")).click();
            browser.waitUntil(SHORT, "no ward in the address", x -> String.valueOf(browser.js("return location.search;")).contains("ward=") ? null : true);
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void onAPhoneSheetsHaveThreeHeightsAndASearchResultStaysAboveTheSheet() {
        try (Browser browser = Browser.phone(390, 844)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            waitForMap(browser);
            browser.waitUntil(READY, "the assets", x -> Boolean.TRUE.equals(browser.js("return window.aimAssets?.ready === true;")) ? true : null);
            WebElement assets = d.findElement(By.id("aim-assets"));
            WebElement analysis = d.findElement(By.id("aim-analysis"));
            assertEquals("peek", assets.getAttribute("data-sheet"), "folded at first");
            assertEquals("peek", analysis.getAttribute("data-sheet"), "folded at first");
            // the peek bars stack at the bottom, clear of each other
            Map<String, Number> a = box(browser, "aim-assets"), b = box(browser, "aim-analysis");
            assertTrue(a.get("bottom").doubleValue() <= b.get("top").doubleValue() + 0.5 || b.get("bottom").doubleValue() <= a.get("top").doubleValue() + 0.5,
                    "peek bars do not overlap: " + a + " " + b);
            assertTrue(Math.max(a.get("bottom").doubleValue(), b.get("bottom").doubleValue()) >= 843, "at the bottom: " + a + " " + b);

            // the toggle opens half (above the other sheet's peek bar, which stays in reach); the handle goes full;
            // opening the other sheet folds this one
            d.findElement(By.id("asset-panel-toggle")).click();
            assertEquals("half", assets.getAttribute("data-sheet"));
            Map<String, Number> half = box(browser, "aim-assets"), peek = box(browser, "aim-analysis"), map = mapBox(browser);
            assertEquals(peek.get("top").doubleValue(), half.get("bottom").doubleValue(), 1.0, "open above the peek bar: " + half + " " + peek);
            assertEquals(map.get("height").doubleValue() / 2, half.get("height").doubleValue(), 2.0, "half the map's height: " + half + " map " + map);
            d.findElement(By.id("aim-assets-body-handle")).click();
            assertEquals("full", assets.getAttribute("data-sheet"));
            Map<String, Number> full = box(browser, "aim-assets");
            assertTrue(full.get("top").doubleValue() - map.get("top").doubleValue() <= 60, "full: " + full + " map " + map);
            d.findElement(By.id("aim-analysis-body-handle")).click();
            assertEquals("half", analysis.getAttribute("data-sheet"), "the analysis sheet opened by its handle");
            assertEquals("peek", assets.getAttribute("data-sheet"), "the assets sheet folded");
            d.findElement(By.id("aim-analysis-body-handle")).click();
            assertEquals("full", analysis.getAttribute("data-sheet"));
            d.findElement(By.id("aim-analysis-body-handle")).click();
            assertEquals("peek", analysis.getAttribute("data-sheet"), "full, then folded");

            // a search result: its marker and popup above the sheet
            d.findElement(By.id("asset-panel-toggle")).click();
            d.findElement(By.id("asset-tab-search")).click();
            d.findElement(By.id("asset-search-q")).sendKeys("Library");
            d.findElement(By.id("asset-search-submit")).click();
            WebElement result;
            try {
                result = browser.waitUntil(SHORT, "search results", x -> {
                    var found = x.findElements(By.cssSelector("#asset-search-results li[data-asset-id] button"));
                    return found.size() >= 2 ? found.get(found.size() - 1) : null;
                });
            } catch (TimeoutException e) {
                throw new AssertionError("no search results: " + d.findElement(By.id("asset-search-status")).getText() + "; console " + consoleText(browser), e);
            }
            // the results are fitted into the part of the map above the sheet
            browser.waitUntil(SHORT, "the results fitted above the sheet", x -> Boolean.TRUE.equals(browser.js("""
                    const sheet = document.getElementById('aim-assets').getBoundingClientRect();
                    const map = document.getElementById('map').getBoundingClientRect();
                    const markers = [...document.querySelectorAll('.aim-asset-result')].map((m) => m.getBoundingClientRect());
                    return markers.length >= 2 && markers.every((r) => r.top >= map.top && r.bottom <= sheet.top);""")) ? true : null);
            String id = result.findElement(By.xpath("..")).getAttribute("data-asset-id");
            result.click();
            assertAboveSheet(browser, id, "aim-assets", "a search result's popup");
            // folded and opened again: the popup is kept above the sheet
            d.findElement(By.id("asset-panel-toggle")).click();
            browser.js("window.aimMap.panBy([0, -300], {animate: false});"); // the marker now low on the screen
            d.findElement(By.id("asset-panel-toggle")).click();
            assertEquals("half", assets.getAttribute("data-sheet"));
            assertAboveSheet(browser, id, "aim-assets", "after the sheet was opened again");
            assertNoConsoleErrors(browser);
        }
    }

    // --- helpers ---

    /** Runs of white space (line breaks in the PDF, wrapping on screen) as one space. */
    private static String oneSpaced(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /** The map view as the page has it: the hotspot state, zoom, centre, the overlays on the map and the ward shown. */
    private static final String VIEW = """
            const s = window.aimHotspots.state();
            const c = window.aimMap.getCenter();
            const on = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
              .filter((l) => l.querySelector('input').checked).map((l) => l.textContent.trim());
            return {method: s.method, from: s.from, to: s.to, categories: JSON.stringify(s.categories), zoom: window.aimMap.getZoom(),
                    lat: c.lat, lng: c.lng, layers: on.join(','),
                    ward: new URLSearchParams(location.search).get('ward'),
                    rankingSelected: document.querySelector('#ward-ranking tbody tr.selected')?.dataset.code ?? null};""";

    private static void assertAboveSheet(Browser browser, String assetId, String sheetId, String what) {
        WebElement marker = browser.waitUntil(SHORT, "the result's marker", x -> {
            var found = x.findElements(By.cssSelector(".aim-asset-result[data-asset-id='" + assetId + "']"));
            return found.isEmpty() ? null : found.get(0);
        });
        WebElement popup = browser.waitUntil(SHORT, "the popup", x -> {
            var found = x.findElements(By.cssSelector(".leaflet-popup"));
            return found.isEmpty() ? null : found.get(0);
        });
        browser.settledCentre(popup);
        Map<String, Number> at = browser.settledCentre(marker);
        Map<String, Number> sheet = box(browser, sheetId);
        Map<String, Number> map = mapBox(browser);
        @SuppressWarnings("unchecked")
        Map<String, Number> pop = (Map<String, Number>) browser.js(
                "const r = arguments[0].getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};", popup);
        assertTrue(at.get("y").doubleValue() < sheet.get("top").doubleValue() && at.get("y").doubleValue() > map.get("top").doubleValue(),
                what + ": the marker above the sheet: " + at + " sheet " + sheet);
        assertTrue(pop.get("bottom").doubleValue() <= sheet.get("top").doubleValue() && pop.get("top").doubleValue() >= map.get("top").doubleValue() - 0.5,
                what + ": the popup between the map's top and the sheet: " + pop + " sheet " + sheet + " map " + map);
    }

    /** The map's uncovered width (its width less the panels lying over it) over the page's width is at least `share`. */
    private static void assertMapShare(Browser browser, double share, String what) {
        Number uncovered = (Number) browser.js("""
                const m = document.getElementById('map').getBoundingClientRect();
                let left = m.left, right = m.right;
                for (const a of document.querySelectorAll('.aim-workspace > aside')) {
                  const r = a.getBoundingClientRect();
                  if (r.width === 0 || r.height < m.height / 2 || r.right <= left || r.left >= right) continue; // hidden, a tab, or beside
                  if (r.left + r.right < m.left + m.right) left = Math.max(left, r.right); else right = Math.min(right, r.left);
                }
                return (right - left) / window.innerWidth;""");
        assertTrue(uncovered.doubleValue() >= share - 1e-6, what + ": the map's uncovered share of the width is " + uncovered);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Number> box(Browser browser, String id) {
        return (Map<String, Number>) browser.js("""
                const r = document.getElementById(arguments[0]).getBoundingClientRect();
                return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height};""", id);
    }

    private static Map<String, Number> mapBox(Browser browser) {
        return box(browser, "map");
    }

    private static void setDate(Browser browser, String which, String date) {
        assertEquals(Boolean.TRUE, browser.js("""
                const input = document.getElementById('hotspot-' + arguments[0]);
                if (!input) return false;
                input.value = arguments[1];
                input.dispatchEvent(new Event('input', {bubbles: true}));
                input.dispatchEvent(new Event('change', {bubbles: true}));
                return true;""", which, date), "a " + which + " date field");
    }

    /** Ticks or unticks an overlay in the layer control (folded until hovered, so clicked by script). */
    private static void toggleOverlay(Browser browser, String name) {
        assertEquals(Boolean.TRUE, browser.js("""
                const input = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
                  .find((l) => l.textContent.trim() === arguments[0])?.querySelector('input');
                input?.click();
                return Boolean(input);""", name), "the layer control has " + name);
    }

    private static void waitForMap(Browser browser) {
        try {
            browser.waitUntil(READY, "the map and the hotspot panel", x -> Boolean.TRUE.equals(browser.js(
                    "return (window.aimReady === true && window.aimHotspots?.ready === true) || window.aimError != null;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the map did not become ready; console: " + consoleText(browser), e);
        }
        assertNull(browser.js("return window.aimError ?? null;"), "window.aimError");
    }

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
