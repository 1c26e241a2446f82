package aim.reports;

import aim.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The photo check and the copy without metadata, without a database. */
class ReportPhotoProcessorTest {
    private final PhotoProcessor processor = new PhotoProcessor();

    @Test
    void aJpegWithExifGpsIsCopiedWithoutAnyMetadataAndTurnedUpright() throws Exception {
        byte[] original = ReportFixture.withExif(ReportFixture.encode(ReportFixture.image(40, 20, Color.BLUE), "jpeg"), 6);
        assertEquals(6, ExifOrientation.of(original));
        assertTrue(ReportFixture.contains(original, "Exif".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(ReportFixture.contains(original, ReportFixture.GPS_SECONDS));

        PhotoProcessor.Processed p = processor.process(original);
        assertEquals("image/jpeg", p.contentType());
        assertArrayEquals(original, p.original());
        assertEquals(PhotoProcessor.sha256(original), p.sha256());
        assertFalse(ReportFixture.contains(p.stripped(), "Exif".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(ReportFixture.contains(p.stripped(), ReportFixture.GPS_SECONDS));
        assertFalse(ReportFixture.jpegMarkers(p.stripped()).contains(0xE1), "no APP1 (EXIF/XMP) segment");
        // orientation 6: turned a quarter clockwise, so the red top-left quarter is now top-right
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(p.stripped()));
        assertEquals(20, p.width());
        assertEquals(40, p.height());
        assertEquals(20, copy.getWidth());
        assertTrue(isRed(copy.getRGB(15, 5)), "top right is red");
        assertFalse(isRed(copy.getRGB(5, 5)), "top left is not");
        assertFalse(isRed(copy.getRGB(15, 30)), "bottom right is not");
    }

    /** Where the red top-left quarter of a 40 × 20 image lands for each EXIF orientation (x, y of a pixel inside it). */
    @ParameterizedTest
    @CsvSource({"1, 40, 20, 5, 5", "2, 40, 20, 35, 5", "3, 40, 20, 35, 15", "4, 40, 20, 5, 15",
            "5, 20, 40, 5, 5", "6, 20, 40, 15, 5", "7, 20, 40, 15, 35", "8, 20, 40, 5, 35"})
    void everyExifOrientationIsApplied(int orientation, int width, int height, int redX, int redY) {
        BufferedImage upright = PhotoProcessor.upright(ReportFixture.image(40, 20, Color.BLUE), orientation);
        assertEquals(width, upright.getWidth());
        assertEquals(height, upright.getHeight());
        assertTrue(isRed(upright.getRGB(redX, redY)), "red at " + redX + "," + redY);
        assertFalse(isRed(upright.getRGB(width - 1 - redX, height - 1 - redY)), "not red opposite");
    }

    @Test
    void aPngIsAcceptedAndStaysAPng() throws Exception {
        byte[] png = ReportFixture.encode(ReportFixture.image(30, 10, Color.GREEN), "png");
        PhotoProcessor.Processed p = processor.process(png);
        assertEquals("image/png", p.contentType());
        assertEquals(30, p.width());
        assertEquals(10, p.height());
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(p.stripped()));
        assertTrue(isRed(copy.getRGB(2, 2)));
        assertEquals(Color.GREEN.getRGB(), copy.getRGB(25, 8));
    }

    @Test
    void contentDecidesNotTheName() throws Exception {
        assertStatus(415, () -> processor.process("this is not a photo, just text\n".getBytes(StandardCharsets.UTF_8)));
        assertStatus(415, () -> processor.process(ReportFixture.encode(ReportFixture.image(8, 8, Color.BLUE), "gif")));
        byte[] broken = ReportFixture.encode(ReportFixture.image(64, 64, Color.BLUE), "jpeg");
        byte[] truncated = java.util.Arrays.copyOf(broken, 200);
        java.util.Arrays.fill(truncated, 20, 200, (byte) 0x55);
        assertStatus(422, () -> processor.process(truncated));
        assertStatus(400, () -> processor.process(new byte[0]));
        assertStatus(413, () -> processor.process(new byte[PhotoProcessor.MAX_BYTES + 1]));
    }

    @Test
    void malformedExifIsIgnored() {
        assertEquals(1, ExifOrientation.of(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 20, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0}));
        assertEquals(1, ExifOrientation.of(new byte[]{1, 2, 3}));
        assertEquals(1, ExifOrientation.of(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) 0xFF, (byte) 0xFF}));
    }

    private static boolean isRed(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 200 && c.getGreen() < 60 && c.getBlue() < 60;
    }

    private static void assertStatus(int status, org.junit.jupiter.api.function.Executable call) {
        DomainException problem = assertThrows(DomainException.class, call);
        assertEquals(status, aim.web.Problems.status(problem), problem.getMessage());
        assertEquals("photo", problem.field());
    }
}
