package aim.web;

import aim.DemoLoader;
import aim.accounts.Organisations;
import aim.accounts.Role;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meetings page in headless Chromium against the real server and PostGIS (demo borough): an
 * analyst creates a meeting with an attending organisation and a problem on the agenda, records a
 * decision on that problem and adds an action during the meeting (both stored, the action linked to
 * the meeting), and the briefing links answer with HTML and a PDF. The agenda item's link opens the
 * map on that problem (a map view URL): its detail is shown.
 */
@Tag("browser")
class MeetingsBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String ANALYST = "analyst.meetings";

    @Fresh static TestServer server;
    static String token;
    static long problem;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing(), "demo loaded into the fresh database");
        token = server.userToken(ANALYST, Role.ANALYST);
        new Organisations(server.dataSource).create("police", "Cleveland Police", "police");
        String ward;
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                     WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code LIMIT 1""".formatted(DemoLoader.VERSION))) {
            assertTrue(rs.next());
            ward = rs.getString(1);
        }
        var created = server.send("POST", "/api/problems", HttpRequest.BodyPublishers.ofString("""
                {"title": "Fly-tipping in the back lanes", "categories": ["asb-noise"], "area": "ward:%s", "owner": "aim",
                 "objective": "Fewer reports"}""".formatted(ward)), "Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertEquals(201, created.statusCode(), created.body());
        problem = TestServer.json(created).path("id").asLong();
    }

    @Test
    void anAnalystRunsAMeetingAndOpensItsBriefing() throws Exception {
        LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
        try (Browser browser = Browser.desktop(1280, 900)) {
            var d = browser.driver;
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/meetings/");
            browser.waitUntil(READY, "the meetings page", x -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimMeetings && window.aimMeetings.ready === true;")) ? true : null);

            // a meeting: date, title, the police attending, the problem on the agenda
            browser.js("document.getElementById('meeting-date').value = arguments[0];", today.toString());
            WebElement title = d.findElement(By.id("meeting-title"));
            title.clear();
            title.sendKeys("AIM tasking group");
            d.findElement(By.cssSelector("#meeting-form input[name='attendees'][value='police']")).click();
            d.findElement(By.cssSelector("#meeting-form input[name='agenda'][value='" + problem + "']")).click();
            d.findElement(By.id("meeting-create-button")).click();
            browser.waitUntil(READY, "the meeting page", x -> x.getCurrentUrl().contains("/meetings/?id=") && Boolean.TRUE.equals(browser.js(
                    "return !!window.aimMeetings && window.aimMeetings.ready === true && !!document.getElementById('meeting-agenda');")) ? true : null);
            long meeting = Long.parseLong(d.getCurrentUrl().replaceAll(".*[?&]id=(\\d+).*", "$1"));

            // a decision on the agenda item, recorded live
            WebElement item = d.findElement(By.cssSelector("#meeting-agenda li[data-problem-id='" + problem + "']"));
            item.findElement(By.cssSelector("textarea.meeting-decision-text")).sendKeys("Wardens to patrol the back lanes");
            item.findElement(By.cssSelector("button.meeting-decision-add")).click();
            browser.waitUntil(SHORT, "the decision listed", x -> x.findElements(By.cssSelector(
                    "#meeting-agenda li[data-problem-id='" + problem + "'] .meeting-decisions li")).isEmpty() ? null : true);
            JsonNode stored = TestServer.json(server.get("/api/meetings/" + meeting, "Authorization", "Bearer " + token));
            assertEquals(1, stored.path("decisions").size(), stored.toString());
            assertEquals("Wardens to patrol the back lanes", stored.path("decisions").get(0).path("text").asText());
            assertEquals(problem, stored.path("decisions").get(0).path("problemId").asLong());
            assertEquals("police", stored.path("attendees").get(0).path("code").asText(), stored.toString());

            // an action agreed at the meeting
            item = d.findElement(By.cssSelector("#meeting-agenda li[data-problem-id='" + problem + "']"));
            item.findElement(By.cssSelector("details.meeting-action summary")).click();
            String prefix = "meeting-action-" + problem;
            d.findElement(By.id(prefix + "-title")).sendKeys("Clear the lanes");
            new Select(d.findElement(By.id(prefix + "-organisation"))).selectByValue("police");
            browser.js("document.getElementById(arguments[0]).value = arguments[1];", prefix + "-due", today.plusDays(14).toString());
            item.findElement(By.cssSelector("form.meeting-action-form button[type=submit]")).click();
            browser.waitUntil(SHORT, "the action added", x -> ((String) browser.js(
                    "return document.getElementById('meetings-status').textContent;")).contains("Clear the lanes") ? true : null);
            JsonNode actions = TestServer.json(server.get("/api/actions?problem=" + problem, "Authorization", "Bearer " + token));
            assertEquals(1, actions.size(), actions.toString());
            assertEquals(meeting, actions.get(0).path("meetingId").asLong(), "agreed at this meeting");

            // the briefing links answer with the page and the PDF (the browser's session)
            for (String[] link : List.of(new String[]{"meeting-briefing-html", "text/html"}, new String[]{"meeting-briefing-pdf", "application/pdf"})) {
                String href = d.findElement(By.id(link[0])).getAttribute("href");
                String answer = (String) browser.jsAsync("const done = arguments[arguments.length - 1];"
                        + " fetch(arguments[0]).then((r) => done(r.status + ' ' + r.headers.get('content-type')), (e) => done(String(e)));", href);
                assertTrue(answer.startsWith("200 " + link[1]), link[0] + ": " + answer);
            }

            // the agenda item opens the map on the problem
            d.findElement(By.cssSelector("#meeting-agenda li[data-problem-id='" + problem + "'] a.meeting-problem-title")).click();
            browser.waitUntil(READY, "the problem on the map", x -> Boolean.TRUE.equals(browser.js(
                    "const box = document.getElementById('problem-detail');"
                            + " return window.aimReady === true && !!box && box.dataset.problemId === arguments[0] && box.dataset.ready === 'true';",
                    String.valueOf(problem))) ? true : null);
            assertEquals("Fly-tipping in the back lanes", d.findElement(By.id("problem-detail-title")).getText());

            List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage).toList();
            assertTrue(errors.isEmpty(), "browser console errors: " + errors);
        }
    }
}
