package aim.problems;

/**
 * Who did something, as the history of problems and actions shows it: {@code {"name", "organisation"}}.
 * Analysts and admins see names; every other role sees only the organisation (names are hidden).
 * The SQL expects a CTE {@code viewer(names boolean)} bound once per query.
 */
final class EventAuthors {
    private EventAuthors() {
    }

    /** {@code WITH viewer AS (…)}: binds one parameter, whether the caller sees names. */
    static final String VIEWER = "WITH viewer AS (SELECT ?::boolean AS names) ";

    /** A JSON {@code by} for the user id expression {@code userId} (null when there is no user). */
    static String by(String userId) {
        return ("(SELECT jsonb_build_object('name', CASE WHEN (SELECT names FROM viewer) THEN bu.display_name END, "
                + "'organisation', bo.code) FROM app_user bu LEFT JOIN partner_organisation bo ON bo.id = bu.organisation_id "
                + "WHERE bu.id = %s)").formatted(userId);
    }
}
