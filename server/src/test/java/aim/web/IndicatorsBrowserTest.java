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
 * waves as points with their 95 % intervals.
 */
@Tag("browser")
class IndicatorsBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String ANALYST = "analyst.indicators";
    @Fresh static TestServer server;
    static String token, wardCode;
    static FinancialQuarter quarter;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing());
        LocalDate today = LocalDate.now(aim.core.Council.UK);
        assertEquals(20 * 8 * 2, DemoSurvey.load(server.dataSource, today), "two measures, eight waves, twenty wards");
        token = server.userToken(ANALYST, Role.ANALYST);
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
