package aim.accounts;

import java.time.Instant;

/**
 * An API token as its owner and admins see it: never the secret, which is shown once when the
 * token is issued and stored only as a digest. {@code lastUsedAt} is to the minute, null if never used.
 */
public record ApiToken(long id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {

    /** A token just issued, with its secret (the only time the secret is available). */
    public record Issued(String secret, ApiToken token) {
    }
}
