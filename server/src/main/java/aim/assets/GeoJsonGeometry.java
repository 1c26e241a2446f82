package aim.assets;

import aim.core.Issue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an RFC 7946 GeoJSON geometry (WGS84 longitude, latitude in degrees) into a JTS geometry with
 * SRID 4326: a Point, Polygon or MultiPolygon. A malformed member is an {@link Issue} naming the member;
 * an invalid polygon is reported with JTS's reason and location (see {@link #invalidity}). Nothing is thrown.
 */
final class GeoJsonGeometry {
    static final int WGS84 = 4326;
    private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), WGS84);
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeoJsonGeometry() {
    }

    /**
     * The geometry, or null when {@code node} is absent or JSON null, or when it is malformed: then the
     * first thing wrong with it is added to {@code issues} (naming the member at fault, e.g.
     * {@code geometry.coordinates[0][2]}).
     */
    static Geometry read(JsonNode node, String field, Set<String> allowedTypes, List<Issue> issues) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) { // e.g. an Open Referral "extent" holding GeoJSON as text
            try {
                node = JSON.readTree(node.asText());
            } catch (Exception e) {
                return malformed(issues, field, field + " is not GeoJSON: " + e.getMessage());
            }
        }
        if (!node.isObject()) return malformed(issues, field, field + " must be a GeoJSON geometry object");
        String type = node.path("type").asText("");
        if (!allowedTypes.contains(type)) {
            return malformed(issues, field + ".type", field + " must be a GeoJSON " + String.join(" or ", allowedTypes.stream().sorted().toList())
                    + ", not '" + type + "'");
        }
        JsonNode coordinates = node.path("coordinates");
        String at = field + ".coordinates";
        Geometry g = switch (type) {
            case "Point" -> {
                Coordinate c = position(coordinates, at, issues);
                yield c == null ? null : FACTORY.createPoint(c);
            }
            case "Polygon" -> polygon(coordinates, at, issues);
            case "MultiPolygon" -> {
                if (!coordinates.isArray() || coordinates.isEmpty()) yield malformed(issues, at, at + " must be a non-empty array of polygons");
                Polygon[] parts = new Polygon[coordinates.size()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = polygon(coordinates.get(i), at + "[" + i + "]", issues);
                    if (parts[i] == null) yield null;
                }
                yield FACTORY.createMultiPolygon(parts);
            }
            default -> throw new IllegalStateException(type);
        };
        if (g != null) g.setSRID(WGS84);
        return g;
    }

    private static Polygon polygon(JsonNode rings, String field, List<Issue> issues) {
        if (!rings.isArray() || rings.isEmpty()) return malformed(issues, field, field + " must be a non-empty array of linear rings");
        LinearRing shell = ring(rings.get(0), field + "[0]", issues);
        if (shell == null) return null;
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i), field + "[" + i + "]", issues);
            if (holes[i - 1] == null) return null;
        }
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(JsonNode positions, String field, List<Issue> issues) {
        if (!positions.isArray() || positions.size() < 4) {
            return malformed(issues, field, field + " must be a closed ring of at least 4 positions");
        }
        Coordinate[] cs = new Coordinate[positions.size()];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = position(positions.get(i), field + "[" + i + "]", issues);
            if (cs[i] == null) return null;
        }
        if (!cs[0].equals2D(cs[cs.length - 1])) return malformed(issues, field, field + " is not closed: its first and last positions differ");
        return FACTORY.createLinearRing(cs);
    }

    private static Coordinate position(JsonNode p, String field, List<Issue> issues) {
        if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
            return malformed(issues, field, field + " must be a [longitude, latitude] pair of numbers");
        }
        double lon = p.get(0).asDouble(), lat = p.get(1).asDouble();
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            return malformed(issues, field, field + " [" + lon + ", " + lat + "] is not a WGS84 longitude, latitude");
        }
        return new Coordinate(lon, lat);
    }

    /** Notes what is wrong and answers null, for the reader to stop at. */
    private static <T> T malformed(List<Issue> issues, String field, String message) {
        issues.add(Issue.error(null, field, message));
        return null;
    }

    /** Why a geometry is invalid (e.g. "Self-intersection at or near point 1.2 54.5"), or empty when it is valid. */
    static Optional<String> invalidity(Geometry g) {
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error == null) return Optional.empty();
        Coordinate at = error.getCoordinate();
        return Optional.of(error.getMessage() + (at == null ? "" : " at or near " + at.x + " " + at.y));
    }
}
