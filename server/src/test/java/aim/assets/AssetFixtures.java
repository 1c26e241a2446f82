package aim.assets;

import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.util.Locale;

/** Small helpers for the asset HTTP tests: JSON requests, points in the demo wards, SQL one-liners. */
final class AssetFixtures {
    private AssetFixtures() {
    }

    static HttpResponse<String> post(TestServer server, String path, String token, String json) throws Exception {
        return server.send("POST", path, HttpRequest.BodyPublishers.ofString(json), "Content-Type", "application/json",
                "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> put(TestServer server, String path, String token, String json) throws Exception {
        return server.send("PUT", path, HttpRequest.BodyPublishers.ofString(json), "Content-Type", "application/json",
                "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> delete(TestServer server, String path, String token) throws Exception {
        return server.send("DELETE", path, HttpRequest.BodyPublishers.noBody(), "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> get(TestServer server, String path, String token) throws Exception {
        return server.get(path, "Authorization", "Bearer " + token);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return TestServer.json(response);
    }

    /** WGS84 lon, lat of an EPSG:27700 point, as PostGIS transforms it. */
    static double[] lonLat(TestServer server, double easting, double northing) throws Exception {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 27700), 4326) p) x")) {
            ps.setDouble(1, easting);
            ps.setDouble(2, northing);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    /** The point on surface of the demo ward numbered {@code n} (1-based, by code), in EPSG:27700. */
    static double[] demoWardPoint(TestServer server, int n) throws Exception {
        try (var c = server.dataSource.getConnection(); var ps = c.prepareStatement("""
                SELECT ST_X(p), ST_Y(p) FROM (
                    SELECT ST_PointOnSurface(b.geom) p FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET ? LIMIT 1) x""")) {
            ps.setInt(1, n - 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    static String demoWardCode(TestServer server, int n) throws Exception {
        return string(server, "SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id "
                + "WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET " + (n - 1) + " LIMIT 1");
    }

    static long count(TestServer server, String sql) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String string(TestServer server, String sql) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A GeoJSON Point (WGS84) for an EPSG:27700 position. */
    static String point(TestServer server, double easting, double northing) throws Exception {
        double[] p = lonLat(server, easting, northing);
        return String.format(Locale.ROOT, "{\"type\":\"Point\",\"coordinates\":[%.8f,%.8f]}", p[0], p[1]);
    }

    /** A GeoJSON Polygon (WGS84): the square of side {@code side} metres centred on an EPSG:27700 position. */
    static String square(TestServer server, double easting, double northing, double side) throws Exception {
        double h = side / 2;
        double[][] corners = {{-h, -h}, {h, -h}, {h, h}, {-h, h}, {-h, -h}};
        StringBuilder sb = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (int k = 0; k < corners.length; k++) {
            double[] p = lonLat(server, easting + corners[k][0], northing + corners[k][1]);
            if (k > 0) sb.append(',');
            sb.append(String.format(Locale.ROOT, "[%.8f,%.8f]", p[0], p[1]));
        }
        return sb.append("]]}").toString();
    }

    /** A minimal place body. */
    static String place(String category, String name, String geometry) {
        return "{\"kind\":\"place\",\"category\":\"" + category + "\",\"name\":\"" + name + "\",\"geometry\":" + geometry + "}";
    }
}
