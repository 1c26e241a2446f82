/**
 * The incident store for every source (police.uk, council, warden, public): the managed category
 * taxonomy, imports, warden reports and the streamed GeoJSON query API. Locations are points in
 * EPSG:27700 (metres) with their precision; times carry their precision (police.uk: the month).
 */
package aim.incidents;
