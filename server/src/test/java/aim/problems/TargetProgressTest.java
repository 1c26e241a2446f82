package aim.problems;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.accounts.User;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;

import static aim.problems.LoopFixture.execute;
import static aim.problems.LoopFixture.get;
import static aim.problems.LoopFixture.json;
import static aim.problems.LoopFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Target progress against a hand count of known incidents: whole months in UK time, a month-precise
 * police row, an area-only row, other categories and places, and a sensitive category that a viewer
 * or partner counts at its generalised square's centre (here outside the place).
 */
@Tag("postgis")
class TargetProgressTest {
    @Fresh static TestServer server;
    static String analyst;
    static String viewer;
    static String partner;
    static long problem;

    /** Inserts an incident at (x, y) metres (EPSG:27700), or area-only when x is null. */
    static void incident(String source, String category, String occurredAt, String precision, Long x, Long y, String key) throws Exception {
        String geom = x == null ? "NULL" : "ST_SetSRID(ST_MakePoint(%d, %d), 27700)".formatted(x, y);
        execute(server, """
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, area_code, external_key)
                VALUES ('%s', '%s', '%s', '%s', %s, '%s', %s, '%s')""".formatted(source, category, occurredAt, precision, geom,
                x == null ? "area" : "exact", x == null ? "'E01000001'" : "NULL", key));
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        LoopFixture.organisation(server, "police", "Cleveland Police", "police");
        partner = LoopFixture.member(server, "pete", Role.PARTNER, "police");
        long[] sq = LoopFixture.squareInside(server, 3);
        long x = sq[0];
        long y = sq[1];
        // the place: four 100 m cells, [x+300, x+500) × [y+300, y+500), in the top-right corner of a 500 m
        // redaction square whose centre (x+250, y+250) lies outside it
        long i = x / 100 + 3;
        long j = y / 100 + 3;
        String area = "{\"cell\": 100, \"cells\": [[%d, %d], [%d, %d], [%d, %d], [%d, %d]]}".formatted(i, j, i + 1, j, i, j + 1, i + 1, j + 1);
        String asb = "anti-social-behaviour";
        String vso = "violence-and-sexual-offences"; // sensitive
        long in = x + 350;
        long in2 = y + 420;
        // target months Oct–Dec 2019
        incident("council", asb, "2019-10-05T10:00:00Z", "minute", in, in2, "t1");
        incident("council", asb, "2019-09-30T23:30:00Z", "minute", in, in2, "t2"); // 00:30 BST on 1 Oct: October
        incident("police", asb, "2019-11-01T00:00:00Z", "month", x + 420, y + 420, "t3"); // police.uk November (local midnight, GMT)
        incident("council", asb, "2019-12-31T23:30:00Z", "day", in, in2, "t4");
        incident("council", vso, "2019-11-10T12:00:00Z", "minute", in, in2, "t5"); // sensitive: only analysts count it here
        incident("council", asb, "2019-11-11T12:00:00Z", "minute", x + 100, y + 100, "t6"); // outside the place
        incident("council", asb, "2019-11-12T12:00:00Z", "minute", null, null, "t7"); // area-only
        incident("council", "burglary", "2019-11-13T12:00:00Z", "minute", in, in2, "t8"); // another category
        incident("council", asb, "2020-01-01T00:30:00Z", "minute", in, in2, "t9"); // after the target months
        incident("council", asb, "2019-09-30T22:30:00Z", "minute", in, in2, "t10"); // 23:30 BST on 30 Sep: before
        // baseline Oct–Dec 2018: five ASB in November, one sensitive in December
        for (int n = 1; n <= 5; n++) incident("council", asb, "2018-11-0" + n + "T12:00:00Z", "minute", in, in2, "b" + n);
        incident("council", vso, "2018-12-03T12:00:00Z", "minute", in, in2, "b6");
        var r = post(server, "/api/problems", analyst, """
                {"title": "Precinct", "categories": ["%s", "%s"], "area": %s, "owner": "aim", "objective": "Less ASB",
                 "startDate": "2019-10-01", "target": {"percent": -20, "months": 3, "baseline": "same-period-last-year",
                 "start": "2019-10-01"}}""".formatted(asb, vso, area));
        assertEquals(201, r.statusCode(), r.body());
        problem = json(r).path("id").asLong();
    }

    @Test
    void analystsCountEveryIncidentOfThePlace() throws Exception {
        JsonNode p = json(get(server, "/api/problems/" + problem, analyst)).path("progress");
        assertEquals("2019-10-01", p.path("from").asText());
        assertEquals("2020-01-01", p.path("to").asText());
        assertEquals("2018-10-01", p.path("baselineFrom").asText());
        assertEquals("2019-01-01", p.path("baselineTo").asText());
        assertEquals(3, p.path("monthsElapsed").asInt());
        assertEquals(5, p.path("current").asInt(), p.toString());
        assertEquals(6, p.path("baseline").asInt(), p.toString());
        assertEquals(-16.7, p.path("changePercent").asDouble(), 1e-9);
        assertEquals("missed", p.path("status").asText());
        assertEquals(List.of("2019-10 2 0", "2019-11 2 5", "2019-12 1 1"), monthly(p));
        assertTrue(p.path("description").asText().startsWith(
                "Reduce anti-social behaviour and violence and sexual offences in 4 grid cells of 100 m by 20 % over 3 months "
                        + "(Oct–Dec 2019) against the same months last year: 5 vs 6 (−17 %), missed"), p.path("description").asText());
    }

    @Test
    void viewersAndPartnersCountSensitiveIncidentsWhereTheyMaySeeThem() throws Exception {
        for (String token : List.of(viewer, partner)) {
            JsonNode p = json(get(server, "/api/problems/" + problem, token)).path("progress");
            assertEquals(4, p.path("current").asInt(), p.toString());
            assertEquals(5, p.path("baseline").asInt(), p.toString());
            assertEquals(-20.0, p.path("changePercent").asDouble(), 1e-9);
            assertEquals("met", p.path("status").asText());
            assertEquals(List.of("2019-10 2 0", "2019-11 1 5", "2019-12 1 0"), monthly(p));
        }
    }

    @Test
    void progressWhileTheTargetRunsCountsOnlyCompleteMonths() throws Exception {
        User anna = server.accounts.find("anna").orElseThrow();
        try (Connection c = server.dataSource.getConnection()) {
            TargetProgress before = ProblemTargets.progress(c, problem, anna, LocalDate.of(2019, 10, 31)).orElseThrow();
            assertEquals("not-started", before.status());
            assertEquals(0, before.monthsElapsed());
            assertTrue(before.description().endsWith(": not started"), before.description());
            TargetProgress one = ProblemTargets.progress(c, problem, anna, LocalDate.of(2019, 11, 15)).orElseThrow();
            assertEquals(1, one.monthsElapsed());
            assertEquals(2, one.current());
            assertEquals(0, one.baseline());
            assertNull(one.changePercent());
            assertEquals("off-track", one.status());
            assertNull(one.monthly().get(1).current());
            assertEquals(5, one.monthly().get(1).baseline());
            TargetProgress two = ProblemTargets.progress(c, problem, anna, LocalDate.of(2019, 12, 1)).orElseThrow();
            assertEquals(4, two.current());
            assertEquals(5, two.baseline());
            assertEquals("on-track", two.status());
            assertTrue(ProblemTargets.progress(c, 999999, anna, LocalDate.of(2019, 12, 1)).isEmpty());
        }
    }

    static List<String> monthly(JsonNode p) {
        return java.util.stream.StreamSupport.stream(p.path("monthly").spliterator(), false)
                .map(m -> m.path("month").asText() + " " + m.path("current").asText() + " " + m.path("baseline").asText()).toList();
    }
}
