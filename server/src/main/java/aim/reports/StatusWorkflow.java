package aim.reports;

import aim.core.DomainException;
import aim.incidents.Taxonomy;

import java.util.List;
import java.util.Map;

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

    /** Throws a 400 problem for an unknown status and a 409 problem for a move the workflow does not allow. */
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
