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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Escalations of NAP-owned problems to the AIM group: one pending at a time, decided once, logged. */
@Tag("postgis")
class EscalationApiTest {
    @Fresh static TestServer server;
    static String analyst;
    static String nap;
    static String ward;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("anna", Role.ANALYST);
        nap = LoopFixture.neighbourhood(server);
        assertNotNull(nap, "the demo borough has neighbourhoods");
        ward = LoopFixture.ward(server, 0);
    }

    static long problem(String owner) throws Exception {
        var r = post(server, "/api/problems", analyst, problemBody("Escalate me", "\"ward:" + ward + "\"", owner, null));
        assertEquals(201, r.statusCode(), r.body());
        return json(r).path("id").asLong();
    }

    @Test
    void acceptingMovesOwnershipAndLogsAndDecidingTwiceIsAConflict() throws Exception {
        long id = problem("nap:" + nap);
        var r = post(server, "/api/problems/" + id + "/escalations", analyst, "{\"reason\": \"Beyond the NAP's means\"}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode e = json(r);
        long escalation = e.path("id").asLong();
        assertEquals("nap:" + nap, e.path("fromOwner").asText());
        assertTrue(e.path("decision").isNull());
        JsonNode listed = json(get(server, "/api/problems?owner=nap:" + nap, analyst)).path("features");
        assertTrue(listed.toString().contains("\"escalation\":\"pending\""), listed.toString());

        List<Long> before = counts(server);
        var second = post(server, "/api/problems/" + id + "/escalations", analyst, "{\"reason\": \"again\"}");
        assertEquals(409, second.statusCode(), second.body());
        assertEquals("id", json(second).path("field").asText());
        var noNote = patch(server, "/api/escalations/" + escalation, analyst, "{\"decision\": \"returned\"}");
        assertEquals(400, noNote.statusCode(), noNote.body());
        assertEquals("note", json(noNote).path("field").asText());
        assertEquals(400, patch(server, "/api/escalations/" + escalation, analyst, "{\"decision\": \"maybe\"}").statusCode());
        assertEquals(before, counts(server));

        var accept = patch(server, "/api/escalations/" + escalation, analyst, "{\"decision\": \"accepted\", \"note\": \"AIM takes it\"}");
        assertEquals(200, accept.statusCode(), accept.body());
        assertEquals("accepted", json(accept).path("decision").asText());
        assertEquals("anna", json(accept).path("decidedBy").path("name").asText());
        JsonNode p = json(get(server, "/api/problems/" + id, analyst));
        assertEquals("aim", p.path("owner").asText());
        List<String> kinds = java.util.stream.StreamSupport.stream(p.path("history").spliterator(), false)
                .map(h -> h.path("kind").asText()).toList();
        assertEquals(List.of("created", "escalated", "accepted"), kinds);
        JsonNode accepted = p.path("history").get(2);
        assertEquals("aim", accepted.path("changes").path("owner").path("to").asText());
        assertEquals("AIM takes it", accepted.path("note").asText());
        assertEquals(1, p.path("escalations").size());

        before = counts(server);
        var twice = patch(server, "/api/escalations/" + escalation, analyst, "{\"decision\": \"returned\", \"note\": \"no\"}");
        assertEquals(409, twice.statusCode(), twice.body());
        assertEquals(before, counts(server));
        var aimOwned = post(server, "/api/problems/" + id + "/escalations", analyst, "{\"reason\": \"again\"}");
        assertEquals(409, aimOwned.statusCode());
        assertEquals("owner", json(aimOwned).path("field").asText());
    }

    @Test
    void returningKeepsTheNapAsOwner() throws Exception {
        long id = problem("nap:" + nap);
        long escalation = json(post(server, "/api/problems/" + id + "/escalations", analyst, "{\"reason\": \"Help\"}")).path("id").asLong();
        var r = patch(server, "/api/escalations/" + escalation, analyst, "{\"decision\": \"returned\", \"note\": \"Try the youth service first\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = json(get(server, "/api/problems/" + id, analyst));
        assertEquals("nap:" + nap, p.path("owner").asText());
        assertEquals("returned", p.path("history").get(2).path("kind").asText());
        // after a decision a new escalation may be raised
        assertEquals(201, post(server, "/api/problems/" + id + "/escalations", analyst, "{\"reason\": \"Still bad\"}").statusCode());
    }

    @Test
    void unknownThingsAreNotFound() throws Exception {
        assertEquals(404, post(server, "/api/problems/999999/escalations", analyst, "{\"reason\": \"x\"}").statusCode());
        assertEquals(404, patch(server, "/api/escalations/999999", analyst, "{\"decision\": \"accepted\"}").statusCode());
        assertEquals(400, post(server, "/api/problems/" + problem("aim") + "/escalations", analyst, "{\"reason\": \"\"}").statusCode());
    }
}
