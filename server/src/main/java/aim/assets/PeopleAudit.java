package aim.assets;

import aim.accounts.User;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The audit trail of people assets (personal data): one {@code asset_audit} row per request that returned
 * any, with who (user id, name and role), when, which assets and through which endpoint (method, path and
 * query). Written after the response body, and also when streaming the body fails part way.
 */
public final class PeopleAudit {
    private final DataSource dataSource;

    public PeopleAudit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The request as the audit records it: method, path and query (when there is one). */
    public static String endpoint(String method, String path, String query) {
        return method + " " + path + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    public void record(User user, String endpoint, Collection<Long> assetIds) {
        if (assetIds.isEmpty()) return;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO asset_audit (user_id, username, role, endpoint, asset_ids) VALUES (?, ?, ?, ?, ?)")) {
            ps.setObject(1, user == null ? null : user.id());
            ps.setString(2, user == null ? "(command line)" : user.username());
            ps.setString(3, user == null ? "operator" : user.role().id());
            ps.setString(4, endpoint);
            ps.setArray(5, c.createArrayOf("bigint", assetIds.stream().distinct().toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the people-asset audit failed", e);
        }
    }
}
