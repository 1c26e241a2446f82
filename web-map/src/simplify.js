// Geometry simplification tolerance (metres) asked of the server for a map zoom.
// Coarser geometry when zoomed out keeps downloads small; full detail from zoom 14.

export const SIMPLIFY_MAX = 2000; // the server accepts 0..2000

/** Zoom >= 14 -> 0 m, 12..13 -> 10 m, below 12 -> 50 m. */
export function simplifyForZoom(zoom) {
  if (zoom >= 14) return 0;
  if (zoom >= 12) return 10;
  return 50;
}
