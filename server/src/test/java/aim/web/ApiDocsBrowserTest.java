package aim.web;

import aim.testing.Browser;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API reference at /api/docs: Swagger UI, served from the jar (no other origin is contacted), renders
 * every operation of /api/openapi.json under the page's own Content-Security-Policy without a violation.
 */
@Tag("browser")
class ApiDocsBrowserTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String RECORDER = """
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', (e) =>
              window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));""";

    @Fresh static TestServer server;

    @Test
    void theReferenceListsEveryOperationUnderItsPolicy() throws Exception {
        var page = server.get("/api/docs");
        assertEquals(200, page.statusCode());
        assertEquals(SecurityHeaders.DOCS_POLICY, page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertTrue(page.body().contains("id=\"swagger-ui\""), page.body());
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""), "the page is revalidated");
        var script = java.util.regex.Pattern.compile("src=\"(/api/docs/docs-[A-Z0-9]{8}\\.js)\"").matcher(page.body());
        assertTrue(script.find(), "the page names its hashed bundle: " + page.body());
        var bundle = server.get(script.group(1));
        assertEquals(200, bundle.statusCode(), script.group(1));
        assertEquals(App.IMMUTABLE, bundle.headers().firstValue("Cache-Control").orElse(""), "the hashed bundle is kept");
        assertEquals(SecurityHeaders.DOCS_POLICY, bundle.headers().firstValue("Content-Security-Policy").orElse(""));
        int operations = operationCount(TestServer.json(server.get("/api/openapi.json")));

        try (Browser browser = Browser.desktop(1280, 900)) {
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
            browser.driver.get(server.url("/api/docs/"));
            browser.waitUntil(READY, "every operation listed", d ->
                    d.findElements(By.cssSelector(".opblock")).size() >= operations ? true : null);
            assertEquals(operations, browser.driver.findElements(By.cssSelector(".opblock")).size(), "operations listed");
            String paths = browser.driver.findElements(By.cssSelector(".opblock-summary-path")).stream()
                    .map(e -> e.getAttribute("data-path")).collect(Collectors.joining(" "));
            assertTrue(paths.contains("/api/incidents/{id}") && paths.contains("/api/health"), paths);
            assertTrue(browser.driver.findElement(By.cssSelector(".info .title")).getText().contains("AIM"), "the spec's title");

            // "Try it out" on GET /api/health: the UI works past its first paint (opened, sent, answer highlighted)
            browser.driver.findElement(By.cssSelector(".opblock-summary-path[data-path='/api/health']")).click();
            browser.waitUntil(READY, "the operation opened", d ->
                    d.findElements(By.cssSelector(".opblock.is-open .try-out__btn")).isEmpty() ? null : true);
            browser.driver.findElement(By.cssSelector(".opblock.is-open .try-out__btn")).click();
            browser.waitUntil(READY, "Execute", d -> d.findElements(By.cssSelector(".opblock.is-open .execute")).isEmpty() ? null : true);
            browser.driver.findElement(By.cssSelector(".opblock.is-open .execute")).click();
            browser.waitUntil(READY, "the answer", d -> d.findElements(By.cssSelector(".opblock.is-open .live-responses-table .response-col_status"))
                    .stream().anyMatch(e -> e.getText().trim().startsWith("200")) ? true : null);
            assertTrue(browser.driver.findElement(By.cssSelector(".opblock.is-open .live-responses-table")).getText().contains("\"ok\""),
                    "the health answer shown");

            Object origins = browser.js("return [...new Set(performance.getEntriesByType('resource').map((r) => new URL(r.name).origin))];");
            assertEquals(List.of(server.origin()), origins, "only this server is contacted");
            assertEquals(List.of(), browser.js("return window.__csp;"), "securitypolicyviolation events");
            String console = browser.console().stream().map(e -> e.getMessage())
                    .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"))
                    .collect(Collectors.joining("\n"));
            assertTrue(console.isEmpty(), console);

            // the detector works: an inline style element is refused and reported under this page's policy
            browser.js("const s = document.createElement('style'); s.textContent = 'body { color: red }'; document.head.appendChild(s);");
            browser.waitUntil(Duration.ofSeconds(5), "the refused inline style reported",
                    d -> ((List<?>) browser.js("return window.__csp;")).isEmpty() ? null : true);
        }
    }

    private static int operationCount(JsonNode spec) {
        Set<String> methods = Set.of("get", "put", "post", "delete", "patch", "head", "options");
        int n = 0;
        for (var path : spec.path("paths").properties()) {
            for (var op : path.getValue().properties()) if (methods.contains(op.getKey())) n++;
        }
        return n;
    }
}
