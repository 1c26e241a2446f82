package aim.accounts;

import aim.core.DomainException;
import aim.Config;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users, log-in, sessions and API tokens, in PostgreSQL. Five wrong passwords for one name within
 * {@link #FAILURE_WINDOW} lock that name for {@link #LOCKOUT}, whether or not a user has it; when the
 * lock expires, counting starts afresh. Sessions last {@link #SESSION_LIFETIME}; API tokens last the
 * configured token lifetime unless revoked. Secrets are only ever stored as SHA-256 digests.
 */
public final class Accounts {
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    public static final Duration LOCKOUT = Duration.ofMinutes(5);
    public static final Duration FAILURE_WINDOW = Duration.ofHours(1);
    private static final int MAX_FAILED_LOGINS = 5;
    /** Longer than any username, so a long name typed at log-in never shares a counter with a real user. */
    private static final int MAX_LOGIN_KEY = 128;
    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{1,63}$");

    private final DataSource dataSource;
    private final Duration tokenLifetime;

    /** Accounts whose API tokens last {@link Config#DEFAULT_TOKEN_DAYS} days (tools and tests). */
    public Accounts(DataSource dataSource) {
        this(dataSource, Duration.ofDays(Config.DEFAULT_TOKEN_DAYS));
    }

    public Accounts(DataSource dataSource, Duration tokenLifetime) {
        this.dataSource = dataSource;
        this.tokenLifetime = tokenLifetime;
    }

    /** A new user of no organisation; the password must satisfy {@link Passwords#problemWith}. */
    public User create(String username, String displayName, Role role, String password) {
        return create(username, displayName, role, password, null);
    }

    /**
     * A new user, a member of the partner organisation with code {@code organisation} (null: none;
     * required for the partner role, 422 naming {@code organisation} when missing or unknown).
     */
    public User create(String username, String displayName, Role role, String password, String organisation) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw DomainException.invalid("username", "a username is 2-64 lower-case letters, digits, '.', '_' or '-'");
        }
        String weak = Passwords.problemWith(password);
        if (weak != null) throw DomainException.invalid("password", weak);
        String name = displayName == null || displayName.isBlank() ? username : displayName.trim();
        Long organisationId = null;
        if (organisation != null && !organisation.isBlank()) {
            organisationId = new Organisations(dataSource).byCode(organisation.strip()).map(Organisation::id)
                    .orElseThrow(() -> DomainException.rejected("organisation", "no organisation with code '" + organisation.strip() + "'", null));
        } else if (role == Role.PARTNER) {
            throw DomainException.rejected("organisation", "a partner must belong to an organisation: give its code", null);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO app_user (username, display_name, role, password_hash, organisation_id) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (username) DO NOTHING RETURNING id""")) {
            ps.setString(1, username);
            ps.setString(2, name);
            ps.setString(3, role.id());
            ps.setString(4, Passwords.hash(password));
            ps.setObject(5, organisationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw DomainException.conflict("username", "user '" + username + "' already exists");
                return new User(rs.getLong(1), username, name, role, organisationId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating a user failed", e);
        }
    }

    /** The organisation a user belongs to, if any. */
    public Optional<Organisation> organisationOf(User user) {
        return user.organisationId() == null ? Optional.empty() : new Organisations(dataSource).byId(user.organisationId());
    }

    /**
     * A new password: every session of the user ends, any lock on the name is lifted, and with
     * {@code revokeTokens} their API tokens stop working too. Returns the number of tokens revoked.
     */
    public int setPassword(String username, String password, boolean revokeTokens) {
        String weak = Passwords.problemWith(password);
        if (weak != null) throw DomainException.invalid("password", weak);
        int n = update("UPDATE app_user SET password_hash = ? WHERE username = ?", Passwords.hash(password), username);
        if (n == 0) throw DomainException.notFound("username", "no user '" + username + "'");
        update("DELETE FROM login_failure WHERE username = ?", loginKey(username));
        endSessions(username);
        return revokeTokens ? revokeTokens(username) : 0;
    }

    /** Disables a user: their sessions end and their API tokens are revoked. */
    public void disable(String username) {
        int n = update("UPDATE app_user SET active = false WHERE username = ?", username);
        if (n == 0) throw DomainException.notFound("username", "no user '" + username + "'");
        endSessions(username);
        revokeTokens(username);
    }

    private void endSessions(String username) {
        update("DELETE FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE username = ?)", username);
    }

    /** Revokes every API token of a user that still works; returns how many. */
    public int revokeTokens(String username) {
        return update("""
                UPDATE api_token SET revoked_at = now()
                WHERE user_id = (SELECT id FROM app_user WHERE username = ?) AND revoked_at IS NULL""", username);
    }

    /** Every user (never a password hash), with their organisation {@code {id, code, name}} or null. */
    public List<Map<String, Object>> list() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT u.id, u.username, u.display_name, u.role, u.active, u.created_at, o.id, o.code, o.name
                FROM app_user u LEFT JOIN partner_organisation o ON o.id = u.organisation_id ORDER BY u.username""");
             ResultSet rs = ps.executeQuery()) {
            List<Map<String, Object>> users = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("id", rs.getLong(1));
                u.put("username", rs.getString(2));
                u.put("displayName", rs.getString(3));
                u.put("role", rs.getString(4));
                u.put("active", rs.getBoolean(5));
                u.put("createdAt", rs.getTimestamp(6).toInstant().toString());
                u.put("organisation", rs.getObject(7) == null ? null
                        : Map.of("id", rs.getLong(7), "code", rs.getString(8), "name", rs.getString(9)));
                users.add(u);
            }
            return users;
        } catch (SQLException e) {
            throw new IllegalStateException("listing users failed", e);
        }
    }

    /**
     * A new session secret for a correct username and password; 401 otherwise, 429 while the name is
     * locked. Every attempt costs one bcrypt check (against a dummy hash for an unknown name) and is
     * counted the same way whether or not the user exists, so neither the answers nor their timing
     * tell which names exist. No connection is held during the bcrypt check.
     */
    public String logIn(String username, String password) {
        String key = loginKey(username);
        Attempt attempt = attempt(username == null ? "" : username, key);
        // verify first, locked or not, so a locked name costs as long as any other
        boolean ok = Passwords.matches(password == null ? "" : password, attempt.hash()) && attempt.active();
        if (attempt.locked()) {
            throw DomainException.tooManyAttempts("password", "too many failed log-ins: try again in a few minutes");
        }
        if (!ok) {
            recordFailure(key);
            throw DomainException.unauthenticated("password", "wrong username or password");
        }
        String secret = Tokens.newSecret("s_");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                DELETE FROM login_failure WHERE username = ?;
                DELETE FROM user_session WHERE expires_at < now();
                INSERT INTO user_session (token_hash, user_id, expires_at) VALUES (?, ?, now() + ?::interval)""")) {
            s.setString(1, key);
            s.setBytes(2, Tokens.digest(secret));
            s.setLong(3, attempt.userId());
            s.setString(4, SESSION_LIFETIME.toSeconds() + " seconds");
            s.execute();
            return secret;
        } catch (SQLException e) {
            throw new IllegalStateException("log-in failed", e);
        }
    }

    /** What a log-in needs to know about a name: the user's hash if any, and whether the name is locked. */
    private record Attempt(long userId, String hash, boolean active, boolean locked) {
    }

    private Attempt attempt(String username, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT u.id, u.password_hash, coalesce(u.active, false),
                       coalesce(f.locked_until > now(), false)
                FROM (SELECT ?::text AS key) k
                LEFT JOIN app_user u ON u.username = ?
                LEFT JOIN login_failure f ON f.username = k.key""")) {
            ps.setString(1, key);
            ps.setString(2, username);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Attempt(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("log-in failed", e);
        }
    }

    /**
     * Counts a failure against a name; the fifth within {@link #FAILURE_WINDOW} locks it. A lock that
     * has expired, or a last failure older than the window, starts the count again at one.
     */
    private void recordFailure(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                DELETE FROM login_failure WHERE last_failed_at < now() - ?::interval
                    AND (locked_until IS NULL OR locked_until < now());
                INSERT INTO login_failure AS f (username, failures, last_failed_at) VALUES (?, 1, now())
                ON CONFLICT (username) DO UPDATE SET
                    failures = CASE WHEN f.locked_until <= now() OR f.last_failed_at < now() - ?::interval
                                    THEN 1 ELSE f.failures + 1 END,
                    locked_until = CASE WHEN f.locked_until <= now() THEN NULL ELSE f.locked_until END,
                    last_failed_at = now();
                UPDATE login_failure SET locked_until = now() + ?::interval
                WHERE username = ? AND failures >= ? AND locked_until IS NULL""")) {
            String window = FAILURE_WINDOW.toSeconds() + " seconds";
            ps.setString(1, window);
            ps.setString(2, key);
            ps.setString(3, window);
            ps.setString(4, LOCKOUT.toSeconds() + " seconds");
            ps.setString(5, key);
            ps.setInt(6, MAX_FAILED_LOGINS);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a failed log-in failed", e);
        }
    }

    /** The name a failed log-in is counted under: trimmed, lower-cased, at most {@value #MAX_LOGIN_KEY} characters. */
    private static String loginKey(String username) {
        String key = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return key.length() > MAX_LOGIN_KEY ? key.substring(0, MAX_LOGIN_KEY) : key;
    }

    public void logOut(String sessionSecret) {
        update("DELETE FROM user_session WHERE token_hash = ?", (Object) Tokens.digest(sessionSecret));
    }

    public Optional<User> bySession(String secret) {
        return findUser("""
                SELECT u.id, u.username, u.display_name, u.role, u.organisation_id FROM user_session s JOIN app_user u ON u.id = s.user_id
                WHERE s.token_hash = ? AND s.expires_at > now() AND u.active""", Tokens.digest(secret));
    }

    /**
     * The user of an API token that is neither expired nor revoked, and whose user is active. Marks
     * the token used, at most once a minute (so busy devices do not write a row per request).
     */
    public Optional<User> byApiToken(String secret) {
        byte[] digest = Tokens.digest(secret);
        Optional<User> user = findUser("""
                SELECT u.id, u.username, u.display_name, u.role, u.organisation_id FROM api_token t JOIN app_user u ON u.id = t.user_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > now() AND u.active""", digest);
        user.ifPresent(u -> update("""
                UPDATE api_token SET last_used_at = date_trunc('minute', now())
                WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < date_trunc('minute', now()))""",
                (Object) digest));
        return user;
    }

    /** A new API token for a user, returned once; only its digest is kept. */
    public String createApiToken(String username, String name) {
        return issueApiToken(username, name).secret();
    }

    /** A new API token for an active user, valid for the configured token lifetime. */
    public ApiToken.Issued issueApiToken(String username, String name) {
        String secret = Tokens.newSecret("aim_");
        String label = name == null || name.isBlank() ? "token" : name.strip();
        if (label.length() > 100) throw DomainException.invalid("name", "a token name can have at most 100 characters");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO api_token (token_hash, user_id, name, expires_at)
                SELECT ?, id, ?, now() + ?::interval FROM app_user WHERE username = ? AND active
                RETURNING id, name, created_at, expires_at, last_used_at""")) {
            ps.setBytes(1, Tokens.digest(secret));
            ps.setString(2, label);
            ps.setString(3, tokenLifetime.toSeconds() + " seconds");
            ps.setString(4, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw DomainException.notFound("username", "no active user '" + username + "'");
                return new ApiToken.Issued(secret, token(rs));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("issuing an API token failed", e);
        }
    }

    /** A user's API tokens that have not been revoked (expired ones included), newest first; 404 for an unknown user. */
    public List<ApiToken> tokens(String username) {
        if (find(username).isEmpty()) throw DomainException.notFound("username", "no user '" + username + "'");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at
                FROM api_token t JOIN app_user u ON u.id = t.user_id
                WHERE u.username = ? AND t.revoked_at IS NULL ORDER BY t.created_at DESC, t.id DESC""")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                List<ApiToken> tokens = new ArrayList<>();
                while (rs.next()) tokens.add(token(rs));
                return tokens;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing API tokens failed", e);
        }
    }

    /** Revokes one API token of a user; 404 when the user has no such token that is not yet revoked. */
    public void revokeToken(String username, long tokenId) {
        int n = update("""
                UPDATE api_token SET revoked_at = now()
                WHERE id = ? AND user_id = (SELECT id FROM app_user WHERE username = ?) AND revoked_at IS NULL""",
                tokenId, username);
        if (n == 0) throw DomainException.notFound("id", "user '" + username + "' has no API token " + tokenId);
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        Timestamp used = rs.getTimestamp(5);
        return new ApiToken(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(),
                used == null ? null : used.toInstant());
    }

    public Optional<User> find(String username) {
        return findUser("SELECT id, username, display_name, role, organisation_id FROM app_user WHERE username = ?", username);
    }

    private Optional<User> findUser(String sql, Object param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new User(rs.getLong(1), rs.getString(2), rs.getString(3), Role.parse(rs.getString(4)),
                        rs.getObject(5, Long.class)));
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
