// The incidents layer at any scale: the rules, pure (no DOM, no Leaflet). The layer first asks for
// the counts per square cell in the view (one GET /api/hotspots?method=grid&bbox=…, with the
// layer's filters), then either draws those counts (layers/incident-counts.js) or, when the view
// holds few enough incidents, pages the incidents themselves as clustered points
// (layers/incidents.js). So the map never pages thousands of incidents: points need zooming in
// (POINTS_ZOOM) and at most MAX_POINTS incidents in the view, or a view holding at most one page.

import { incidentQuery } from '../panels/incident-filters.js';
import { classOf, gradedClasses, rangeLabel, schemeNote } from '../classes.js';

/** From this zoom on, the incidents are drawn one by one (if there are at most MAX_POINTS). */
export const POINTS_ZOOM = 15;
/** Most incidents paged as points (5 pages of 1,000): beyond it the counts stay. */
export const MAX_POINTS = 5000;
/** The server's default page of GET /api/incidents (its configured maximum may be lower, never higher). */
export const PAGE_SIZE = 1000;
/** A view with at most this many incidents shows points at any zoom (one page: cheap, and clearer). */
export const FEW_POINTS = PAGE_SIZE;
/** Count cells at least this wide on screen carry their count as a label. */
export const LABEL_PX = 30;

/** Cell size (metres, a multiple of 50 so the rollups serve it) per zoom: about 20–45 px on screen at 54.5° N. */
export function cellForZoom(zoom) {
  const z = Math.round(Number.isFinite(zoom) ? zoom : 0);
  if (z <= 11) return 1000;
  if (z === 12) return 500;
  if (z <= 14) return 250;
  if (z === 15) return 100;
  return 50;
}

/**
 * 'points' or 'counts' for a zoom and the number of incidents in the view (null when the counts
 * could not be loaded: then points only when zoomed in, still at most MAX_POINTS of them).
 */
export function modeFor(zoom, count) {
  if (count === null || count === undefined || !Number.isFinite(count)) return zoom >= POINTS_ZOOM ? 'points' : 'counts';
  if (count <= FEW_POINTS) return 'points';
  return zoom >= POINTS_ZOOM && count <= MAX_POINTS ? 'points' : 'counts';
}

/** The GET /api/hotspots query for the counts (null when the filters match nothing). */
export function countsQuery(filters, bbox, cell) {
  const rest = incidentQuery(filters, { bbox });
  if (rest === null) return null;
  return `method=grid&cell=${cell}${rest ? `&${rest}` : ''}`;
}

/**
 * Whether what is loaded no longer serves the view: it left the loaded box, or (counts) the zoom
 * needs another cell size or mode. Every point of the box (`loaded.complete`: points, not cut off)
 * serves any zoom inside it.
 */
export function needsReload(loaded, { zoom, inside }) {
  if (!loaded) return true;
  if (!inside) return true;
  if (loaded.complete) return false;
  if (cellForZoom(zoom) !== loaded.cell) return true;
  return zoom >= POINTS_ZOOM !== loaded.zoom >= POINTS_ZOOM;
}

/** A count as a short label: 7, 950, 1.2k, 12k. */
export function countLabel(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1000) return String(Math.round(n));
  if (n < 10_000) return `${(Math.floor(n / 100) / 10).toFixed(1).replace(/\.0$/, '')}k`;
  return `${Math.floor(n / 1000)}k`;
}

/** Whether a cell of `cell` metres at `zoom` and latitude `lat` is wide enough (LABEL_PX) for its label. */
export function labelsShown(cell, zoom, lat = 54.55) {
  const metresPerPixel = (156543.03392 * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom;
  return cell / metresPerPixel >= LABEL_PX;
}

/** Light to dark purple (distinct from the hotspot reds and the ward rate blues). */
export const COUNT_PALETTE = ['#f2f0f7', '#dadaeb', '#bcbddc', '#9e9ac8', '#807dba', '#6a51a3', '#4a1486'];

/**
 * The classes of the counts: {scheme, breaks, colours, ranges} (up to 5 natural-breaks classes of the non-zero counts).
 */
export function countClasses(counts) {
  const values = (Array.isArray(counts) ? counts : []).filter((n) => Number.isFinite(n) && n > 0);
  return gradedClasses(values, COUNT_PALETTE.slice(1), 5);
}

/** The CSS class and fill colour of a cell's count: {className: 'aim-count-cell aim-count-K', colour}. */
export function countStyle(n, classes) {
  const k = Math.max(0, classOf(n, classes.breaks));
  return { className: `aim-count-cell aim-count-${k}`, colour: classes.colours[k] ?? COUNT_PALETTE[1] };
}

/** A cell's tooltip: "37 incidents in this 250 m square". */
export function cellTitle(n, cell) {
  return `${n.toLocaleString('en-GB')} incident${n === 1 ? '' : 's'} in this ${cell} m square`;
}

/** The legend section for the counts: {title, items, notes}. */
export function countsLegend(cell, classes) {
  return {
    title: 'Incidents',
    items: classes.ranges.map((range, k) => ({ colour: classes.colours[k], label: `${rangeLabel(range)} per square` })),
    notes: [`Incidents: counts per ${cell} m square — zoom in to see each one`, schemeNote(classes)].filter(Boolean),
  };
}

const n0 = (n) => Number(n).toLocaleString('en-GB');

/**
 * The layer's status line in points mode (the legend has no points section: the markers carry their
 * group's letter, and a taller legend would cover the middle of the map).
 */
export function pointsStatus({ count, truncated }) {
  const total = `${n0(count)} incident${count === 1 ? '' : 's'}`;
  if (truncated) return `${total} (the newest only: zoom in or narrow the filters)`;
  return `${total}, each one shown: zoom out for counts per square`;
}

/** The layer's status line in counts mode. */
export function countsStatus({ count, cell, zoom }) {
  const total = `${n0(count)} incident${count === 1 ? '' : 's'} in view`;
  if (zoom >= POINTS_ZOOM) {
    return `${total}: too many to show one by one (more than ${n0(MAX_POINTS)}), so counts per ${cell} m square: zoom in or narrow the filters`;
  }
  return `${total}, as counts per ${cell} m square: zoom in to see each one`;
}

/**
 * The layer's loading at any scale. reload(filters, bbox, zoom): asks for the counts in bbox
 * (getHotspots), then either shows them (counts.set) and clears the points, or clears the counts
 * and lets the points feed (layers/incidents.js createIncidentFeed, at most MAX_POINTS) page the
 * incidents. An answer overtaken by a newer reload is dropped. onStatus({mode, text?, count,
 * truncated, error}); `mode()` is the mode shown ('counts' | 'points' | null before the first load).
 */
export function createScaledFeed({ getHotspots, feed, counts, onStatus = () => {} }) {
  let request = 0;
  let mode = null;
  let loaded = null; // {cell, zoom, filters, bbox} of the last reload

  async function reload(filters, bbox, zoom) {
    const mine = ++request;
    const cell = cellForZoom(zoom);
    loaded = { cell, zoom, filters, bbox };
    const query = countsQuery(filters, bbox, cell);
    if (query === null) {
      counts.clear();
      mode = 'points';
      return feed.reload(filters, bbox); // nothing to ask for: the feed empties the layer and says so
    }
    let collection = null;
    let error = null;
    try {
      collection = await getHotspots(query);
    } catch (e) {
      error = e.message;
    }
    if (mine !== request) return false;
    const count = Number.isFinite(collection?.meta?.incidents) ? collection.meta.incidents : null;
    if (modeFor(zoom, count) === 'counts') {
      mode = 'counts';
      feed.clear();
      if (error) {
        counts.clear();
        onStatus({ mode, count: null, truncated: false, error });
        return false;
      }
      counts.set(collection, cell);
      onStatus({ mode, count, truncated: false, error: null, text: countsStatus({ count, cell, zoom }) });
      return true;
    }
    mode = 'points';
    counts.clear();
    return feed.reload(filters, bbox);
  }

  return {
    reload,
    mode: () => mode,
    /** {cell, zoom, filters, bbox, complete} of the last reload (complete: every point of the box shown), or null. */
    loaded: () => loaded && { ...loaded, complete: mode === 'points' && !feed.truncated },
    /** Points: the feed's poll (new incidents added); counts: the counts again (one request). */
    async poll() {
      if (!loaded) return 0;
      if (mode === 'points') return feed.poll();
      await reload(loaded.filters, loaded.bbox, loaded.zoom);
      return 0;
    },
  };
}
