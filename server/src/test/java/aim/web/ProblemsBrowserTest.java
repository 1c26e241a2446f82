package aim.web;

import aim.DemoLoader;
import aim.accounts.Organisations;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meeting loop on the map in headless Chromium, against the real server and PostGIS with the demo
 * borough and a planted cluster of 120 "ASB: noise" reports in the last complete financial quarter (the
 * hotspot panel's default period). An analyst opens a shared map view (centred on the cluster, Gi*, 250 m
 * cells: the view URL sets the centre, zoom, overlays and method), opens the Problems panel, starts a new problem, clicks two 99% hot cells on the map
 * to select them, and submits the form: first without a title or category (the messages show next to
 * those fields, nothing is sent), then filled in. The problem the server stored has exactly the
 * selected cells as its place; its outline is drawn in its stage's class; the address bar names it.
 * Then the analyst advances its stage, adds an action for an organisation and moves the action on.
 * A partner (police) on a phone opens "My organisation's actions": only the police actions, the overdue
 * one first and highlighted, big buttons for the valid next statuses only; moves it on with a note.
 */
@Tag("browser")
class ProblemsBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String ANALYST = "analyst.problems";
    private static final int PLANTED = 120;

    @Fresh static TestServer server;
    static String token;
    static FinancialQuarter quarter;
    /** the centre of the planted cluster in WGS84 */
    static double lat, lon;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        token = server.userToken(ANALYST, Role.ANALYST);
        new Organisations(server.dataSource).create("police", "Cleveland Police", "police");
        quarter = FinancialQuarter.of(LocalDate.now(ZoneId.of("Europe/London"))).previous();
        double[] centre = LoopMapFixture.plantCluster(server, quarter, PLANTED, "problems-test-");
        lat = centre[0];
        lon = centre[1];
    }

    @Test
    void anAnalystMakesAProblemOfSelectedHotCellsAndWorksIt() throws Exception {
        try (Browser browser = Browser.desktop(1280, 800)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");
            // a shared view: centred on the cluster, zoomed in, Gi* with 250 m cells, no incident markers
            d.get(server.url("/?lat=" + lat + "&lon=" + lon + "&z=16&layers=hotspots,wards,problems&method=gistar&cell=250"));
            browser.waitUntil(READY, "the map, the hot spots and the problems", x -> Boolean.TRUE.equals(browser.js("""
                    return window.aimReady === true && !!window.aimHotspots && window.aimHotspots.ready
                      && window.aimHotspots.state().drawn === 'gistar' && !window.aimHotspots.state().loading
                      && !!window.aimProblems && window.aimProblems.ready;""")) ? true : null);
            assertEquals("gistar", d.findElement(By.cssSelector("input[name=hotspot-method]:checked")).getAttribute("value"),
                    "the shared view's method");

            d.findElement(By.id("problems-open")).click();
            d.findElement(By.id("problem-new")).click();
            assertTrue(d.findElement(By.id("problem-place-cells")).isSelected(), "hot cells are the first kind of place");
            d.findElement(By.id("problem-select-cells")).click();

            // two hot cells, clicked on the map
            List<String> hot = new ArrayList<>();
            for (WebElement path : d.findElements(By.cssSelector("path.aim-hotspot-bin-3"))) hot.add(path.getAttribute("data-cell"));
            assertTrue(hot.size() >= 2, "at least two 99% hot cells: " + hot);
            List<String> picked = new ArrayList<>();
            for (String cell : hot) {
                if (picked.size() == 2) break;
                Map<String, Number> at = LoopMapFixture.uncoveredPixel(browser, cell);
                if (at == null) continue;
                browser.clickAt(at.get("x").intValue(), at.get("y").intValue());
                picked.add(cell);
            }
            assertEquals(2, picked.size(), "two hot cells could be clicked: " + hot);
            browser.waitUntil(SHORT, "two cells selected", x -> d.findElements(By.cssSelector("path.aim-hotspot-selected")).size() == 2 ? true : null);
            assertEquals("Place: 2 cells of 250 m", d.findElement(By.id("problem-place-text")).getText());
            assertTrue(d.findElements(By.cssSelector(".leaflet-popup")).isEmpty(), "selecting opens no cell popup");

            // nothing filled in: the messages are next to their fields, nothing is sent
            int before = problemCount();
            d.findElement(By.id("problem-create")).click();
            assertEquals("Give the problem a title.", errorFor(browser, "title"));
            assertEquals("Tick at least one category.", errorFor(browser, "categories"));
            assertEquals("Say what the work on this problem is to achieve.", errorFor(browser, "objective"));
            assertEquals(before, problemCount(), "no problem was made");

            d.findElement(By.id("problem-title")).sendKeys("Noise around the planted cluster");
            d.findElement(By.cssSelector("#problem-categories input[value='asb-noise']")).click();
            d.findElement(By.id("problem-objective")).sendKeys("Fewer noise reports");
            d.findElement(By.id("problem-target-percent")).sendKeys("-20");
            d.findElement(By.id("problem-create")).click();

            browser.waitUntil(READY, "the form answered", x -> Boolean.TRUE.equals(browser.js(
                    "return !document.getElementById('problem-create').disabled;")) ? true : null);
            assertEquals("", formMessages(browser), "no message on the form");
            WebElement detail = browser.waitUntil(READY, "the new problem's detail", x -> {
                WebElement box = x.findElement(By.id("problem-detail"));
                return box.isDisplayed() && "true".equals(box.getAttribute("data-ready")) && !box.getAttribute("data-problem-id").isEmpty()
                        && !x.findElements(By.id("problem-detail-title")).isEmpty() ? box : null;
            });
            long id = Long.parseLong(detail.getAttribute("data-problem-id"));
            assertEquals("Noise around the planted cluster", d.findElement(By.id("problem-detail-title")).getText());

            JsonNode problem = TestServer.json(server.get("/api/problems/" + id, "Authorization", "Bearer " + token));
            assertEquals(250, problem.path("area").path("cell").asInt(), problem.toString());
            List<String> stored = new ArrayList<>();
            problem.path("area").path("cells").forEach(c -> stored.add(c.get(0).asInt() + "," + c.get(1).asInt()));
            assertEquals(picked.stream().sorted().toList(), stored.stream().sorted().toList(), "the place is the selected cells");
            assertEquals("objective", problem.path("stage").asText());
            assertEquals(-20, problem.path("target").path("percent").asInt(), problem.toString());
            assertEquals("aim", problem.path("owner").asText());

            browser.waitUntil(SHORT, "the problem's outline", x -> x.findElements(
                    By.cssSelector("path.aim-problem.aim-problem-objective[data-problem-id='" + id + "']")).isEmpty() ? null : true);
            browser.waitUntil(SHORT, "the address names the problem", x -> x.getCurrentUrl().contains("problem=" + id) ? true : null);
            assertTrue(d.getCurrentUrl().contains("method=gistar"), d.getCurrentUrl());

            // the stage moves on one step
            WebElement advance = d.findElement(By.id("problem-advance"));
            assertEquals("scanning", advance.getAttribute("data-stage"));
            advance.click();
            browser.waitUntil(SHORT, "the stage advanced", x -> "scanning".equals(x.findElement(By.id("problem-detail")).getAttribute("data-stage")) ? true : null);

            // an action for the police, then moved on along the workflow
            browser.waitUntil(SHORT, "the action form", x -> x.findElements(By.id("action-form")).isEmpty() ? null : true);
            d.findElement(By.id("action-title")).sendKeys("Evening patrols");
            new Select(d.findElement(By.id("action-organisation"))).selectByValue("police");
            browser.js("document.getElementById('action-due').value = arguments[0];", LocalDate.now(ZoneId.of("Europe/London")).plusDays(14).toString());
            d.findElement(By.id("action-add")).click();
            WebElement action = browser.waitUntil(SHORT, "the action listed", x -> x.findElements(By.cssSelector("#problem-actions li.loop-action")).stream().findFirst().orElse(null));
            List<String> offered = action.findElements(By.cssSelector("button.loop-status")).stream().map(b -> b.getAttribute("data-status")).toList();
            assertEquals(List.of("in-progress", "on-hold", "cancelled"), offered, "only the valid next statuses");
            action.findElement(By.cssSelector(".loop-action-note")).sendKeys("Two nights a week");
            action.findElement(By.cssSelector("button.loop-status[data-status='in-progress']")).click();
            browser.waitUntil(SHORT, "the action in progress", x -> x.findElements(
                    By.cssSelector("#problem-actions li.loop-action[data-status='in-progress']")).isEmpty() ? null : true);
            JsonNode actions = TestServer.json(server.get("/api/actions?problem=" + id, "Authorization", "Bearer " + token));
            assertEquals(1, actions.size(), actions.toString());
            assertEquals("in-progress", actions.get(0).path("status").asText());
            assertEquals("police", actions.get(0).path("organisation").path("code").asText());

            LoopMapFixture.assertNoConsoleErrors(browser);
        }
    }

    @Test
    void aPartnerOnAPhoneMovesTheirOrganisationsActionsOnOverdueFirst() throws Exception {
        new Organisations(server.dataSource).create("housing", "Thirteen Housing", "housing");
        new aim.accounts.Accounts(server.dataSource).create("pc.partner", "PC Partner", Role.PARTNER, TestServer.PASSWORD, "police");
        LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
        String auth = "Bearer " + token;
        var created = server.send("POST", "/api/problems", java.net.http.HttpRequest.BodyPublishers.ofString("""
                {"title": "Partner test problem", "categories": ["asb-noise"], "area": "ward:%s", "owner": "aim", "objective": "Fewer reports", "startDate": "%s"}"""
                .formatted(firstWard(), today.minusDays(30))), "Authorization", auth, "Content-Type", "application/json");
        assertEquals(201, created.statusCode(), created.body());
        long problem = TestServer.json(created).path("id").asLong();
        long overdue = addAction(problem, "Door-knock the flats", "police", today.minusDays(10));
        long later = addAction(problem, "Evening patrols", "police", today.plusDays(20));
        addAction(problem, "Fix the entry doors", "housing", today.plusDays(5));

        try (Browser phone = Browser.phone(390, 844)) {
            phone.logIn(server.url(""), "pc.partner", TestServer.PASSWORD, "/actions/");
            phone.waitUntil(READY, "window.aimActions.ready", x -> Boolean.TRUE.equals(phone.js(
                    "return !!window.aimActions && window.aimActions.ready === true;")) ? true : null);
            @SuppressWarnings("unchecked")
            List<Number> ids = (List<Number>) phone.js("return window.aimActions.ids();");
            assertEquals(List.of(overdue, later), ids.stream().map(Number::longValue).toList(),
                    "the police actions only, the overdue one first");
            WebElement first = phone.driver.findElement(By.cssSelector("#my-actions li[data-action-id='" + overdue + "']"));
            assertTrue(first.getAttribute("class").contains("loop-overdue"), "overdue is highlighted");
            List<WebElement> buttons = first.findElements(By.cssSelector("button.loop-status"));
            assertEquals(List.of("in-progress", "on-hold", "cancelled"), buttons.stream().map(b -> b.getAttribute("data-status")).toList());
            for (WebElement b : buttons) {
                assertTrue(b.getSize().getHeight() >= 44, "a big button: " + b.getSize());
                assertTrue(b.getRect().getX() + b.getSize().getWidth() <= 390, "on the screen: " + b.getRect());
            }
            first.findElement(By.cssSelector(".loop-action-note")).sendKeys("Started on Monday");
            buttons.get(0).click();
            phone.waitUntil(SHORT, "in progress", x -> x.findElements(By.cssSelector(
                    "#my-actions li[data-action-id='" + overdue + "'][data-status='in-progress']")).isEmpty() ? null : true);
            JsonNode action = TestServer.json(server.get("/api/actions?problem=" + problem, "Authorization", auth));
            JsonNode moved = null;
            for (JsonNode a : action) if (a.path("id").asLong() == overdue) moved = a;
            assertEquals("in-progress", moved.path("status").asText(), moved.toString());
            assertEquals("Started on Monday", moved.path("history").get(moved.path("history").size() - 1).path("note").asText(), moved.toString());
            // a partner cannot reopen or un-cancel: done offers nothing further
            WebElement done = phone.driver.findElement(By.cssSelector("#my-actions li[data-action-id='" + overdue + "'] button.loop-status[data-status='done']"));
            done.click();
            phone.waitUntil(SHORT, "done and hidden", x -> x.findElements(By.cssSelector("#my-actions li[data-action-id='" + overdue + "']")).isEmpty() ? true : null);
            LoopMapFixture.assertNoConsoleErrors(phone);
        }
    }

    private static int problemCount() throws Exception {
        return TestServer.json(server.get("/api/problems", "Authorization", "Bearer " + token)).path("features").size();
    }

    private static String firstWard() throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                     WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code LIMIT 1""".formatted(DemoLoader.VERSION))) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static long addAction(long problem, String title, String organisation, LocalDate due) throws Exception {
        var response = server.send("POST", "/api/problems/" + problem + "/actions", java.net.http.HttpRequest.BodyPublishers.ofString("""
                {"title": "%s", "organisation": "%s", "due": "%s"}""".formatted(title, organisation, due)),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertEquals(201, response.statusCode(), response.body());
        return TestServer.json(response).path("id").asLong();
    }

    /** The error line shown next to a field of the new-problem form. */
    private static String errorFor(Browser browser, String field) {
        return (String) browser.js("const e = document.querySelector(`#problem-form .loop-field-error[data-error-for='${arguments[0]}']`);"
                + " return e && !e.hidden ? e.textContent : null;", field);
    }

    /** Every message shown on the new-problem form ("" when none). */
    private static String formMessages(Browser browser) {
        return (String) browser.js("return [...document.querySelectorAll('#problem-form .loop-field-error, #problem-form-error')]"
                + ".filter((e) => !e.hidden && e.textContent).map((e) => (e.dataset.errorFor || 'form') + ': ' + e.textContent).join(' | ');");
    }
}
