package aim.meetings;

import aim.core.DomainException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;

/**
 * Checks a {@link MeetingRequest} or {@link DecisionRequest} field by field (400 problems naming the field);
 * whether the organisation codes and problem ids exist is checked by {@link MeetingRepository} in the
 * writing transaction (422 naming {@code attendees} or {@code agenda}).
 */
final class MeetingValidation {
    static final int MAX_TITLE = 200, MAX_TEXT = 2000, MAX_ATTENDEES = 50, MAX_AGENDA = 100;
    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1), LATEST = LocalDate.of(2199, 12, 31);

    private MeetingValidation() {
    }

    /** The checked values of a meeting; on a PATCH, null for what was not sent. */
    record Fields(LocalDate heldOn, String title, List<String> attendees, List<Long> agenda) {
    }

    static Fields forCreate(MeetingRequest r) {
        if (r.heldOn() == null) throw DomainException.invalid("heldOn", "heldOn is required (a date like 2026-12-15)");
        if (r.title() == null) throw DomainException.invalid("title", "title is required");
        return new Fields(date(r.heldOn(), "heldOn"), text(r.title(), "title", MAX_TITLE),
                r.attendees() == null ? List.of() : codes(r.attendees()), r.agenda() == null ? List.of() : ids(r.agenda()));
    }

    /** A PATCH: {@code sent} says which fields the body held (a field sent as null is refused). */
    static Fields forEdit(MeetingRequest r, java.util.function.Predicate<String> sent) {
        for (String f : List.of("heldOn", "title", "attendees", "agenda")) {
            if (sent.test(f) && switch (f) {
                case "heldOn" -> r.heldOn() == null;
                case "title" -> r.title() == null;
                case "attendees" -> r.attendees() == null;
                default -> r.agenda() == null;
            }) throw DomainException.invalid(f, f + " may not be null");
        }
        return new Fields(r.heldOn() == null ? null : date(r.heldOn(), "heldOn"),
                r.title() == null ? null : text(r.title(), "title", MAX_TITLE),
                r.attendees() == null ? null : codes(r.attendees()), r.agenda() == null ? null : ids(r.agenda()));
    }

    static String decisionText(DecisionRequest r) {
        if (r.text() == null) throw DomainException.invalid("text", "text is required: the decision in words");
        if (r.problemId() != null && r.problemId() <= 0) throw DomainException.invalid("problemId", "problemId must be a problem's id");
        return text(r.text(), "text", MAX_TEXT);
    }

    static LocalDate date(String value, String field) {
        LocalDate d;
        try {
            d = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, field + " must be a date like 2026-12-15, not '" + value + "'");
        }
        if (d.isBefore(EARLIEST) || d.isAfter(LATEST)) {
            throw DomainException.invalid(field, field + " must lie between " + EARLIEST + " and " + LATEST);
        }
        return d;
    }

    private static String text(String value, String field, int max) {
        String t = value.strip();
        if (t.isEmpty()) throw DomainException.invalid(field, field + " must not be blank");
        if (t.length() > max) throw DomainException.invalid(field, field + " is longer than " + max + " characters");
        return t;
    }

    private static List<String> codes(List<String> codes) {
        if (codes.size() > MAX_ATTENDEES) throw DomainException.invalid("attendees", "at most " + MAX_ATTENDEES + " attendees");
        var seen = new HashSet<String>();
        for (int k = 0; k < codes.size(); k++) {
            String c = codes.get(k);
            if (c == null || c.isBlank()) throw DomainException.invalid("attendees", "attendees[" + k + "] is not an organisation code");
            if (!seen.add(c.strip())) throw DomainException.invalid("attendees", "organisation '" + c.strip() + "' is listed twice");
        }
        return codes.stream().map(String::strip).toList();
    }

    private static List<Long> ids(List<Long> ids) {
        if (ids.size() > MAX_AGENDA) throw DomainException.invalid("agenda", "at most " + MAX_AGENDA + " agenda items");
        var seen = new HashSet<Long>();
        for (int k = 0; k < ids.size(); k++) {
            Long id = ids.get(k);
            if (id == null || id <= 0) throw DomainException.invalid("agenda", "agenda[" + k + "] is not a problem id");
            if (!seen.add(id)) throw DomainException.invalid("agenda", "problem " + id + " is on the agenda twice");
        }
        return List.copyOf(ids);
    }
}
