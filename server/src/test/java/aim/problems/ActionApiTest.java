package aim.problems;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static aim.problems.LoopFixture.counts;
import static aim.problems.LoopFixture.get;
import static aim.problems.LoopFixture.json;
import static aim.problems.LoopFixture.patch;
import static aim.problems.LoopFixture.post;
import static aim.problems.LoopFixture.problemBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actions over HTTP: the visibility rule on every path, who may change what, the status workflow and history. */
@Tag("postgis")
class ActionApiTest {
    @Fresh static TestServer server;
    static String analyst;
    static String policePartner;
    static String wardenPartner;
    static String viewer;
    static long problem;
    static long policeAction;
    static long wardenAction;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        LoopFixture.organisation(server, "police", "Cleveland Police", "police");
        LoopFixture.organisation(server, "wardens", "Neighbourhood Wardens", "wardens");
        policePartner = LoopFixture.member(server, "pete", Role.PARTNER, "police");
        wardenPartner = LoopFixture.member(server, "wanda", Role.PARTNER, "wardens");
        LoopFixture.member(server, "will", Role.WARDEN, "wardens");
        var r = post(server, "/api/problems", analyst, problemBody("Shops", "\"ward:" + LoopFixture.ward(server, 1) + "\"", "aim",
                "\"startDate\": \"2026-01-10\""));
        assertEquals(201, r.statusCode(), r.body());
        problem = json(r).path("id").asLong();
        policeAction = action("{\"title\": \"Patrols\", \"organisation\": \"police\", \"due\": \"2026-02-01\"}");
        wardenAction = action("{\"title\": \"Clean-up\", \"organisation\": \"wardens\", \"assignee\": \"will\", \"due\": \"2099-03-01\", "
                + "\"startsOn\": \"2099-02-01\", \"endsOn\": \"2099-02-07\", \"note\": \"agreed\"}");
    }

    static long action(String body) throws Exception {
        var r = post(server, "/api/problems/" + problem + "/actions", analyst, body);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).path("id").asLong();
    }

    static List<Long> ids(JsonNode actions) {
        return java.util.stream.StreamSupport.stream(actions.spliterator(), false).map(a -> a.path("id").asLong()).toList();
    }

    static void onlyOf(String organisation, long expected, JsonNode actions) {
        assertTrue(ids(actions).contains(expected), actions.toString());
        for (JsonNode a : actions) assertEquals(organisation, a.path("organisation").path("code").asText());
    }

    @Test
    void aNewActionHasItsFieldsAndHistory() throws Exception {
        JsonNode a = json(get(server, "/api/actions?problem=" + problem + "&organisation=wardens", analyst)).get(0);
        assertEquals("Clean-up", a.path("title").asText());
        assertEquals("wardens", a.path("organisation").path("code").asText());
        assertEquals("will", a.path("assignee").path("username").asText());
        assertEquals("2099-02-01", a.path("startsOn").asText());
        assertEquals("open", a.path("status").asText());
        assertTrue(!a.path("overdue").asBoolean());
        assertEquals("created", a.path("history").get(0).path("kind").asText());
        assertEquals("agreed", a.path("history").get(0).path("note").asText());
        JsonNode overdue = json(get(server, "/api/actions?overdue=true", analyst));
        assertTrue(ids(overdue).contains(policeAction), "due in the past and open");
        assertTrue(!ids(overdue).contains(wardenAction));
        for (JsonNode o : overdue) assertTrue(o.path("overdue").asBoolean());
    }

    @Test
    void partnersSeeOnlyTheirOwnOrganisationsActionsEverywhere() throws Exception {
        assertTrue(ids(json(get(server, "/api/actions", analyst))).containsAll(List.of(policeAction, wardenAction)));
        for (String path : List.of("/api/actions", "/api/actions?organisation=mine", "/api/actions?status=open,in-progress,done")) {
            JsonNode mine = json(get(server, path, policePartner));
            assertTrue(ids(mine).contains(policeAction), path);
            for (JsonNode a : mine) assertEquals("police", a.path("organisation").path("code").asText(), path);
        }
        assertEquals(List.of(), ids(json(get(server, "/api/actions?organisation=wardens", policePartner))));
        onlyOf("police", policeAction, json(get(server, "/api/actions?problem=" + problem, policePartner)));
        onlyOf("wardens", wardenAction, json(get(server, "/api/actions?problem=" + problem, wardenPartner)));
        assertEquals(List.of(), ids(json(get(server, "/api/actions", viewer))), "no organisation: no actions");
        JsonNode detail = json(get(server, "/api/problems/" + problem, policePartner));
        onlyOf("police", policeAction, detail.path("actions"));
        int all = json(get(server, "/api/actions?problem=" + problem + "&status=open,in-progress,on-hold", analyst)).size();
        int police = json(get(server, "/api/actions?problem=" + problem + "&status=open,in-progress,on-hold", policePartner)).size();
        assertTrue(police < all);
        for (JsonNode f : json(get(server, "/api/problems", policePartner)).path("features")) {
            if (f.path("id").asLong() == problem) assertEquals(police, f.path("properties").path("openActions").asInt());
        }
        for (JsonNode f : json(get(server, "/api/problems", analyst)).path("features")) {
            if (f.path("id").asLong() == problem) assertEquals(all, f.path("properties").path("openActions").asInt());
        }
        assertEquals(0, json(get(server, "/api/problems?organisation=wardens", policePartner)).path("features").size(),
                "a partner cannot find problems through another organisation's actions");
    }

    @Test
    void whoMayChangeWhat() throws Exception {
        List<Long> before = counts(server);
        var other = patch(server, "/api/actions/" + policeAction, wardenPartner, "{\"status\": \"in-progress\"}");
        assertEquals(403, other.statusCode(), other.body());
        assertEquals("id", json(other).path("field").asText());
        var viewerTry = patch(server, "/api/actions/" + policeAction, viewer, "{\"note\": \"hello\"}");
        assertEquals(403, viewerTry.statusCode());
        var title = patch(server, "/api/actions/" + policeAction, policePartner, "{\"title\": \"Mine now\"}");
        assertEquals(403, title.statusCode(), title.body());
        assertEquals("title", json(title).path("field").asText());
        assertEquals(before, counts(server));
    }

    @Test
    void theStatusWorkflowRejectsSkipsAndLogsMoves() throws Exception {
        long id = action("{\"title\": \"Door knocking\", \"organisation\": \"police\", \"due\": \"2099-01-01\"}");
        String path = "/api/actions/" + id;
        List<Long> before = counts(server);
        var skip = patch(server, path, policePartner, "{\"status\": \"done\"}");
        assertEquals(409, skip.statusCode(), skip.body());
        assertEquals("status", json(skip).path("field").asText());
        assertTrue(json(skip).path("detail").asText().contains("in-progress"), skip.body());
        assertEquals(412, patch(server, path, policePartner, "{\"status\": \"in-progress\"}", "If-Match", "\"9\"").statusCode());
        assertEquals(400, patch(server, path, policePartner, "{\"status\": \"finished\"}").statusCode());
        assertEquals(before, counts(server));

        assertEquals(200, patch(server, path, policePartner, "{\"status\": \"in-progress\", \"note\": \"started\"}", "If-Match", "\"1\"").statusCode());
        var done = patch(server, path, policePartner, "{\"status\": \"done\"}");
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(!json(done).path("completedOn").isNull());
        var reopen = patch(server, path, policePartner, "{\"status\": \"in-progress\"}");
        assertEquals(403, reopen.statusCode(), reopen.body());
        assertEquals("status", json(reopen).path("field").asText());
        var byAnalyst = patch(server, path, analyst, "{\"status\": \"in-progress\", \"title\": \"Door knocking (2)\"}");
        assertEquals(200, byAnalyst.statusCode(), byAnalyst.body());
        JsonNode a = json(byAnalyst);
        assertTrue(a.path("completedOn").isNull());
        List<String> kinds = java.util.stream.StreamSupport.stream(a.path("history").spliterator(), false)
                .map(e -> e.path("kind").asText()).toList();
        assertEquals(List.of("created", "status", "status", "status", "changed"), kinds);
        JsonNode started = a.path("history").get(1);
        assertEquals("open", started.path("fromStatus").asText());
        assertEquals("started", started.path("note").asText());
        assertEquals("pete", started.path("by").path("name").asText());
        JsonNode asPartner = json(get(server, "/api/actions?problem=" + problem + "&status=in-progress", policePartner)).get(0);
        assertTrue(asPartner.path("history").get(1).path("by").path("name").isNull(), "partners see no names");
        assertEquals("police", asPartner.path("history").get(1).path("by").path("organisation").asText());
    }

    @Test
    void badActionsAre4xxNamingTheFieldAndWriteNothing() throws Exception {
        var closedProblem = post(server, "/api/problems", analyst, problemBody("Closed", "\"ward:" + LoopFixture.ward(server, 1) + "\"", "aim",
                "\"startDate\": \"2026-01-10\""));
        long closed = json(closedProblem).path("id").asLong();
        for (String s : List.of("scanning", "analysis", "response", "assessment", "closed")) {
            assertEquals(200, patch(server, "/api/problems/" + closed, analyst, "{\"stage\": \"" + s + "\"}").statusCode());
        }
        String base = "/api/problems/" + problem + "/actions";
        List<String[]> cases = List.of(
                new String[]{base, "{\"title\": \"X\", \"organisation\": \"nobody\", \"due\": \"2026-05-01\"}", "organisation", "422"},
                new String[]{base, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2025-12-31\"}", "due", "422"},
                new String[]{base, "{\"title\": \"X\", \"organisation\": \"police\"}", "due", "400"},
                new String[]{base, "{\"title\": \"\", \"organisation\": \"police\", \"due\": \"2026-05-01\"}", "title", "400"},
                new String[]{base, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-05-01\", \"startsOn\": \"2026-04-01\"}", "endsOn", "400"},
                new String[]{base, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-05-01\", \"startsOn\": \"2026-04-09\", \"endsOn\": \"2026-04-01\"}", "endsOn", "400"},
                new String[]{base, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-05-01\", \"assignee\": \"will\"}", "assignee", "422"},
                new String[]{base, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-05-01\", \"meeting\": 999}", "meeting", "422"},
                new String[]{"/api/problems/" + closed + "/actions", "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-05-01\"}", "id", "409"},
                new String[]{"/api/problems/999999/actions", "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-05-01\"}", "id", "404"});
        List<Long> before = counts(server);
        for (String[] c : cases) {
            var r = post(server, c[0], analyst, c[1]);
            assertEquals(Integer.parseInt(c[3]), r.statusCode(), c[1] + " → " + r.body());
            assertEquals(c[2], json(r).path("field").asText(), r.body());
        }
        var reassign = patch(server, "/api/actions/" + policeAction, analyst, "{\"assignee\": \"will\"}");
        assertEquals(422, reassign.statusCode(), reassign.body());
        assertEquals(before, counts(server));
        assertEquals(403, post(server, base, policePartner, "{\"title\": \"X\", \"organisation\": \"police\", \"due\": \"2026-05-01\"}").statusCode());
    }
}
