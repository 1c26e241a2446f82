package aim.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards admin endpoints with the bearer token configured in AIM_ADMIN_TOKEN. With no token
 * configured every admin request is refused. (Interim: user accounts with roles replace this.)
 */
final class AdminAccess {
    private final byte[] token;

    AdminAccess(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    Handler require(Handler handler) {
        return ctx -> {
            check(ctx);
            handler.handle(ctx);
        };
    }

    private void check(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiProblem(401, "Unauthorized", "Authorization", "this endpoint needs an admin token: Authorization: Bearer <token>", null);
        }
        if (token == null) {
            throw new ApiProblem(403, "Forbidden", "Authorization", "admin endpoints are disabled on this server (AIM_ADMIN_TOKEN is not set)", null);
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiProblem(403, "Forbidden", "Authorization", "the admin token is not valid", null);
        }
    }
}
