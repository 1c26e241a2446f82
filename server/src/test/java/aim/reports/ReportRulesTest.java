package aim.reports;

import aim.core.IdempotencyKey;
import aim.core.DomainException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status workflow, the Idempotency-Key rules and time checks, without a database. */
class ReportRulesTest {
    @Test
    void theWorkflowAllowsExactlyTheListedMoves() {
        assertEquals(List.of("assigned", "cleared", "closed", "no-action"), StatusWorkflow.next("open"));
        assertEquals(List.of("assigned", "cleared", "closed", "no-action", "open"), StatusWorkflow.next("assigned"));
        assertEquals(List.of("closed"), StatusWorkflow.next("cleared"));
        assertTrue(StatusWorkflow.next("closed").isEmpty());
        assertTrue(StatusWorkflow.next("no-action").isEmpty());
        for (String from : List.of("open", "cleared", "closed", "no-action")) {
            assertFalse(StatusWorkflow.allows(from, from), from + " to itself");
        }
        assertTrue(StatusWorkflow.allows("assigned", "assigned"), "reassigned to another team");
        assertEquals(409, aim.web.Problems.status(assertThrows(DomainException.class, () -> StatusWorkflow.check("cleared", "open"))));
        assertEquals(400, aim.web.Problems.status(assertThrows(DomainException.class, () -> StatusWorkflow.check("open", "Closed"))));
    }

    @Test
    void aFastPhoneClockIsTakenAsNowButADayAheadIsAMistake() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertEquals(now.plusSeconds(60), ReportValidation.occurredAt("2026-11-22T10:01:00Z", now), "within the skew: kept");
        assertEquals(now, ReportValidation.occurredAt("2026-11-22T13:00:00Z", now), "hours ahead: clamped to now");
        assertEquals(422, aim.web.Problems.status(assertThrows(DomainException.class, () -> ReportValidation.occurredAt("2026-11-24T10:00:00Z", now))));
    }

    @Test
    void requestsAreComparedByContentNotSpelling() {
        var a = new ReportRequest("fly-tipping", -1.23, 54.56, 8.5, null, "x", null, null, null,
                new ReportRequest.FlyTipping("small-van", "household", null));
        var b = new ReportRequest("fly-tipping", -1.230, 54.56, 8.50, null, "x", null, null, null,
                new ReportRequest.FlyTipping("small-van", "household", null));
        var c = new ReportRequest("fly-tipping", -1.23, 54.56, 8.5, null, "y", null, null, null,
                new ReportRequest.FlyTipping("small-van", "household", null));
        assertArrayEquals(IdempotencyKey.requestHash(a), IdempotencyKey.requestHash(b));
        assertFalse(java.util.Arrays.equals(IdempotencyKey.requestHash(a), IdempotencyKey.requestHash(c)));
    }

    @Test
    void keysAreOneToAHundredPrintableCharacters() {
        assertEquals("3f2a-uuid", IdempotencyKey.check(" 3f2a-uuid "));
        assertEquals("a".repeat(100), IdempotencyKey.check("a".repeat(100)));
        for (String bad : new String[]{null, "", "  ", "a".repeat(101), "tab\there", "caf\u00e9"}) {
            DomainException p = assertThrows(DomainException.class, () -> IdempotencyKey.check(bad), String.valueOf(bad));
            assertEquals("Idempotency-Key", p.field());
        }
    }

    @Test
    void occurredAtMayBeAFewMinutesAheadForAFastPhoneClock() {
        Instant now = Instant.parse("2026-11-22T09:15:00Z");
        assertEquals(Instant.parse("2026-11-22T09:19:00Z"), ReportValidation.occurredAt("2026-11-22T09:19:00Z", now));
        assertEquals(Instant.parse("2026-11-22T08:15:00Z"), ReportValidation.occurredAt("2026-11-22T09:15:00+01:00", now));
        assertEquals(now, ReportValidation.occurredAt("2026-11-22T09:21:00Z", now), "beyond the skew: taken as now");
        assertEquals(400, aim.web.Problems.status(assertThrows(DomainException.class, () -> ReportValidation.occurredAt("2026-11-22", now))));
        assertEquals(400, aim.web.Problems.status(assertThrows(DomainException.class, () -> ReportValidation.occurredAt("1066-10-14T09:00:00Z", now))));
    }
}
