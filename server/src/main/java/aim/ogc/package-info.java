/**
 * OGC API – Features (Part 1 Core with GeoJSON and OpenAPI 3.0, Part 2 CRS by reference) over AIM's layers:
 * boundaries, community assets, incidents (through {@link aim.incidents.Redaction}), the hotspot grid and
 * problems. PostGIS writes each feature's GeoJSON; pages are streamed from a cursor.
 */
package aim.ogc;
