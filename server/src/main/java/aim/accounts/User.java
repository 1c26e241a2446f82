package aim.accounts;

/** A signed-in user as the rest of the application sees it (never with a password hash). */
public record User(long id, String username, String displayName, Role role) {
}
