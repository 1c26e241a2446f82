package aim.meetings;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.areas.PoissonChange;
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

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static aim.meetings.LoopFixture.insert;
import static aim.meetings.LoopFixture.send;
import static aim.meetings.LoopFixture.update;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The briefing of a meeting on 30 June 2025 whose previous meeting was on 31 March 2025 (window April–June
 * 2025, Q1 25/26), over the demo borough with incidents, problems, actions, an escalation and decisions put
 * in by SQL; figures are checked against hand counts, and the HTML and PDF (read back with PDFBox) for
 * their content, escaping and the map.
 */
@Tag("postgis")
class BriefingTest {
    @Fresh static TestServer server;
    static String analyst, wardenPartner;
    static long meeting, previousMeeting, quarryRoad, escalatedProblem, scriptProblem;
    static String ward2, ward9;
    static final String SCRIPT_TITLE = "<script>alert('x')</script> & Co alley";

    @BeforeAll
    static void seed(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("anna", Role.ANALYST);
        long police = LoopFixture.organisation(server, "police", "Cleveland Police", "police");
        long wardens = LoopFixture.organisation(server, "wardens", "Neighbourhood Wardens", "wardens");
        wardenPartner = LoopFixture.partner(server, "walt", wardens);
        ward2 = wardCode(2);
        ward9 = wardCode(9);
        // ward 2: 12 noise complaints in May 2025, 4 in February 2025, 6 in May 2024; ward 9: 3 in June 2025, 1 in June 2024
        incidents(ward2, "2025-05-%02d", 12, "w2-now");
        incidents(ward2, "2025-02-%02d", 4, "w2-before");
        incidents(ward2, "2024-05-%02d", 6, "w2-last-year");
        incidents(ward9, "2025-06-%02d", 3, "w9-now");
        incidents(ward9, "2024-06-%02d", 1, "w9-last-year");

        quarryRoad = insert(server, """
                INSERT INTO problem (title, categories, place_spec, place_label, geom, owner, objective, start_date, created_by,
                                     target_percent, target_months, target_baseline, target_start)
                SELECT 'Quarry Road ASB', ARRAY['asb-noise'], jsonb_build_object('ward', code), 'ward ' || name, ST_Multi(geom), 'aim',
                       'Reduce noise complaints', date '2025-04-15', (SELECT id FROM app_user WHERE username = 'admin'),
                       -20, 3, 'same-period-last-year', date '2025-04-01'
                FROM boundary WHERE code = ? AND set_id = (SELECT id FROM boundary_set WHERE level = 'ward' AND version = 'demo')
                RETURNING id""", ward2);
        String square = "POLYGON((%1$s, %2$s, %3$s, %4$s, %1$s))";
        String pos = firstPoint(ward9);
        String[] xy = pos.split(" ");
        double x = Double.parseDouble(xy[0]), y = Double.parseDouble(xy[1]);
        String poly = square.formatted(x + " " + y, (x + 200) + " " + y, (x + 200) + " " + (y + 200), x + " " + (y + 200));
        escalatedProblem = LoopFixture.problem(server, "Linthorpe lane drug dealing", "asb-noise", poly, LocalDate.of(2025, 1, 10), "nap:N1");
        update(server, "UPDATE problem SET created_at = '2025-01-10 10:00+00' WHERE id = ?", escalatedProblem);
        scriptProblem = LoopFixture.problem(server, SCRIPT_TITLE, "asb-noise", poly, LocalDate.of(2025, 6, 2), "aim");
        insert(server, """
                INSERT INTO escalation (problem_id, from_owner, reason, raised_by, raised_at)
                VALUES (?, 'nap:N1', 'Beyond the NAP: needs police and housing', (SELECT id FROM app_user WHERE username = 'admin'),
                        '2025-05-10 09:00+01') RETURNING id""", escalatedProblem);

        previousMeeting = meeting("2025-03-31", "AIM March");
        meeting = meeting("2025-06-30", "AIM June");
        update(server, "INSERT INTO meeting_agenda_item (meeting_id, problem_id, position) VALUES (?, ?, 1)", meeting, quarryRoad);
        decision(previousMeeting, "Police to lead on Linthorpe lane", escalatedProblem);
        decision(previousMeeting, "Ask housing to attend", null);

        action(quarryRoad, police, "Extra patrols Quarry Road", "2025-05-20", "open", null, null);
        action(quarryRoad, wardens, "Clear the garden waste", "2025-06-15", "done", "2025-06-10", null);
        action(escalatedProblem, police, "Test purchase operation", "2025-03-20", "in-progress", null, previousMeeting);
        action(escalatedProblem, wardens, "Lighting survey of the lane", "2025-07-30", "open", null, previousMeeting);
    }

    @Test
    void theJsonFiguresMatchTheHandCounts() throws Exception {
        var r = send(server, "GET", "/api/meetings/" + meeting + "/briefing", analyst, null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode b = json(r);
        JsonNode w = b.path("window");
        assertEquals("2025-04-01", w.path("from").asText());
        assertEquals("2025-06-30", w.path("to").asText());
        assertEquals("Q1 25/26", w.path("quarter").asText());
        assertEquals("2025-01-01", w.path("previousFrom").asText());
        assertEquals("Q4 24/25", w.path("previousQuarter").asText());
        assertEquals("Q1 24/25", w.path("lastYearQuarter").asText());

        // headline: by neighbourhood, the wards' hand counts
        Map<String, long[]> expected = new HashMap<>();
        expected.computeIfAbsent(neighbourhoodOf(ward2), k -> new long[3]);
        expected.computeIfAbsent(neighbourhoodOf(ward9), k -> new long[3]);
        add(expected.get(neighbourhoodOf(ward2)), 12, 4, 6);
        add(expected.get(neighbourhoodOf(ward9)), 3, 0, 1);
        JsonNode lines = b.path("headline").path("neighbourhoods");
        assertEquals(4, lines.size());
        for (JsonNode l : lines) {
            long[] e = expected.getOrDefault(l.path("code").asText(), new long[3]);
            assertEquals(e[0], l.path("count").asLong(), l.toString());
            assertEquals(e[1], l.path("previous").asLong(), l.toString());
            assertEquals(e[2], l.path("lastYear").asLong(), l.toString());
            assertTrue(l.path("link").asText().startsWith("/?lat="), l.toString());
        }
        JsonNode total = b.path("headline").path("total");
        assertEquals(15, total.path("count").asLong());
        assertEquals(4, total.path("previous").asLong());
        assertEquals(7, total.path("lastYear").asLong());
        // 91 days against the 90 of January–March, and against the 91 of April–June 2024
        assertEquals(PoissonChange.test(15, 91, 4, 90).pValue(), total.path("sincePrevious").path("pValue").asDouble(), 1e-12);
        assertEquals(PoissonChange.test(15, 91, 7, 91).pValue(), total.path("sinceLastYear").path("pValue").asDouble(), 1e-12);
        assertTrue(total.path("sincePrevious").path("significant").asBoolean());
        assertEquals(275.0, total.path("sincePrevious").path("percent").asDouble());

        // ward ranking: every demo ward, ward 2 with its counts, movement = previous rank − rank
        JsonNode wards = b.path("wards");
        assertEquals(20, wards.size());
        for (JsonNode row : wards) {
            if (row.path("code").asText().equals(ward2)) {
                assertEquals(12, row.path("count").asLong());
                assertEquals(4, row.path("previousCount").asLong());
            }
            if (!row.path("rank").isNull() && !row.path("previousRank").isNull()) {
                assertEquals(row.path("previousRank").asInt() - row.path("rank").asInt(), row.path("movement").asInt());
            }
        }

        // hot spots: the 12 May complaints make a hot cell; cells are drawn on the map
        assertTrue(b.path("hotspots").path("hotCells").asInt() >= 1, b.path("hotspots").toString());
        assertTrue(b.path("hotspots").path("new").size() + b.path("hotspots").path("intensifying").size() >= 1);

        // problems: new in the window (Quarry Road, the script title), escalated (Linthorpe lane), the agenda
        List<String> fresh = titles(b.path("problems").path("new"));
        assertTrue(fresh.contains("Quarry Road ASB") && fresh.contains(SCRIPT_TITLE), fresh.toString());
        assertFalse(fresh.contains("Linthorpe lane drug dealing"));
        JsonNode escalated = b.path("problems").path("escalated");
        assertEquals(1, escalated.size());
        assertEquals("Beyond the NAP: needs police and housing", escalated.path(0).path("escalation").path("reason").asText());
        JsonNode quarry = b.path("problems").path("agenda").path(0);
        assertEquals(quarryRoad, quarry.path("id").asLong());
        assertEquals(12, quarry.path("trend").path("current").asLong());
        assertEquals(4, quarry.path("trend").path("previous").asLong());
        assertFalse(quarry.path("progress").isNull(), "a problem with a target has its progress");
        assertEquals(-20, quarry.path("progress").path("targetPercent").asDouble());

        // actions: due in the window, overdue today, completed in the window, by organisation
        JsonNode actions = b.path("actions");
        assertEquals(List.of("Extra patrols Quarry Road", "Clear the garden waste"), titles(actions.path("due")));
        assertEquals(List.of("Test purchase operation", "Extra patrols Quarry Road", "Lighting survey of the lane"),
                titles(actions.path("overdue")));
        assertEquals(List.of("Clear the garden waste"), titles(actions.path("completed")));
        JsonNode byOrg = actions.path("byOrganisation");
        assertEquals("Cleveland Police", byOrg.path(0).path("name").asText());
        assertEquals(List.of(1L, 2L, 0L), List.of(byOrg.path(0).path("due").asLong(), byOrg.path(0).path("overdue").asLong(),
                byOrg.path(0).path("completed").asLong()));
        assertEquals(List.of(1L, 1L, 1L), List.of(byOrg.path(1).path("due").asLong(), byOrg.path(1).path("overdue").asLong(),
                byOrg.path(1).path("completed").asLong()));

        // the previous meeting's decisions and the actions agreed at it
        JsonNode previous = b.path("previousMeeting");
        assertEquals(previousMeeting, previous.path("id").asLong());
        assertEquals(2, previous.path("decisions").size());
        assertEquals("Police to lead on Linthorpe lane", previous.path("decisions").path(0).path("text").asText());
        assertEquals(List.of("Test purchase operation", "Lighting survey of the lane"), titles(previous.path("decisions").path(0).path("actions")));
        assertEquals(2, previous.path("actionsAgreed").size());
        assertTrue(b.path("map").path("svg").asText().startsWith("<svg"));
        assertEquals(20, b.path("map").path("wards").asInt());
    }

    @Test
    void theIndicatorSectionHasTheLocalityTableByQuarter() throws Exception {
        var r = send(server, "GET", "/api/meetings/" + meeting + "/briefing", analyst, null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode s = json(r).path("indicators");
        assertEquals("neighbourhood", s.path("level").asText());
        assertEquals(List.of("Q2 24/25", "Q3 24/25", "Q4 24/25", "Q1 25/26"),
                java.util.stream.StreamSupport.stream(s.path("quarters").spliterator(), false).map(JsonNode::asText).toList());
        assertEquals(4, s.path("rows").size());
        // public-reported (council noise complaints) per quarter, by hand: ward 2 has 4 in Feb 2025 and 12 in May 2025; ward 9 3 in June 2025
        Map<String, long[]> expected = new HashMap<>();
        expected.computeIfAbsent(neighbourhoodOf(ward2), k -> new long[4])[2] += 4;
        expected.get(neighbourhoodOf(ward2))[3] += 12;
        expected.computeIfAbsent(neighbourhoodOf(ward9), k -> new long[4])[3] += 3;
        for (JsonNode row : s.path("rows")) {
            long[] e = expected.getOrDefault(row.path("code").asText(), new long[4]);
            for (int k = 0; k < 4; k++) {
                assertEquals(e[k], row.path("publicReported").get(k).asLong(), row.toString());
                assertEquals(0, row.path("police").get(k).asLong(), row.toString());
            }
        }
        String html = send(server, "GET", "/api/meetings/" + meeting + "/briefing?format=html", analyst, null).body();
        assertTrue(html.contains("<section id=\"indicators\">"), "a section of its own");
        assertTrue(html.contains("<th class=\"n\">Police</th><th class=\"n\">Public</th>"));
    }

    @Test
    void aChosenWindowReplacesTheDefault() throws Exception {
        JsonNode b = json(send(server, "GET", "/api/meetings/" + meeting + "/briefing?from=2025-05-01&to=2025-05-31", analyst, null));
        assertEquals("2025-05-01", b.path("window").path("from").asText());
        assertEquals(12, b.path("headline").path("total").path("count").asLong());
        LoopFixture.send(server, "GET", "/api/meetings/" + meeting + "/briefing", analyst, null);
        var bad = send(server, "GET", "/api/meetings/" + meeting + "/briefing?from=2025-06-01&to=2025-05-01", analyst, null);
        assertEquals(400, bad.statusCode());
        assertEquals("to", json(bad).path("field").asText());
        assertEquals("format", json(send(server, "GET", "/api/meetings/" + meeting + "/briefing?format=doc", analyst, null))
                .path("field").asText());
        assertEquals("from", json(send(server, "GET", "/api/meetings/" + meeting + "/briefing?from=2020-01-01", analyst, null))
                .path("field").asText());
        assertEquals(404, send(server, "GET", "/api/meetings/999999/briefing", analyst, null).statusCode());
    }

    @Test
    void aPackPreparedBeforeTheMeetingEndsToday() throws Exception {
        LocalDate today = LocalDate.now(aim.core.Council.UK);
        long next = meeting(today.plusDays(10).toString(), "AIM next");
        JsonNode w = json(send(server, "GET", "/api/meetings/" + next + "/briefing", analyst, null)).path("window");
        assertEquals(today.toString(), w.path("to").asText(), "the days after today have no incidents yet: " + w);
        assertEquals("2025-07-01", w.path("from").asText(), "the day after the previous meeting (30 June 2025)");
    }

    @Test
    void theHtmlPageShowsTheProblemsActionsEscalationAndMapEscaped() throws Exception {
        var r = send(server, "GET", "/api/meetings/" + meeting + "/briefing?format=html", analyst, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
        String html = r.body();
        assertTrue(html.contains("Quarry Road ASB"));
        assertTrue(html.contains("Beyond the NAP: needs police and housing"));
        assertTrue(html.contains("Extra patrols Quarry Road"));
        assertTrue(html.contains("<span class=\"overdue\">overdue</span>"));
        assertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        Matcher wardPaths = Pattern.compile("<path class=\"ward\" d=\"M[^\"]+\"").matcher(html);
        int n = 0;
        while (wardPaths.find()) n++;
        assertEquals(20, n);
        assertTrue(html.contains("<rect") && html.contains("class=\"cells\""));
        assertFalse(html.contains("<script"), "no script element, not even from a title");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co alley"));
        assertTrue(html.contains("href=\"/?lat="), "figures link to the map view");
        assertFalse(html.contains("http://") && html.matches("(?s).*(src|href)=\"https?://.*"), "nothing external");
        assertTrue(html.contains("Q1 25/26"));
    }

    @Test
    void thePdfHasThePagesTextAndSurvivesAScriptTitle() throws Exception {
        var r = server.http.send(HttpRequest.newBuilder(java.net.URI.create(server.url("/api/meetings/" + meeting + "/briefing?format=pdf")))
                .header("Authorization", "Bearer " + analyst).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("application/pdf", r.headers().firstValue("Content-Type").orElseThrow());
        try (PDDocument pdf = Loader.loadPDF(r.body())) {
            assertTrue(pdf.getNumberOfPages() >= 1);
            String text = new PDFTextStripper().getText(pdf);
            assertTrue(text.contains("Quarry Road ASB"), text);
            assertTrue(text.contains("overdue"), text);
            // the title is text, not markup (lines may wrap inside it)
            assertTrue(text.replaceAll("\\s+", "").contains("<script>alert('x')</script>&Coalley"), text);
            assertTrue(text.contains("bin >= 2"), "signs without a glyph in the standard fonts are spelled out");
            assertTrue(text.contains("Beyond the NAP"), text);
        }
    }

    @Test
    void aPartnersBriefingShowsOnlyTheirOrganisationsActions() throws Exception {
        var r = send(server, "GET", "/api/meetings/" + meeting + "/briefing", wardenPartner, null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode a = json(r).path("actions");
        assertEquals(List.of("Clear the garden waste"), titles(a.path("due")));
        assertEquals(List.of("Lighting survey of the lane"), titles(a.path("overdue")));
        assertEquals(List.of("Clear the garden waste"), titles(a.path("completed")));
        assertEquals(1, a.path("byOrganisation").size());
        assertEquals("wardens", a.path("byOrganisation").path(0).path("code").asText());
        JsonNode previous = json(r).path("previousMeeting");
        assertEquals(List.of("Lighting survey of the lane"), titles(previous.path("actionsAgreed")));
        assertEquals(List.of("Lighting survey of the lane"), titles(previous.path("decisions").path(0).path("actions")));
        String html = send(server, "GET", "/api/meetings/" + meeting + "/briefing?format=html", wardenPartner, null).body();
        assertFalse(html.contains("Extra patrols Quarry Road"));
        assertFalse(html.contains("Test purchase operation"));
        assertTrue(html.contains("Lighting survey of the lane"));
        // the partner is not told who recorded decisions, and may not write meetings
        assertEquals(403, send(server, "POST", "/api/meetings", wardenPartner, "{\"heldOn\": \"2025-07-01\", \"title\": \"X\"}").statusCode());
    }

    @Test
    void countsFollowTheCallersRedaction() throws Exception {
        // a sensitive neighbour dispute inside a 100 m place that does not hold the centre of its 500 m square:
        // analysts count it in the place, a partner sees it at the square's centre, outside the place
        String[] xy = firstPoint(ward9).split(" ");
        long x0 = Math.floorDiv(Long.parseLong(xy[0]), 500) * 500, y0 = Math.floorDiv(Long.parseLong(xy[1]), 500) * 500;
        String place = "POLYGON((%d %d, %d %d, %d %d, %d %d, %d %d))".formatted(x0 + 10, y0 + 10, x0 + 110, y0 + 10, x0 + 110, y0 + 110,
                x0 + 10, y0 + 110, x0 + 10, y0 + 10);
        long problem = LoopFixture.problem(server, "Dispute at the flats", "asb-neighbour-dispute", place, LocalDate.of(2025, 9, 1), "aim");
        update(server, """
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                VALUES ('council', 'asb-neighbour-dispute', '2025-09-15 12:00+01', 'day', ST_SetSRID(ST_MakePoint(?, ?), 27700),
                        'exact', 'dispute-1')""", (double) x0 + 50, (double) y0 + 50);
        String window = "/api/meetings/" + meeting + "/briefing?from=2025-09-01&to=2025-09-30";
        assertEquals(1, trendOf(json(send(server, "GET", window, analyst, null)), problem));
        JsonNode partner = json(send(server, "GET", window, wardenPartner, null));
        assertEquals(0, trendOf(partner, problem));
        assertNotNull(partner.path("redaction").path("note").asText(null), "the partner is told counts are generalised");
    }

    static long trendOf(JsonNode briefing, long problem) {
        for (JsonNode p : briefing.path("problems").path("new")) {
            if (p.path("id").asLong() == problem) return p.path("trend").path("current").asLong();
        }
        throw new AssertionError("problem " + problem + " is not new in " + briefing.path("problems"));
    }

    // --- fixtures

    static String wardCode(int n) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo'
                ORDER BY b.code OFFSET %d LIMIT 1""".formatted(n))) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String neighbourhoodOf(String ward) throws Exception {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT n.code FROM boundary n JOIN boundary_set ns ON ns.id = n.set_id AND ns.level = 'neighbourhood'
                JOIN boundary w ON w.code = ? JOIN boundary_set ws ON ws.id = w.set_id AND ws.level = 'ward' AND ws.version = 'demo'
                WHERE ST_Contains(n.geom, ST_PointOnSurface(w.geom))""")) {
            ps.setString(1, ward);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a neighbourhood for " + ward);
                return rs.getString(1);
            }
        }
    }

    static String firstPoint(String ward) throws Exception {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT ST_X(p)::int || ' ' || ST_Y(p)::int FROM boundary w JOIN boundary_set s ON s.id = w.set_id
                AND s.level = 'ward' AND s.version = 'demo' CROSS JOIN LATERAL ST_PointOnSurface(w.geom) p WHERE w.code = ?""")) {
            ps.setString(1, ward);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** {@code n} council noise complaints at the ward's point-on-surface, on days 1…n of the month pattern. */
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

    static long meeting(String heldOn, String title) throws Exception {
        var r = send(server, "POST", "/api/meetings", analyst, "{\"heldOn\": \"" + heldOn + "\", \"title\": \"" + title
                + "\", \"attendees\": [\"police\", \"wardens\"]}");
        assertEquals(201, r.statusCode(), r.body());
        return json(r).path("id").asLong();
    }

    static void decision(long meetingId, String text, Long problemId) throws Exception {
        var r = send(server, "POST", "/api/meetings/" + meetingId + "/decisions", analyst,
                "{\"text\": \"" + text + "\"" + (problemId == null ? "" : ", \"problemId\": " + problemId) + "}");
        assertEquals(201, r.statusCode(), r.body());
    }

    static void action(long problem, long organisation, String title, String due, String status, String completedOn, Long agreedAt)
            throws Exception {
        insert(server, """
                INSERT INTO problem_action (problem_id, title, organisation_id, due, status, completed_on, meeting_id, created_by)
                VALUES (?, ?, ?, ?::date, ?, ?::date, ?, (SELECT id FROM app_user WHERE username = 'admin')) RETURNING id""",
                problem, title, organisation, due, status, completedOn, agreedAt);
    }

    static void add(long[] to, long now, long before, long lastYear) {
        to[0] += now;
        to[1] += before;
        to[2] += lastYear;
    }

    static List<String> titles(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) out.add(n.path("title").asText());
        return out;
    }
}
