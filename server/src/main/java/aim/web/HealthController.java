package aim.web;

import aim.Config;
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

/** Service endpoints: health (database and PostGIS versions), map configuration and the OpenAPI description. */
final class HealthController {
    private final DataSource dataSource;
    private final Config config;

    HealthController(DataSource dataSource, Config config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** GET /api/health */
    void health(Context ctx) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), postgis_full_version(), (SELECT count(*) FROM boundary_set)")) {
            rs.next();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("database", "PostgreSQL " + rs.getString(1));
            body.put("postgis", rs.getString(2));
            body.put("boundarySets", rs.getLong(3));
            ctx.json(body);
        } catch (SQLException e) {
            throw new ApiProblem(503, "Service Unavailable", null, "the database is not reachable: " + e.getMessage(), null);
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
