package aim.boundaries;

import aim.core.DomainException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.geojson.GeoJsonReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a GeoJSON FeatureCollection feature by feature with Jackson's streaming parser, so a large
 * file is never held in memory. The CRS comes from the (pre-RFC 7946) {@code crs} member when there
 * is one; RFC 7946 files without it are WGS84 longitude/latitude.
 */
final class GeoJsonBoundaryReader implements BoundaryFileReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final int srid;
    private final List<String> fieldNames;

    private GeoJsonBoundaryReader(Path file, int srid, List<String> fieldNames) {
        this.file = file;
        this.srid = srid;
        this.fieldNames = fieldNames;
    }

    static GeoJsonBoundaryReader open(Path file, Integer sridOverride) throws IOException {
        // First pass: the top-level crs member and the first feature's property names. The crs
        // member may come after the features, so it cannot be read on the fly.
        String crs = null;
        List<String> fields = null;
        boolean collection = false;
        try (JsonParser p = parser(file)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, p, "a GeoJSON file must be a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                p.nextToken();
                switch (member) {
                    case "type" -> {
                        expect("FeatureCollection".equals(p.getValueAsString()), p,
                                "type must be FeatureCollection, not " + p.getValueAsString());
                        collection = true;
                    }
                    case "crs" -> {
                        JsonNode node = JSON.readTree(p);
                        crs = node.path("properties").path("name").asText(null);
                    }
                    case "features" -> {
                        expect(p.currentToken() == JsonToken.START_ARRAY, p, "features must be an array");
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            if (fields == null) {
                                JsonNode feature = JSON.readTree(p);
                                fields = new ArrayList<>();
                                feature.path("properties").fieldNames().forEachRemaining(fields::add);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
        if (!collection) {
            throw DomainException.rejected("file", "not a GeoJSON FeatureCollection: the type member is missing", List.of());
        }
        int srid = sridOverride != null ? sridOverride : crs == null ? 4326 : BoundaryFileReader.supportedSrid(crs, "crs");
        return new GeoJsonBoundaryReader(file, srid, fields == null ? List.of() : fields);
    }

    @Override
    public int srid() {
        return srid;
    }

    @Override
    public List<String> fieldNames() {
        return fieldNames;
    }

    @Override
    public void forEach(Consumer<SourceFeature> consumer) throws IOException {
        GeoJsonReader geometryReader = new GeoJsonReader();
        try (JsonParser p = parser(file)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                p.nextToken();
                if (!"features".equals(member)) {
                    p.skipChildren();
                    continue;
                }
                int index = 0;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    index++;
                    JsonNode feature = JSON.readTree(p);
                    consumer.accept(toFeature(index, feature, geometryReader));
                }
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    private static SourceFeature toFeature(int index, JsonNode feature, GeoJsonReader geometryReader) {
        Map<String, Object> properties = new LinkedHashMap<>();
        feature.path("properties").fields().forEachRemaining(e ->
                properties.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        JsonNode geometry = feature.get("geometry");
        if (geometry == null || geometry.isNull()) {
            return new SourceFeature(index, properties, null, "the feature has no geometry");
        }
        try {
            Geometry g = geometryReader.read(geometry.toString());
            return new SourceFeature(index, properties, g, null);
        } catch (ParseException | RuntimeException e) {
            return new SourceFeature(index, properties, null, "unreadable geometry: " + e.getMessage());
        }
    }

    @Override
    public void close() {
    }

    private static JsonParser parser(Path file) throws IOException {
        return new JsonFactory().createParser(Files.newInputStream(file));
    }

    private static void expect(boolean ok, JsonParser p, String message) {
        if (!ok) {
            var where = p.currentLocation();
            throw DomainException.rejected("file", "malformed GeoJSON at line " + where.getLineNr()
                    + ", column " + where.getColumnNr() + ": " + message, List.of());
        }
    }

    private static DomainException malformed(JsonProcessingException e) {
        var where = e.getLocation();
        String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return DomainException.rejected("file", "malformed GeoJSON" + at + ": " + e.getOriginalMessage(), List.of());
    }
}
