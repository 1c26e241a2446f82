package aim.meetings;

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

import static aim.meetings.LoopFixture.insert;
import static aim.meetings.LoopFixture.send;
import static aim.meetings.LoopFixture.update;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The briefing's "Did it work?" section: a week of action on a demo ward in May 2025 (meeting 30 June, window
 * April–June) with hand-placed noise complaints (target 8 in April → 2 in May; a far ward, in the control,
 * 10 → 10): the section lists it with the counts, RES and WDQ of GET /api/evaluation?action=ID; a partner
 * of another organisation does not see it; the HTML shows it escaped.
 */
@Tag("postgis")
class BriefingEvaluationTest {
    @Fresh static TestServer server;
    static String analyst, otherPartner;
    static long meeting, action;
    static final String TITLE = "Week of action <b>& patrols</b>";

    @BeforeAll
    static void seed(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("anna", Role.ANALYST);
        long police = LoopFixture.organisation(server, "police", "Cleveland Police", "police");
        long wardens = LoopFixture.organisation(server, "wardens", "Neighbourhood Wardens", "wardens");
        otherPartner = LoopFixture.partner(server, "walt", wardens);
        String target = firstWard();
        String far = far(target);
        incidents(target, "2025-04-%02d", 8, "t-before");
        incidents(target, "2025-05-%02d", 2, "t-after");
        incidents(far, "2025-04-%02d", 10, "c-before");
        incidents(far, "2025-05-%02d", 10, "c-after");
        long problem = insert(server, """
                INSERT INTO problem (title, categories, place_spec, place_label, geom, owner, objective, start_date, created_by)
                SELECT 'Noise', ARRAY['asb-noise'], jsonb_build_object('ward', code), 'ward ' || name, ST_Multi(geom), 'aim',
                       'Less noise', date '2025-04-15', (SELECT id FROM app_user WHERE username = 'admin')
                FROM boundary WHERE code = ? AND set_id = (SELECT id FROM boundary_set WHERE level = 'ward' AND version = 'demo')
                RETURNING id""", target);
        action = insert(server, """
                INSERT INTO problem_action (problem_id, title, organisation_id, due, starts_on, ends_on, status, created_by)
                VALUES (?, ?, ?, date '2025-05-31', date '2025-05-01', date '2025-05-31', 'done',
                        (SELECT id FROM app_user WHERE username = 'admin')) RETURNING id""", problem, TITLE, police);
        var r = send(server, "POST", "/api/meetings", analyst, "{\"heldOn\": \"2025-06-30\", \"title\": \"AIM June\"}");
        assertEquals(201, r.statusCode(), r.body());
        meeting = json(r).path("id").asLong();
        send(server, "POST", "/api/meetings", analyst, "{\"heldOn\": \"2025-03-31\", \"title\": \"AIM March\"}");
    }

    @Test
    void anOperationThatEndedInTheWindowIsEvaluated() throws Exception {
        JsonNode b = json(send(server, "GET", "/api/meetings/" + meeting + "/briefing", analyst, null));
        JsonNode ops = b.path("evaluations").path("operations");
        assertEquals(1, ops.size(), b.path("evaluations").toString());
        JsonNode op = ops.get(0);
        assertEquals(action, op.path("actionId").asLong());
        assertEquals("2025-04-01", op.path("periods").path("before").path("from").asText());
        assertEquals("2025-04-30", op.path("periods").path("before").path("to").asText());
        // hand counts: target 8 → 2; the far ward 10 → 10 is in the control; RES = 8·10 / (2·10) = 4
        assertEquals(8, op.path("target").path("before").asLong());
        assertEquals(2, op.path("target").path("after").asLong());
        assertEquals(10, op.path("control").path("before").asLong());
        assertEquals(10, op.path("control").path("after").asLong());
        assertEquals(4.0, op.path("res").path("value").asDouble(), 1e-9);
        JsonNode api = json(send(server, "GET", "/api/evaluation?action=" + action, analyst, null));
        for (String f : new String[]{"target", "buffer", "control", "res", "wdq"}) assertEquals(api.path(f), op.path(f), f);
        assertEquals(api.path("interpretation").path("reading").asText(), op.path("reading").asText());
        // the deep link opens "Did it work?" of this action in the web map (view-url.js evaluate=)
        assertEquals("/?layers=problems,wards&problem=" + op.path("problemId").asLong() + "&evaluate=action:" + action, op.path("link").asText());

        JsonNode partner = json(send(server, "GET", "/api/meetings/" + meeting + "/briefing", otherPartner, null));
        assertEquals(0, partner.path("evaluations").path("operations").size(), "another organisation's operation is not shown");

        var html = send(server, "GET", "/api/meetings/" + meeting + "/briefing?format=html", analyst, null);
        assertEquals(200, html.statusCode());
        assertTrue(html.body().contains("<section id=\"evaluations\">"), html.body());
        assertTrue(html.body().contains("Week of action &lt;b&gt;&amp; patrols&lt;/b&gt;"), "escaped title");
        assertTrue(html.body().contains("4.00 ("), "RES shown");
        assertTrue(html.body().contains("href=\"/?layers=problems,wards&amp;problem=" + op.path("problemId").asLong() + "&amp;evaluate=action:" + action + "\""),
                "the operation links to its evaluation on the map");
    }

    static String firstWard() throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo'"
                        + " ORDER BY b.code OFFSET 2 LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String far(String ward) throws Exception {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT o.code FROM boundary o JOIN boundary w ON w.set_id = o.set_id
                JOIN boundary_set s ON s.id = w.set_id AND s.level = 'ward' AND s.version = 'demo'
                WHERE w.code = ? AND NOT ST_DWithin(o.geom, w.geom, 1000) ORDER BY o.code LIMIT 1""")) {
            ps.setString(1, ward);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a ward more than 1 km from " + ward);
                return rs.getString(1);
            }
        }
    }

    static void incidents(String ward, String dayPattern, int n, String key) throws Exception {
        for (int d = 1; d <= n; d++) {
            update(server, """
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', (?::date)::timestamp AT TIME ZONE 'Europe/London' + interval '12 hours', 'day',
                           ST_PointOnSurface(w.geom), 'exact', ?
                    FROM boundary w JOIN boundary_set s ON s.id = w.set_id AND s.level = 'ward' AND s.version = 'demo'
                    WHERE w.code = ?""", dayPattern.formatted(d), key + "-" + d, ward);
        }
    }
}
