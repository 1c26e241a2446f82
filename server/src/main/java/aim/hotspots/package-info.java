/**
 * The hotspot engine: grid and hexagon counts, Getis-Ord Gi* with False Discovery Rate correction,
 * kernel density, emerging hotspots, hotspot accuracy (PAI), the one top-share-of-cells rule
 * ({@link aim.hotspots.TopShare}) and the hot cells the asset gap analysis looks under. All spatial
 * work is in British National Grid (EPSG:27700, metres).
 */
package aim.hotspots;
