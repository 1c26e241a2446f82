package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.hotspots.FinancialQuarter;
import aim.indicators.DemoSurvey;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The indicators panel in headless Chromium against the real server and PostGIS with the demo borough, the
 * generated demo survey and incidents inserted by SQL in one ward over the last complete financial quarter
 * (7 police-reported, 11 council-reported). An analyst opens the panel: one table row per ward with a
 * sparkline, the two-source table with the planted ward's police and public counts in the last quarter
 * (as the API says), the indicator as a choropleth with its legend; and a ward's profile shows its survey
 * waves as points with their 95 % intervals. Then: the level switch (neighbourhoods; LSOAs with an
 * imported LSOA score drawn as an LSOA choropleth), and targets set from the panel (analysts only) that
 * turn the RAG column; the quarter so far, marked as not ended.
 */
@Tag("browser")
class IndicatorsBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String ANALYST = "analyst.indicators", VIEWER = "viewer.indicators";
    @Fresh static TestServer server;
    static String token, wardCode;
    static FinancialQuarter quarter;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing());
        LocalDate today = LocalDate.now(aim.core.Council.UK);
        assertEquals(20 * 8 * 2, DemoSurvey.load(server.dataSource, today), "two measures, eight waves, twenty wards");
        token = server.userToken(ANALYST, Role.ANALYST);
        server.userToken(VIEWER, Role.VIEWER);
        quarter = FinancialQuarter.of(today).previous();
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("""
                    SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET 3 LIMIT 1""")) {
                assertTrue(rs.next());
                wardCode = rs.getString(1);
            }
            aim.incidents.IncidentPartitions.ensureMonths(c, quarter.start(), quarter.end());
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT CASE WHEN k <= 7 THEN 'police' ELSE 'council' END, 'burglary',
                           ('%s'::date + k + time '12:00') AT TIME ZONE 'Europe/London', 'day', ST_PointOnSurface(b.geom), 'exact', 'ind-' || k
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id, generate_series(1, 18) k
                    WHERE s.level = 'ward' AND s.version = 'demo' AND b.code = '%s'""".formatted(quarter.start(), wardCode));
            // an LSOA set: the planted ward's west and east halves (the demo has no LSOAs)
            st.execute("""
                    INSERT INTO boundary_set (level, version, valid_from) VALUES ('lsoa', 'test-lsoa', date '2021-03-21');
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT s.id, 'E01900001', 'west half', ST_Multi(ST_Intersection(w.geom, ST_MakeEnvelope(ST_XMin(w.geom), ST_YMin(w.geom),
                           (ST_XMin(w.geom) + ST_XMax(w.geom)) / 2, ST_YMax(w.geom), 27700)))
                    FROM boundary_set s, boundary w JOIN boundary_set ws ON ws.id = w.set_id AND ws.level = 'ward' AND ws.version = 'demo'
                    WHERE s.version = 'test-lsoa' AND w.code = '%1$s';
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT s.id, 'E01900002', 'east half', ST_Multi(ST_Intersection(w.geom, ST_MakeEnvelope((ST_XMin(w.geom) + ST_XMax(w.geom)) / 2,
                           ST_YMin(w.geom), ST_XMax(w.geom), ST_YMax(w.geom), 27700)))
                    FROM boundary_set s, boundary w JOIN boundary_set ws ON ws.id = w.set_id AND ws.level = 'ward' AND ws.version = 'demo'
                    WHERE s.version = 'test-lsoa' AND w.code = '%1$s';""".formatted(wardCode));
        }
        var imported = server.send("POST", "/api/indicators/import?kind=score", java.net.http.HttpRequest.BodyPublishers.ofString(
                        "lsoa,measure,period,value,name,direction\nE01900001,imd-score,%1$s,10,Index of Multiple Deprivation score,down\n"
                                .formatted(quarter.start()) + "E01900002,imd-score,%1$s,30,,\n".formatted(quarter.start())),
                "Content-Type", "text/csv", "Authorization", "Bearer " + token);
        assertEquals(200, imported.statusCode(), imported.body());
    }

    private static void choose(Browser browser, String id, String value) {
        browser.js("const s = document.getElementById(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change'));", id, value);
    }

    private static void waitForIndicators(Browser browser) {
        browser.waitUntil(READY, "the indicators", x -> Boolean.TRUE.equals(browser.js("return window.aimIndicators?.ready === true;")) ? true : null);
    }

    /** The indicator choropleth's areas as "code class…", sorted. */
    @SuppressWarnings("unchecked")
    private static List<String> mapped(Browser browser) {
        return ((List<List<Object>>) browser.js("return window.aimIndicators.mapped();")).stream()
                .map(p -> p.get(0) + " " + p.get(1)).sorted().toList();
    }

    /** How many of the panel's rows are of each RAG status in the API's answer for the last period. */
    private static long ragCount(String indicator, String rag) throws Exception {
        JsonNode t = TestServer.json(server.get("/api/indicators?indicator=" + indicator, "Authorization", "Bearer " + token));
        long n = 0;
        for (JsonNode row : t.path("rows")) if (rag.equals(row.path("cells").get(7).path("rag").asText())) n++;
        return n;
    }

    private static void openPanel(Browser browser, String user) {
        var d = browser.driver;
        browser.logIn(server.url(""), user, TestServer.PASSWORD, "/");
        browser.waitUntil(READY, "the map and the panel", x -> Boolean.TRUE.equals(browser.js(
                "return (window.aimReady === true && window.aimHotspots?.ready === true) || window.aimError != null;")) ? true : null);
        assertNull(browser.js("return window.aimError ?? null;"));
        d.findElement(By.cssSelector("#indicators-panel summary")).click();
        waitForIndicators(browser);
    }

    @Test
    void theLevelSwitchShowsNeighbourhoodsAndAnLsoaScoreAsAnLsoaChoroplethAndTheQuarterSoFarIsMarked() throws Exception {
        var neighbourhoods = TestServer.json(server.get("/api/indicators?level=neighbourhood&indicator=incidents-public",
                "Authorization", "Bearer " + token));
        int neighbourhoodCount = neighbourhoods.path("rows").size();
        assertTrue(neighbourhoodCount > 1 && neighbourhoodCount < 20, "the demo borough has neighbourhoods: " + neighbourhoodCount);
        try (Browser browser = Browser.desktop(1280, 900)) {
            var d = browser.driver;
            openPanel(browser, ANALYST);
            List<String> levels = d.findElements(By.cssSelector("#indicators-level option")).stream().map(o -> o.getAttribute("value")).toList();
            assertTrue(levels.containsAll(List.of("ward", "neighbourhood", "lsoa")) && levels.stream().anyMatch(l -> l.startsWith("zone:")), levels.toString());

            choose(browser, "indicators-level", "neighbourhood");
            waitForIndicators(browser);
            assertEquals(neighbourhoodCount, d.findElements(By.cssSelector("#indicators-table tbody tr")).size(), "one row per neighbourhood");
            assertEquals(neighbourhoodCount, d.findElements(By.cssSelector("#indicators-split tbody tr")).size());
            assertEquals("neighbourhood", browser.js("return window.aimIndicators.table().meta.level;"));

            // LSOAs: imported indicators only; the score drawn per LSOA, classed like the ward rates
            choose(browser, "indicators-level", "lsoa");
            waitForIndicators(browser);
            List<String> offered = d.findElements(By.cssSelector("#indicators-indicator option")).stream().map(o -> o.getAttribute("value")).toList();
            assertFalse(offered.contains("incidents-public"), "computed indicators are not offered by LSOA: " + offered);
            choose(browser, "indicators-indicator", "imd-score");
            waitForIndicators(browser);
            assertEquals(2, d.findElements(By.cssSelector("#indicators-table tbody tr")).size(), "the two LSOAs of the study area");
            assertTrue(d.findElement(By.cssSelector("#indicators-table tbody tr[data-code='E01900002'] .indicator-value")).getText().startsWith("30"));
            assertFalse(d.findElement(By.id("indicators-split")).isDisplayed(), "no two-source table by LSOA");
            d.findElement(By.id("indicators-map")).click();
            browser.waitUntil(READY, "the LSOA choropleth", x -> mapped(browser).size() == 2 ? true : null);
            List<String> drawn = mapped(browser);
            assertTrue(drawn.get(0).startsWith("E01900001 ") && drawn.get(0).contains("aim-ward-rate-class-1"), drawn.toString());
            assertTrue(drawn.get(1).startsWith("E01900002 ") && !drawn.get(1).contains("aim-ward-rate-class-1"), "10 and 30 in different classes: " + drawn);
            String legend = d.findElement(By.id("indicators-legend")).getText();
            assertTrue(legend.contains("Index of Multiple Deprivation score") && legend.contains("LSOAs") && legend.contains(quarter.label()), legend);

            // back to wards: the choropleth follows (one path per ward)
            choose(browser, "indicators-level", "ward");
            waitForIndicators(browser);
            browser.waitUntil(READY, "the ward choropleth", x -> mapped(browser).size() == 20 ? true : null);

            // "so far": the quarter that has not ended yet, marked in both tables' headers as the API's meta.incomplete says
            assertTrue(d.findElements(By.cssSelector("th.indicator-incomplete")).isEmpty(), "complete quarters by default");
            d.findElement(By.id("indicators-current")).click();
            waitForIndicators(browser);
            String now = FinancialQuarter.of(LocalDate.now(aim.core.Council.UK)).label();
            assertEquals(List.of(now), browser.js("return window.aimIndicators.table().meta.incomplete;"));
            assertEquals(now + " (not ended)", d.findElement(By.cssSelector("#indicators-table thead th.indicator-incomplete")).getText());
            assertEquals(now + " (not ended)", d.findElement(By.cssSelector("#indicators-split thead th.indicator-incomplete")).getText());
            assertEquals(1, d.findElements(By.cssSelector("#indicators-split thead th.indicator-incomplete")).size());
            assertTrue(d.findElement(By.id("indicators-note")).getText().contains(now + " not ended yet"));
        }
    }

    @Test
    void anAnalystSetsTargetsFromThePanelAndAViewerHasNoTargetForm() throws Exception {
        try (Browser browser = Browser.desktop(1280, 900)) {
            var d = browser.driver;
            openPanel(browser, ANALYST);
            choose(browser, "indicators-indicator", "incidents-police");
            waitForIndicators(browser);
            assertTrue(d.findElements(By.cssSelector("#indicators-table .indicator-rag")).isEmpty(), "no targets yet");
            // every area: at most 5 police-reported incidents a quarter (down is good): the planted ward (7) is red, the others green
            choose(browser, "indicators-target-area", "*");
            d.findElement(By.id("indicators-target-value")).sendKeys("5");
            d.findElement(By.id("indicators-target-set")).click();
            browser.waitUntil(READY, "the RAG column", x -> d.findElements(By.cssSelector("#indicators-table .indicator-rag")).size() == 20
                    || d.findElement(By.id("indicators-target-status")).getText().contains("not") ? true : null);
            assertEquals("Target saved.", d.findElement(By.id("indicators-target-status")).getText());
            assertEquals("red", d.findElement(By.cssSelector("#indicators-table tbody tr[data-code='" + wardCode + "'] .indicator-rag")).getText());
            assertEquals(ragCount("incidents-police", "green"), d.findElements(By.cssSelector("#indicators-table .indicator-rag-green")).size(), "as the API says");
            assertEquals(ragCount("incidents-police", "red"), d.findElements(By.cssSelector("#indicators-table .indicator-rag-red")).size());
            // the planted ward's own target, 7 with the default 10 % band: green; the others keep the target for every area
            choose(browser, "indicators-target-area", wardCode);
            var value = d.findElement(By.id("indicators-target-value"));
            value.clear();
            value.sendKeys("7");
            d.findElement(By.id("indicators-target-set")).click();
            browser.waitUntil(READY, "the planted ward's own target", x -> "green".equals(d.findElement(By.cssSelector(
                    "#indicators-table tbody tr[data-code='" + wardCode + "'] .indicator-rag")).getText()) ? true : null);
            JsonNode stored = TestServer.json(server.get("/api/indicators/incidents-police/targets", "Authorization", "Bearer " + token));
            assertEquals(2, stored.path("targets").size(), stored.toString());
            assertEquals(ragCount("incidents-police", "green"), d.findElements(By.cssSelector("#indicators-table .indicator-rag-green")).size());
        }
        try (Browser browser = Browser.desktop(1280, 900)) {
            openPanel(browser, VIEWER);
            choose(browser, "indicators-indicator", "incidents-police");
            waitForIndicators(browser);
            assertTrue(browser.driver.findElements(By.id("indicators-target")).isEmpty(), "a viewer has no target form");
            assertEquals(20, browser.driver.findElements(By.cssSelector("#indicators-table .indicator-rag")).size(), "but sees the RAG");
        }
    }

    @Test
    void anAnalystReadsTheIndicatorsTheSplitTheChoroplethAndTheSurveyWaves() throws Exception {
        var api = server.get("/api/indicators?indicator=incidents-police,incidents-public", "Authorization", "Bearer " + token);
        assertEquals(200, api.statusCode(), api.body());
        JsonNode table = TestServer.json(api);
        assertEquals(quarter.label(), table.path("meta").path("periods").get(7).path("label").asText(), "eight quarters up to the last complete one");

        try (Browser browser = Browser.desktop(1280, 900)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            browser.waitUntil(READY, "the map and the panel", x -> Boolean.TRUE.equals(browser.js(
                    "return (window.aimReady === true && window.aimHotspots?.ready === true) || window.aimError != null;")) ? true : null);
            assertNull(browser.js("return window.aimError ?? null;"));
            d.findElement(By.cssSelector("#indicators-panel summary")).click();
            browser.waitUntil(READY, "the indicators", x -> Boolean.TRUE.equals(browser.js("return window.aimIndicators?.ready === true;")) ? true : null);

            List<WebElement> rows = d.findElements(By.cssSelector("#indicators-table tbody tr"));
            assertEquals(20, rows.size(), "one row per ward");
            assertFalse(d.findElements(By.cssSelector("#indicators-table tbody tr polyline")).isEmpty(), "sparklines");
            assertEquals("incidents-public", d.findElement(By.id("indicators-indicator")).getAttribute("value"));
            WebElement planted = d.findElement(By.cssSelector("#indicators-table tbody tr[data-code='" + wardCode + "'] .indicator-value"));
            assertTrue(planted.getText().startsWith("11"), planted.getText());

            // the council's layout: police and public side by side per quarter
            assertEquals(8, d.findElements(By.cssSelector("#indicators-split thead th[colspan='2']")).size());
            WebElement split = d.findElement(By.cssSelector("#indicators-split tbody tr[data-code='" + wardCode + "']"));
            List<WebElement> police = split.findElements(By.cssSelector(".split-police")), pub = split.findElements(By.cssSelector(".split-public"));
            assertEquals("7", police.get(7).getText());
            assertEquals("11", pub.get(7).getText());

            // the indicator on the map, classed like the ward rates
            int before = d.findElements(By.cssSelector("path.aim-ward-rate")).size();
            d.findElement(By.id("indicators-map")).click();
            browser.waitUntil(READY, "the choropleth", x -> d.findElements(By.cssSelector("path.aim-ward-rate")).size() >= before + 20 ? true : null);
            String legend = d.findElement(By.id("indicators-legend")).getText();
            assertTrue(legend.contains(quarter.label()) && legend.contains("per 1,000"), legend);

            // a ward's profile: its survey waves as points with their intervals
            d.findElement(By.cssSelector("#ward-ranking tbody tr[data-code='" + wardCode + "']")).click();
            browser.waitUntil(READY, "the survey waves", x -> d.findElements(By.cssSelector("#ward-profile-surveys circle.survey-wave")).size() == 16 ? true : null);
            assertEquals(16, d.findElements(By.cssSelector("#ward-profile-surveys line.survey-ci")).size());
            assertTrue(d.findElement(By.id("ward-profile-surveys")).getText().contains("(demo)"));
        }
    }
}
