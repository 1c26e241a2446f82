package aim.web;

import aim.publicdata.PublicTestData;
import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public map (/public/) in headless Chromium, never signed in, over {@link PublicTestData}: it loads
 * the ward counts and the 500 m grid, shows "&lt;5" for the suppressed wards and squares, and no count
 * from 1 to 4 or sensitive category anywhere on the page; the download links and the licence are there;
 * and the server's Content-Security-Policy reports no violation.
 */
@Tag("browser")
class PublicViewBrowserTest {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String RECORDER = """
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '')));""";
    /** A whole number standing alone in text (not part of 2025-03, v3.0, 1,000 or 6–9). */
    private static final Pattern NUMBER = Pattern.compile("(?<![\\d\\-–.,])\\b\\d+\\b(?![\\d\\-–.,])");

    @Fresh static TestServer server;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        PublicTestData.load(server.dataSource, dir);
    }

    @Test
    void thePublicMapLoadsSignedOutAndShowsNoSmallCount() {
        try (Browser browser = Browser.desktop(1280, 900)) {
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
            browser.driver.get(server.url("/public/?level=ward&from=2025-03&to=2025-04&category=burglary&cell=500"));
            browser.waitUntil(READY, "window.aimPublic.ready", d -> Boolean.TRUE.equals(browser.js(
                    "return !!window.aimPublic && window.aimPublic.ready === true;")) ? true : null);
            assertNull(browser.js("return window.aimPublic.error;"));
            assertTrue(browser.driver.getCurrentUrl().contains("/public/"), "no redirect to the log-in page");
            assertEquals(20L, browser.js("return window.aimPublic.areas;"));
            assertEquals(5L, browser.js("return window.aimPublic.cells;"));

            @SuppressWarnings("unchecked")
            List<String> counts = (List<String>) browser.js("return window.aimPublic.texts();");
            assertTrue(counts.contains("<5"), counts.toString());
            assertTrue(counts.contains("12"), counts.toString());
            for (String count : counts) assertNoSmallNumber(count, "a count");

            String text = (String) browser.js("return document.body.innerText;");
            assertNoSmallNumber(text, "the page");
            assertTrue(text.contains("<5"), "the legend's <5 class");
            for (String s : PublicTestData.SENSITIVE) assertFalse(text.contains(s), "names " + s);
            @SuppressWarnings("unchecked")
            List<String> options = (List<String>) browser.js(
                    "return [...document.querySelectorAll('#public-category option')].map((o) => o.value + ' ' + o.textContent);");
            assertTrue(options.stream().anyMatch(o -> o.startsWith("burglary ")), options.toString());
            for (String s : PublicTestData.SENSITIVE) assertTrue(options.stream().noneMatch(o -> o.contains(s)), options.toString());

            @SuppressWarnings("unchecked")
            List<String> links = (List<String>) browser.js(
                    "return [...document.querySelectorAll('#public-downloads a')].map((a) => a.getAttribute('href'));");
            assertEquals(4, links.size(), links.toString());
            assertTrue(links.get(0).contains("format=csv"), links.toString());
            assertTrue(text.contains("Open Government Licence v3.0"), "the licence");
            assertTrue(text.contains("Contains OS data © Crown copyright and database right"), "the OS/ONS attribution");
            assertEquals(List.of(), browser.js("return window.__csp;"), "no Content-Security-Policy violation");
            aim.testing.Screenshots.save(browser, "public-view");
        }
    }

    private static void assertNoSmallNumber(String text, String where) {
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group());
            assertFalse(n >= 1 && n <= 4, where + " shows " + n + " in: " + text);
        }
    }
}
