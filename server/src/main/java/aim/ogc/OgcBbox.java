package aim.ogc;

import aim.core.DomainException;
import aim.db.SqlFragment;

/**
 * A {@code bbox} of a features request in its {@code bbox-crs}: minX,minY,maxX,maxY (or the six numbers of a
 * 3D box, whose heights are ignored). In CRS84 x is longitude and y latitude in degrees; in EPSG:27700,
 * easting and northing in metres.
 */
public record OgcBbox(double minX, double minY, double maxX, double maxY, OgcCrs crs) {

    /** Parses {@code value}; malformed numbers, a wrong count, min above max or degrees out of range are a 400 naming bbox. */
    public static OgcBbox parse(String value, OgcCrs crs) {
        if (value == null) return null;
        String[] parts = value.split(",", -1);
        if (parts.length != 4 && parts.length != 6) {
            throw DomainException.invalid("bbox", "bbox is minX,minY,maxX,maxY (4 or 6 numbers), not '" + value + "'");
        }
        double[] n = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                n[k] = Double.parseDouble(parts[k].strip());
            } catch (NumberFormatException e) {
                throw DomainException.invalid("bbox", "bbox values must be numbers, not '" + value + "'");
            }
            if (!Double.isFinite(n[k])) throw DomainException.invalid("bbox", "bbox values must be finite numbers: '" + value + "'");
        }
        int h = parts.length == 6 ? 1 : 0;
        var box = new OgcBbox(n[0], n[1], n[2 + h], n[3 + h], crs);
        if (box.minX > box.maxX || box.minY > box.maxY) {
            throw DomainException.invalid("bbox", "bbox minimums must not exceed its maximums (a box across the antimeridian is not supported): '"
                    + value + "'");
        }
        if (crs == OgcCrs.CRS84 && (box.minX < -180 || box.maxX > 180 || box.minY < -90 || box.maxY > 90)) {
            throw DomainException.invalid("bbox", "a CRS84 bbox lies within -180..180, -90..90 degrees: '" + value + "'");
        }
        return box;
    }

    /**
     * The box as a polygon in the stored CRS (EPSG:27700), so the spatial indexes are used; empty when the
     * box misses the area of EPSG:27700 entirely. A CRS84 box is clipped to that area and its edges are
     * densified (every 0.01°) before it is transformed, so its curved sides stay within centimetres.
     */
    SqlFragment stored() {
        if (crs == OgcCrs.BNG) return SqlFragment.of("ST_MakeEnvelope(?, ?, ?, ?, 27700)", minX, minY, maxX, maxY);
        double[] a = OgcCrs.BNG_AREA;
        double x0 = Math.max(minX, a[0]), y0 = Math.max(minY, a[1]), x1 = Math.min(maxX, a[2]), y1 = Math.min(maxY, a[3]);
        if (x0 > x1 || y0 > y1) return null;
        return SqlFragment.of("ST_Transform(ST_Segmentize(ST_MakeEnvelope(?, ?, ?, ?, 4326), 0.01), 27700)", x0, y0, x1, y1);
    }
}
