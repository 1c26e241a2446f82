// Query strings of the analysis endpoints, from the hotspot panel's state:
//
//   state = {method: 'forecast'|'grid'|'gistar'|'kde'|'emerging', cell: metres, grid: 'square'|'hex' (default square),
//            from: 'YYYY-MM-DD', to: 'YYYY-MM-DD', interval: 'month'|'quarter' (emerging only), categories: null | [code],
//            sources: null | [source], version: ward version | undefined}
//
// null (all) leaves a list out; an empty list means nothing can match, and the builders return
// null: there is nothing to ask for. Every query carries the same period and filters, so the map,
// the rankings, the profile and the cell's incident list always describe the same incidents.
// Pure: no DOM, no fetch (api.js sends them).

import { incidentQuery } from './panels/incident-filters.js';
import { parseDate } from './periods.js';

export const METHOD_IDS = ['forecast', 'grid', 'gistar', 'kde'];
/** Time slices of the emerging-hotspot analysis (GET /api/hotspots/emerging?interval=). */
export const INTERVALS = ['month', 'quarter'];
export const DEFAULT_INTERVAL = 'month';
export const CELL_SIZES = [100, 150, 200, 250, 300, 400, 500, 750, 1000];
export const DEFAULT_CELL = 250;
/**
 * The cell shape of every grid-based method (GET /api/hotspots…&grid=): ['grid', 'hex'] for hexagons;
 * nothing for squares (the server's default, so square queries stay as they were).
 */
function gridParams(state) {
  return state?.grid === 'hex' ? [['grid', 'hex']] : [];
}

/** The shared filter parameters in order (from, to, category, source, version), or null when nothing can match. */
function filterParams(state) {
  const s = state || {};
  if (!parseDate(s.from) || !parseDate(s.to) || s.to < s.from) return null;
  if (Array.isArray(s.categories) && s.categories.length === 0) return null;
  if (Array.isArray(s.sources) && s.sources.length === 0) return null;
  const params = [['from', s.from], ['to', s.to]];
  if (Array.isArray(s.categories)) params.push(['category', [...s.categories].sort().join(',')]);
  if (Array.isArray(s.sources)) params.push(['source', [...s.sources].sort().join(',')]);
  if (s.version) params.push(['version', s.version]);
  return params;
}

/** URLSearchParams encodes "," as %2C; the server reads both, and the plain form is easier to read. */
function encode(pairs) {
  return new URLSearchParams(pairs).toString().replace(/%2C/g, ',');
}

/** GET /api/hotspots: method, cell size, grid (hexagons only) and the filters. */
export function hotspotQuery(state) {
  const filters = filterParams(state);
  if (!filters) return null;
  const method = METHOD_IDS.includes(state.method) ? state.method : 'grid';
  const cell = CELL_SIZES.includes(Number(state.cell)) ? Number(state.cell) : DEFAULT_CELL;
  return encode([['method', method], ['cell', String(cell)], ...gridParams(state), ...filters]);
}

/**
 * GET /api/hotspots/emerging: interval, cell size and the filters. `state.from`/`to` are the
 * emerging window (periods.js emergingWindow), not the panel's period; the server's defaults are
 * kept for the band and FDR, and cells with no pattern are left out (no `all`).
 */
export function emergingQuery(state) {
  const filters = filterParams(state);
  if (!filters) return null;
  const interval = INTERVALS.includes(state.interval) ? state.interval : DEFAULT_INTERVAL;
  const cell = CELL_SIZES.includes(Number(state.cell)) ? Number(state.cell) : DEFAULT_CELL;
  return encode([['interval', interval], ['cell', String(cell)], ...gridParams(state), ...filters]);
}

/** The share of the study area whose cells are the predicted hotspot area when a map is tested. */
export const ACCURACY_SHARE = 3;

/**
 * GET /api/hotspots/accuracy: the panel's method (forecast, grid, gistar or kde), cell size and filters, the
 * period as the training window and share 3%; the test window is left to the server (the period of
 * the same length straight after). null when nothing can match or for emerging hot spots.
 */
export function accuracyQuery(state) {
  if (!METHOD_IDS.includes(state?.method)) return null;
  const filters = filterParams(state);
  if (!filters) return null;
  const cell = CELL_SIZES.includes(Number(state.cell)) ? Number(state.cell) : DEFAULT_CELL;
  return encode([['method', state.method], ['cell', String(cell)], ...gridParams(state), ['share', String(ACCURACY_SHARE)], ...filters]);
}

/** GET /api/areas/stats for wards; format 'csv' for the download link. */
export function statsQuery(state, { format } = {}) {
  const filters = filterParams(state);
  if (!filters) return null;
  const pairs = [['level', 'ward'], ...filters];
  if (format) pairs.push(['format', format]);
  return encode(pairs);
}

/**
 * GET /api/areas/{level}/{code}/series: quarters over `window` ({from, to}) with the panel's
 * categories and sources; `cell` ({i, j, size}) for one grid cell (level/code borough/all).
 */
export function seriesQuery(state, window, { interval = 'quarter', cell } = {}) {
  const filters = filterParams({ ...state, from: window?.from, to: window?.to });
  if (!filters) return null;
  const pairs = [['interval', interval], ...filters];
  if (cell) pairs.push(['cell', `${cell.i},${cell.j}`], ['cellSize', String(cell.size)]);
  return encode(pairs);
}

/** Padding of a cell's bounds in degrees (about 1 m), so that rounding the bbox to 5 decimals never cuts the cell. */
export const BBOX_PAD = 0.00001;

/**
 * GET /api/incidents within a cell's bounds ([[south, west], [north, east]]), newest first. The
 * box is padded a little: the caller keeps only the incidents inside the cell's polygon.
 */
export function cellIncidentsQuery(state, bounds, limit = 200) {
  if (!filterParams(state) || !bounds) return null;
  const [[south, west], [north, east]] = bounds;
  const bbox = [[south - BBOX_PAD, west - BBOX_PAD], [north + BBOX_PAD, east + BBOX_PAD]];
  const s = state;
  return incidentQuery({ categories: s.categories ?? null, sources: s.sources ?? null, from: s.from, to: s.to }, { bbox, limit, order: 'newest' });
}
