// The public map's logic, DOM-free (unit-tested): the query of a chosen view, the default window, the
// classes of the map and legend, and the download links. Counts arrive as published by the server
// (aim.publicdata.Suppression): a number, or a text such as "<5", "<9" or "12–15" when small counts were
// suppressed; nothing here ever turns a text back into a number under the threshold.

export const LEVELS = ['ward', 'neighbourhood'];
export const CELLS = ['500', '1000', '2000'];

/** The map's classes, in legend order: [key, label, fill colour]. */
export const CLASSES = [
  ['none', '0', '#f7f7f7'],
  ['suppressed', '<5: fewer than five, not shown exactly (also small ranges such as <9)', '#d9d9f3'],
  ['low', '5 to 19', '#fdd49e'],
  ['mid', '20 to 49', '#fc8d59'],
  ['high', '50 or more', '#d7301f'],
];

/** The class of a published count: a number, "<N", or "A–B" (classed by its lower end A, never under 5). */
export function classOf(value) {
  if (typeof value === 'number') return value === 0 ? 'none' : bin(value);
  if (typeof value !== 'string') return 'none';
  if (value.startsWith('<')) return 'suppressed';
  const low = Number.parseInt(value, 10);
  return Number.isFinite(low) ? bin(low) : 'none';
}

function bin(n) {
  if (n >= 50) return 'high';
  if (n >= 20) return 'mid';
  return 'low';
}

export function colourOf(value) {
  const key = classOf(value);
  return CLASSES.find(([k]) => k === key)[2];
}

/** A count as shown to people: numbers as they are, texts as published. */
export function shown(value) {
  return typeof value === 'number' ? String(value) : String(value ?? '');
}

/** 'YYYY-MM' of a Date's calendar month, shifted by `months`. */
function monthOf(date, months = 0) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The default window: the last 12 complete months before `today`. */
export function defaultWindow(today) {
  return { from: monthOf(today, -12), to: monthOf(today, -1) };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The view from the address (?level=&from=&to=&category=&cell=), with defaults for what is missing or malformed. */
export function viewFromSearch(search, today) {
  const params = new URLSearchParams(search);
  const window = defaultWindow(today);
  const level = LEVELS.includes(params.get('level')) ? params.get('level') : 'ward';
  const from = MONTH.test(params.get('from') ?? '') ? params.get('from') : window.from;
  const to = MONTH.test(params.get('to') ?? '') ? params.get('to') : window.to;
  const category = /^[a-z0-9-]+$/.test(params.get('category') ?? '') ? params.get('category') : 'all';
  // cell= (empty) is "no grid"; a missing or unknown one the 500 m grid
  const cell = params.get('cell') === '' ? '' : CELLS.includes(params.get('cell')) ? params.get('cell') : '500';
  return { level, from, to, category, cell };
}

/** The query string (no "?") of the areas endpoint for a view and format. */
export function areasQuery(view, format) {
  const q = new URLSearchParams({ level: view.level, from: view.from, to: view.to, category: view.category });
  if (format) q.set('format', format);
  return q.toString();
}

/** The query string of the grid endpoint ('' cell: none). */
export function hotspotsQuery(view, format) {
  const q = new URLSearchParams({ cell: view.cell || '500', from: view.from, to: view.to, category: view.category });
  if (format) q.set('format', format);
  return q.toString();
}

/** The address of the view (for the browser's history), without the page path. */
export function searchOf(view) {
  return `?${new URLSearchParams({ level: view.level, from: view.from, to: view.to, category: view.category, cell: view.cell })}`;
}

/** The open data links of a view: [{label, href}]. */
export function downloadLinks(view) {
  const links = [
    { label: `Counts per ${view.level} (CSV)`, href: `/api/public/areas?${areasQuery(view, 'csv')}` },
    { label: `Counts per ${view.level} (GeoJSON)`, href: `/api/public/areas?${areasQuery(view, 'geojson')}` },
  ];
  if (view.cell) {
    links.push({ label: `Grid of ${view.cell} m squares (CSV)`, href: `/api/public/hotspots?${hotspotsQuery(view, 'csv')}` });
    links.push({ label: `Grid of ${view.cell} m squares (GeoJSON)`, href: `/api/public/hotspots?${hotspotsQuery(view, 'geojson')}` });
  }
  return links;
}
