package aim.reports;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One entry of a report's history: {@code kind} is created, status, edit or photo; {@code by} the
 * username. {@code changes} is {field: [old, new]}, and for a status change may hold the {@code note}.
 */
public record ReportEvent(long id, String kind, Instant at, String by, String fromStatus, String toStatus, JsonNode changes) {
}
