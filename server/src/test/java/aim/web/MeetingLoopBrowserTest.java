package aim.web;

import aim.DemoLoader;
import aim.accounts.Accounts;
import aim.accounts.Organisations;
import aim.accounts.Role;
import aim.hotspots.FinancialQuarter;
import aim.testing.Browser;
import aim.testing.Screenshots;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One AIM meeting cycle run from the web pages, in headless Chromium against the real server and PostGIS
 * (the "done when"). Before it: the demo borough with a planted cluster of ASB noise reports, two
 * partner organisations (police, housing), a housing partner, the previous meeting three weeks ago and the
 * next one in two days, and a problem owned by the North NAP with a police action that is overdue.
 * <ol>
 * <li>An analyst selects two hot cells on the Gi* map, creates a problem with a target (−20 % over 3 months),
 *     and adds actions for the police and for housing;</li>
 * <li>the housing partner, on a 390×844 phone, moves their action to in progress and then done;</li>
 * <li>the analyst escalates the NAP's problem and accepts the escalation: ownership moves to the AIM group;</li>
 * <li>the next meeting's briefing, as the analyst's HTML page and as the PDF (read back with PDFBox), lists the
 *     new problem, the overdue and the completed actions and the escalation, with the server-drawn map.</li>
 * </ol>
 */
@Tag("browser")
class MeetingLoopBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String ANALYST = "analyst.loop";
    private static final String PARTNER = "housing.partner";
    private static final String TITLE = "Noise at the planted cluster";
    private static final String OVERDUE = "Door-knock Park Lane";
    private static final String COMPLETED = "Letters to tenants";

    @Fresh static TestServer server;
    static String token;
    static double lat, lon;
    static long napProblem, nextMeeting;
    static LocalDate today;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        token = server.userToken(ANALYST, Role.ANALYST);
        var organisations = new Organisations(server.dataSource);
        organisations.create("police", "Cleveland Police", "police");
        organisations.create("housing", "Thirteen Housing", "housing");
        new Accounts(server.dataSource).create(PARTNER, "Hana Housing", Role.PARTNER, TestServer.PASSWORD, "housing");
        today = LocalDate.now(aim.core.Council.UK);
        double[] centre = LoopMapFixture.plantCluster(server, FinancialQuarter.of(today).previous(), 120, "loop-test-");
        lat = centre[0];
        lon = centre[1];

        post("/api/meetings", """
                {"heldOn": "%s", "title": "AIM group (previous)", "attendees": ["police", "housing"]}""".formatted(today.minusDays(21)));
        nextMeeting = post("/api/meetings", """
                {"heldOn": "%s", "title": "AIM group (next)", "attendees": ["police", "housing"]}""".formatted(today.plusDays(2)))
                .path("id").asLong();
        napProblem = post("/api/problems", """
                {"title": "Park Lane ASB (North NAP)", "categories": ["anti-social-behaviour"], "area": "neighbourhood:DEMO-N-NORTH",
                 "owner": "nap:DEMO-N-NORTH", "objective": "Residents of Park Lane feel safe", "startDate": "%s"}"""
                .formatted(today.minusDays(40))).path("id").asLong();
        post("/api/problems/" + napProblem + "/actions", """
                {"title": "%s", "organisation": "police", "due": "%s"}""".formatted(OVERDUE, today.minusDays(5)));
    }

    @Test
    void aMeetingCycleRunsFromTheMapThePhoneAndTheBriefing() throws Exception {
        long problem;
        try (Browser browser = Browser.desktop(1440, 900)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/");

            // 1. the analyst makes a problem of two hot cells on the Gi* map, with a target, and gives two partners actions
            d.get(server.url("/?lat=" + lat + "&lon=" + lon + "&z=16&layers=hotspots,wards,problems&method=gistar&cell=250"));
            browser.waitUntil(READY, "the map, the hot spots and the problems", x -> Boolean.TRUE.equals(browser.js("""
                    return window.aimReady === true && !!window.aimHotspots && window.aimHotspots.ready
                      && window.aimHotspots.state().drawn === 'gistar' && !window.aimHotspots.state().loading
                      && !!window.aimProblems && window.aimProblems.ready;""")) ? true : null);
            // three panels open leave little map: the analyst folds the assets panel and the legend
            d.findElement(By.id("asset-panel-toggle")).click();
            d.findElement(By.cssSelector("#hotspot-legend > summary")).click();
            d.findElement(By.id("problems-open")).click();
            d.findElement(By.id("problem-new")).click();
            d.findElement(By.id("problem-select-cells")).click();
            List<String> picked = new ArrayList<>();
            for (WebElement path : d.findElements(By.cssSelector("path.aim-hotspot-bin-3"))) {
                if (picked.size() == 2) break;
                String cell = path.getAttribute("data-cell");
                Map<String, Number> at = LoopMapFixture.uncoveredPixel(browser, cell);
                if (at == null) continue;
                browser.clickAt(at.get("x").intValue(), at.get("y").intValue());
                picked.add(cell);
            }
            assertEquals(2, picked.size(), () -> "two 99% hot cells could be clicked: " + browser.js("""
                    const p = document.querySelector('path.aim-hotspot-bin-3'); if (!p) return 'no hot cell drawn';
                    const r = p.getBoundingClientRect(); const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                    return document.querySelectorAll('path.aim-hotspot-bin-3').length + ' hot cells; on top: ' + (e && (e.tagName + ' ' + e.getAttribute('class')))
                      + '; map classes: ' + document.getElementById('map').className;"""));
            browser.waitUntil(SHORT, "two cells selected", x -> x.findElements(By.cssSelector("path.aim-hotspot-selected")).size() == 2 ? true : null);
            d.findElement(By.id("problem-title")).sendKeys(TITLE);
            d.findElement(By.cssSelector("#problem-categories input[value='asb-noise']")).click();
            d.findElement(By.id("problem-objective")).sendKeys("Fewer residents kept awake");
            d.findElement(By.id("problem-target-percent")).sendKeys("-20");
            d.findElement(By.id("problem-create")).click();
            WebElement detail = browser.waitUntil(READY, "the new problem's detail", x -> {
                WebElement box = x.findElement(By.id("problem-detail"));
                return box.isDisplayed() && "true".equals(box.getAttribute("data-ready")) && !box.getAttribute("data-problem-id").isEmpty()
                        && !x.findElements(By.id("action-form")).isEmpty() ? box : null;
            });
            problem = Long.parseLong(detail.getAttribute("data-problem-id"));
            JsonNode stored = get("/api/problems/" + problem);
            assertEquals(TITLE, stored.path("title").asText());
            assertEquals(-20, stored.path("target").path("percent").asInt(), stored.toString());
            assertEquals(2, stored.path("area").path("cells").size(), stored.toString());

            addAction(browser, "Evening patrols", "police", today.plusDays(14), 1);
            addAction(browser, COMPLETED, "housing", today.plusDays(7), 2);

            // 2. the housing partner, on a phone, completes their action
            try (Browser phone = Browser.phone(390, 844)) {
                phone.logIn(server.url(""), PARTNER, TestServer.PASSWORD, "/actions/");
                phone.waitUntil(READY, "the partner's actions", x -> Boolean.TRUE.equals(phone.js(
                        "return !!window.aimActions && window.aimActions.ready === true;")) ? true : null);
                @SuppressWarnings("unchecked")
                List<Number> ids = (List<Number>) phone.js("return window.aimActions.ids();");
                assertEquals(1, ids.size(), "only housing's action: " + ids);
                long action = ids.get(0).longValue();
                String item = "#my-actions li[data-action-id='" + action + "']";
                phone.driver.findElement(By.cssSelector(item + " button.loop-status[data-status='in-progress']")).click();
                phone.waitUntil(SHORT, "in progress", x -> x.findElements(By.cssSelector(item + "[data-status='in-progress']")).isEmpty() ? null : true);
                phone.driver.findElement(By.cssSelector(item + " .loop-action-note")).sendKeys("Sent to all 40 flats");
                phone.driver.findElement(By.cssSelector(item + " button.loop-status[data-status='done']")).click();
                phone.waitUntil(SHORT, "done", x -> x.findElements(By.cssSelector(item)).isEmpty() ? true : null);
                LoopMapFixture.assertNoConsoleErrors(phone);
            }
            JsonNode housing = get("/api/actions?organisation=housing&problem=" + problem).get(0);
            assertEquals("done", housing.path("status").asText(), housing.toString());
            assertEquals(today.toString(), housing.path("completedOn").asText());

            // 3. the analyst escalates the NAP's problem to the AIM group and accepts it
            browser.js("window.aimProblems.open(arguments[0]);", napProblem);
            browser.waitUntil(READY, "the NAP problem's detail", x -> {
                WebElement box = x.findElement(By.id("problem-detail"));
                return String.valueOf(napProblem).equals(box.getAttribute("data-problem-id")) && "true".equals(box.getAttribute("data-ready"))
                        && !x.findElements(By.id("problem-escalate")).isEmpty() ? true : null;
            });
            d.findElement(By.id("problem-escalate-reason")).sendKeys("Beyond what the North NAP can cover");
            d.findElement(By.id("problem-escalate")).click();
            browser.waitUntil(SHORT, "the escalation waits for a decision", x -> x.findElements(By.id("escalation-accept")).isEmpty() ? null : true);
            d.findElement(By.id("escalation-note")).sendKeys("Taken on by the AIM group");
            d.findElement(By.id("escalation-accept")).click();
            browser.waitUntil(SHORT, "ownership moved", x -> {
                try {
                    return "aim".equals(get("/api/problems/" + napProblem).path("owner").asText()) ? true : null;
                } catch (Exception e) {
                    return null;
                }
            });
            JsonNode nap = get("/api/problems/" + napProblem);
            assertEquals("accepted", nap.path("escalations").get(0).path("decision").asText(), nap.toString());
            List<String> kinds = new ArrayList<>();
            nap.path("history").forEach(h -> kinds.add(h.path("kind").asText()));
            assertTrue(kinds.containsAll(List.of("created", "escalated", "accepted")), "logged: " + kinds);

            // 4. the next meeting's briefing page, as the analyst sees it in the browser
            d.get(server.url("/api/meetings/" + nextMeeting + "/briefing?format=html"));
            String page = d.findElement(By.tagName("body")).getText();
            assertTrue(page.contains(TITLE), "the new problem: " + page);
            assertTrue(page.contains(OVERDUE), "the overdue action: " + page);
            assertTrue(page.contains(COMPLETED), "the completed action: " + page);
            assertTrue(page.contains("Beyond what the North NAP can cover"), "the escalation: " + page);
            WebElement map = d.findElement(By.cssSelector("svg"));
            assertTrue(map.getSize().getWidth() > 300, "the map image is drawn: " + map.getSize());
            assertTrue(d.findElements(By.cssSelector("svg path")).size() >= 20, "ward outlines and cells in the map");
            Screenshots.save(browser, "briefing"); // the README's picture of the briefing page
            LoopMapFixture.assertNoConsoleErrors(browser);
        }

        // and the same briefing as a PDF, read back with PDFBox
        var pdf = server.http.send(HttpRequest.newBuilder(URI.create(server.url("/api/meetings/" + nextMeeting + "/briefing?format=pdf")))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElseThrow());
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            assertTrue(document.getNumberOfPages() >= 2, "pages: " + document.getNumberOfPages());
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            assertTrue(text.contains(TITLE), text);
            assertTrue(text.contains(OVERDUE), text);
            assertTrue(text.contains(COMPLETED), text);
            assertTrue(text.contains("overdue"), text);
            assertTrue(text.contains("Beyond what the North NAP can cover"), text);
        }
    }

    /** Adds an action in the open problem's form and waits until the list has {@code count} actions. */
    private static void addAction(Browser browser, String title, String organisation, LocalDate due, int count) {
        var d = browser.driver;
        d.findElement(By.id("action-title")).sendKeys(title);
        new Select(d.findElement(By.id("action-organisation"))).selectByValue(organisation);
        browser.js("document.getElementById('action-due').value = arguments[0];", due.toString());
        d.findElement(By.id("action-add")).click();
        browser.waitUntil(SHORT, count + " actions listed", x -> x.findElements(By.cssSelector("#problem-actions li.loop-action")).size() == count
                && !x.findElements(By.id("action-title")).isEmpty() ? true : null);
    }

    private static JsonNode get(String path) throws Exception {
        var response = server.get(path, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), response.body());
        return TestServer.json(response);
    }

    private static JsonNode post(String path, String body) throws Exception {
        var response = server.send("POST", path, HttpRequest.BodyPublishers.ofString(body),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertEquals(201, response.statusCode(), response.body());
        return TestServer.json(response);
    }
}
