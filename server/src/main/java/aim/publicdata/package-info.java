/**
 * The anonymised public view and its open data: counts per ward or neighbourhood and month and on a grid
 * of at least 500 m, for non-sensitive categories only, with small numbers suppressed
 * ({@link aim.publicdata.Suppression}) and totals never more exact than their published parts.
 * Counts come from the areas domain and the hotspot engine; only {@code PublicDataController} knows HTTP.
 */
package aim.publicdata;
