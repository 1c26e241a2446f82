package aim.tiles;

import aim.core.DomainException;

/**
 * One tile of the EPSG:3857 XYZ scheme (Google/OSM numbering: x from the west at 180° W, y from the
 * north at 85.0511° N; 2^z × 2^z tiles at zoom z).
 */
public record TileAddress(int z, int x, int y) {
    /** Half the width of the EPSG:3857 square world, in (Web Mercator) metres. */
    static final double HALF_WORLD = 20037508.342789244;

    /**
     * The tile named by the path's {@code z}, {@code x} and {@code y} texts: a text that is not a whole
     * number is a 400 problem naming it; a zoom outside 0..{@code maxZoom} or an x or y outside
     * 0..2^z−1 names no tile (404 problem).
     */
    public static TileAddress parse(String z, String x, String y, int maxZoom) {
        int zoom = number("z", z);
        if (zoom < 0 || zoom > maxZoom) throw DomainException.notFound("z", "no tiles at zoom " + zoom + ": zooms are 0 to " + maxZoom);
        int column = number("x", x);
        int row = number("y", y);
        long side = 1L << zoom;
        if (column < 0 || column >= side) throw DomainException.notFound("x", "x is 0 to " + (side - 1) + " at zoom " + zoom + ", not " + column);
        if (row < 0 || row >= side) throw DomainException.notFound("y", "y is 0 to " + (side - 1) + " at zoom " + zoom + ", not " + row);
        return new TileAddress(zoom, column, row);
    }

    private static int number(String name, String text) {
        if (text != null && text.matches("\\d{1,9}")) return Integer.parseInt(text);
        throw DomainException.invalid(name, name + " must be a whole number, not '" + text + "'");
    }

    /** The tile's width in EPSG:3857 metres. */
    public double width() {
        return 2 * HALF_WORLD / (1L << z);
    }

    /**
     * The tile grown by {@code fraction} of its width on every side, as a WGS84 box
     * {minLon, minLat, maxLon, maxLat} (degrees), latitudes clamped to the Mercator limit.
     */
    public double[] wgs84(double fraction) {
        double n = 1L << z;
        double minX = x - fraction, maxX = x + 1 + fraction;
        double minY = y - fraction, maxY = y + 1 + fraction;
        return new double[]{Math.max(-180, lon(minX, n)), lat(Math.min(n, maxY), n), Math.min(180, lon(maxX, n)), lat(Math.max(0, minY), n)};
    }

    private static double lon(double tileX, double n) {
        return tileX / n * 360 - 180;
    }

    private static double lat(double tileY, double n) {
        return Math.toDegrees(Math.atan(Math.sinh(Math.PI * (1 - 2 * tileY / n))));
    }

    @Override
    public String toString() {
        return z + "/" + x + "/" + y;
    }
}
