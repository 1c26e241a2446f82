package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.Screenshots;
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
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The forecast in the hotspot panel (issue 13) in headless Chromium, against the real server and PostGIS
 * with the demo borough. Generated council reports over the {@value #MONTHS} complete months before this
 * one: a steady cluster of "ASB: noise" ({@value #PER_MONTH} a month within 100 m of a point in one ward)
 * and a seeded background over the borough; and a sparse category ("Environment: graffiti") only in the
 * period's last month. The period is the three months ending two months ago (a shared link's dates), so
 * the months after it exist to test the map against.
 * <ul>
 *   <li>No method in the link: the panel opens on Forecast, draws the server's forecast cells (the hotspot
 *   cells outlined) and its legend says the server's sentence, the month forecast and the backtest's winner;
 *   "Does this map predict?" shows forecast, count map and Gi* in a table of three rows.</li>
 *   <li>The sparse category: too little history for a forecast; the panel shows the count map of the same
 *   selection with the server's note, Forecast still chosen.</li>
 * </ul>
 */
@Tag("browser")
class HotspotForecastBrowserTest {
    private static final Duration READY = Duration.ofSeconds(40);
    private static final String ANALYST = "analyst.forecast";
    private static final int MONTHS = 14;
    private static final int PER_MONTH = 12;
    private static final int SPARSE = 6;

    @Fresh static TestServer server;
    static String token;
    /** the panel's period: the three complete months ending two months before this one */
    static LocalDate from, to;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        token = server.userToken(ANALYST, Role.ANALYST);
        YearMonth thisMonth = YearMonth.now(ZoneId.of("Europe/London"));
        LocalDate first = thisMonth.minusMonths(MONTHS).atDay(1);
        from = thisMonth.minusMonths(5).atDay(1);
        to = thisMonth.minusMonths(3).atEndOfMonth();
        String ward = """
                (SELECT b.geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                 WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code OFFSET 4 LIMIT 1)""".formatted(DemoLoader.VERSION);
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            // the steady cluster: PER_MONTH a month in every one of the MONTHS months
            int cluster = st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          location_text, status, external_key)
                    SELECT 'council', 'asb-noise',
                           ('%s'::date + (d.path[1] %% %d) * interval '1 month' + (d.path[1] %% 27) * interval '1 day'
                            + time '12:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'Forecast street ' || d.path[1], 'open', 'forecast-test-' || d.path[1]
                    FROM %s w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(
                        ST_Intersection(ST_Buffer(ST_PointOnSurface(w.geom), 100), w.geom), %d, 7)) d
                    """.formatted(first, MONTHS, ward, MONTHS * PER_MONTH));
            assertEquals(MONTHS * PER_MONTH, cluster, "cluster incidents");
            // the background: 25 a month over the whole borough
            st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          status, external_key)
                    SELECT 'council', (ARRAY['env-littering', 'asb-nuisance'])[1 + d.path[1] %% 2],
                           ('%s'::date + (d.path[1] %% %d) * interval '1 month' + (d.path[1] %% 28) * interval '1 day'
                            + time '10:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'open', 'forecast-background-' || d.path[1]
                    FROM (SELECT ST_Union(b.geom) AS geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = '%s') w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(w.geom, %d, 11)) d
                    """.formatted(first, MONTHS, DemoLoader.VERSION, MONTHS * 25));
            // the sparse category: only in the period's last month
            int sparse = st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          status, external_key)
                    SELECT 'council', 'env-graffiti', ('%s'::date + d.path[1] + time '09:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'open', 'forecast-sparse-' || d.path[1]
                    FROM %s w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(
                        ST_Intersection(ST_Buffer(ST_PointOnSurface(w.geom), 300), w.geom), %d, 3)) d
                    """.formatted(to.withDayOfMonth(1), ward, SPARSE));
            assertEquals(SPARSE, sparse, "sparse incidents");
        }
    }

    @Test
    void thePanelOpensOnTheForecastExplainedAndComparedWithTheCountMapAndGiStar() throws Exception {
        try (Browser browser = Browser.desktop(1440, 900)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            d.get(server.url("/?layers=hotspots,wards&from=" + from + "&to=" + to));
            waitForPanel(browser);
            waitForDrawn(browser, "forecast");
            assertEquals("forecast", browser.js("return window.aimHotspots.state().method;"), "Forecast is the default method");
            assertTrue(d.findElement(By.cssSelector("input[name='hotspot-method'][value='forecast']")).isSelected(), "the Forecast radio");

            // the server's forecast, as the panel asked for it
            List<String> asked = requests(browser, "/api/hotspots?method=forecast");
            assertEquals(1, asked.size(), "one forecast request: " + requests(browser, "/api/hotspots"));
            assertTrue(requests(browser, "/api/hotspots?method=grid").stream().noneMatch(u -> !u.contains("bbox=")),
                    "enough history: no count map asked for");
            JsonNode forecast = api(asked.get(0));
            JsonNode meta = forecast.path("meta");
            assertTrue(meta.path("enough_history").asBoolean(), "the fixture has enough history: " + meta);

            // the cells: one path per cell, the forecast hotspot outlined
            long hot = 0;
            for (JsonNode f : forecast.path("features")) if (f.path("properties").path("hotspot").asBoolean()) hot++;
            assertTrue(hot > 0, "hotspot cells: " + meta);
            assertEquals(forecast.path("features").size(), d.findElements(By.cssSelector("path.aim-forecast-cell")).size(), "one path per cell");
            assertEquals(hot, d.findElements(By.cssSelector("path.aim-forecast-cell.aim-hotspot-top")).size(), "the hotspot cells outlined");

            // the legend in words: the server's sentence, the month forecast and the backtest's winner
            String legend = d.findElement(By.id("hotspot-legend")).getText();
            YearMonth month = YearMonth.from(to).plusMonths(1);
            String monthName = month.getMonth().getDisplayName(TextStyle.FULL, Locale.UK) + " " + month.getYear();
            JsonNode winner = meta.path("winner");
            for (String words : List.of(meta.path("legend").asText(), "Forecast for " + monthName,
                    "Chosen by backtest: " + winner.path("label").asText() + " (mean PAI ", "count map ", "forecast hotspot: top 3% of the area",
                    "quantile classes (fifths)")) {
                assertTrue(legend.contains(words), "the legend says '" + words + "': " + legend);
            }
            String status = d.findElement(By.id("hotspot-status")).getText();
            assertTrue(status.startsWith(hot + " forecast hotspot cell") && status.contains("for " + monthName), "status: " + status);
            assertFalse(d.findElement(By.id("hotspot-note")).isDisplayed(), "no fallback note");
            Screenshots.save(browser, "analyst-map"); // the README's picture of the analyst's map and its forecast legend

            // "Does this map predict?": forecast, count map and Gi* on the held-out period
            d.findElement(By.id("hotspot-accuracy-run")).click();
            browser.waitUntil(READY, "the accuracy figures", x -> {
                String state = x.findElement(By.id("hotspot-accuracy-text")).getAttribute("data-state");
                return state != null && List.of("done", "empty", "error").contains(state) ? state : null;
            });
            assertEquals("done", d.findElement(By.id("hotspot-accuracy-text")).getAttribute("data-state"),
                    d.findElement(By.id("hotspot-accuracy-text")).getText());
            JsonNode accuracy = api(requests(browser, "/api/hotspots/accuracy?").get(0));
            WebElement table = d.findElement(By.id("hotspot-accuracy-table"));
            List<WebElement> rows = table.findElements(By.cssSelector("tbody tr"));
            assertEquals(List.of("forecast", "grid", "gistar"), rows.stream().map(r -> r.getAttribute("data-method")).toList(), "three rows");
            JsonNode[] figures = {accuracy, accuracy.path("baseline"), accuracy.path("gistar")};
            for (int k = 0; k < 3; k++) {
                assertEquals(String.format(Locale.ROOT, "%.1f", figures[k].path("pai").asDouble()),
                        rows.get(k).findElement(By.cssSelector(".hotspot-accuracy-pai")).getText(), "PAI of " + rows.get(k).getText());
                assertTrue(rows.get(k).findElement(By.cssSelector(".hotspot-accuracy-hit")).getText().endsWith("%"), rows.get(k).getText());
            }
            assertTrue(rows.get(0).getText().contains(accuracy.path("winner").path("label").asText()), "the winner named: " + rows.get(0).getText());
            String caption = table.findElement(By.tagName("caption")).getText();
            assertTrue(caption.startsWith("Held out: ") && caption.contains(String.valueOf(YearMonth.from(to).plusMonths(1).getYear())),
                    "the held-out period named: " + caption + " / " + accuracy.path("test"));

            // the map's one period (#aim-period) drives the forecast: another period, another forecast for it
            assertTrue(asked.get(0).contains("from=" + from) && asked.get(0).contains("to=" + to), "the forecast for the link's period: " + asked.get(0));
            String period = d.findElement(By.id("aim-period")).getText();
            new Select(d.findElement(By.id("hotspot-period"))).selectByValue("last-month");
            browser.waitUntil(READY, "a forecast for the new period", x -> requests(browser, "/api/hotspots?method=forecast").size() > 1 ? true : null);
            String newFrom = (String) browser.js("return window.aimHotspots.state().from;");
            String newTo = (String) browser.js("return window.aimHotspots.state().to;");
            assertFalse(newFrom.equals(from.toString()) && newTo.equals(to.toString()), "the period changed");
            List<String> again = requests(browser, "/api/hotspots?method=forecast");
            String latest = again.get(again.size() - 1);
            assertTrue(latest.contains("from=" + newFrom) && latest.contains("to=" + newTo), "the forecast for the new period: " + latest);
            browser.waitUntil(READY, "the map states the new period", x -> !x.findElement(By.id("aim-period")).getText().equals(period) ? true : null);
            assertNoConsoleErrors(browser);
        }
    }

    @Test
    void withTooLittleHistoryThePanelShowsTheCountMapWithTheNote() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            d.get(server.url("/?layers=hotspots,wards&from=" + from + "&to=" + to + "&category=env-graffiti"));
            waitForPanel(browser);
            waitForDrawn(browser, "grid");
            assertEquals("forecast", browser.js("return window.aimHotspots.state().method;"), "Forecast stays chosen");
            assertTrue(d.findElement(By.cssSelector("input[name='hotspot-method'][value='forecast']")).isSelected(), "the Forecast radio");

            List<String> asked = requests(browser, "/api/hotspots?method=forecast");
            assertEquals(1, asked.size(), "the forecast asked for first: " + requests(browser, "/api/hotspots"));
            assertTrue(asked.get(0).contains("category=env-graffiti"), asked.get(0));
            JsonNode meta = api(asked.get(0)).path("meta");
            assertFalse(meta.path("enough_history").asBoolean(true), "the sparse category has too little history: " + meta);
            String note = meta.path("note").asText();
            assertFalse(note.isBlank(), "the server says why: " + meta);
            List<String> counts = requests(browser, "/api/hotspots?method=grid").stream().filter(u -> !u.contains("bbox=")).toList();
            assertEquals(List.of(asked.get(0).replace("method=forecast", "method=grid")), counts, "then the count map of the same selection");

            WebElement shown = d.findElement(By.id("hotspot-note"));
            assertTrue(shown.isDisplayed(), "the note is shown");
            assertEquals(note, shown.getText());
            assertEquals(note, browser.js("return window.aimHotspots.state().note;"));
            String legend = d.findElement(By.id("hotspot-legend")).getText();
            assertTrue(legend.contains("Incident counts") && legend.contains(note), "the count legend with the note: " + legend);
            assertEquals(SPARSE, ((Number) browser.js("return window.aimHotspots.cells().reduce((n, c) => n + c.count, 0);")).intValue(),
                    "the count map of the sparse category");
            assertTrue(d.findElement(By.id("hotspot-status")).getText().contains("with incidents"), d.findElement(By.id("hotspot-status")).getText());

            // another method chosen: the note goes
            d.findElement(By.cssSelector("input[name='hotspot-method'][value='kde']")).click();
            waitForDrawn(browser, "kde");
            assertFalse(d.findElement(By.id("hotspot-note")).isDisplayed(), "no note for density");
            assertNoConsoleErrors(browser);
        }
    }

    // --- helpers ---

    @SuppressWarnings("unchecked")
    private static List<String> requests(Browser browser, String prefix) {
        List<String> all = (List<String>) browser.js("return window.aimRequests;");
        return all.stream().filter(u -> u.startsWith(prefix)).toList();
    }

    private static JsonNode api(String path) throws Exception {
        var response = server.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), path + " → " + response.body());
        return TestServer.json(response);
    }

    private static void waitForPanel(Browser browser) {
        try {
            browser.waitUntil(READY, "the map and the hotspot panel", x -> Boolean.TRUE.equals(browser.js(
                    "return (window.aimReady === true && window.aimHotspots?.ready === true) || window.aimError != null;")) ? true : null);
        } catch (TimeoutException e) {
            fail("the panel did not become ready; console: " + browser.console().stream().map(LogEntry::getMessage).toList(), e);
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

    /** No console error, except the log-in refusals the log-in page may cause. */
    private static void assertNoConsoleErrors(Browser browser) {
        List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !(m.contains("/api/login") && m.contains("401")))
                .toList();
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }
}
