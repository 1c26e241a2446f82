package aim.problems;

import aim.accounts.Role;
import aim.accounts.User;
import aim.db.SqlFragment;

/**
 * The one rule for which actions ({@code problem_action} rows) a caller sees, used by every path that
 * reads actions: lists, problem details, counts on the problem map, the meeting briefing. Analysts and
 * admins see every action; any other user sees only the actions of their own partner organisation, and
 * none when they belong to none.
 */
public final class ActionVisibility {
    private ActionVisibility() {
    }

    /** Whether the caller sees every action. */
    public static boolean seesAll(User caller) {
        return caller.role() == Role.ADMIN || caller.role() == Role.ANALYST;
    }

    /**
     * An SQL condition on the {@code problem_action} row aliased {@code actionAlias} (a plain SQL alias
     * chosen by the code, never from a request) that is true for the rows the caller may see.
     */
    public static SqlFragment visibleTo(User caller, String actionAlias) {
        if (seesAll(caller)) return SqlFragment.of("true");
        if (caller.organisationId() == null) return SqlFragment.of("false");
        return SqlFragment.of(actionAlias + ".organisation_id = ?", caller.organisationId());
    }

    /** Whether the caller sees an action of the organisation {@code organisationId}. */
    public static boolean sees(User caller, long organisationId) {
        return seesAll(caller) || (caller.organisationId() != null && caller.organisationId() == organisationId);
    }
}
