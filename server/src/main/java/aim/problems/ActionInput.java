package aim.problems;

import aim.core.DomainException;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

/** Checks the bodies of an action's creation and change (400 naming the malformed field; nothing is written). */
public final class ActionInput {
    private ActionInput() {
    }

    /** A new action as asked for; the organisation, assignee, meeting and due date are checked against what is stored. */
    public record NewAction(String title, String organisation, String assignee, LocalDate due, LocalDate startsOn,
                            LocalDate endsOn, Long meeting, String note) {
    }

    /** The fields a change gives ({@code given}); the others are null. */
    public record Change(String status, String note, String title, LocalDate due, String assignee, String organisation,
                         Set<String> given) {
        /** The fields besides status and note: analysts' and admins' only. */
        public Set<String> staffOnly() {
            Set<String> s = new HashSet<>(given);
            s.remove("status");
            s.remove("note");
            return s;
        }
    }

    public static NewAction forCreate(JsonNode body) {
        ProblemInput.unknownFields(body, Set.of("title", "organisation", "assignee", "due", "startsOn", "endsOn", "meeting", "note"));
        String title = ProblemInput.text(body, "title", 200, true);
        String organisation = ProblemInput.text(body, "organisation", 40, true);
        String assignee = ProblemInput.text(body, "assignee", 64, false);
        if (!body.hasNonNull("due")) throw DomainException.invalid("due", "due is required");
        LocalDate due = ProblemInput.date(body.get("due"), "due");
        LocalDate starts = body.hasNonNull("startsOn") ? ProblemInput.date(body.get("startsOn"), "startsOn") : null;
        LocalDate ends = body.hasNonNull("endsOn") ? ProblemInput.date(body.get("endsOn"), "endsOn") : null;
        if ((starts == null) != (ends == null)) {
            throw DomainException.invalid(starts == null ? "startsOn" : "endsOn", "an operation has both startsOn and endsOn, or neither");
        }
        if (ends != null && ends.isBefore(starts)) throw DomainException.invalid("endsOn", "endsOn cannot be before startsOn");
        Long meeting = null;
        if (body.hasNonNull("meeting")) {
            JsonNode m = body.get("meeting");
            if (!m.isIntegralNumber() || m.asLong() < 1 || !m.canConvertToLong()) {
                throw DomainException.invalid("meeting", "meeting is a meeting id");
            }
            meeting = m.asLong();
        }
        String note = ProblemInput.text(body, "note", 2000, false);
        return new NewAction(title, organisation, assignee, due, starts, ends, meeting, note);
    }

    public static Change forChange(JsonNode body) {
        ProblemInput.unknownFields(body, Set.of("status", "note", "title", "due", "assignee", "organisation"));
        Set<String> given = new HashSet<>();
        body.fieldNames().forEachRemaining(given::add);
        String status = null;
        if (given.contains("status")) {
            JsonNode s = body.get("status");
            if (s == null || !s.isTextual() || !ActionWorkflow.STATUSES.contains(s.asText().strip())) {
                throw DomainException.invalid("status", "status is one of " + String.join(", ", ActionWorkflow.STATUSES));
            }
            status = s.asText().strip();
        }
        String note = ProblemInput.text(body, "note", 2000, false);
        String title = given.contains("title") ? ProblemInput.text(body, "title", 200, true) : null;
        LocalDate due = given.contains("due") ? ProblemInput.date(body.get("due"), "due") : null;
        String assignee = given.contains("assignee") ? ProblemInput.text(body, "assignee", 64, false) : null;
        String organisation = given.contains("organisation") ? ProblemInput.text(body, "organisation", 40, true) : null;
        return new Change(status, note, title, due, assignee, organisation, Set.copyOf(given));
    }
}
