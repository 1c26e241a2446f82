// The shareable map view: the query string of `/` holds it (the briefing links to such URLs), e.g.
//   /?lat=54.56&lon=-1.23&z=13&layers=hotspots,wards,problems&method=gistar&cell=250&grid=hex
//    &from=2026-09-01&to=2026-11-30&category=anti-social-behaviour,burglary&ward=E05…&problem=12
//    &evaluate=action:34   ("Did it work?" of problem 12's action 34; evaluate=problem: of the problem itself)
// decodeView reads what it can and ignores unknown keys and bad values (a shared link never breaks
// the map); encodeView writes the keys in that order, leaving out what is not set. No DOM here: the
// map (main.js) restores the view on load and keeps the address current with history.replaceState.

export const VIEW_LAYERS = ['hotspots', 'rates', 'wards', 'neighbourhoods', 'zones', 'incidents', 'problems', 'assets'];
/** The layer control's title of each view layer name. */
export const LAYER_TITLES = {
  hotspots: 'Hotspots',
  rates: 'Ward rates',
  wards: 'Wards',
  neighbourhoods: 'Neighbourhoods',
  zones: 'Zones',
  incidents: 'Incidents',
  problems: 'Problems',
  assets: 'Community assets',
};
export const VIEW_METHODS = ['forecast', 'grid', 'gistar', 'kde', 'emerging'];
/** The hotspot cells' shapes; a view says grid=hex only (squares are the default). */
export const VIEW_GRIDS = ['square', 'hex'];

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const WARD = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/; // ONS codes (E05…) and our own (DEMO-W03)

/** YYYY-MM-DD that is a real date, else null. */
export function isoDate(value) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

function number(value, min, max) {
  if (value === null || value === '' || !/^-?\d+(\.\d+)?$/.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

function positiveInteger(value, max = Number.MAX_SAFE_INTEGER) {
  if (value === null || !/^\d{1,15}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= max ? n : null;
}

function list(value, allowed) {
  if (value === null) return null;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  return [...new Set(items.filter(allowed))];
}

/**
 * The view in a query string ("?lat=…" or URLSearchParams): {lat, lon, z, layers, method, cell, grid, from,
 * to, categories, ward, problem, evaluate}; each null when absent or not valid. lat and lon come as a pair.
 * evaluate ({action: id or null}) goes with a problem: "Did it work?" of that problem or of its action.
 */
export function decodeView(search) {
  const params = search instanceof URLSearchParams ? search : new URLSearchParams(search ?? '');
  let lat = number(params.get('lat'), -90, 90);
  let lon = number(params.get('lon'), -180, 180);
  if (lat === null || lon === null) lat = lon = null;
  const z = number(params.get('z'), 0, 22);
  let from = isoDate(params.get('from'));
  let to = isoDate(params.get('to'));
  if (from && to && to < from) [from, to] = [to, from];
  const method = params.get('method');
  const problem = positiveInteger(params.get('problem'));
  return {
    lat,
    lon,
    z: z === null ? null : Math.round(z),
    layers: list(params.get('layers'), (name) => VIEW_LAYERS.includes(name)),
    method: VIEW_METHODS.includes(method) ? method : null,
    cell: positiveInteger(params.get('cell'), 100_000),
    grid: VIEW_GRIDS.includes(params.get('grid')) ? params.get('grid') : null,
    from,
    to,
    categories: list(params.get('category'), (code) => CODE.test(code)),
    ward: WARD.test(params.get('ward') ?? '') ? params.get('ward') : null,
    problem,
    evaluate: problem === null ? null : evaluateOf(params.get('evaluate')),
  };
}

/** 'problem' -> {action: null}; 'action:34' -> {action: 34}; anything else null. */
function evaluateOf(value) {
  if (value === 'problem') return { action: null };
  const match = /^action:(\d{1,15})$/.exec(value ?? '');
  const action = match ? positiveInteger(match[1]) : null;
  return action === null ? null : { action };
}

/** The query string ("?lat=…", or "" for an empty view) of a view; null/undefined/empty values are left out. */
export function encodeView(view = {}) {
  const params = new URLSearchParams();
  const put = (key, value) => {
    if (value === null || value === undefined || value === '') return;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
      return;
    }
    params.set(key, String(value));
  };
  if (Number.isFinite(view.lat) && Number.isFinite(view.lon)) {
    put('lat', Number(view.lat.toFixed(5)));
    put('lon', Number(view.lon.toFixed(5)));
  }
  if (Number.isFinite(view.z)) put('z', Math.round(view.z));
  put('layers', view.layers);
  put('method', view.method);
  put('cell', view.cell);
  put('grid', view.grid === 'hex' ? 'hex' : null);
  put('from', view.from);
  put('to', view.to);
  put('category', view.categories);
  put('ward', view.ward);
  put('problem', view.problem);
  if (view.problem && view.evaluate) put('evaluate', view.evaluate.action ? `action:${view.evaluate.action}` : 'problem');
  const text = params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
  return text ? `?${text}` : '';
}

/** A full link to the view for "Copy link": origin + "/" + query. */
export function viewLink(origin, view) {
  return `${origin}/${encodeView(view)}`;
}
