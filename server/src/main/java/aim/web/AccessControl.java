package aim.web;

import aim.accounts.Accounts;
import aim.accounts.User;
import aim.core.DomainException;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, and whether they may. A request is signed in by the {@value #COOKIE} session
 * cookie (browsers) or an {@code Authorization: Bearer} API token (devices, scripts). An endpoint
 * listed with roles in the route table needs one of them: no user is a 401, a wrong role a 403.
 */
public final class AccessControl {
    public static final String COOKIE = "aim_session";
    private static final String ATTRIBUTE = "aim.user";

    private final Accounts accounts;
    private final SameOriginWrites sameOrigin;

    public AccessControl(Accounts accounts, SameOriginWrites sameOrigin) {
        this.accounts = accounts;
        this.sameOrigin = sameOrigin;
    }

    /** Runs before every matched endpoint: refuses cross-site writes, then checks the route's roles. */
    public void check(Context ctx) {
        sameOrigin.check(ctx);
        Set<RouteRole> allowed = ctx.routeRoles();
        if (allowed.isEmpty()) return; // public endpoint
        User user = current(ctx).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer");
            return DomainException.unauthenticated("Authorization", "sign in first (session cookie or API token)");
        });
        if (!allowed.contains(user.role())) {
            throw DomainException.forbidden("role", "the " + user.role().id() + " role may not do this");
        }
    }

    /** The signed-in user, if any. */
    public Optional<User> current(Context ctx) {
        Object cached = ctx.attribute(ATTRIBUTE);
        if (cached instanceof User u) return Optional.of(u);
        Optional<User> user = Optional.empty();
        String token = bearerToken(ctx);
        if (token != null) {
            user = accounts.byApiToken(token);
            if (user.isEmpty()) throw DomainException.unauthenticated("Authorization", "the API token is not valid (unknown, expired or revoked)");
        } else {
            String session = ctx.cookie(COOKIE);
            if (session != null && !session.isBlank()) user = accounts.bySession(session);
        }
        user.ifPresent(u -> ctx.attribute(ATTRIBUTE, u));
        return user;
    }

    /** The API token of an {@code Authorization: Bearer} header, or null. */
    static String bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return header.substring(7).trim();
    }

    /** The signed-in user of an endpoint that requires one (the route table guarantees it). */
    public User required(Context ctx) {
        return current(ctx).orElseThrow(() -> DomainException.unauthenticated("Authorization", "sign in first"));
    }
}
