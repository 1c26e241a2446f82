// Query strings (without "?") of the asset endpoints. Pure. Coordinates are WGS84 degrees to 6
// decimals (about 0.1 m), distances metres (the server takes more than 0 and at most 10,000).

export const DEFAULT_DISTANCE = 800; // a 10-minute walk
export const MAX_DISTANCE = 10_000;
export const HUB_CATEGORY = 'community-hub';

const r6 = (v) => String(Math.round(Number(v) * 1e6) / 1e6);

/** A distance from an input: a number of metres within (0, 10000], else null. */
export function distanceValue(value) {
  const n = typeof value === 'number' ? value : Number(String(value ?? '').trim());
  return Number.isFinite(n) && n > 0 && n <= MAX_DISTANCE && String(value ?? '').trim() !== '' ? Math.round(n) : null;
}

// URLSearchParams encodes "," as %2C; the server reads both, the plain form is easier to read.
const done = (params) => params.toString().replace(/%2C/g, ',');

/**
 * GET /api/assets: one page (every kind the server lets the user see; people only for admins and
 * analysts). Without a limit the server uses its own page size (its configured maximum may be below 1000).
 */
export function assetListQuery({ limit = null, cursor = null, category = null, q = null } = {}) {
  const params = new URLSearchParams();
  if (Array.isArray(category) && category.length) params.set('category', category.join(','));
  if (q) params.set('q', q);
  if (limit) params.set('limit', String(limit));
  if (cursor) params.set('cursor', String(cursor));
  return done(params);
}

/**
 * GET /api/assets/search: free text, a category, and either near a point ([lon, lat], with an
 * optional radius in metres) or in a ward (code).
 */
export function searchQuery({ q = '', category = '', near = null, radius = null, ward = '', limit = 50 } = {}) {
  const params = new URLSearchParams();
  if (String(q).trim()) params.set('q', String(q).trim());
  if (category) params.set('category', category);
  if (Array.isArray(near) && near.length === 2 && near.every(Number.isFinite)) {
    params.set('near', `${r6(near[0])},${r6(near[1])}`);
    const metres = distanceValue(radius);
    if (metres) params.set('radius', String(metres));
  } else if (ward) {
    params.set('ward', ward);
  }
  params.set('limit', String(limit));
  return done(params);
}

/** GET /api/assets/nearest: the nearest community hub (by default) and the services within a walk of a point. */
export function nearestQuery({ lon, lat, category = HUB_CATEGORY, walk = DEFAULT_DISTANCE, serviceCategory = '' }) {
  const params = new URLSearchParams({ lon: r6(lon), lat: r6(lat) });
  if (category) params.set('category', category);
  params.set('walk', String(distanceValue(walk) ?? DEFAULT_DISTANCE));
  if (serviceCategory) params.set('service_category', serviceCategory);
  return done(params);
}

/** GET /api/assets/coverage per ward. */
export function coverageQuery({ category, distance = DEFAULT_DISTANCE, level = 'ward' }) {
  const params = new URLSearchParams({ level });
  if (category) params.set('category', category);
  params.set('distance', String(distanceValue(distance) ?? DEFAULT_DISTANCE));
  return done(params);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** GET /api/assets/gaps: hot cells (grid: top 5% by count; gistar: Gi* hot) with no provision within the distance. */
export function gapsQuery({ category, distance = DEFAULT_DISTANCE, method = 'grid', cell = 250, from = '', to = '' }) {
  const params = new URLSearchParams();
  if (category) params.set('category', category);
  params.set('distance', String(distanceValue(distance) ?? DEFAULT_DISTANCE));
  params.set('method', method === 'gistar' ? 'gistar' : 'grid');
  params.set('cell', String(cell));
  let [a, b] = [DATE.test(from) ? from : '', DATE.test(to) ? to : ''];
  if (a && b && b < a) [a, b] = [b, a];
  if (a) params.set('from', a);
  if (b) params.set('to', b);
  return done(params);
}

/** The centre [lon, lat] of a GeoJSON polygon's outer ring (a gap cell: a small square), or null. */
export function ringCentre(geometry) {
  const ring = geometry?.type === 'Polygon' ? geometry.coordinates?.[0] : geometry?.type === 'MultiPolygon' ? geometry.coordinates?.[0]?.[0] : null;
  if (!Array.isArray(ring) || ring.length === 0) return null;
  const points = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring;
  const lon = points.reduce((s, p) => s + p[0], 0) / points.length;
  const lat = points.reduce((s, p) => s + p[1], 0) / points.length;
  return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}

/**
 * The search's status line from the number of results and the answer's meta: "Nothing found.",
 * "3 found, nearest first." or, when the text matched nothing and names spelt alike are suggested
 * (meta.suggestions), "No exact match; 2 spelt alike. Did you mean one of these?".
 */
export function searchStatus(count, meta = {}) {
  if (count === 0) return 'Nothing found.';
  const more = meta.truncated ? ' (the first ones only: narrow the search)' : '';
  const nearest = meta.order === 'distance' ? ', nearest first' : '';
  if (meta.suggestions) return `No exact match; ${count} spelt alike${more}${nearest}. Did you mean one of these?`;
  return `${count} found${more}${nearest}.`;
}
