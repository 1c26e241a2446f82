package aim.accounts;

/**
 * A signed-in user as the rest of the application sees it (never with a password hash), with the id
 * of the partner organisation they belong to ({@code partner_organisation.id}), or null.
 */
public record User(long id, String username, String displayName, Role role, Long organisationId) {

    /** A user of no partner organisation. */
    public User(long id, String username, String displayName, Role role) {
        this(id, username, displayName, role, null);
    }
}
