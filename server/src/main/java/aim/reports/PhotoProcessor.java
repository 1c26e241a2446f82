package aim.reports;

import aim.core.DomainException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * Checks an uploaded photo by decoding it (JPEG or PNG only, whatever its name or declared type) and
 * makes the copy that is shown to others: the pixels re-encoded by ImageIO, which writes no EXIF, XMP
 * or text chunks, so no GPS position, camera serial or timestamp survives. A JPEG's EXIF orientation
 * is applied to the pixels first, so the copy is the right way up without it.
 * Limits: {@link #MAX_BYTES} per file, {@link #MAX_PIXELS} per image; CMYK JPEGs cannot be decoded by ImageIO and are refused.
 */
public final class PhotoProcessor {
    public static final int MAX_BYTES = 10 * 1024 * 1024;
    /** A decoded image takes 3-4 bytes a pixel; 50 megapixels is more than phone cameras write as JPEG. */
    public static final long MAX_PIXELS = 50_000_000L;
    private static final float JPEG_QUALITY = 0.9f;

    /** Decoding a large photo takes a few hundred megabytes at worst: at most two at a time. */
    private final Semaphore decoding = new Semaphore(2);

    /** An accepted photo: the original bytes and their SHA-256 (hex), and the copy without metadata with its size in pixels. */
    public record Processed(String contentType, byte[] original, String sha256, byte[] stripped, int width, int height) {
    }

    /** Throws a problem naming {@code photo}: 413 when too large, 415 when not a JPEG or PNG, 422 when it cannot be decoded. */
    public Processed process(byte[] original) {
        if (original.length == 0) throw DomainException.invalid("photo", "the photo is empty");
        if (original.length > MAX_BYTES) throw tooLarge();
        decoding.acquireUninterruptibly();
        try {
            return processNow(original);
        } finally {
            decoding.release();
        }
    }

    public static DomainException tooLarge() {
        return DomainException.tooLarge("photo", "a photo may be at most " + MAX_BYTES / (1024 * 1024) + " MB");
    }

    private Processed processNow(byte[] original) {
        String format;
        BufferedImage image;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(original))) {
            ImageReader reader = reader(in);
            if (reader == null) {
                throw DomainException.unsupportedType("photo", "the photo is not a JPEG or PNG image");
            }
            try {
                format = reader.getFormatName().toLowerCase(Locale.ROOT).startsWith("png") ? "png" : "jpeg";
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw DomainException.rejected("photo", "the photo has " + pixels + " pixels; at most " + MAX_PIXELS + " are accepted", null);
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DomainException problem) throw problem;
            throw DomainException.rejected("photo", "the photo cannot be decoded: " + e.getMessage(), null);
        }
        if ("jpeg".equals(format)) image = upright(image, ExifOrientation.of(original));
        byte[] stripped;
        try {
            stripped = encode(image, format);
        } catch (IOException | RuntimeException e) {
            throw DomainException.rejected("photo", "the photo cannot be re-encoded: " + e.getMessage(), null);
        }
        return new Processed("png".equals(format) ? "image/png" : "image/jpeg", original, sha256(original), stripped,
                image.getWidth(), image.getHeight());
    }

    /** The first reader for the content (found by its magic bytes), if it is a JPEG or PNG reader. */
    private static ImageReader reader(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            String name = r.getFormatName().toLowerCase(Locale.ROOT);
            if (name.equals("jpeg") || name.equals("jpg") || name.equals("png")) return r;
            r.dispose();
        }
        return null;
    }

    /**
     * The image as it should be displayed given its EXIF orientation (1 to 8; 1 is upright), drawn
     * into a plain RGB image, which the JPEG writer always accepts.
     */
    static BufferedImage upright(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5 && orientation <= 8;
        // each transform maps a source pixel area to its place in the upright image (TIFF 6.0 / EXIF 2.3 orientation tag)
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirrored left-right
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // upside down
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirrored top-bottom
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transposed
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // turn 90° clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transversed
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);   // turn 90° anticlockwise
            default -> new AffineTransform();
        };
        int type = image.getType();
        if (t.isIdentity() && (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY
                || type == BufferedImage.TYPE_INT_RGB)) {
            return image;
        }
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Writes only the pixels: no metadata is passed to the writer, so none is written. */
    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
