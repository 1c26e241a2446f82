/**
 * Vector tiles (Mapbox Vector Tile 2.1, EPSG:3857 XYZ tiling) of wards, neighbourhoods, incidents and
 * hotspots, built by PostGIS ({@code ST_TileEnvelope}, {@code ST_AsMVTGeom}, {@code ST_AsMVT}) over an
 * index-friendly search box in the storage CRS (EPSG:27700), and a TileJSON 3.0.0 document per layer.
 * Incidents are read through {@link aim.incidents.IncidentFilter} and {@link aim.incidents.Redaction};
 * tiles carry an ETag built from {@link aim.db.DataVersions}.
 */
package aim.tiles;
