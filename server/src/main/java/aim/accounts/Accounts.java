package aim.accounts;

import aim.web.ApiProblem;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users, log-in, sessions and API tokens, in PostgreSQL. Five wrong passwords in a row lock an
 * account for {@link #LOCKOUT}; secrets are only ever stored as SHA-256 digests.
 */
public final class Accounts {
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    public static final Duration LOCKOUT = Duration.ofMinutes(5);
    private static final int MAX_FAILED_LOGINS = 5;
    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{1,63}$");

    private final DataSource dataSource;

    public Accounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new user; the password must satisfy {@link Passwords#problemWith}. */
    public User create(String username, String displayName, Role role, String password) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiProblem.badRequest("username", "a username is 2-64 lower-case letters, digits, '.', '_' or '-'");
        }
        String weak = Passwords.problemWith(password);
        if (weak != null) throw ApiProblem.badRequest("password", weak);
        String name = displayName == null || displayName.isBlank() ? username : displayName.trim();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, ?)
                ON CONFLICT (username) DO NOTHING RETURNING id""")) {
            ps.setString(1, username);
            ps.setString(2, name);
            ps.setString(3, role.id());
            ps.setString(4, Passwords.hash(password));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw ApiProblem.conflict("username", "user '" + username + "' already exists");
                return new User(rs.getLong(1), username, name, role);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating a user failed", e);
        }
    }

    public void setPassword(String username, String password) {
        String weak = Passwords.problemWith(password);
        if (weak != null) throw ApiProblem.badRequest("password", weak);
        int n = update("UPDATE app_user SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
                Passwords.hash(password), username);
        if (n == 0) throw ApiProblem.notFound("username", "no user '" + username + "'");
        update("DELETE FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE username = ?)", username);
    }

    /** Disables a user: their sessions end and their tokens stop working. */
    public void disable(String username) {
        int n = update("UPDATE app_user SET active = false WHERE username = ?", username);
        if (n == 0) throw ApiProblem.notFound("username", "no user '" + username + "'");
        update("DELETE FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE username = ?)", username);
    }

    public List<Map<String, Object>> list() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, username, display_name, role, active, created_at FROM app_user ORDER BY username");
             ResultSet rs = ps.executeQuery()) {
            List<Map<String, Object>> users = new ArrayList<>();
            while (rs.next()) {
                users.add(Map.of("id", rs.getLong(1), "username", rs.getString(2), "displayName", rs.getString(3),
                        "role", rs.getString(4), "active", rs.getBoolean(5), "createdAt", rs.getTimestamp(6).toInstant().toString()));
            }
            return users;
        } catch (SQLException e) {
            throw new IllegalStateException("listing users failed", e);
        }
    }

    /** A new session secret for a correct username and password; 401 otherwise, 429 while locked. */
    public String logIn(String username, String password) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, password_hash, active, locked_until FROM app_user WHERE username = ? FOR UPDATE""")) {
                ps.setString(1, username == null ? "" : username);
                try (ResultSet rs = ps.executeQuery()) {
                    boolean found = rs.next();
                    String hash = found ? rs.getString(2) : null;
                    // always verify against some hash so a wrong username costs as long as a wrong password
                    boolean ok = Passwords.matches(password == null ? "" : password, hash) && rs.getBoolean(3);
                    if (found && rs.getTimestamp(4) != null && rs.getTimestamp(4).toInstant().isAfter(Instant.now())) {
                        c.rollback();
                        throw new ApiProblem(429, "Too Many Requests", "password",
                                "too many failed log-ins: try again in a few minutes", null);
                    }
                    if (!ok) {
                        if (found) failedLogin(c, rs.getLong(1));
                        c.commit();
                        throw new ApiProblem(401, "Unauthorized", "password", "wrong username or password", null);
                    }
                    long userId = rs.getLong(1);
                    String secret = Tokens.newSecret("s_");
                    try (PreparedStatement s = c.prepareStatement("""
                            UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?;
                            DELETE FROM user_session WHERE expires_at < now();
                            INSERT INTO user_session (token_hash, user_id, expires_at) VALUES (?, ?, now() + ?::interval)""")) {
                        s.setLong(1, userId);
                        s.setBytes(2, Tokens.digest(secret));
                        s.setLong(3, userId);
                        s.setString(4, SESSION_LIFETIME.toSeconds() + " seconds");
                        s.execute();
                    }
                    c.commit();
                    return secret;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("log-in failed", e);
        }
    }

    private static void failedLogin(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE app_user SET failed_logins = failed_logins + 1,
                       locked_until = CASE WHEN failed_logins + 1 >= ? THEN now() + ?::interval END
                WHERE id = ?""")) {
            ps.setInt(1, MAX_FAILED_LOGINS);
            ps.setString(2, LOCKOUT.toSeconds() + " seconds");
            ps.setLong(3, userId);
            ps.executeUpdate();
        }
    }

    public void logOut(String sessionSecret) {
        update("DELETE FROM user_session WHERE token_hash = ?", (Object) Tokens.digest(sessionSecret));
    }

    public Optional<User> bySession(String secret) {
        return findUser("""
                SELECT u.id, u.username, u.display_name, u.role FROM user_session s JOIN app_user u ON u.id = s.user_id
                WHERE s.token_hash = ? AND s.expires_at > now() AND u.active""", Tokens.digest(secret));
    }

    public Optional<User> byApiToken(String secret) {
        Optional<User> user = findUser("""
                SELECT u.id, u.username, u.display_name, u.role FROM api_token t JOIN app_user u ON u.id = t.user_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active""", Tokens.digest(secret));
        user.ifPresent(u -> update("UPDATE api_token SET last_used_at = now() WHERE token_hash = ?", (Object) Tokens.digest(secret)));
        return user;
    }

    /** A new API token for a user, returned once; only its digest is kept. */
    public String createApiToken(String username, String name) {
        String secret = Tokens.newSecret("aim_");
        int n = update("""
                INSERT INTO api_token (token_hash, user_id, name)
                SELECT ?, id, ? FROM app_user WHERE username = ? AND active""", Tokens.digest(secret),
                name == null || name.isBlank() ? "token" : name.trim(), username);
        if (n == 0) throw ApiProblem.notFound("username", "no active user '" + username + "'");
        return secret;
    }

    public Optional<User> find(String username) {
        return findUser("SELECT id, username, display_name, role FROM app_user WHERE username = ?", username);
    }

    private Optional<User> findUser(String sql, Object param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new User(rs.getLong(1), rs.getString(2), rs.getString(3), Role.parse(rs.getString(4))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the user failed", e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("updating accounts failed", e);
        }
    }
}
