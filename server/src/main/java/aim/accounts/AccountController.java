package aim.accounts;

import aim.web.ApiProblem;
import aim.web.JsonBodies;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;

import java.util.Map;

/** Log-in, log-out, who am I, API tokens, and user administration over HTTP. */
public final class AccountController {
    private final Accounts accounts;
    private final AccessControl access;

    public AccountController(Accounts accounts, AccessControl access) {
        this.accounts = accounts;
        this.access = access;
    }

    public record LogIn(String username, String password) {
    }

    /** POST /api/login {username, password}: sets the session cookie. */
    public void logIn(Context ctx) {
        LogIn body = JsonBodies.read(ctx, LogIn.class);
        if (body.username() == null || body.username().isBlank()) throw ApiProblem.badRequest("username", "username is required");
        if (body.password() == null || body.password().isEmpty()) throw ApiProblem.badRequest("password", "password is required");
        String secret = accounts.logIn(body.username().trim(), body.password());
        Cookie cookie = new Cookie(AccessControl.COOKIE, secret);
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.LAX);
        cookie.setPath("/");
        cookie.setMaxAge((int) Accounts.SESSION_LIFETIME.toSeconds());
        cookie.setSecure(isHttps(ctx));
        ctx.cookie(cookie);
        User user = accounts.bySession(secret).orElseThrow();
        ctx.json(me(user));
    }

    /** POST /api/logout */
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
        String token = accounts.createApiToken(user.username(), body.name());
        ctx.status(HttpStatus.CREATED).json(Map.of("token", token, "name", body.name() == null ? "token" : body.name()));
    }

    /** GET /api/users (admin) */
    public void listUsers(Context ctx) {
        ctx.json(accounts.list());
    }

    public record NewUser(String username, String displayName, String role, String password) {
    }

    /** POST /api/users (admin) */
    public void createUser(Context ctx) {
        NewUser body = JsonBodies.read(ctx, NewUser.class);
        Role role;
        try {
            role = Role.parse(body.role());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("role", e.getMessage());
        }
        ctx.status(HttpStatus.CREATED).json(me(accounts.create(body.username(), body.displayName(), role, body.password())));
    }

    private static Map<String, Object> me(User user) {
        return Map.of("id", user.id(), "username", user.username(), "displayName", user.displayName(), "role", user.role().id());
    }

    private static boolean isHttps(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
