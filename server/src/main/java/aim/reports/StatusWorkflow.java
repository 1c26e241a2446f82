package aim.reports;

import aim.core.DomainException;
import aim.incidents.Taxonomy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which status a report may move to from which: open → assigned, cleared, closed or no-action;
 * assigned → assigned again (handed to another team), cleared, closed, no-action or back to open;
 * cleared → closed. Closed and no-action are final. Anything else is a 409 problem naming {@code status}.
 */
public final class StatusWorkflow {
    private static final Map<String, List<String>> NEXT = Map.of(
            "open", List.of("assigned", "cleared", "closed", "no-action"),
            "assigned", List.of("assigned", "cleared", "closed", "no-action", "open"),
            "cleared", List.of("closed"),
            "closed", List.of(),
            "no-action", List.of());

    private StatusWorkflow() {
    }

    /** The statuses reachable from {@code from} in one step. */
    public static List<String> next(String from) {
        return NEXT.getOrDefault(from, List.of());
    }

    public static boolean allows(String from, String to) {
        return next(from).contains(to);
    }

    /**
     * The change of a report to status {@code to}, checked against the workflow ({@link #check}):
     * {@code assigned} needs an assignee; going back to {@code open} unassigns; other moves keep who had
     * it unless {@code assignedTo} names someone else. The history records a changed assignee and the
     * {@code note}, if any.
     */
    public static ReportRepository.StatusUpdate update(Report current, String to, String assignedTo, String note) {
        check(current.status(), to);
        String assignee = switch (to) {
            case "assigned" -> {
                if (assignedTo == null) throw DomainException.invalid("assignedTo", "assignedTo is required to assign a report");
                yield assignedTo;
            }
            case "open" -> null;
            default -> assignedTo != null ? assignedTo : current.assignedTo();
        };
        Map<String, Object> changes = new LinkedHashMap<>();
        if (!Objects.equals(assignee, current.assignedTo())) {
            changes.put("assignedTo", Arrays.asList(current.assignedTo(), assignee));
        }
        if (note != null) changes.put("note", note);
        return new ReportRepository.StatusUpdate(to, assignee, changes);
    }

    /** Throws an invalid failure for an unknown status and a conflict for a move the workflow does not allow. */
    public static void check(String from, String to) {
        String known = String.join(", ", Taxonomy.STATUSES);
        if (to == null || to.isBlank()) throw DomainException.invalid("status", "status is required: one of " + known);
        if (!NEXT.containsKey(to)) throw DomainException.invalid("status", "unknown status '" + to + "': expected one of " + known);
        if (!allows(from, to)) {
            List<String> next = next(from);
            throw DomainException.conflict("status", "a report that is " + from + " cannot become " + to
                    + (next.isEmpty() ? ": " + from + " is final" : "; it can become " + String.join(", ", next)));
        }
    }
}
