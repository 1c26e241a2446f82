/**
 * Place and postcode search for the map's search box: the current wards, neighbourhoods, zones and LSOAs
 * by name or code, and the entries of an address gazetteer (postcodes, streets, places) imported from the
 * ONS Postcode Directory, Code-Point Open or OS Open Names. Points and extents are stored in British
 * National Grid (EPSG:27700, metres) and answered in WGS84 degrees.
 */
package aim.places;
