package aim.web;

import aim.core.DomainException;
import aim.Config;
import aim.accounts.Role;
import aim.db.DatabaseStatus;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Service endpoints: health, map configuration and the OpenAPI description. Health tells anyone
 * whether the service and its database answer; only admins see the versions (app, PostgreSQL,
 * PostGIS, migrations), which would otherwise tell an attacker which known flaws to try.
 */
final class HealthController {
    private final DatabaseStatus database;
    private final Config config;
    private final AccessControl access;

    HealthController(DatabaseStatus database, Config config, AccessControl access) {
        this.database = database;
        this.config = config;
        this.access = access;
    }

    /** GET /api/health: {"status":"ok"}, plus the versions for an admin. */
    void health(Context ctx) {
        boolean admin = isAdmin(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        database.check(admin, admin).ifPresent(v -> {
            String app = HealthController.class.getPackage().getImplementationVersion();
            body.put("app", app == null ? "development build" : app);
            body.put("database", "PostgreSQL " + v.postgresql());
            body.put("postgis", v.postgis());
            body.put("migration", v.migration());
            body.put("boundarySets", v.boundarySets());
        });
        ctx.json(body);
    }

    private boolean isAdmin(Context ctx) {
        try {
            return access.current(ctx).map(u -> u.role() == Role.ADMIN).orElse(false);
        } catch (DomainException badToken) {
            return false; // health stays public: a stale token just gets the public answer
        }
    }

    /** GET /api/config: what the web map needs to know. */
    void mapConfig(Context ctx) {
        ctx.json(Map.of("tiles", Map.of("url", config.tileUrl(), "attribution", config.tileAttribution(), "maxZoom", config.tileMaxZoom()),
                "council", Map.of("name", config.council().name())));
    }

    /**
     * GET /api/docs (and /api/docs/): the API reference page, Swagger UI over /api/openapi.json (web-map/src/docs,
     * built into the jar's public/api/docs/ with its hashed bundles, which the static files serve).
     */
    void docs(Context ctx) throws IOException {
        try (InputStream in = HealthController.class.getResourceAsStream("/public/api/docs/index.html")) {
            if (in == null) throw DomainException.notFound("path", "the API reference page is not in this build (web map not built)");
            ctx.header("Cache-Control", "no-cache").html(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** GET /api/openapi.json */
    void openApi(Context ctx) throws IOException {
        try (InputStream in = HealthController.class.getResourceAsStream("/openapi.json")) {
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }
}
