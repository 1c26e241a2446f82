package aim.problems;

import aim.core.DomainException;
import aim.core.IdempotencyKey;

import javax.sql.DataSource;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Idempotent creation for the meeting loop's POSTs (problems, actions, escalations, and the meetings
 * domain's meetings and decisions): a request with an {@code Idempotency-Key} stores the key, the
 * SHA-256 of its canonical body ({@link IdempotencyKey#requestHash}) and what it created in
 * {@code loop_request}, in the same transaction as the thing itself. A retry with the key and the
 * same body gets the first one's resource and creates nothing; with another body it is refused (422).
 * Of concurrent requests with one key, the first to commit wins: the others' inserts of the key wait
 * for it, fail on the primary key, roll back everything they wrote and answer as retries.
 */
public final class LoopRequests {
    private LoopRequests() {
    }

    /** What a creating request did: the resource's id, and whether it was made by an earlier request with the key. */
    public record Created(long id, boolean replayed) {
    }

    /** Inserts the resource on {@code c} (inside the transaction) and returns its id. */
    @FunctionalInterface
    public interface Insert {
        long into(Connection c) throws SQLException;
    }

    /**
     * Creates the resource of {@code kind} with {@code insert} in one transaction, or with a key that was
     * used before, returns the earlier one. {@code key} null: no Idempotency-Key, always creates.
     */
    public static Created create(DataSource dataSource, long userId, String kind, String key, byte[] hash, Insert insert) {
        if (key != null) {
            Optional<Created> earlier = earlier(dataSource, userId, kind, key, hash);
            if (earlier.isPresent()) return earlier.get();
        }
        // the connection is closed before the earlier request is read: a thread holds one pooled connection at a time
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = insert.into(c);
                if (key != null) {
                    try (PreparedStatement ps = c.prepareStatement("""
                            INSERT INTO loop_request (user_id, key, kind, request_hash, resource_id) VALUES (?, ?, ?, ?, ?)""")) {
                        ps.setLong(1, userId);
                        ps.setString(2, key);
                        ps.setString(3, kind);
                        ps.setBytes(4, hash);
                        ps.setLong(5, id);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return new Created(id, false);
            } catch (SQLException e) {
                c.rollback();
                if (key == null || !"23505".equals(e.getSQLState()) || !String.valueOf(e.getMessage()).contains("loop_request_pkey")) {
                    throw e;
                }
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating a " + kind + " failed", e);
        }
        // a concurrent request with the key committed first: answer as its retry
        return earlier(dataSource, userId, kind, key, hash)
                .orElseThrow(() -> new IllegalStateException("an idempotency key without its request"));
    }

    private static Optional<Created> earlier(DataSource dataSource, long userId, String kind, String key, byte[] hash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT request_hash, resource_id FROM loop_request WHERE user_id = ? AND kind = ? AND key = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, kind);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                if (!MessageDigest.isEqual(hash, rs.getBytes(1))) {
                    throw DomainException.rejected(IdempotencyKey.HEADER, "this Idempotency-Key was already used for a different "
                            + kind + "; send a new key for a new one, or the same body to retry", null);
                }
                return Optional.of(new Created(rs.getLong(2), true));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading an idempotency key failed", e);
        }
    }
}
