package aim.web;

import aim.core.DomainException;
import aim.Config;
import aim.accounts.AccessControl;
import aim.accounts.Role;
import io.javalin.http.Context;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Service endpoints: health, map configuration and the OpenAPI description. Health tells anyone
 * whether the service and its database answer; only admins see the versions (app, PostgreSQL,
 * PostGIS, migrations), which would otherwise tell an attacker which known flaws to try.
 */
final class HealthController {
    private static final String VERSIONS = """
            SELECT current_setting('server_version'), postgis_full_version(), (SELECT count(*) FROM boundary_set),
                   (SELECT max(version::int) FROM flyway_schema_history WHERE success AND version IS NOT NULL)
            """;

    private final DataSource dataSource;
    private final Config config;
    private final AccessControl access;

    HealthController(DataSource dataSource, Config config, AccessControl access) {
        this.dataSource = dataSource;
        this.config = config;
        this.access = access;
    }

    /** GET /api/health: {"status":"ok"}, plus the versions for an admin. */
    void health(Context ctx) {
        boolean admin = isAdmin(ctx);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(admin ? VERSIONS : "SELECT 1")) {
            rs.next();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            if (admin) {
                String app = HealthController.class.getPackage().getImplementationVersion();
                body.put("app", app == null ? "development build" : app);
                body.put("database", "PostgreSQL " + rs.getString(1));
                body.put("postgis", rs.getString(2));
                body.put("migration", rs.getInt(4));
                body.put("boundarySets", rs.getLong(3));
            }
            ctx.json(body);
        } catch (SQLException e) {
            throw DomainException.unavailable(null,
                    "the database is not reachable" + (admin ? ": " + e.getMessage() : ""));
        }
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
        ctx.json(Map.of("tiles", Map.of("url", config.tileUrl(), "attribution", config.tileAttribution(), "maxZoom", config.tileMaxZoom())));
    }

    /** GET /api/openapi.json */
    void openApi(Context ctx) throws IOException {
        try (InputStream in = HealthController.class.getResourceAsStream("/openapi.json")) {
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }
}
