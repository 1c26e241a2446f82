package aim.reports;

/**
 * Reads the EXIF orientation (TIFF tag 0x0112, 1 to 8) of a JPEG from its APP1 "Exif" segment, so
 * that the copy without metadata can be turned the right way up. Anything missing or malformed is
 * orientation 1 (upright as stored): this never fails.
 */
final class ExifOrientation {
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    static int of(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) return 1;
        int pos = 2;
        // walk the marker segments (FF xx, then a big-endian length that counts itself) up to the image data
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) return 1;
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) return 1; // start of scan, end of image: no EXIF before them
            int length = u16(jpeg, pos + 2, false);
            int start = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > jpeg.length) return 1;
            if (marker == 0xE1 && end - start > 14 && jpeg[start] == 'E' && jpeg[start + 1] == 'x' && jpeg[start + 2] == 'i'
                    && jpeg[start + 3] == 'f' && jpeg[start + 4] == 0 && jpeg[start + 5] == 0) {
                return fromTiff(jpeg, start + 6, end);
            }
            pos = end;
        }
        return 1;
    }

    /** The orientation in IFD0 of the TIFF structure at {@code tiff} (offsets count from there), ending before {@code end}. */
    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') little = true;
        else if (b[tiff] == 'M' && b[tiff + 1] == 'M') little = false;
        else return 1;
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd + 2 > end) return 1;
        int count = u16(b, (int) ifd, little);
        for (int i = 0; i < count; i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > end) return 1;
            int e = (int) entry;
            if (u16(b, e, little) == ORIENTATION_TAG && u16(b, e + 2, little) == 3) { // type SHORT, value inline
                int value = u16(b, e + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int a = b[at] & 0xFF;
        int c = b[at + 1] & 0xFF;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }
}
