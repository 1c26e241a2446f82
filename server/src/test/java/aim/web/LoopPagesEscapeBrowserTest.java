package aim.web;

import aim.DemoLoader;
import aim.accounts.Organisations;
import aim.accounts.Role;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The /actions/ and /meetings/ pages show titles, notes and decisions as text: markup in them (an
 * {@code <img onerror>}) is shown literally and never runs.
 */
@Tag("browser")
class LoopPagesEscapeBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String ANALYST = "analyst.escape", PARTNER = "partner.escape";
    private static final String MARKUP = "<img src=x onerror=window.__xss=1>";

    @Fresh static TestServer server;
    static String token;
    static long meeting;

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        assertTrue(new DemoLoader(server.dataSource, work).loadIfMissing());
        token = server.userToken(ANALYST, Role.ANALYST);
        new Organisations(server.dataSource).create("wardens", "Wardens " + MARKUP, "wardens");
        server.accounts.create(PARTNER, PARTNER, Role.PARTNER, TestServer.PASSWORD, "wardens");
        String ward;
        try (var c = server.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id "
                     + "WHERE s.level = 'ward' AND s.version = '" + DemoLoader.VERSION + "' ORDER BY b.code LIMIT 1")) {
            assertTrue(rs.next());
            ward = rs.getString(1);
        }
        long problem = TestServer.json(post("/api/problems", """
                {"title": "Problem %1$s", "categories": ["anti-social-behaviour"], "area": "ward:%2$s", "owner": "aim",
                 "objective": "Objective %1$s"}""".formatted(MARKUP, ward))).path("id").asLong();
        post("/api/problems/" + problem + "/actions", """
                {"title": "Action %1$s", "organisation": "wardens", "due": "2099-01-01", "note": "Note %1$s"}""".formatted(MARKUP));
        meeting = TestServer.json(post("/api/meetings", """
                {"heldOn": "2026-01-12", "title": "Meeting %s", "attendees": ["wardens"], "agenda": [%d]}""".formatted(MARKUP, problem)))
                .path("id").asLong();
        post("/api/meetings/" + meeting + "/decisions", """
                {"text": "Decision %s", "problemId": %d}""".formatted(MARKUP, problem));
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        var r = server.send("POST", path, HttpRequest.BodyPublishers.ofString(body), "Authorization", "Bearer " + token,
                "Content-Type", "application/json");
        assertEquals(201, r.statusCode(), r.body());
        return r;
    }

    @Test
    void thePartnersActionsPageShowsMarkupAsText() throws Exception {
        try (Browser phone = Browser.phone(390, 844)) {
            phone.logIn(server.url(""), PARTNER, TestServer.PASSWORD, "/actions/");
            phone.waitUntil(READY, "the partner's actions", x -> Boolean.TRUE.equals(phone.js(
                    "return !!window.aimActions && window.aimActions.ready === true;")) ? true : null);
            String text = (String) phone.js("return document.body.innerText;");
            assertTrue(text.contains("Action " + MARKUP), text);
            assertTrue(text.contains("Note " + MARKUP), text);
            assertEquals(0L, phone.js("return document.querySelectorAll('main img, #my-actions img').length;"));
            assertNull(phone.js("return window.__xss === undefined ? null : window.__xss;"));
        }
    }

    @Test
    void theMeetingsPageShowsMarkupAsText() throws Exception {
        try (Browser browser = Browser.desktop(1280, 900)) {
            browser.logIn(server.url(""), ANALYST, TestServer.PASSWORD, "/meetings/");
            browser.driver.get(server.url("/meetings/?id=" + meeting));
            browser.waitUntil(READY, "the meeting", x -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimMeetings && window.aimMeetings.ready === true;")) ? true : null);
            browser.waitUntil(READY, "the decision", x -> String.valueOf(browser.js("return document.body.innerText;"))
                    .contains("Decision " + MARKUP) ? true : null);
            String text = (String) browser.js("return document.body.innerText;");
            assertTrue(text.contains("Meeting " + MARKUP), text);
            assertTrue(text.contains("Problem " + MARKUP), text);
            assertNull(browser.js("return window.__xss === undefined ? null : window.__xss;"));
            browser.driver.get(server.url("/meetings/"));
            browser.waitUntil(READY, "the list", x -> String.valueOf(browser.js("return document.body.innerText;"))
                    .contains("Meeting " + MARKUP) ? true : null);
            assertNull(browser.js("return window.__xss === undefined ? null : window.__xss;"));
        }
    }
}
