package aim.boundaries;

import aim.core.Issue;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks one feature of a boundary file: it needs a code, a name and an area geometry that lies in
 * Great Britain. An invalid polygon is repaired with JTS's {@link GeometryFixer} and the repair is
 * reported with the location of the original fault; what cannot be used is reported as an error.
 * Coordinates are in the file's SRID (4326: degrees longitude/latitude; 27700: metres).
 */
final class BoundaryFeatureCheck {
    /** Great Britain's extent, generously: WGS84 degrees and British National Grid metres. */
    private static final Envelope GB_WGS84 = new Envelope(-9.0, 2.1, 49.8, 61.0);
    private static final Envelope GB_BNG = new Envelope(0, 700_000, 0, 1_300_000);

    /** The feature ready to store (null geometry when rejected) and everything found on the way. */
    record Result(String code, String name, Geometry geometry, List<Issue> issues) {
        boolean accepted() {
            return issues.stream().noneMatch(Issue::isError);
        }
    }

    private BoundaryFeatureCheck() {
    }

    static Result check(SourceFeature feature, int srid, String codeField, String nameField) {
        String where = "feature " + feature.index();
        List<Issue> issues = new ArrayList<>();
        String code = text(feature.properties().get(codeField));
        String name = text(feature.properties().get(nameField));
        if (code == null) issues.add(Issue.error(where, codeField, "the code field " + codeField + " is empty"));
        if (name == null) issues.add(Issue.error(where, nameField, "the name field " + nameField + " is empty"));
        if (code != null && code.length() > 64) issues.add(Issue.error(where, codeField, "the code is longer than 64 characters"));

        Geometry geometry = feature.geometry();
        if (geometry == null) {
            issues.add(Issue.error(where, "geometry", feature.geometryError()));
            return new Result(code, name, null, issues);
        }
        if (!(geometry.getDimension() == 2)) {
            issues.add(Issue.error(where, "geometry", "a " + geometry.getGeometryType() + " is not an area: expected Polygon or MultiPolygon"));
            return new Result(code, name, null, issues);
        }
        Envelope gb = srid == 27700 ? GB_BNG : GB_WGS84;
        if (geometry.isEmpty() || !gb.contains(geometry.getEnvelopeInternal())) {
            Envelope e = geometry.getEnvelopeInternal();
            issues.add(new Issue("error", null, null, where, "geometry",
                    "the geometry lies outside Great Britain for EPSG:" + srid
                            + (srid == 4326 ? " (longitude, latitude)" : " (easting, northing)")
                            + ": extent " + e.getMinX() + " " + e.getMinY() + " to " + e.getMaxX() + " " + e.getMaxY(),
                    null));
            return new Result(code, name, null, issues);
        }

        IsValidOp validity = new IsValidOp(geometry);
        if (!validity.isValid()) {
            TopologyValidationError fault = validity.getValidationError();
            Geometry fixed = polygonal(GeometryFixer.fix(geometry));
            String location = fault.getCoordinate() == null ? null : fault.getCoordinate().x + " " + fault.getCoordinate().y;
            if (fixed.isEmpty()) {
                issues.add(new Issue("error", null, null, where, "geometry", "invalid geometry that cannot be repaired: " + fault.getMessage(), location));
                return new Result(code, name, null, issues);
            }
            issues.add(new Issue("repaired", null, null, where, "geometry", "invalid geometry repaired: " + fault.getMessage(), location));
            geometry = fixed;
        }
        return new Result(code, name, geometry, issues);
    }

    private static Geometry polygonal(Geometry g) {
        @SuppressWarnings("unchecked")
        List<Polygon> polygons = PolygonExtracter.getPolygons(g);
        GeometryFactory factory = g.getFactory();
        return factory.createMultiPolygon(polygons.toArray(Polygon[]::new));
    }

    private static String text(Object value) {
        if (value == null) return null;
        String s = value.toString().trim();
        return s.isEmpty() ? null : s;
    }
}
