package aim.places;

/**
 * One search result: {@code kind} is ward, neighbourhood, zone or lsoa (an area of the current boundary
 * sets), postcode, postcode-district, street or place (the gazetteer); {@code code} is the area's code or
 * the postcode (null for streets and places); {@code context} where it is (e.g. the town), if known.
 * {@code centre} is [lon, lat] and {@code bbox} [minLon, minLat, maxLon, maxLat] in WGS84 degrees
 * (a postcode's box is its point); {@code source} the boundary set's attribution or the gazetteer's source, {@code licence} the
 * gazetteer entry's licence (to be shown with it).
 */
public record Place(String kind, String name, String code, String context, double[] centre, double[] bbox, String source, String licence) {
}
