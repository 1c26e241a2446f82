/**
 * The hotspot engine and the AIM group's intelligence views: grid and hexagon counts, Getis-Ord Gi*
 * with False Discovery Rate correction, kernel density, area statistics (rates per 1,000 people),
 * time series by month and UK financial-year quarter, emerging hotspots and hotspot accuracy.
 * All spatial work is in British National Grid (EPSG:27700, metres).
 */
package aim.hotspots;
