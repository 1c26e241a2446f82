package aim.accounts;

import aim.web.AccessControl;
import aim.core.DomainException;
import aim.web.JsonBodies;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;

import java.time.Clock;
import java.util.Map;

/** Log-in, log-out, who am I, API tokens, and user administration over HTTP. */
public final class AccountController {
    private final Accounts accounts;
    private final AccessControl access;
    private final LoginThrottle throttle;
    private final boolean secureCookie;

    /**
     * @param loginFailuresPerMinute refused log-ins one remote address may make in any minute
     * @param publicOrigin           the configured public origin, or null; an https one makes the cookie Secure
     * @param clock                  the clock of the log-in throttle's minutes
     */
    public AccountController(Accounts accounts, AccessControl access, int loginFailuresPerMinute, String publicOrigin,
                             Clock clock) {
        this.accounts = accounts;
        this.access = access;
        this.throttle = new LoginThrottle(loginFailuresPerMinute, clock);
        this.secureCookie = publicOrigin != null && publicOrigin.startsWith("https://");
    }

    public record LogIn(String username, String password) {
    }

    /**
     * POST /api/login {username, password}: sets the session cookie. An address with too many refused
     * log-ins in the last minute gets 429 with Retry-After before any password is checked.
     */
    public void logIn(Context ctx) {
        String address = ctx.ip();
        throttle.waitFor(address).ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            ctx.header("Retry-After", String.valueOf(seconds));
            throw DomainException.tooManyAttempts("address",
                    "too many failed log-ins from this address: try again in " + seconds + " s");
        });
        LogIn body = JsonBodies.read(ctx, LogIn.class);
        if (body.username() == null || body.username().isBlank()) throw DomainException.invalid("username", "username is required");
        if (body.password() == null || body.password().isEmpty()) throw DomainException.invalid("password", "password is required");
        String secret;
        try {
            secret = accounts.logIn(body.username().trim(), body.password());
        } catch (DomainException refused) {
            throttle.failed(address);
            if (refused.kind() == DomainException.Kind.TOO_MANY_ATTEMPTS) ctx.header("Retry-After", String.valueOf(Accounts.LOCKOUT.toSeconds()));
            throw refused;
        }
        Cookie cookie = new Cookie(AccessControl.COOKIE, secret);
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.LAX);
        cookie.setPath("/");
        cookie.setMaxAge((int) Accounts.SESSION_LIFETIME.toSeconds());
        cookie.setSecure(secureCookie || isHttps(ctx));
        ctx.cookie(cookie);
        User user = accounts.bySession(secret).orElseThrow();
        ctx.json(me(user));
    }

    /** POST /api/logout: ends the session (API tokens stay valid: revoke them with DELETE /api/me/tokens/{id}). */
    public void logOut(Context ctx) {
        String session = ctx.cookie(AccessControl.COOKIE);
        if (session != null) accounts.logOut(session);
        ctx.removeCookie(AccessControl.COOKIE, "/");
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** GET /api/me: the signed-in user, or 401. */
    public void me(Context ctx) {
        ctx.json(me(access.required(ctx)));
    }

    public record TokenRequest(String name) {
    }

    /** POST /api/me/tokens {name}: a new API token for the caller (e.g. a warden's phone), shown once. */
    public void createToken(Context ctx) {
        User user = access.required(ctx);
        TokenRequest body = JsonBodies.read(ctx, TokenRequest.class);
        ApiToken.Issued issued = accounts.issueApiToken(user.username(), body.name());
        ApiToken token = issued.token();
        ctx.status(HttpStatus.CREATED).json(Map.of("token", issued.secret(), "id", token.id(), "name", token.name(),
                "createdAt", token.createdAt(), "expiresAt", token.expiresAt()));
    }

    /** GET /api/me/tokens: the caller's API tokens (never their secrets). */
    public void myTokens(Context ctx) {
        ctx.json(accounts.tokens(access.required(ctx).username()));
    }

    /** DELETE /api/me/tokens/{id}: revokes one of the caller's API tokens. */
    public void revokeMyToken(Context ctx) {
        accounts.revokeToken(access.required(ctx).username(), tokenId(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** GET /api/users/{username}/tokens (admin) */
    public void userTokens(Context ctx) {
        ctx.json(accounts.tokens(ctx.pathParam("username")));
    }

    /** DELETE /api/users/{username}/tokens/{id} (admin) */
    public void revokeUserToken(Context ctx) {
        accounts.revokeToken(ctx.pathParam("username"), tokenId(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static long tokenId(Context ctx) {
        return ctx.pathParamAsClass("id", Long.class).check(id -> id > 0, "a token id is a positive whole number").get();
    }

    /** GET /api/users (admin) */
    public void listUsers(Context ctx) {
        ctx.json(accounts.list());
    }

    public record NewUser(String username, String displayName, String role, String password, String organisation) {
    }

    /** POST /api/users (admin) */
    public void createUser(Context ctx) {
        NewUser body = JsonBodies.read(ctx, NewUser.class);
        Role role;
        try {
            role = Role.parse(body.role());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("role", e.getMessage());
        }
        ctx.status(HttpStatus.CREATED).json(me(accounts.create(body.username(), body.displayName(), role, body.password(),
                body.organisation())));
    }

    /** The user as /api/me shows them, with their organisation {@code {id, code, name}} or null. */
    private Map<String, Object> me(User user) {
        Map<String, Object> me = new java.util.LinkedHashMap<>();
        me.put("id", user.id());
        me.put("username", user.username());
        me.put("displayName", user.displayName());
        me.put("role", user.role().id());
        me.put("organisation", accounts.organisationOf(user)
                .map(o -> Map.of("id", o.id(), "code", o.code(), "name", o.name())).orElse(null));
        return me;
    }

    private static boolean isHttps(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
