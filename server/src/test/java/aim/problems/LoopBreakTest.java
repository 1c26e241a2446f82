package aim.problems;

import aim.DemoLoader;
import aim.accounts.Role;
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

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static aim.problems.LoopFixture.counts;
import static aim.problems.LoopFixture.get;
import static aim.problems.LoopFixture.json;
import static aim.problems.LoopFixture.patch;
import static aim.problems.LoopFixture.post;
import static aim.problems.LoopFixture.problemBody;
import static aim.problems.LoopFixture.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An outside review that tries to break the meeting loop: leaks of other organisations' actions, partners
 * versus viewers, bad input (4xx naming the field, never 500, nothing written) and races.
 */
@Tag("postgis")
class LoopBreakTest {
    /** A word only the police action carries: no wardens partner or viewer may ever read it. */
    static final String SECRET = "Covertzulu";

    @Fresh static TestServer server;
    static String analyst;
    static String policePartner;
    static String wardenPartner;
    static String warden;
    static String viewer;
    static long problem;
    static long policeAction;
    static long wardenAction;
    static long meeting1;
    static long meeting2;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        LoopFixture.organisation(server, "police", "Cleveland Police", "police");
        LoopFixture.organisation(server, "wardens", "Neighbourhood Wardens", "wardens");
        policePartner = LoopFixture.member(server, "pete", Role.PARTNER, "police");
        wardenPartner = LoopFixture.member(server, "wanda", Role.PARTNER, "wardens");
        warden = LoopFixture.member(server, "will", Role.WARDEN, "wardens");
        var r = post(server, "/api/problems", analyst, problemBody("Shops", "\"ward:" + LoopFixture.ward(server, 1) + "\"", "aim",
                "\"startDate\": \"2025-01-10\", \"target\": {\"percent\": -20, \"months\": 3, \"start\": \"2025-02-01\"}"));
        assertEquals(201, r.statusCode(), r.body());
        problem = json(r).path("id").asLong();
        meeting1 = json(post(server, "/api/meetings", analyst, "{\"heldOn\": \"2025-02-10\", \"title\": \"AIM February\", "
                + "\"agenda\": [" + problem + "]}")).path("id").asLong();
        meeting2 = json(post(server, "/api/meetings", analyst, "{\"heldOn\": \"2025-03-10\", \"title\": \"AIM March\", "
                + "\"agenda\": [" + problem + "]}")).path("id").asLong();
        policeAction = action("{\"title\": \"" + SECRET + " test purchase\", \"organisation\": \"police\", \"due\": \"2025-03-01\", "
                + "\"meeting\": " + meeting1 + ", \"note\": \"" + SECRET + " note\"}");
        wardenAction = action("{\"title\": \"Clean-up\", \"organisation\": \"wardens\", \"due\": \"2025-03-02\", \"meeting\": " + meeting1 + "}");
        assertEquals(201, post(server, "/api/meetings/" + meeting1 + "/decisions", analyst,
                "{\"text\": \"Tackle the shops\", \"problemId\": " + problem + "}").statusCode());
    }

    static long action(String body) throws Exception {
        var r = post(server, "/api/problems/" + problem + "/actions", analyst, body);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).path("id").asLong();
    }

    // ---- 1. visibility ----

    /** Finding: the problem's history (kind action-added) named every organisation's action to every reader. */
    @Test
    void theProblemsHistoryHidesOtherOrganisationsActions() throws Exception {
        for (String token : List.of(wardenPartner, warden, viewer)) {
            var r = get(server, "/api/problems/" + problem, token);
            assertEquals(200, r.statusCode(), r.body());
            assertFalse(r.body().contains(SECRET), r.body());
        }
        JsonNode wardens = json(get(server, "/api/problems/" + problem, wardenPartner));
        List<JsonNode> added = java.util.stream.StreamSupport.stream(wardens.path("history").spliterator(), false)
                .filter(e -> e.path("kind").asText().equals("action-added")).toList();
        for (JsonNode e : added) assertEquals("wardens", e.path("changes").path("organisation").asText(), e.toString());
        assertEquals(scalar(server, "SELECT count(*) FROM problem_action WHERE problem_id = " + problem
                + " AND organisation_id = (SELECT id FROM partner_organisation WHERE code = 'wardens')"), String.valueOf(added.size()),
                "the wardens see their own actions being added");
        var all = get(server, "/api/problems/" + problem, analyst);
        assertTrue(all.body().contains(SECRET), "analysts see every action's history");
        assertTrue(get(server, "/api/problems/" + problem, policePartner).body().contains(SECRET));
    }

    /** Attempts that held: every other path keeps the police action from the wardens and the viewer. */
    @Test
    void attemptsAtOtherOrganisationsActionsThatHeld() throws Exception {
        for (String token : List.of(wardenPartner, warden, viewer)) {
            for (String path : List.of("/api/problems", "/api/actions", "/api/actions?organisation=police", "/api/actions?problem=" + problem,
                    "/api/actions?status=open", "/api/actions?overdue=true", "/api/actions?organisation=mine",
                    "/api/actions?organisation=police&problem=" + problem + "&status=open&overdue=true",
                    "/api/meetings/" + meeting1, "/api/meetings/" + meeting2, "/api/meetings",
                    "/api/meetings/" + meeting2 + "/briefing", "/api/meetings/" + meeting2 + "/briefing?format=html",
                    "/api/meetings/" + meeting1 + "/briefing?from=2025-01-01&to=2025-12-31")) {
                var r = get(server, path, token);
                assertEquals(200, r.statusCode(), path + " " + r.body());
                assertFalse(r.body().contains(SECRET), path + " " + r.body());
            }
            assertFalse(pdfText(token).contains(SECRET));
        }
        String open = "SELECT count(*) FROM problem_action a WHERE a.problem_id = " + problem + " AND a.status IN ('open', 'in-progress', 'on-hold')";
        assertEquals(Integer.parseInt(scalar(server, open + " AND a.organisation_id = (SELECT id FROM partner_organisation WHERE code = 'wardens')")),
                openActions(wardenPartner));
        assertEquals(0, openActions(viewer));
        assertEquals(Integer.parseInt(scalar(server, open)), openActions(analyst));
        assertEquals(0, json(get(server, "/api/actions?organisation=police", wardenPartner)).size());
        // a PATCH of another organisation's action: 403 naming id, nothing written
        List<Long> before = counts(server);
        String revision = scalar(server, "SELECT revision FROM problem_action WHERE id = " + policeAction);
        for (String token : List.of(wardenPartner, warden, viewer)) {
            var r = patch(server, "/api/actions/" + policeAction, token, "{\"status\": \"in-progress\", \"note\": \"x\"}");
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("id", json(r).path("field").asText());
            assertFalse(r.body().contains(SECRET));
        }
        assertEquals(before, counts(server));
        assertEquals(revision, scalar(server, "SELECT revision FROM problem_action WHERE id = " + policeAction));
        // a partner may not change staff fields of their own action either
        var r = patch(server, "/api/actions/" + wardenAction, wardenPartner, "{\"status\": \"in-progress\", \"due\": \"2099-01-01\"}");
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("due", json(r).path("field").asText());
        assertEquals(before, counts(server));
        // names of staff are hidden from partners, shown to analysts
        JsonNode seen = json(get(server, "/api/problems/" + problem, wardenPartner));
        for (JsonNode e : seen.path("history")) assertTrue(e.path("by").path("name").isNull(), e.toString());
        assertFalse(get(server, "/api/meetings/" + meeting1, wardenPartner).body().contains("\"anna\""));
        assertTrue(get(server, "/api/problems/" + problem, analyst).body().contains("\"anna\""));
    }

    /** A partner counts incidents exactly as a viewer does (target progress and every briefing figure). */
    @Test
    void aPartnerCountsLikeAViewer() throws Exception {
        assertEquals(json(get(server, "/api/problems/" + problem, viewer)).path("progress"),
                json(get(server, "/api/problems/" + problem, wardenPartner)).path("progress"));
        String window = "/api/meetings/" + meeting2 + "/briefing?from=2024-01-01&to=2025-12-31";
        JsonNode v = json(get(server, window, viewer)), p = json(get(server, window, wardenPartner));
        for (String part : List.of("headline", "hotspots", "wards", "problems", "map", "window")) {
            assertEquals(v.path(part), p.path(part), part);
        }
    }

    static int openActions(String token) throws Exception {
        for (JsonNode f : json(get(server, "/api/problems", token)).path("features")) {
            if (f.path("id").asLong() == problem) return f.path("properties").path("openActions").asInt();
        }
        throw new AssertionError("no problem " + problem);
    }

    static String pdfText(String token) throws Exception {
        var r = server.http.send(HttpRequest.newBuilder(URI.create(server.url("/api/meetings/" + meeting2 + "/briefing?format=pdf")))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        try (PDDocument pdf = Loader.loadPDF(r.body())) {
            return new PDFTextStripper().getText(pdf);
        }
    }

    // ---- 3. bad input ----

    record Bad(String method, String path, String body, String field, String... headers) {
    }

    @Test
    void badInputIs4xxNamingTheFieldAndWritesNothing() throws Exception {
        String ward = "\"ward:" + LoopFixture.ward(server, 1) + "\"";
        long[] sq = LoopFixture.squareInside(server, 1);
        String bowtie = "{\"type\": \"Polygon\", \"coordinates\": [[[-1.24, 54.56], [-1.22, 54.58], [-1.22, 54.56], [-1.24, 54.58], [-1.24, 54.56]]]}";
        String big = "{\"type\": \"Polygon\", \"coordinates\": [[[-1.6, 54.3], [-0.9, 54.3], [-0.9, 54.8], [-1.6, 54.8], [-1.6, 54.3]]]}";
        StringBuilder many = new StringBuilder();
        for (int k = 0; k < 2001; k++) many.append(k == 0 ? "" : ",").append("[").append(sq[0] / 50 + k % 40).append(",").append(sq[1] / 50 + k / 40).append("]");
        String longText = "x".repeat(10_240);
        String p = "/api/problems", a = "/api/problems/" + problem + "/actions";
        List<Bad> bad = List.of(
                new Bad("POST", p, problemBody("T", bowtie, "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"type\": \"Point\", \"coordinates\": [-1.23, 54.57]}", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"type\": \"LineString\", \"coordinates\": [[-1.23, 54.57], [-1.22, 54.57]]}", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"type\": \"GeometryCollection\", \"geometries\": []}", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"type\": \"Polygon\", \"coordinates\": [[[1e300, 1e300], [1e301, 0], [0, 1e300], [1e300, 1e300]]]}", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"type\": \"Polygon\", \"coordinates\": [[[-1.23, 54.57]]]}", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"type\": \"Polygon\", \"coordinates\": \"x\"}", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", big, "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"cell\": 250, \"cells\": [[2147483647, 0]]}", "aim", null), "area.cells"),
                new Bad("POST", p, problemBody("T", "{\"cell\": 250, \"cells\": [[99999999999999999999, 0]]}", "aim", null), "area.cells"),
                new Bad("POST", p, problemBody("T", "{\"cell\": 250, \"cells\": [[-1, -1]]}", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "{\"cell\": 50, \"cells\": [" + many + "]}", "aim", null), "area.cells"),
                new Bad("POST", p, problemBody("T", "{\"cell\": 37, \"cells\": [[1, 1]]}", "aim", null), "area.cell"),
                new Bad("POST", p, problemBody("T", "{\"cell\": 250.5, \"cells\": [[1, 1]]}", "aim", null), "area.cell"),
                new Bad("POST", p, problemBody("T", "{\"cell\": 250, \"cells\": [[1.5, 1]]}", "aim", null), "area.cells"),
                new Bad("POST", p, problemBody("T", "\"ward:NOPE\"", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "\"ward:\\u0000\"", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", "\"county:X\"", "aim", null), "area"),
                new Bad("POST", p, problemBody("T", ward, "nap:NOPE", null), "owner"),
                new Bad("POST", p, problemBody("T", ward, "police", null), "owner"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"startDate\": \"2026-02-30\""), "startDate"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"startDate\": \"+99999-01-01\""), "startDate"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"startDate\": \"99999-01-01\""), "startDate"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"reviewDate\": \"2000-01-01\""), "reviewDate"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": 0, \"months\": 3}"), "target.percent"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": 0.04, \"months\": 3}"), "target.percent"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": -101, \"months\": 3}"), "target.percent"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": \"abc\", \"months\": 3}"), "target.percent"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": -20, \"months\": 0}"), "target.months"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": -20, \"months\": 37}"), "target.months"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": -20, \"months\": 3, \"start\": \"2026-10-02\"}"), "target.start"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"target\": {\"percent\": -20, \"months\": 3, \"baseline\": \"x\"}"), "target.baseline"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"leadOrganisation\": \"nope\""), "leadOrganisation"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"leadOrganisation\": \"po\\u0000lice\""), "leadOrganisation"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"stage\": \"closed\""), "stage"),
                new Bad("POST", p, problemBody(longText, ward, "aim", null), "title"),
                new Bad("POST", p, problemBody("a\\u0000b", ward, "aim", null), "title"),
                new Bad("POST", p, problemBody("T", ward, "aim", "\"colour\": \"red\""), "colour"),
                new Bad("POST", p, problemBody("T", ward, "aim", null).replace("anti-social-behaviour", "no\\u0000pe"), "categories"),
                new Bad("POST", a, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2024-12-31\"}", "due"),
                new Bad("POST", a, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-02-30\"}", "due"),
                new Bad("POST", a, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"99999-01-01\"}", "due"),
                new Bad("POST", a, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-02-01\", \"startsOn\": \"2026-01-01\"}", "endsOn"),
                new Bad("POST", a, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-02-01\", \"assignee\": \"will\"}", "assignee"),
                new Bad("POST", a, "{\"title\": \"X\", \"organisation\": \"nope\", \"due\": \"2026-02-01\"}", "organisation"),
                new Bad("POST", a, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-02-01\", \"meeting\": 999999}", "meeting"),
                new Bad("POST", a, "{\"title\": \"" + longText + "\", \"organisation\": \"police\", \"due\": \"2026-02-01\"}", "title"),
                new Bad("POST", "/api/problems/999999/actions", "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-02-01\"}", "id"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"colour\": \"red\"}", "colour"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"status\": \"done\"}", "status"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"status\": \"finished\"}", "status"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"due\": null}", "due"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"due\": \"2024-01-01\"}", "due"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"assignee\": \"pete\"}", "assignee"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"note\": \"x\"}", "If-Match", "If-Match", "garbage"),
                new Bad("PATCH", "/api/actions/" + wardenAction, "{\"note\": \"x\"}", "If-Match", "If-Match", "\"99\""),
                new Bad("PATCH", p + "/" + problem, "{\"stage\": \"analysis\"}", "stage"),
                new Bad("PATCH", p + "/" + problem, "{\"colour\": \"red\"}", "colour"),
                new Bad("PATCH", p + "/" + problem, "{\"title\": null}", "title"),
                new Bad("PATCH", p + "/" + problem, "{\"area\": null}", "area"),
                new Bad("PATCH", p + "/" + problem, "{\"owner\": null}", "owner"),
                new Bad("PATCH", p + "/" + problem, "{\"reviewDate\": \"2024-01-01\"}", "reviewDate"),
                new Bad("PATCH", p + "/" + problem, "{\"title\": \"x\"}", "If-Match", "If-Match", "W/\"abc\""),
                new Bad("POST", p + "/" + problem + "/escalations", "{\"reason\": \"busy\"}", "owner"),
                new Bad("POST", p + "/" + problem + "/escalations", "{\"reason\": \"\"}", "reason"),
                new Bad("PATCH", "/api/escalations/999999", "{\"decision\": \"accepted\"}", "id"),
                new Bad("POST", "/api/meetings", "{\"heldOn\": \"2026-02-30\", \"title\": \"M\"}", "heldOn"),
                new Bad("POST", "/api/meetings", "{\"heldOn\": \"2026-02-03\", \"title\": \"M\", \"agenda\": [999999]}", "agenda"),
                new Bad("POST", "/api/meetings", "{\"heldOn\": \"2026-02-03\", \"title\": \"M\", \"attendees\": [\"nope\"]}", "attendees"),
                new Bad("POST", "/api/meetings", "{\"heldOn\": \"2026-02-03\", \"title\": \"M\\u0000\"}", "title"),
                new Bad("PATCH", "/api/meetings/" + meeting1, "{\"agenda\": [" + problem + ", 999999]}", "agenda"),
                new Bad("POST", "/api/meetings/999999/decisions", "{\"text\": \"x\"}", "id"),
                new Bad("POST", "/api/meetings/" + meeting1 + "/decisions", "{\"text\": \"x\", \"problemId\": 999999}", "problemId"),
                new Bad("GET", "/api/actions?problem=abc", null, "problem"),
                new Bad("GET", "/api/actions?overdue=maybe", null, "overdue"),
                new Bad("GET", "/api/actions?status=finished", null, "status"),
                new Bad("GET", "/api/actions?organisation=BAD!", null, "organisation"),
                new Bad("GET", "/api/problems?owner=x", null, "owner"),
                new Bad("GET", "/api/problems?bbox=1,2,3", null, "bbox"),
                new Bad("GET", "/api/meetings/" + meeting1 + "/briefing?from=2026-02-30", null, "from"),
                new Bad("GET", "/api/meetings/" + meeting1 + "/briefing?format=docx", null, "format"));
        List<Long> before = counts(server);
        List<String> wrong = new ArrayList<>();
        for (Bad b : bad) {
            var r = LoopFixture.send(server, b.method(), b.path(), analyst, b.body(), b.headers());
            String field = r.body().startsWith("{") ? json(r).path("field").asText() : "";
            if (r.statusCode() < 400 || r.statusCode() >= 500 || !b.field().equals(field)) {
                wrong.add(b.method() + " " + b.path() + " " + abbreviate(b.body()) + " -> " + r.statusCode() + " " + abbreviate(r.body()));
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(before, counts(server));
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Unicode (accents, dashes, ≥, an emoji) in titles survives the JSON, the HTML and the PDF. */
    @Test
    void unicodeTitlesSurviveEveryFormat() throws Exception {
        String title = "Café – 50 % ≥ 3 😀";
        var r = post(server, "/api/problems", analyst, problemBody(title, "\"ward:" + LoopFixture.ward(server, 2) + "\"", "aim",
                "\"startDate\": \"2025-03-01\""));
        assertEquals(201, r.statusCode(), r.body());
        long id = json(r).path("id").asLong();
        assertEquals(title, json(r).path("title").asText());
        assertEquals(201, post(server, "/api/problems/" + id + "/actions", analyst,
                "{\"title\": \"" + title + "\", \"organisation\": \"wardens\", \"due\": \"2025-03-05\"}").statusCode());
        long m = json(post(server, "/api/meetings", analyst, "{\"heldOn\": \"2025-03-20\", \"title\": \"" + title + "\", \"agenda\": ["
                + id + "]}")).path("id").asLong();
        assertEquals(201, post(server, "/api/meetings/" + m + "/decisions", analyst,
                "{\"text\": \"" + title + "\", \"problemId\": " + id + "}").statusCode());
        for (String format : List.of("json", "html")) {
            var b = get(server, "/api/meetings/" + m + "/briefing?format=" + format, wardenPartner);
            assertEquals(200, b.statusCode(), b.body());
            assertTrue(b.body().contains("Café"), format);
        }
        var pdf = server.http.send(HttpRequest.newBuilder(URI.create(server.url("/api/meetings/" + m + "/briefing?format=pdf")))
                .header("Authorization", "Bearer " + analyst).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pdf.statusCode());
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            assertTrue(new PDFTextStripper().getText(doc).contains("Café"));
        }
    }

    // ---- 4. races ----

    @Test
    void fiftyParallelMovesOfOneActionLogOneMove() throws Exception {
        long id = action("{\"title\": \"Race\", \"organisation\": \"wardens\", \"due\": \"2099-01-01\"}");
        var responses = parallel(50, () -> patch(server, "/api/actions/" + id, wardenPartner, "{\"status\": \"in-progress\"}", "If-Match", "\"1\""));
        assertEquals(1, responses.stream().filter(r -> r.statusCode() == 200).count());
        for (var r : responses) assertTrue(r.statusCode() == 200 || r.statusCode() == 412, r.statusCode() + " " + r.body());
        assertEquals("1", scalar(server, "SELECT count(*) FROM action_event WHERE kind = 'status' AND action_id = " + id));
        // without If-Match the move is made once; repeating it is a no-op, not a second move
        long other = action("{\"title\": \"Race 2\", \"organisation\": \"wardens\", \"due\": \"2099-01-01\"}");
        for (var r : parallel(50, () -> patch(server, "/api/actions/" + other, wardenPartner, "{\"status\": \"in-progress\"}"))) {
            assertEquals(200, r.statusCode(), r.body());
        }
        assertEquals("1", scalar(server, "SELECT count(*) FROM action_event WHERE kind = 'status' AND action_id = " + other));
        assertEquals("2", scalar(server, "SELECT revision FROM problem_action WHERE id = " + other));
    }

    @Test
    void fiftyParallelDecisionsOnOneEscalationLetOneWin() throws Exception {
        var r = post(server, "/api/problems", analyst, problemBody("NAP race", "\"ward:" + LoopFixture.ward(server, 3) + "\"",
                "nap:" + LoopFixture.neighbourhood(server), null));
        assertEquals(201, r.statusCode(), r.body());
        long id = json(r).path("id").asLong();
        var raised = parallel(50, () -> post(server, "/api/problems/" + id + "/escalations", analyst, "{\"reason\": \"too big\"}"));
        assertEquals(1, raised.stream().filter(x -> x.statusCode() == 201).count());
        for (var x : raised) assertTrue(x.statusCode() == 201 || x.statusCode() == 409, x.body());
        long escalation = json(raised.stream().filter(x -> x.statusCode() == 201).findFirst().orElseThrow()).path("id").asLong();
        var decided = parallel(50, () -> patch(server, "/api/escalations/" + escalation, analyst,
                "{\"decision\": \"accepted\", \"note\": \"ok\"}"));
        assertEquals(1, decided.stream().filter(x -> x.statusCode() == 200).count());
        for (var x : decided) assertTrue(x.statusCode() == 200 || x.statusCode() == 409, x.body());
        assertEquals("1", scalar(server, "SELECT count(*) FROM problem_event WHERE kind = 'accepted' AND problem_id = " + id));
        assertEquals("aim", scalar(server, "SELECT owner FROM problem WHERE id = " + id));
        // an aim-owned problem cannot be escalated again
        assertEquals(409, post(server, "/api/problems/" + id + "/escalations", analyst, "{\"reason\": \"again\"}").statusCode());
    }

    @Test
    void fiftyParallelRetriedActionsMakeOneRow() throws Exception {
        String body = "{\"title\": \"Retried action\", \"organisation\": \"police\", \"due\": \"2099-01-01\"}";
        var responses = parallel(50, () -> post(server, "/api/problems/" + problem + "/actions", analyst, body,
                "Idempotency-Key", "retried-action-1"));
        Set<Long> ids = new HashSet<>();
        for (var r : responses) {
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.statusCode() + " " + r.body());
            ids.add(json(r).path("id").asLong());
        }
        assertEquals(1, ids.size());
        assertEquals(1, responses.stream().filter(r -> r.statusCode() == 201).count());
        assertEquals("1", scalar(server, "SELECT count(*) FROM problem_action WHERE title = 'Retried action'"));
        assertEquals("1", scalar(server, "SELECT count(*) FROM problem_event WHERE kind = 'action-added' AND changes->>'title' = 'Retried action'"));
    }

    static List<HttpResponse<String>> parallel(int n, Callable<HttpResponse<String>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<HttpResponse<String>> out = new ArrayList<>();
            for (var f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
