// Hotspot cells from GET /api/hotspots: grid squares (or hexagons) coloured by method.
//   grid (counts):  graded classes of the incident count (natural breaks, classes.js, YlOrRd);
//   gistar (Gi*):   the significance bin, -3..+3, in the usual red (hot) / blue (cold) scheme;
//                   bin 0 cells (incidents, but not significant) are drawn pale grey;
//   kde (density):  graded classes of the density (incidents per km²); the hotspot band (the top
//                   share of cells) gets a dark outline.
//   forecast:       where incidents are expected next month (layers/hotspot-forecast.js): quantile
//                   classes of the score; the forecast hotspot (top share of the area) outlined.
//   emerging:       GET /api/hotspots/emerging: the cell's pattern over time slices (new,
//                   consecutive, intensifying … hot spot in reds and oranges, the cold ones in
//                   blues); "no pattern detected" cells are not drawn.
// Clicking a cell opens a popup that lists its incidents: the caller's loadIncidents(feature)
// asks GET /api/incidents with the cell's bounding box (the server shows each role what it may
// see), and the answer is narrowed to the cell's own polygon (a square in British National Grid is
// slightly turned in WGS84, so its lon/lat box also holds corners of the neighbouring cells).
//
// Like every layer module this one does not import Leaflet (main.js passes `L`), so the pure
// functions are unit-tested under Node.

import { classOf, formatMeasure, gradedClasses, rangeLabel, schemeNote } from '../classes.js';
import { escapeHtml, formatInteger } from '../html.js';
import { forecastClasses, forecastLegend, forecastStyle, forecastSummary } from './hotspot-forecast.js';
import { formatOccurred } from './incidents.js';

export const METHODS = [
  { id: 'forecast', label: 'Forecast' },
  { id: 'grid', label: 'Counts' },
  { id: 'gistar', label: 'Hot spots (Gi*)' },
  { id: 'kde', label: 'Density' },
  { id: 'emerging', label: 'Emerging' },
];

/** Gi* bins, hot to cold: colour and what the bin means in words. */
export const GI_BINS = [
  { bin: 3, colour: '#b2182b', label: 'hot spot, 99% confidence' },
  { bin: 2, colour: '#ef8a62', label: 'hot spot, 95% confidence' },
  { bin: 1, colour: '#fddbc7', label: 'hot spot, 90% confidence' },
  { bin: 0, colour: '#d9d9d9', label: 'not significant' },
  { bin: -1, colour: '#d1e5f0', label: 'cold spot, 90% confidence' },
  { bin: -2, colour: '#67a9cf', label: 'cold spot, 95% confidence' },
  { bin: -3, colour: '#2166ac', label: 'cold spot, 99% confidence' },
];
/**
 * Emerging hot-spot patterns (the server's labels, after ArcGIS's Emerging Hot Spot Analysis):
 * colour, class-name slug and what the pattern means in one line. Hot patterns are reds and
 * oranges (darkest: the strongest, steadiest), cold ones the matching blues. "Significant" is a
 * Gi* hot (cold) spot at 90% confidence or more in that period; the trend is the Mann–Kendall test
 * of the cell's Gi* z-scores over the periods.
 */
export const PATTERNS = [
  { pattern: 'new hot spot', slug: 'new-hot', colour: '#e31a1c', text: 'significant hot spot only in the most recent period' },
  { pattern: 'consecutive hot spot', slug: 'consecutive-hot', colour: '#fc4e2a', text: 'an unbroken run of hot-spot periods up to the most recent, never hot before the run' },
  { pattern: 'intensifying hot spot', slug: 'intensifying-hot', colour: '#67000d', text: 'hot in at least 90% of periods, including the most recent, and getting hotter' },
  { pattern: 'persistent hot spot', slug: 'persistent-hot', colour: '#a50f15', text: 'hot in at least 90% of periods, with no significant trend' },
  { pattern: 'diminishing hot spot', slug: 'diminishing-hot', colour: '#fd8d3c', text: 'hot in at least 90% of periods, including the most recent, but cooling' },
  { pattern: 'sporadic hot spot', slug: 'sporadic-hot', colour: '#feb24c', text: 'hot in the most recent period and on and off before, never a cold spot' },
  { pattern: 'oscillating hot spot', slug: 'oscillating-hot', colour: '#fed976', text: 'hot in the most recent period, but a cold spot in some earlier period' },
  { pattern: 'historical hot spot', slug: 'historical-hot', colour: '#fdd0a2', text: 'not hot in the most recent period, but hot in at least 90% of periods' },
  { pattern: 'new cold spot', slug: 'new-cold', colour: '#2171b5', text: 'significant cold spot only in the most recent period' },
  { pattern: 'consecutive cold spot', slug: 'consecutive-cold', colour: '#4292c6', text: 'an unbroken run of cold-spot periods up to the most recent, never cold before the run' },
  { pattern: 'intensifying cold spot', slug: 'intensifying-cold', colour: '#08306b', text: 'cold in at least 90% of periods, including the most recent, and getting colder' },
  { pattern: 'persistent cold spot', slug: 'persistent-cold', colour: '#08519c', text: 'cold in at least 90% of periods, with no significant trend' },
  { pattern: 'diminishing cold spot', slug: 'diminishing-cold', colour: '#6baed6', text: 'cold in at least 90% of periods, including the most recent, but warming' },
  { pattern: 'sporadic cold spot', slug: 'sporadic-cold', colour: '#9ecae1', text: 'cold in the most recent period and on and off before, never a hot spot' },
  { pattern: 'oscillating cold spot', slug: 'oscillating-cold', colour: '#c6dbef', text: 'cold in the most recent period, but a hot spot in some earlier period' },
  { pattern: 'historical cold spot', slug: 'historical-cold', colour: '#deebf7', text: 'not cold in the most recent period, but cold in at least 90% of periods' },
];
export const NO_PATTERN = { pattern: 'no pattern detected', slug: 'none', colour: '#d9d9d9', text: 'none of these patterns (not drawn)' };

/** The pattern entry of a server label ('New Hot Spot', 'no pattern' and unknown labels -> NO_PATTERN). */
export function patternInfo(label) {
  const key = typeof label === 'string' ? label.trim().toLowerCase() : '';
  return PATTERNS.find((p) => p.pattern === key) ?? NO_PATTERN;
}

/** 'new hot spot — significant hot spot only in the most recent period' */
export function patternDescription(label) {
  const info = patternInfo(label);
  return `${info.pattern} — ${info.text}`;
}

/** +1 for a hot pattern, −1 for a cold one, 0 for none. */
export function patternSide(label) {
  const info = patternInfo(label);
  return info === NO_PATTERN ? 0 : info.slug.endsWith('-hot') ? 1 : -1;
}

/** The features a method draws: emerging leaves out cells with no pattern; the others draw all. */
export function drawnFeatures(method, features) {
  const all = features ?? [];
  return method === 'emerging' ? all.filter((f) => patternSide(f?.properties?.pattern) !== 0) : all;
}

/**
 * A Mann–Kendall trend ({z, p, tau}) in words: 'rising (Mann–Kendall z = 2.31, p = 0.021)',
 * 'falling (…)', 'no significant trend (…)'; '' without a z.
 */
export function trendText(trend, alpha = 0.05) {
  if (!trend || typeof trend.z !== 'number' || !Number.isFinite(trend.z)) return '';
  const significant = typeof trend.p === 'number' && trend.p < alpha;
  const word = !significant || trend.z === 0 ? 'no significant trend' : trend.z > 0 ? 'rising' : 'falling';
  const p = formatP(trend.p);
  return `${word} (Mann–Kendall z = ${trend.z.toFixed(2)}${p ? `, ${p}` : ''})`;
}

/** Light to dark (ColorBrewer YlOrRd 5) for counts and density. */
export const GRADED_PALETTE = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
export const KDE_HOTSPOT_OUTLINE = '#3f007d';
export const CLASSES = 5;

/** What a Gi* bin means: 3 -> 'hot spot, 99% confidence', 0 -> 'not significant'. Unknown -> 'not significant'. */
export function binLabel(bin) {
  return (GI_BINS.find((b) => b.bin === bin) ?? GI_BINS[3]).label;
}

export function binColour(bin) {
  return (GI_BINS.find((b) => b.bin === bin) ?? GI_BINS[3]).colour;
}

/** The measure a graded method maps: count (grid, hex), density (kde) or score (forecast); null for gistar. */
export function measureOf(method) {
  if (method === 'kde') return 'density';
  if (method === 'forecast') return 'score';
  if (method === 'gistar') return null;
  return 'count';
}

/**
 * Graded classes of a collection's cells for counts or density: {measure, breaks, colours, ranges};
 * null for Gi* (its classes are the bins). Only positive values are classed (a cell with no
 * incidents or no density is not shown as a class).
 */
export function cellClasses(method, features) {
  if (method === 'forecast') return forecastClasses(features);
  const measure = measureOf(method);
  if (!measure) return null;
  const values = (features ?? []).map((f) => f?.properties?.[measure]).filter((v) => typeof v === 'number' && v > 0);
  return { measure, ...gradedClasses(values, GRADED_PALETTE, CLASSES) };
}

/** Leaflet path style of one cell (its properties), including a class name for tests and CSS. */
export function cellStyle(properties, method, classes) {
  const p = properties || {};
  const base = { weight: 0.5, opacity: 0.8, fillOpacity: 0.7 };
  if (method === 'emerging') {
    const info = patternInfo(p.pattern);
    const none = info === NO_PATTERN;
    return {
      ...base,
      color: none ? '#9e9e9e' : info.colour,
      fillColor: info.colour,
      fillOpacity: none ? 0 : 0.75,
      opacity: none ? 0 : 0.8,
      className: `aim-hotspot-cell aim-hotspot-pattern-${info.slug}`,
    };
  }
  if (method === 'forecast') return { ...base, ...forecastStyle(p, classes) };
  if (method === 'gistar') {
    const bin = Number.isInteger(p.bin) ? p.bin : 0;
    const colour = binColour(bin);
    return {
      ...base,
      color: bin === 0 ? '#9e9e9e' : colour,
      fillColor: colour,
      fillOpacity: bin === 0 ? 0.35 : 0.75,
      className: `aim-hotspot-cell aim-hotspot-bin-${bin < 0 ? `m${-bin}` : bin}`,
    };
  }
  const value = p[classes?.measure ?? measureOf(method)];
  const k = classes && typeof value === 'number' && value > 0 ? classOf(value, classes.breaks) : -1;
  const fillColor = k >= 0 ? classes.colours[k] : '#f7f7f7';
  const hot = method === 'kde' && p.hotspot === true;
  return {
    ...base,
    color: hot ? KDE_HOTSPOT_OUTLINE : fillColor,
    weight: hot ? 2 : 0.5,
    fillColor,
    fillOpacity: k >= 0 ? 0.7 : 0.2,
    className: `aim-hotspot-cell aim-hotspot-class-${k + 1}${hot ? ' aim-hotspot-top' : ''}`,
  };
}

/**
 * The legend of the hotspot layer: {title, items: [{colour, label, outline?}], notes: [text]}.
 * `meta` is the collection's meta (band, fdr, cell, density_unit, top, interval, slices …);
 * `features` the cells drawn (emerging lists only the patterns present).
 */
export function hotspotLegend(method, meta, classes, features = []) {
  const m = meta || {};
  const cell = Number.isFinite(m.cell) ? `${Math.round(m.cell)} m ${m.grid === 'hex' ? 'hexagons' : 'squares'}` : null;
  if (method === 'emerging') return emergingLegend(m, features, cell);
  if (method === 'forecast') return forecastLegend(m, classes, cell);
  if (method === 'gistar') {
    const notes = [];
    if (Number.isFinite(m.band)) notes.push(`Getis-Ord Gi*, neighbours within ${Math.round(m.band)} m`);
    if (m.fdr === true) notes.push('corrected for multiple testing (FDR)');
    if (cell) notes.push(cell);
    return { title: 'Hot and cold spots', items: GI_BINS.map(({ colour, label }) => ({ colour, label })), notes };
  }
  const density = method === 'kde';
  const format = density ? formatMeasure : (v) => formatInteger(v) ?? '—';
  const items = (classes?.ranges ?? [])
    .map((range, k) => ({ colour: classes.colours[k], label: rangeLabel(range, format), n: range.n }))
    .filter((item) => item.n > 0)
    .map(({ colour, label }) => ({ colour, label }));
  const notes = [];
  if (density) {
    if (Number.isFinite(m.top)) {
      items.push({ colour: 'transparent', outline: KDE_HOTSPOT_OUTLINE, label: `hotspot: top ${formatMeasure(m.top).replace(/\.?0+$/, '')}% of cells by density` });
    }
    notes.push(`${m.density_unit ?? 'incidents per km²'}${Number.isFinite(m.bandwidth) ? `, bandwidth ${Math.round(m.bandwidth)} m` : ''}`);
  } else {
    notes.push('incidents per cell (cells with none are not shown)');
  }
  if (cell) notes.push(cell);
  if (classes?.ranges?.some((r) => r.n > 0)) notes.push(schemeNote(classes));
  if (items.length === 0) items.push({ colour: '#f7f7f7', label: 'no incidents' });
  return { title: density ? 'Incident density' : 'Incident counts', items, notes };
}

/** The emerging-hotspot legend: each pattern present among the cells, with what it means. */
function emergingLegend(m, features, cell) {
  const present = new Map();
  for (const f of features ?? []) {
    const info = patternInfo(f?.properties?.pattern);
    if (info !== NO_PATTERN) present.set(info.pattern, (present.get(info.pattern) ?? 0) + 1);
  }
  const items = PATTERNS.filter((p) => present.has(p.pattern)).map((p) => ({
    colour: p.colour,
    label: `${p.pattern} — ${p.text} (${formatInteger(present.get(p.pattern))} cell${present.get(p.pattern) === 1 ? '' : 's'})`,
  }));
  if (items.length === 0) items.push({ colour: '#f7f7f7', label: 'no cell shows a pattern' });
  const notes = [];
  const slices = Array.isArray(m.slices) ? m.slices : [];
  const unit = m.interval === 'quarter' ? 'quarter' : 'month';
  if (slices.length > 0) {
    const first = slices[0]?.label;
    const last = slices[slices.length - 1]?.label;
    notes.push(`Gi* in each of ${slices.length} ${unit}s (${first} to ${last}); "hot" or "cold" = 90% confidence${m.fdr === true ? ' after FDR correction' : ''}`);
  }
  notes.push(`trend: Mann–Kendall test of the Gi* z-scores, p < ${Number.isFinite(m.trend_alpha) ? m.trend_alpha : 0.05}`);
  notes.push('cells with no pattern are not drawn');
  if (Number.isFinite(m.band)) notes.push(`neighbours within ${Math.round(m.band)} m`);
  if (cell) notes.push(cell);
  return { title: 'Emerging hot and cold spots', items, notes };
}

/** [[south, west], [north, east]] of a cell feature's outer ring (lon/lat), or null. */
export function cellBounds(feature) {
  const ring = outerRing(feature);
  if (!ring) return null;
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of ring) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [[south, west], [north, east]];
}

/** True when [x, y] lies inside the ring (even-odd rule; a point exactly on an edge may fall either way). */
export function pointInRing([x, y], ring) {
  let inside = false;
  for (let a = 0, b = ring.length - 1; a < ring.length; b = a++) {
    const [xa, ya] = ring[a];
    const [xb, yb] = ring[b];
    if (ya > y !== yb > y && x < ((xb - xa) * (y - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}

/** The incident features (points) that lie in the cell's polygon, newest first (the API pages them by id). */
export function incidentsInCell(incidents, cellFeature) {
  const ring = outerRing(cellFeature);
  if (!ring) return [];
  return (incidents ?? [])
    .filter((f) => {
      const c = f?.geometry?.coordinates;
      return Array.isArray(c) && c.length >= 2 && pointInRing(c, ring);
    })
    .sort(newestFirst);
}

const occurredTime = (f) => {
  const t = Date.parse(f?.properties?.occurred_at ?? '');
  return Number.isNaN(t) ? -Infinity : t;
};

/** Compares incidents by occurred_at, newest first; equal or missing dates keep their order (a stable sort). */
export function newestFirst(a, b) {
  const ta = occurredTime(a);
  const tb = occurredTime(b);
  return ta === tb ? 0 : tb > ta ? 1 : -1;
}

/** 'p < 0.001', 'p = 0.012' */
export function formatP(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** The summary of a cell for its popup heading: {title, detail, explain?}. */
export function cellSummary(properties, method) {
  const p = properties || {};
  const count = `${formatInteger(p.count) ?? 0} incident${p.count === 1 ? '' : 's'}`;
  if (method === 'emerging') {
    const info = patternInfo(p.pattern);
    const trend = trendText(p.trend);
    return {
      title: info.pattern,
      detail: [count, trend ? `Gi* trend ${trend}` : ''].filter(Boolean).join(' · '),
      explain: info.text,
    };
  }
  if (method === 'forecast') return forecastSummary(p);
  if (method === 'gistar') {
    const z = typeof p.z === 'number' && Number.isFinite(p.z) ? `z = ${p.z.toFixed(2)}, ${formatP(p.p)}` : '';
    return { title: binLabel(p.bin), detail: [count, z].filter(Boolean).join(' · ') };
  }
  if (method === 'kde') {
    return {
      title: p.hotspot === true ? 'density hotspot' : 'density',
      detail: `${formatMeasure(p.density)} per km² · ${count}`,
    };
  }
  return { title: count, detail: '' };
}

/**
 * Popup HTML of a cell. `list` is null while loading, else {incidents: [features], truncated,
 * error}; `categoryLabel(code)` gives the taxonomy label. Every value from the server is escaped.
 * `trend` adds the "Trend by quarter" button (square grids only: the series endpoint numbers squares).
 */
export function cellPopupHtml(properties, method, list, { categoryLabel = (c) => c, trend = false } = {}) {
  const p = properties || {};
  const { title, detail, explain } = cellSummary(p, method);
  let body;
  if (!list) {
    body = '<p class="hotspot-cell-loading">Loading incidents…</p>';
  } else if (list.error) {
    body = `<p class="aim-error">Incidents not loaded: ${escapeHtml(list.error)}</p>`;
  } else if (list.incidents.length === 0) {
    body =
      p.count === 0
        ? `<p>No incidents in this cell for these filters.${method === 'gistar' || method === 'emerging' ? ' Gi* also counts the neighbouring cells.' : method === 'forecast' ? ' The forecast may also weigh the neighbouring cells.' : ''}</p>`
        : '<p>None of its incidents can be listed here for you.</p>';
  } else {
    const items = list.incidents
      .map((f) => {
        const q = f.properties || {};
        const id = f.id ?? q.id;
        const where = q.location_text ? ` · ${escapeHtml(q.location_text)}` : '';
        return (
          `<li data-incident-id="${escapeHtml(id)}"><span class="hotspot-incident-date">${escapeHtml(formatOccurred(q.occurred_at, q.occurred_precision))}</span> ` +
          `<span class="hotspot-incident-category">${escapeHtml(q.category_label ?? categoryLabel(q.category) ?? q.category)}</span>${where}` +
          `${q.status ? ` <span class="hotspot-incident-status">(${escapeHtml(q.status)})</span>` : ''}</li>`
        );
      })
      .join('');
    const more = list.truncated ? `<p class="hotspot-cell-more">The newest ${list.incidents.length} are listed.</p>` : '';
    body = `<ol class="hotspot-cell-incidents">${items}</ol>${more}`;
  }
  const button = trend ? '<button type="button" class="hotspot-cell-trend">Trend by quarter</button>' : '';
  return (
    `<div class="aim-popup hotspot-cell-popup" data-i="${escapeHtml(p.i)}" data-j="${escapeHtml(p.j)}" data-count="${escapeHtml(p.count)}">` +
    `<h3 class="hotspot-cell-title">${escapeHtml(title)}</h3>` +
    (explain ? `<p class="hotspot-cell-explain">${escapeHtml(explain)}</p>` : '') +
    (detail ? `<p class="hotspot-cell-detail">${escapeHtml(detail)}</p>` : '') +
    `${body}${button}</div>`
  );
}

function outerRing(feature) {
  const g = feature?.geometry;
  if (g?.type === 'Polygon') return g.coordinates?.[0] ?? null;
  if (g?.type === 'MultiPolygon') return g.coordinates?.[0]?.[0] ?? null;
  return null;
}

/** The selection of cells with cell (i, j) ticked or unticked: a new Set of 'i,j' keys. */
export function toggleCellKey(selection, i, j) {
  const next = new Set(selection);
  const key = `${i},${j}`;
  if (next.has(key)) next.delete(key);
  else next.add(key);
  return next;
}

/** 'i,j' keys -> [[i, j], …] sorted. */
export function selectionCells(selection) {
  return [...selection].map((key) => key.split(',').map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

export const SELECTED_STYLE = { color: '#000000', weight: 3, opacity: 1 };

/**
 * The cell layer: {layer, setData(collection, method), method(), features(), classes(), openCell(i, j),
 * select: {start(onChange), stop(), active(), cells(), size(), clear(), toggle(i, j)}}.
 * loadIncidents(feature) -> Promise<{incidents, truncated}>; onTrend(properties) for the popup's
 * trend button; categoryLabel(code) for the list. In "select cells" mode (select.start) a click
 * ticks or unticks a cell (class aim-hotspot-selected, a black outline) instead of opening its
 * popup; the selection is kept while the cell size stays, for a problem's place ({cell, cells}).
 */
export function createHotspotLayer(L, { pane, loadIncidents, onTrend = () => {}, categoryLabel } = {}) {
  let method = 'grid';
  let classes = null;
  let features = [];
  let grid = 'square';
  let request = 0; // a newer click replaces the list being loaded
  let popup = null; // the open cell popup: closed when other cells are drawn
  let selecting = false;
  let selection = new Set(); // 'i,j' keys
  let selectionSize = null; // the cell size of the selection (metres)
  let cellSize = null; // the cell size of the cells drawn
  let onSelection = () => {};

  const layer = L.geoJSON(null, {
    pane,
    style: (feature) => cellStyle(feature.properties, method, classes),
    onEachFeature(feature, path) {
      path.on('click', (event) => (selecting ? toggle(feature.properties?.i, feature.properties?.j) : open(feature, path, event.latlng)));
      // data-cell="i,j" on the SVG path, for tests and for reading the DOM
      path.on('add', () => {
        path.getElement()?.setAttribute('data-cell', `${feature.properties?.i},${feature.properties?.j}`);
        showSelected(path);
      });
    },
  });

  function showSelected(path) {
    const p = path.feature?.properties;
    const selected = selection.has(`${p?.i},${p?.j}`);
    path.getElement()?.classList.toggle('aim-hotspot-selected', selected);
    path.setStyle(selected ? SELECTED_STYLE : cellStyle(p, method, classes));
    if (selected) path.bringToFront();
  }

  function toggle(i, j) {
    if (!Number.isInteger(i) || !Number.isInteger(j)) return;
    if (selectionSize !== cellSize) selection = new Set();
    selectionSize = cellSize;
    selection = toggleCellKey(selection, i, j);
    layer.eachLayer((path) => {
      const p = path.feature?.properties;
      if (p?.i === i && p?.j === j) showSelected(path);
    });
    onSelection(selectionCells(selection), selectionSize);
  }

  function open(feature, path, latlng) {
    const mine = ++request;
    const trend = grid === 'square';
    const shownMethod = method;
    const cellPopup = L.popup({ maxWidth: 320, maxHeight: 280, autoPanPaddingTopLeft: [16, 60], className: 'hotspot-popup' })
      .setLatLng(latlng ?? path.getBounds().getCenter())
      .setContent(cellPopupHtml(feature.properties, shownMethod, null, { categoryLabel, trend }));
    popup = cellPopup;
    cellPopup.openOn(layer._map);
    const wire = () => {
      const button = cellPopup.getElement()?.querySelector('.hotspot-cell-trend');
      if (button) button.addEventListener('click', () => onTrend(feature.properties));
    };
    wire();
    const empty = !loadIncidents || feature.properties?.count === 0; // nothing to ask for
    Promise.resolve(empty ? { incidents: [], truncated: false } : loadIncidents(feature))
      .then((list) => ({ incidents: incidentsInCell(list.incidents, feature), truncated: list.truncated }))
      .catch((error) => ({ error: error.message }))
      .then((list) => {
        if (mine !== request || !cellPopup.isOpen()) return;
        cellPopup.setContent(cellPopupHtml(feature.properties, shownMethod, list, { categoryLabel, trend }));
        wire();
      });
  }

  return {
    layer,
    setData(collection, nextMethod) {
      method = nextMethod;
      cellSize = collection?.meta?.cell ?? null;
      if (selectionSize !== null && selectionSize !== cellSize) {
        selection = new Set(); // another grid: the cells selected no longer exist
        selectionSize = null;
        onSelection([], null);
      }
      features = drawnFeatures(method, collection?.features);
      grid = collection?.meta?.grid ?? 'square';
      classes = cellClasses(method, features);
      if (popup?.isOpen()) layer._map?.closePopup(popup);
      request++;
      layer.clearLayers();
      layer.addData({ type: 'FeatureCollection', features });
    },
    method: () => method,
    select: {
      start(callback = () => {}) {
        selecting = true;
        onSelection = callback;
        layer._map?.closePopup();
        layer._map?.getContainer().classList.add('aim-hotspot-selecting');
      },
      stop() {
        selecting = false;
        layer._map?.getContainer().classList.remove('aim-hotspot-selecting');
      },
      active: () => selecting,
      cells: () => selectionCells(selection),
      size: () => selectionSize ?? cellSize,
      toggle,
      clear() {
        selection = new Set();
        selectionSize = null;
        layer.eachLayer(showSelected);
        onSelection([], null);
      },
    },
    classes: () => classes,
    features: () => features,
    /** Opens the popup of cell (i, j) as a click would; false if it is not drawn. */
    openCell(i, j) {
      let found = false;
      layer.eachLayer((path) => {
        const p = path.feature?.properties;
        if (!found && p?.i === i && p?.j === j) {
          found = true;
          open(path.feature, path, path.getBounds().getCenter());
        }
      });
      return found;
    },
  };
}
