package aim.problems;

import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers of the meeting-loop tests: demo places, organisations, requests and row counts. */
final class LoopFixture {
    private LoopFixture() {
    }

    static HttpResponse<String> send(TestServer server, String method, String path, String token, String body, String... headers)
            throws Exception {
        List<String> h = new ArrayList<>(List.of("Authorization", "Bearer " + token));
        if (body != null) h.addAll(List.of("Content-Type", "application/json"));
        h.addAll(List.of(headers));
        return server.send(method, path, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body),
                h.toArray(String[]::new));
    }

    static HttpResponse<String> post(TestServer server, String path, String token, String body, String... headers) throws Exception {
        return send(server, "POST", path, token, body, headers);
    }

    static HttpResponse<String> patch(TestServer server, String path, String token, String body, String... headers) throws Exception {
        return send(server, "PATCH", path, token, body, headers);
    }

    static HttpResponse<String> get(TestServer server, String path, String token) throws Exception {
        return server.get(path, "Authorization", "Bearer " + token);
    }

    static long count(TestServer server, String table) throws Exception {
        try (Connection c = server.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Counts of every table the loop writes, to show a refused request wrote nothing. */
    static List<Long> counts(TestServer server) throws Exception {
        List<Long> n = new ArrayList<>();
        for (String t : List.of("problem", "problem_event", "problem_action", "action_event", "escalation", "loop_request",
                "partner_organisation", "app_user")) {
            n.add(count(server, t));
        }
        return n;
    }

    static String scalar(TestServer server, String sql) throws Exception {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void execute(TestServer server, String sql) throws Exception {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    /** Code of the n-th demo ward by code. */
    static String ward(TestServer server, int n) throws Exception {
        return scalar(server, "SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' "
                + "AND s.version = 'demo' ORDER BY b.code OFFSET " + n + " LIMIT 1");
    }

    /** Code of the first current neighbourhood, or null. */
    static String neighbourhood(TestServer server) throws Exception {
        return scalar(server, "SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'neighbourhood' "
                + "ORDER BY s.valid_from DESC, b.code LIMIT 1");
    }

    /**
     * The lower-left corner (EPSG:27700) of a 500 m square of the British National Grid lying deep inside
     * the n-th demo ward: {x, y}.
     */
    static long[] squareInside(TestServer server, int n) throws Exception {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT floor(ST_X(p) / 500)::bigint * 500, floor(ST_Y(p) / 500)::bigint * 500
                FROM (SELECT ST_PointOnSurface(ST_Buffer(b.geom, -700)) AS p FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                      WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET ? LIMIT 1) q""")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    static void organisation(TestServer server, String code, String name, String kind) throws Exception {
        var r = post(server, "/api/organisations", server.adminToken,
                "{\"code\":\"" + code + "\",\"name\":\"" + name + "\",\"kind\":\"" + kind + "\"}");
        if (r.statusCode() != 201) throw new IllegalStateException(r.body());
    }

    /** A user of an organisation with an API token. */
    static String member(TestServer server, String username, aim.accounts.Role role, String organisation) {
        server.accounts.create(username, username, role, TestServer.PASSWORD, organisation);
        return server.accounts.createApiToken(username, "test");
    }

    static String problemBody(String title, String area, String owner, String extra) {
        return """
                {"title": "%s", "categories": ["anti-social-behaviour"], "area": %s, "owner": "%s",
                 "objective": "Reduce ASB around the precinct"%s}""".formatted(title, area, owner, extra == null ? "" : ", " + extra);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return TestServer.json(r);
    }
}
