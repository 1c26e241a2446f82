package aim.problems;

import aim.core.DomainException;

import java.util.List;
import java.util.Map;

/**
 * The status workflow of an action: open → in-progress | on-hold | cancelled; in-progress → done |
 * on-hold | cancelled; on-hold → in-progress | cancelled; done → in-progress (reopening) and
 * cancelled → open, both for analysts and admins only.
 */
public final class ActionWorkflow {
    public static final List<String> STATUSES = List.of("open", "in-progress", "done", "on-hold", "cancelled");
    /** Statuses of an action still to be done (it is overdue when its due date has passed). */
    public static final List<String> OPEN = List.of("open", "in-progress", "on-hold");

    private static final Map<String, List<String>> NEXT = Map.of(
            "open", List.of("in-progress", "on-hold", "cancelled"),
            "in-progress", List.of("done", "on-hold", "cancelled"),
            "on-hold", List.of("in-progress", "cancelled"),
            "done", List.of("in-progress"),
            "cancelled", List.of("open"));

    private ActionWorkflow() {
    }

    /** Refuses a move the workflow does not allow (409 naming {@code status} and the allowed ones), or a reopening by a partner (403). */
    public static void checkMove(String from, String to, boolean staff) {
        if (from.equals(to)) return;
        List<String> allowed = NEXT.get(from);
        if (!allowed.contains(to)) {
            throw DomainException.conflict("status", "an action that is '" + from + "' can move only to "
                    + String.join(" or ", allowed) + ", not to '" + to + "'");
        }
        boolean reopening = from.equals("done") || from.equals("cancelled");
        if (reopening && !staff) {
            throw DomainException.forbidden("status", "only analysts and admins may reopen a " + from + " action");
        }
    }
}
