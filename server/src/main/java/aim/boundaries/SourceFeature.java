package aim.boundaries;

import org.locationtech.jts.geom.Geometry;

import java.util.Map;

/**
 * One feature read from a boundary file, before validation.
 *
 * @param index      1-based position in the file
 * @param properties attribute values by field name
 * @param geometry   the geometry in the file's CRS, or null when absent or unreadable
 * @param geometryError why the geometry could not be read, or null
 */
public record SourceFeature(int index, Map<String, Object> properties, Geometry geometry, String geometryError) {
}
