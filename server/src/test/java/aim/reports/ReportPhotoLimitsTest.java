package aim.reports;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static aim.reports.ReportApiTest.assertProblem;
import static aim.reports.ReportFixture.create;
import static aim.reports.ReportFixture.flyTipping;
import static aim.reports.ReportFixture.postPhoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Photo uploads that must not cost the server: a decompression bomb (a tiny PNG declaring 50000 × 50000
 * pixels) is refused from its header before any decoding, and broken multipart bodies are 400 problems.
 */
@Tag("postgis")
class ReportPhotoLimitsTest {
    @Fresh static TestServer server;
    static String warden;
    static long reportId;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        warden = server.userToken("pixel-warden", Role.WARDEN);
        reportId = create(server, warden, flyTipping(ReportFixture.pointInWard(server, 2), "Photo limits"));
    }

    @Test
    void aPngDeclaringFiftyThousandSquaredPixelsIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = png(50_000, 50_000);
        assertTrue(bomb.length < 10_000, "a few kilobytes on the wire: " + bomb.length);
        long started = System.nanoTime();
        var response = postPhoto(server, warden, reportId, bomb, "bomb.png", "image/png");
        assertTrue(response.statusCode() == 413 || response.statusCode() == 422, response.statusCode() + " " + response.body());
        assertProblem(response, response.statusCode(), "photo");
        assertTrue(response.body().contains("pixels"), response.body());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "refused from the header, not after decoding");
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM incident_photo WHERE incident_id = ?", reportId));
    }

    @Test
    void brokenMultipartBodiesAre400Problems() throws Exception {
        // only the opening boundary, then nothing
        assertProblem(photos("--zz\r\n", "multipart/form-data; boundary=zz"), 400, "photo");
        // no boundary parameter at all
        assertProblem(photos("--zz\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\nx\r\n--zz--\r\n",
                "multipart/form-data"), 400, "photo");
        // a file name with a NUL byte in it
        var nul = photos("--zz\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a\u0000.png\"\r\n\r\nxyz\r\n--zz--\r\n",
                "multipart/form-data; boundary=zz");
        assertTrue(nul.statusCode() >= 400 && nul.statusCode() < 500, nul.statusCode() + " " + nul.body());
        assertProblem(nul, nul.statusCode(), "photo");
        // the body ends inside a part
        assertProblem(photos("--zz\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\nxyz",
                "multipart/form-data; boundary=zz"), 400, "photo");
        // garbage where the part headers should be
        assertProblem(photos("--zz\r\n\u0000\u0001\u0002garbage\r\n\r\n--zz--\r\n", "multipart/form-data; boundary=zz"), 400, "photo");
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM incident_photo WHERE incident_id = ?", reportId));
    }

    private static HttpResponse<String> photos(String body, String contentType) throws Exception {
        return server.send("POST", "/api/reports/" + reportId + "/photos",
                HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.ISO_8859_1)),
                "Authorization", "Bearer " + warden, "Content-Type", contentType);
    }

    /** A valid PNG header declaring width × height RGB pixels, followed by a few compressed rows of zeros. */
    static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[]{8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, no filter method, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[64 * 1024]);
        deflater.finish();
        byte[] compressed = new byte[4096];
        int n = deflater.deflate(compressed);
        chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
