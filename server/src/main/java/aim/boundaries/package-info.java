/**
 * The boundary store: versioned sets of wards, neighbourhoods (named groups of wards), free zone
 * layers and small areas (LSOA), stored in British National Grid (EPSG:27700, metres) and served as
 * RFC 7946 GeoJSON in WGS84. Also the populations that rates per 1,000 are computed from.
 */
package aim.boundaries;
