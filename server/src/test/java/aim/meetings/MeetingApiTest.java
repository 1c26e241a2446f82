package aim.meetings;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static aim.meetings.LoopFixture.count;
import static aim.meetings.LoopFixture.send;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Meetings over HTTP on PostGIS: create, read, list, change, decisions, bad input and idempotent retries. */
@Tag("postgis")
class MeetingApiTest {
    @Fresh static TestServer server;
    static String analyst, viewer;
    static long problemA, problemB;

    static final String SQUARE = "POLYGON((450000 520000, 450500 520000, 450500 520500, 450000 520500, 450000 520000))";

    @BeforeAll
    static void seed() throws Exception {
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        LoopFixture.organisation(server, "police", "Cleveland Police", "police");
        LoopFixture.organisation(server, "wardens", "Neighbourhood Wardens", "wardens");
        problemA = LoopFixture.problem(server, "Quarry Road ASB", "anti-social-behaviour", SQUARE, LocalDate.of(2026, 9, 1), "aim");
        problemB = LoopFixture.problem(server, "Park fly-tipping", "fly-tipping", SQUARE, LocalDate.of(2026, 9, 1), "aim");
    }

    static HttpResponse<String> create(String body, String... headers) throws Exception {
        return send(server, "POST", "/api/meetings", analyst, body, headers);
    }

    @Test
    void aMeetingIsCreatedReadAndListed() throws Exception {
        var created = create("""
                {"heldOn": "2026-11-10", "title": "AIM November", "attendees": ["wardens", "police"], "agenda": [%d, %d]}"""
                .formatted(problemB, problemA));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode m = json(created);
        long id = m.path("id").asLong();
        assertEquals("/api/meetings/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals("2026-11-10", m.path("heldOn").asText());
        assertEquals("AIM November", m.path("title").asText());
        assertEquals("Cleveland Police", m.path("attendees").path(0).path("name").asText());
        assertEquals("wardens", m.path("attendees").path(1).path("code").asText());
        assertEquals(problemB, m.path("agenda").path(0).path("problemId").asLong());
        assertEquals("Park fly-tipping", m.path("agenda").path(0).path("title").asText());
        assertEquals("objective", m.path("agenda").path(1).path("stage").asText());

        var read = send(server, "GET", "/api/meetings/" + id, viewer, null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(m, json(read));

        var list = json(send(server, "GET", "/api/meetings", viewer, null));
        JsonNode line = null;
        for (JsonNode l : list) if (l.path("id").asLong() == id) line = l;
        assertEquals(2, line.path("agendaCount").asInt());
        assertEquals(0, line.path("decisionCount").asInt());
        assertEquals(2, line.path("attendees").size());
        for (int k = 1; k < list.size(); k++) {
            assertTrue(list.get(k - 1).path("heldOn").asText().compareTo(list.get(k).path("heldOn").asText()) >= 0, "newest first");
        }
    }

    @Test
    void thePreviousMeetingIsTheLatestOneBefore() throws Exception {
        long first = json(create("{\"heldOn\": \"2025-01-07\", \"title\": \"January\"}")).path("id").asLong();
        long second = json(create("{\"heldOn\": \"2025-02-04\", \"title\": \"February\"}")).path("id").asLong();
        JsonNode m = json(send(server, "GET", "/api/meetings/" + second, viewer, null));
        assertEquals(first, m.path("previousMeeting").path("id").asLong());
        assertEquals("2025-01-07", m.path("previousMeeting").path("heldOn").asText());
        assertTrue(json(send(server, "GET", "/api/meetings/" + first, viewer, null)).path("previousMeeting").isNull()
                || json(send(server, "GET", "/api/meetings/" + first, viewer, null)).path("previousMeeting").path("heldOn").asText()
                .compareTo("2025-01-07") < 0);
    }

    @Test
    void badInputNamesTheFieldAndWritesNothing() throws Exception {
        long before = meetings();
        expect(create("{\"title\": \"No date\"}"), 400, "heldOn");
        expect(create("{\"heldOn\": \"2026-13-01\", \"title\": \"Bad date\"}"), 400, "heldOn");
        expect(create("{\"heldOn\": \"10/11/2026\", \"title\": \"Bad date\"}"), 400, "heldOn");
        expect(create("{\"heldOn\": \"1899-01-01\", \"title\": \"Too old\"}"), 400, "heldOn");
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"   \"}"), 400, "title");
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"" + "x".repeat(201) + "\"}"), 400, "title");
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"T\", \"attendees\": [\"police\", \"police\"]}"), 400, "attendees");
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"T\", \"agenda\": [0]}"), 400, "agenda");
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"T\", \"agenda\": [\"x\"]}"), 400, "agenda[0]");
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"T\", \"colour\": \"red\"}"), 400, "colour");
        expect(create("[1]"), 400, "body");
        // unknown references are found inside the transaction: the meeting row is not left behind
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"T\", \"attendees\": [\"police\", \"nobody\"]}"), 422, "attendees");
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"T\", \"attendees\": [\"police\"], \"agenda\": [" + problemA
                + ", 999999]}"), 422, "agenda");
        expect(send(server, "POST", "/api/meetings", viewer, "{\"heldOn\": \"2026-11-10\", \"title\": \"T\"}"), 403, null);
        expect(create("{\"heldOn\": \"2026-11-10\", \"title\": \"T\"}", "Idempotency-Key", "k".repeat(101)), 400, "Idempotency-Key");
        assertEquals(before, meetings());
        assertEquals(0, count(server, "SELECT count(*) FROM meeting_attendee a WHERE NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = a.meeting_id)"));
        expect(send(server, "GET", "/api/meetings/999999", viewer, null), 404, "id");
        // no wards are loaded on this server: the briefing says so instead of failing
        long id = json(create("{\"heldOn\": \"2026-11-11\", \"title\": \"No map\"}")).path("id").asLong();
        expect(send(server, "GET", "/api/meetings/" + id + "/briefing", viewer, null), 404, "level");
        expect(send(server, "GET", "/api/meetings/abc", viewer, null), 400, null);
    }

    @Test
    void aPatchChangesWhatIsSentAndNothingOnBadInput() throws Exception {
        long id = json(create("{\"heldOn\": \"2026-12-01\", \"title\": \"December\", \"attendees\": [\"police\"], \"agenda\": ["
                + problemA + "]}")).path("id").asLong();
        var changed = send(server, "PATCH", "/api/meetings/" + id, analyst,
                "{\"title\": \"December AIM\", \"attendees\": [\"wardens\"], \"agenda\": [" + problemB + ", " + problemA + "]}");
        assertEquals(200, changed.statusCode(), changed.body());
        JsonNode m = json(changed);
        assertEquals("December AIM", m.path("title").asText());
        assertEquals("2026-12-01", m.path("heldOn").asText());
        assertEquals(1, m.path("attendees").size());
        assertEquals("wardens", m.path("attendees").path(0).path("code").asText());
        assertEquals(problemB, m.path("agenda").path(0).path("problemId").asLong());

        expect(send(server, "PATCH", "/api/meetings/" + id, analyst, "{\"title\": \"Lost\", \"agenda\": [999999]}"), 422, "agenda");
        expect(send(server, "PATCH", "/api/meetings/" + id, analyst, "{\"title\": null}"), 400, "title");
        expect(send(server, "PATCH", "/api/meetings/" + id, analyst, "{\"heldOn\": \"2026-02-30\"}"), 400, "heldOn");
        expect(send(server, "PATCH", "/api/meetings/" + id, viewer, "{\"title\": \"Mine\"}"), 403, null);
        expect(send(server, "PATCH", "/api/meetings/999999", analyst, "{\"title\": \"Gone\"}"), 404, "id");
        JsonNode after = json(send(server, "GET", "/api/meetings/" + id, viewer, null));
        assertEquals("December AIM", after.path("title").asText());
        assertEquals(2, after.path("agenda").size());
    }

    @Test
    void aDecisionIsRecordedWithTheProblemsEvent() throws Exception {
        long id = json(create("{\"heldOn\": \"2026-12-08\", \"title\": \"Decisions\"}")).path("id").asLong();
        var r = send(server, "POST", "/api/meetings/" + id + "/decisions", analyst,
                "{\"text\": \"Wardens patrol Quarry Road on Fridays\", \"problemId\": " + problemA + "}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode d = json(r);
        assertEquals(problemA, d.path("problemId").asLong());
        assertEquals("anna", d.path("by").path("name").asText());
        assertEquals(1, count(server, "SELECT count(*) FROM problem_event WHERE problem_id = ? AND kind = 'decision' AND note = ?"
                + " AND (changes ->> 'meeting')::bigint = ?", problemA, "Wardens patrol Quarry Road on Fridays", id));
        assertEquals(201, send(server, "POST", "/api/meetings/" + id + "/decisions", analyst, "{\"text\": \"Review in January\"}").statusCode());

        long decisions = count(server, "SELECT count(*) FROM meeting_decision");
        long events = count(server, "SELECT count(*) FROM problem_event");
        expect(send(server, "POST", "/api/meetings/" + id + "/decisions", analyst, "{\"text\": \"X\", \"problemId\": 999999}"), 422, "problemId");
        expect(send(server, "POST", "/api/meetings/" + id + "/decisions", analyst, "{\"text\": \" \"}"), 400, "text");
        expect(send(server, "POST", "/api/meetings/" + id + "/decisions", analyst, "{}"), 400, "text");
        expect(send(server, "POST", "/api/meetings/999999/decisions", analyst, "{\"text\": \"X\"}"), 404, "id");
        expect(send(server, "POST", "/api/meetings/" + id + "/decisions", viewer, "{\"text\": \"X\"}"), 403, null);
        assertEquals(decisions, count(server, "SELECT count(*) FROM meeting_decision"));
        assertEquals(events, count(server, "SELECT count(*) FROM problem_event"));

        JsonNode m = json(send(server, "GET", "/api/meetings/" + id, viewer, null));
        assertEquals(2, m.path("decisions").size());
        assertTrue(m.path("decisions").path(0).path("by").path("name").isNull(), "names are hidden from viewers");
        assertEquals("anna", json(send(server, "GET", "/api/meetings/" + id, analyst, null))
                .path("decisions").path(0).path("by").path("name").asText());
    }

    @Test
    void fiftyParallelRetriesCreateOneMeeting() throws Exception {
        String body = "{\"heldOn\": \"2027-01-12\", \"title\": \"Retried\", \"attendees\": [\"police\"], \"agenda\": [" + problemA + "]}";
        List<HttpResponse<String>> responses = parallel(50, () -> create(body, "Idempotency-Key", "meeting-retry-1"));
        Set<Long> ids = new HashSet<>();
        int created = 0;
        for (var r : responses) {
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.statusCode() + " " + r.body());
            if (r.statusCode() == 201) created++;
            else assertEquals("true", r.headers().firstValue("Idempotent-Replayed").orElse(""));
            ids.add(json(r).path("id").asLong());
        }
        assertEquals(1, created);
        assertEquals(1, ids.size());
        assertEquals(1, count(server, "SELECT count(*) FROM meeting WHERE title = 'Retried'"));
        assertEquals(1, count(server, "SELECT count(*) FROM meeting_agenda_item WHERE meeting_id = ?", ids.iterator().next()));
        // the same key with another body is refused; a new key makes a new meeting
        expect(create(body.replace("Retried", "Other"), "Idempotency-Key", "meeting-retry-1"), 422, "Idempotency-Key");
        assertEquals(201, create(body, "Idempotency-Key", "meeting-retry-2").statusCode());
    }

    @Test
    void fiftyParallelRetriesRecordOneDecision() throws Exception {
        long id = json(create("{\"heldOn\": \"2027-02-09\", \"title\": \"Decided once\"}")).path("id").asLong();
        String body = "{\"text\": \"Close the alley gate\", \"problemId\": " + problemB + "}";
        List<HttpResponse<String>> responses = parallel(50, () -> send(server, "POST", "/api/meetings/" + id + "/decisions", analyst,
                body, "Idempotency-Key", "decision-retry-1"));
        Set<Long> ids = new HashSet<>();
        for (var r : responses) {
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.statusCode() + " " + r.body());
            ids.add(json(r).path("id").asLong());
        }
        assertEquals(1, ids.size());
        assertEquals(1, responses.stream().filter(r -> r.statusCode() == 201).count());
        assertEquals(1, count(server, "SELECT count(*) FROM meeting_decision WHERE meeting_id = ?", id));
        assertEquals(1, count(server, "SELECT count(*) FROM problem_event WHERE kind = 'decision' AND note = 'Close the alley gate'"));
        // the same key and text for another meeting is another request
        long other = json(create("{\"heldOn\": \"2027-02-10\", \"title\": \"Other\"}")).path("id").asLong();
        expect(send(server, "POST", "/api/meetings/" + other + "/decisions", analyst, body, "Idempotency-Key", "decision-retry-1"),
                422, "Idempotency-Key");
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

    static long meetings() throws Exception {
        return count(server, "SELECT count(*) FROM meeting");
    }

    static void expect(HttpResponse<String> r, int status, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
        if (field != null) assertEquals(field, json(r).path("field").asText(), r.body());
    }
}
