package aim.reports;

import aim.testing.TestServer;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Shared helpers of the report tests: points in the demo borough, requests, and test images. */
final class ReportFixture {
    private ReportFixture() {
    }

    /** A point (lon, lat; WGS84, 6 decimals) inside the n-th demo ward by code. */
    static double[] pointInWard(TestServer server, int n) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6)
                FROM (SELECT ST_Transform(ST_PointOnSurface(b.geom), 4326) AS p
                      FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                      WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET ? LIMIT 1) q""")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no demo ward " + n);
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    /** A fly-tipping report body at the point. */
    static String flyTipping(double[] p, String description) {
        return String.format(Locale.ROOT, """
                {"category": "fly-tipping", "lon": %s, "lat": %s, "accuracyM": 8.5, "occurredAt": "2025-11-22T09:15:00Z",
                 "description": "%s", "locationText": "Back alley behind Acacia Avenue",
                 "reporterName": "Pat Resident", "reporterContact": "07700 900123",
                 "flyTipping": {"size": "small-van", "wasteType": "household", "landType": "back-alley"}}""",
                p[0], p[1], description);
    }

    /** A report body of another category, without fly-tipping details. */
    static String report(double[] p, String category) {
        return String.format(Locale.ROOT, """
                {"category": "%s", "lon": %s, "lat": %s, "description": "Seen by the warden", "reporterName": "Sam Caller"}""",
                category, p[0], p[1]);
    }

    static HttpResponse<String> post(TestServer server, String token, String key, String body) throws Exception {
        List<String> headers = new ArrayList<>(List.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        if (key != null) {
            headers.add("Idempotency-Key");
            headers.add(key);
        }
        return server.send("POST", "/api/reports", HttpRequest.BodyPublishers.ofString(body), headers.toArray(String[]::new));
    }

    /** POSTs a report that must be created, and returns its id. */
    static long create(TestServer server, String token, String body) throws Exception {
        var response = post(server, token, java.util.UUID.randomUUID().toString(), body);
        if (response.statusCode() != 201) throw new AssertionError("expected 201: " + response.statusCode() + " " + response.body());
        return TestServer.json(response).path("id").asLong();
    }

    static HttpResponse<String> get(TestServer server, String token, String path) throws Exception {
        return server.get(path, "Authorization", "Bearer " + token);
    }

    static HttpResponse<byte[]> getBytes(TestServer server, String token, String path) throws Exception {
        var request = HttpRequest.newBuilder(java.net.URI.create(server.url(path))).header("Authorization", "Bearer " + token).GET().build();
        return server.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> patch(TestServer server, String token, String path, String body) throws Exception {
        return server.send("PATCH", path, HttpRequest.BodyPublishers.ofString(body),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    /** POSTs the bytes as the multipart part "photo". */
    static HttpResponse<String> postPhoto(TestServer server, String token, long reportId, byte[] bytes, String filename,
                                          String contentType) throws Exception {
        String boundary = "aimtestboundary" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(bytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return server.send("POST", "/api/reports/" + reportId + "/photos", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "Authorization", "Bearer " + token, "Content-Type", "multipart/form-data; boundary=" + boundary);
    }

    static long count(TestServer server, String sql, Object... params) throws SQLException {
        try (Connection c = server.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A w × h image, red in its top-left quarter and blue elsewhere. */
    static BufferedImage image(int w, int h, Color fill) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(fill);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h / 2);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) throw new IllegalStateException("no writer for " + format);
        return out.toByteArray();
    }

    /** Bytes of the GPS latitude seconds written by {@link #withExif} (1234/100), to look for in a copy. */
    static final byte[] GPS_SECONDS = {0, 0, 0x04, (byte) 0xD2, 0, 0, 0, 0x64};

    /**
     * The JPEG with an APP1 Exif segment inserted after its JFIF APP0 segment: IFD0 with the
     * orientation tag and a GPS IFD pointer; the GPS IFD with latitude 54°34'12.34"N and longitude
     * 1°14'5.67"W (big-endian TIFF, as many cameras write).
     */
    static byte[] withExif(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(140);
        tiff.put(new byte[]{'M', 'M', 0, 42}).putInt(8);
        // IFD0 at 8: two entries, then the next-IFD offset (none)
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        tiff.putInt(0);
        // GPS IFD at 38: four entries; the rationals follow at 92 and 116
        tiff.putShort((short) 4);
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[]{'N', 0, 0, 0});
        tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(92);
        tiff.putShort((short) 3).putShort((short) 2).putInt(2).put(new byte[]{'W', 0, 0, 0});
        tiff.putShort((short) 4).putShort((short) 5).putInt(3).putInt(116);
        tiff.putInt(0);
        tiff.putInt(54).putInt(1).putInt(34).putInt(1).putInt(1234).putInt(100);
        tiff.putInt(1).putInt(1).putInt(14).putInt(1).putInt(567).putInt(100);
        byte[] payload = new byte[6 + tiff.position()];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 6);
        System.arraycopy(tiff.array(), 0, payload, 6, tiff.position());

        if ((jpeg[2] & 0xFF) != 0xFF || (jpeg[3] & 0xFF) != 0xE0) throw new IllegalStateException("expected a JFIF APP0 segment first");
        int afterApp0 = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, afterApp0);
        out.write(0xFF);
        out.write(0xE1);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xFF);
        out.write(payload, 0, payload.length);
        out.write(jpeg, afterApp0, jpeg.length - afterApp0);
        return out.toByteArray();
    }

    /** The markers of a JPEG's segments before its image data (e.g. 0xE0 for APP0, 0xE1 for APP1). */
    static List<Integer> jpegMarkers(byte[] jpeg) {
        List<Integer> markers = new ArrayList<>();
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
            int marker = jpeg[pos + 1] & 0xFF;
            markers.add(marker);
            if (marker == 0xDA) break;
            pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
        }
        return markers;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
