package aim.ogc;

import aim.core.DomainException;

import java.util.List;

/**
 * The coordinate reference systems of OGC API – Features Part 2 that AIM serves: CRS84 (longitude,
 * latitude in degrees; the default) and British National Grid, EPSG:27700 (easting, northing in metres;
 * the storage CRS). Geometries are written with 6 decimals in CRS84 (about 0.1 m) and 2 in EPSG:27700 (1 cm).
 */
public enum OgcCrs {
    CRS84("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, 6),
    BNG("http://www.opengis.net/def/crs/EPSG/0/27700", 27700, 2);

    /** Where EPSG:27700 is defined (EPSG's area of use), in CRS84 degrees: a CRS84 box is clipped to it before it is transformed. */
    static final double[] BNG_AREA = {-9.01, 49.75, 2.01, 61.01};

    private final String uri;
    private final int srid;
    private final int decimals;

    OgcCrs(String uri, int srid, int decimals) {
        this.uri = uri;
        this.srid = srid;
        this.decimals = decimals;
    }

    public String uri() {
        return uri;
    }

    public int srid() {
        return srid;
    }

    public int decimals() {
        return decimals;
    }

    public static List<String> uris() {
        return List.of(CRS84.uri, BNG.uri);
    }

    /** The CRS a parameter names by its URI (CRS84 when absent); another value is a 400 problem naming {@code field}. */
    public static OgcCrs parse(String value, String field) {
        if (value == null) return CRS84;
        String v = value.strip();
        // a CRS may also be given as a safe CURIE, [EPSG:27700]
        for (OgcCrs crs : values()) {
            if (crs.uri.equals(v) || crs.curie().equals(v)) return crs;
        }
        throw DomainException.invalid(field, field + " must be one of " + String.join(", ", uris()) + ", not '" + value + "'");
    }

    private String curie() {
        return this == CRS84 ? "[OGC:CRS84]" : "[EPSG:27700]";
    }
}
