package aim.reports;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

import static aim.reports.ReportApiTest.assertProblem;
import static aim.reports.ReportFixture.create;
import static aim.reports.ReportFixture.flyTipping;
import static aim.reports.ReportFixture.get;
import static aim.reports.ReportFixture.getBytes;
import static aim.reports.ReportFixture.postPhoto;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Report photos over HTTP: checks, limits, idempotent retries, and the copy without EXIF/GPS. */
@Tag("postgis")
class ReportPhotosTest {
    @Fresh static TestServer server;
    static String warden;
    static String otherWarden;
    static String analyst;
    static String viewer;
    static double[] inside;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        warden = server.userToken("wendy", Role.WARDEN);
        otherWarden = server.userToken("walt", Role.WARDEN);
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        inside = ReportFixture.pointInWard(server, 5);
    }

    @Test
    void photosOfSensitiveReportsAreOnlyForThoseWhoSeeTheExactPlace() throws Exception {
        long id = create(server, warden, ReportFixture.report(inside, "asb-neighbour-dispute"));
        byte[] jpeg = ReportFixture.encode(ReportFixture.image(16, 16, Color.RED), "jpeg");
        var upload = postPhoto(server, warden, id, jpeg, "dispute.jpg", "image/jpeg");
        assertEquals(201, upload.statusCode(), upload.body());
        String url = json(upload).path("url").asText();
        assertEquals(200, getBytes(server, analyst, url).statusCode());
        assertEquals(200, getBytes(server, warden, url).statusCode());
        assertEquals(403, getBytes(server, viewer, url).statusCode());
        assertEquals(0, json(get(server, viewer, "/api/reports/" + id)).path("photos").size());
        assertEquals(1, json(get(server, analyst, "/api/reports/" + id)).path("photos").size());
    }

    @Test
    void theServedCopyHasNoExifOrGpsWhileTheUploadersOriginalKeepsIt() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Photo with GPS"));
        byte[] original = ReportFixture.withExif(ReportFixture.encode(ReportFixture.image(64, 32, Color.BLUE), "jpeg"), 6);
        assertTrue(ReportFixture.contains(original, "Exif".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(ReportFixture.contains(original, ReportFixture.GPS_SECONDS));
        assertTrue(ReportFixture.jpegMarkers(original).contains(0xE1));

        var upload = postPhoto(server, warden, id, original, "IMG_0001.jpg", "image/jpeg");
        assertEquals(201, upload.statusCode(), upload.body());
        JsonNode photo = json(upload);
        String url = photo.path("url").asText();
        assertEquals("/api/reports/" + id + "/photos/" + photo.path("id").asLong(), url);
        assertEquals(url, upload.headers().firstValue("Location").orElseThrow());
        assertEquals("image/jpeg", photo.path("contentType").asText());
        assertEquals(32, photo.path("width").asInt(), "turned upright from EXIF orientation 6");
        assertEquals(64, photo.path("height").asInt());
        assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(original)),
                photo.path("sha256").asText());

        // everyone who may see the report gets the copy: no EXIF, no APP1 segment, no GPS values
        for (String token : new String[]{warden, analyst, viewer, server.adminToken}) {
            var served = getBytes(server, token, url);
            assertEquals(200, served.statusCode());
            assertEquals("image/jpeg", served.headers().firstValue("Content-Type").orElseThrow());
            byte[] copy = served.body();
            assertFalse(ReportFixture.contains(copy, "Exif".getBytes(StandardCharsets.US_ASCII)), "no Exif header");
            assertFalse(ReportFixture.contains(copy, ReportFixture.GPS_SECONDS), "no GPS values");
            assertFalse(ReportFixture.jpegMarkers(copy).contains(0xE1), "no APP1 segment");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(copy));
            assertEquals(32, image.getWidth());
            assertEquals(64, image.getHeight());
        }
        // the original, byte for byte, only for its uploader and admins
        for (String token : new String[]{warden, server.adminToken}) {
            var originalBack = getBytes(server, token, url + "?original=true");
            assertEquals(200, originalBack.statusCode());
            assertArrayEquals(original, originalBack.body());
            assertTrue(ReportFixture.contains(originalBack.body(), ReportFixture.GPS_SECONDS));
        }
        assertProblem(get(server, analyst, url + "?original=true"), 403, "original");
        assertProblem(get(server, viewer, url + "?original=true"), 403, "original");
        assertProblem(get(server, otherWarden, url), 403, "id");
        assertProblem(get(server, viewer, url + "?original=maybe"), 400, "original");
        assertProblem(get(server, viewer, "/api/reports/" + id + "/photos/999999"), 404, "photoId");

        // the report lists its photos
        JsonNode report = json(get(server, viewer, "/api/reports/" + id));
        assertEquals(1, report.path("photos").size());
        assertEquals(url, report.path("photos").get(0).path("url").asText());
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident_event WHERE incident_id = ? AND kind = 'photo'", id));
    }

    @Test
    void aPngIsStoredAsAPng() throws Exception {
        long id = create(server, warden, flyTipping(inside, "PNG"));
        byte[] png = ReportFixture.encode(ReportFixture.image(20, 10, Color.GREEN), "png");
        var upload = postPhoto(server, warden, id, png, "screenshot.png", "image/png");
        assertEquals(201, upload.statusCode(), upload.body());
        assertEquals("image/png", json(upload).path("contentType").asText());
        assertEquals(20, json(upload).path("width").asInt());
        var served = getBytes(server, warden, json(upload).path("url").asText());
        assertEquals("image/png", served.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(10, ImageIO.read(new ByteArrayInputStream(served.body())).getHeight());
    }

    @Test
    void somethingThatIsNotAJpegOrPngIsRefusedWhateverItsName() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Not a photo"));
        assertProblem(postPhoto(server, warden, id, "just some text\n".getBytes(StandardCharsets.UTF_8), "photo.jpg", "image/jpeg"),
                415, "photo");
        assertProblem(postPhoto(server, warden, id, ReportFixture.encode(ReportFixture.image(8, 8, Color.BLUE), "gif"), "a.png", "image/png"),
                415, "photo");
        assertProblem(postPhoto(server, warden, id, new byte[0], "empty.jpg", "image/jpeg"), 400, "photo");
        var noPart = server.send("POST", "/api/reports/" + id + "/photos", HttpRequest.BodyPublishers.ofString(
                "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n"),
                "Authorization", "Bearer " + warden, "Content-Type", "multipart/form-data; boundary=b");
        assertProblem(noPart, 400, "photo");
        var raw = server.send("POST", "/api/reports/" + id + "/photos", HttpRequest.BodyPublishers.ofByteArray(
                ReportFixture.encode(ReportFixture.image(8, 8, Color.BLUE), "png")),
                "Authorization", "Bearer " + warden, "Content-Type", "image/png");
        assertProblem(raw, 415, "photo");
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM incident_photo WHERE incident_id = ?", id));
    }

    @Test
    void aPhotoOverTenMegabytesIsTooLarge() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Huge"));
        byte[] huge = new byte[PhotoProcessor.MAX_BYTES + 1];
        new Random(1).nextBytes(huge);
        huge[0] = (byte) 0xFF;
        huge[1] = (byte) 0xD8;
        assertProblem(postPhoto(server, warden, id, huge, "huge.jpg", "image/jpeg"), 413, "photo");
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM incident_photo WHERE incident_id = ?", id));
    }

    @Test
    void theSamePhotoSentAgainIsThePhotoAlreadyThere() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Retried photo"));
        byte[] jpeg = ReportFixture.encode(ReportFixture.image(16, 16, Color.ORANGE), "jpeg");
        var first = postPhoto(server, warden, id, jpeg, "a.jpg", "image/jpeg");
        assertEquals(201, first.statusCode(), first.body());
        var again = postPhoto(server, warden, id, jpeg, "a-retry.jpg", "image/jpeg");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(json(first).path("id").asLong(), json(again).path("id").asLong());
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident_photo WHERE incident_id = ?", id));
    }

    @Test
    void aReportHoldsAtMostEightPhotos() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Many photos"));
        for (int i = 0; i < PhotoStore.MAX_PER_REPORT; i++) {
            byte[] png = ReportFixture.encode(ReportFixture.image(8 + i, 8, Color.BLUE), "png");
            assertEquals(201, postPhoto(server, warden, id, png, "p" + i + ".png", "image/png").statusCode());
        }
        byte[] ninth = ReportFixture.encode(ReportFixture.image(30, 8, Color.BLUE), "png");
        assertProblem(postPhoto(server, warden, id, ninth, "p9.png", "image/png"), 409, "photo");
        // a retry of one already there is still answered
        byte[] first = ReportFixture.encode(ReportFixture.image(8, 8, Color.BLUE), "png");
        assertEquals(200, postPhoto(server, warden, id, first, "p0.png", "image/png").statusCode());
        assertEquals(8, json(get(server, warden, "/api/reports/" + id)).path("photos").size());
    }

    @Test
    void onlyTheReporterAnalystsAndAdminsAddPhotos() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Whose photo"));
        byte[] png = ReportFixture.encode(ReportFixture.image(12, 12, Color.CYAN), "png");
        assertProblem(postPhoto(server, otherWarden, id, png, "x.png", "image/png"), 403, "id");
        assertProblem(postPhoto(server, viewer, id, png, "x.png", "image/png"), 403, "role");
        assertProblem(postPhoto(server, analyst, 999999, png, "x.png", "image/png"), 404, "id");
        var byAnalyst = postPhoto(server, analyst, id, png, "x.png", "image/png");
        assertEquals(201, byAnalyst.statusCode(), byAnalyst.body());
        // the analyst uploaded it: the reporter gets the copy but not the original
        String url = json(byAnalyst).path("url").asText();
        assertEquals(200, getBytes(server, warden, url).statusCode());
        assertProblem(get(server, warden, url + "?original=true"), 403, "original");
        assertEquals(200, getBytes(server, analyst, url + "?original=true").statusCode());
    }
}
