package aim.meetings;

import aim.accounts.Role;
import aim.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;

/** Organisations, partner users and problems put in by SQL for the meeting tests (EPSG:27700 places). */
final class LoopFixture {
    private LoopFixture() {
    }

    static long organisation(TestServer server, String code, String name, String kind) throws Exception {
        return insert(server, "INSERT INTO partner_organisation (code, name, kind) VALUES (?, ?, ?) RETURNING id", code, name, kind);
    }

    /** A partner of the organisation; returns an API token. */
    static String partner(TestServer server, String username, long organisationId) throws Exception {
        server.accounts.create(username, username, Role.VIEWER, TestServer.PASSWORD);
        update(server, "UPDATE app_user SET role = 'partner', organisation_id = ? WHERE username = ?", organisationId, username);
        return server.accounts.createApiToken(username, "test");
    }

    /** A problem whose place is the given WKT (EPSG:27700 polygon), started on {@code start}. */
    static long problem(TestServer server, String title, String category, String wkt, LocalDate start, String owner) throws Exception {
        return insert(server, """
                INSERT INTO problem (title, categories, place_spec, place_label, geom, owner, objective, start_date, created_by)
                VALUES (?, ARRAY[?], '{"polygon": true}', 'a drawn place', ST_Multi(ST_GeomFromText(?, 27700)), ?, 'Reduce it',
                        ?, (SELECT id FROM app_user WHERE username = 'admin')) RETURNING id""", title, category, wkt, owner, start);
    }

    static long insert(TestServer server, String sql, Object... params) throws Exception {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static int update(TestServer server, String sql, Object... params) throws Exception {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            return ps.executeUpdate();
        }
    }

    static long count(TestServer server, String sql, Object... params) throws Exception {
        return insert(server, sql, params);
    }

    static HttpResponse<String> send(TestServer server, String method, String path, String token, String body, String... headers)
            throws Exception {
        var b = HttpRequest.newBuilder(java.net.URI.create(server.url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        if (headers.length > 0) b.headers(headers);
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
