package aim.assets;

import aim.core.DomainException;
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

import java.util.Optional;
import java.util.Set;

/**
 * Reads an RFC 7946 GeoJSON geometry (WGS84 longitude, latitude in degrees) into a JTS geometry with
 * SRID 4326: a Point, Polygon or MultiPolygon. A malformed member is a 400 problem naming the field; an
 * invalid polygon is reported with JTS's reason and location (see {@link #invalidity}).
 */
final class GeoJsonGeometry {
    static final int WGS84 = 4326;
    private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), WGS84);
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeoJsonGeometry() {
    }

    /** The geometry, or null when {@code node} is absent or JSON null. */
    static Geometry read(JsonNode node, String field, Set<String> allowedTypes) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) { // e.g. an Open Referral "extent" holding GeoJSON as text
            try {
                node = JSON.readTree(node.asText());
            } catch (Exception e) {
                throw DomainException.invalid(field, field + " is not GeoJSON: " + e.getMessage());
            }
        }
        if (!node.isObject()) throw DomainException.invalid(field, field + " must be a GeoJSON geometry object");
        String type = node.path("type").asText("");
        if (!allowedTypes.contains(type)) {
            throw DomainException.invalid(field + ".type", field + " must be a GeoJSON " + String.join(" or ", allowedTypes.stream().sorted().toList())
                    + ", not '" + type + "'");
        }
        JsonNode coordinates = node.path("coordinates");
        String at = field + ".coordinates";
        Geometry g = switch (type) {
            case "Point" -> FACTORY.createPoint(position(coordinates, at));
            case "Polygon" -> polygon(coordinates, at);
            case "MultiPolygon" -> {
                if (!coordinates.isArray() || coordinates.isEmpty()) throw DomainException.invalid(at, at + " must be a non-empty array of polygons");
                Polygon[] parts = new Polygon[coordinates.size()];
                for (int i = 0; i < parts.length; i++) parts[i] = polygon(coordinates.get(i), at + "[" + i + "]");
                yield FACTORY.createMultiPolygon(parts);
            }
            default -> throw new IllegalStateException(type);
        };
        g.setSRID(WGS84);
        return g;
    }

    private static Polygon polygon(JsonNode rings, String field) {
        if (!rings.isArray() || rings.isEmpty()) throw DomainException.invalid(field, field + " must be a non-empty array of linear rings");
        LinearRing shell = ring(rings.get(0), field + "[0]");
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) holes[i - 1] = ring(rings.get(i), field + "[" + i + "]");
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(JsonNode positions, String field) {
        if (!positions.isArray() || positions.size() < 4) {
            throw DomainException.invalid(field, field + " must be a closed ring of at least 4 positions");
        }
        Coordinate[] cs = new Coordinate[positions.size()];
        for (int i = 0; i < cs.length; i++) cs[i] = position(positions.get(i), field + "[" + i + "]");
        if (!cs[0].equals2D(cs[cs.length - 1])) throw DomainException.invalid(field, field + " is not closed: its first and last positions differ");
        return FACTORY.createLinearRing(cs);
    }

    private static Coordinate position(JsonNode p, String field) {
        if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
            throw DomainException.invalid(field, field + " must be a [longitude, latitude] pair of numbers");
        }
        double lon = p.get(0).asDouble(), lat = p.get(1).asDouble();
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            throw DomainException.invalid(field, field + " [" + lon + ", " + lat + "] is not a WGS84 longitude, latitude");
        }
        return new Coordinate(lon, lat);
    }

    /** Why a geometry is invalid (e.g. "Self-intersection at or near point 1.2 54.5"), or empty when it is valid. */
    static Optional<String> invalidity(Geometry g) {
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error == null) return Optional.empty();
        Coordinate at = error.getCoordinate();
        return Optional.of(error.getMessage() + (at == null ? "" : " at or near " + at.x + " " + at.y));
    }
}
