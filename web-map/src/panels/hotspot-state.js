// The hotspot panel's state and what follows from it, in plain data (no DOM): the first state, a
// preset or a date picked, which requests a change makes, the request for the cells, and the lines
// of text the panel shows about the period, the emerging window and the cells drawn.
//
// A state is {method, cell, grid, interval, preset, from, to, compare, categories, sources, version}
// (categories and sources: null = all).

import { DEFAULT_CELL, DEFAULT_INTERVAL, emergingQuery, hotspotQuery } from '../analysis-query.js';
import { formatInteger } from '../html.js';
import { forecastFallback, forecastStatus } from '../layers/hotspot-forecast.js';
import { patternSide } from '../layers/hotspots.js';
import { emergingWindow, formatDateRange, presetPeriod } from '../periods.js';

/** The forecast first; with too little history the panel shows the count map instead (fallbackRequest). */
export const DEFAULT_METHOD = 'forecast';
export const DEFAULT_PRESET = 'last-quarter';

/** The panel's first state: the forecast from the last complete financial quarter, compared with the one before. */
export function defaultAnalysisState(today, version) {
  const period = presetPeriod(DEFAULT_PRESET, today);
  return {
    method: DEFAULT_METHOD,
    cell: DEFAULT_CELL,
    grid: 'square',
    interval: DEFAULT_INTERVAL,
    preset: DEFAULT_PRESET,
    from: period.from,
    to: period.to,
    compare: true,
    categories: null,
    sources: null,
    version,
  };
}

/** The state with another preset: its dates (custom keeps the dates shown). */
export function withPreset(state, preset, today) {
  const period = presetPeriod(preset, today);
  return period ? { ...state, preset, from: period.from, to: period.to } : { ...state, preset: 'custom' };
}

/** The state with one date typed in ('from' or 'to'): a custom period, the dates swapped if reversed. */
export function withDate(state, key, value) {
  const next = { ...state, [key]: value, preset: 'custom' };
  if (next.to < next.from) [next.from, next.to] = [next.to, next.from];
  return next;
}

/**
 * What a change of `what` reloads, given the state before it: {hotspots, stats}.
 * method, cell, grid, interval: the cells only; the period: the ward table, and the cells unless they are
 * emerging hot spots (their window does not follow the period); compare: nothing (the table is
 * redrawn); filters and the ward version: both.
 */
export function reloadsFor(what, state) {
  switch (what) {
    case 'method':
    case 'cell':
    case 'grid':
    case 'interval':
      return { hotspots: true, stats: false };
    case 'period':
      return { hotspots: state.method !== 'emerging', stats: true };
    case 'compare':
      return { hotspots: false, stats: false };
    default:
      return { hotspots: true, stats: true };
  }
}

/**
 * Which of the panel's data something on screen shows, so only that is requested (panels on demand):
 * the hotspot cells while their layer is on the map; the ward statistics while the ward rate layer is
 * on the map or the panel is open (its ranking table). A folded panel whose layers are off asks for nothing.
 */
export function shownData({ cellsOnMap, ratesOnMap, panelOpen }) {
  return { hotspots: Boolean(cellsOnMap), stats: Boolean(ratesOnMap || panelOpen) };
}

/** 'Q2 26/27: 1 Jul – 30 Sep 2026' (a preset) or '3 Jun – 9 Jun 2026' (custom). */
export function periodText(state, today) {
  const range = formatDateRange(state.from, state.to);
  const period = presetPeriod(state.preset, today);
  return period && period.from === state.from && period.to === state.to ? `${period.label}: ${range}` : range;
}

/**
 * The hotspot map's request for a state: {kind: 'emerging'|'map', query (null: nothing to ask
 * for), asked (the state the cells describe: for emerging, its from/to are the emerging window)}.
 */
export function hotspotRequest(state, today) {
  if (state.method === 'emerging') {
    const window = emergingWindow(state.interval, today);
    const asked = { ...state, from: window.from, to: window.to };
    return { kind: 'emerging', query: emergingQuery(asked), asked };
  }
  return { kind: 'map', query: hotspotQuery(state), asked: state };
}

/**
 * The request that replaces a forecast the server could not make (too little history, see
 * layers/hotspot-forecast.js forecastFallback): {query, asked, note} for the count map of the same
 * selection, or null when the answer is drawn as it is (not a forecast, or a forecast with enough history).
 */
export function fallbackRequest(asked, collection) {
  if (asked?.method !== 'forecast') return null;
  const fallback = forecastFallback(collection?.meta);
  if (!fallback) return null;
  const grid = { ...asked, method: 'grid' };
  return { query: hotspotQuery(grid), asked: grid, note: fallback.note };
}

/** The panel's note on the emerging window: why it ignores the period, and which dates it covers. */
export function emergingText(interval, today) {
  const window = emergingWindow(interval, today);
  return (
    `Emerging hot spots compare the last ${window.label.replace(/,.*/, '')} (complete ${interval === 'quarter' ? 'financial quarters' : 'months'}: ` +
    `${formatDateRange(window.from, window.to)}), whatever the period above: a trend needs at least 10 periods. ` +
    'The period still sets the ward table.'
  );
}

/** One line about the cells drawn: '12 hot-spot cells, 1 cold-spot cell · 209 incidents · 1,338 cells of 250 m'
 * ('hexagons of 250 m' on a hexagon grid). */
export function hotspotStatus(method, collection) {
  const features = collection?.features ?? [];
  const meta = collection?.meta ?? {};
  const plural = (n, word) => `${formatInteger(n)} ${word}${n === 1 ? '' : 's'}`;
  let first;
  if (method === 'emerging') {
    const hot = features.filter((f) => patternSide(f.properties?.pattern) > 0).length;
    const cold = features.filter((f) => patternSide(f.properties?.pattern) < 0).length;
    const slices = Array.isArray(meta.slices) ? meta.slices.length : 0;
    first = `${plural(hot, 'cell')} with a hot-spot pattern, ${formatInteger(cold)} with a cold-spot pattern`;
    if (slices > 0) first += ` · ${plural(slices, meta.interval === 'quarter' ? 'quarter' : 'month')}`;
  } else if (method === 'gistar') {
    const hot = features.filter((f) => f.properties?.bin > 0).length;
    const cold = features.filter((f) => f.properties?.bin < 0).length;
    first = `${plural(hot, 'hot-spot cell')}, ${plural(cold, 'cold-spot cell')}`;
  } else if (method === 'forecast') {
    first = forecastStatus(features, meta);
  } else if (method === 'kde') {
    const hot = features.filter((f) => f.properties?.hotspot === true).length;
    first = `${plural(hot, 'hotspot cell')}${Number.isFinite(meta.top) ? ` (top ${meta.top}%)` : ''}`;
  } else {
    first = plural(features.filter((f) => f.properties?.count > 0).length, 'cell') + ' with incidents';
  }
  const parts = [first];
  if (Number.isFinite(meta.incidents)) parts.push(plural(meta.incidents, 'incident'));
  if (Number.isFinite(meta.n_cells) && Number.isFinite(meta.cell)) parts.push(`${plural(meta.n_cells, meta.grid === 'hex' ? 'hexagon' : 'cell')} of ${Math.round(meta.cell)} m`);
  // roles without personal-data access: the server counts sensitive categories at their square's centre
  if (Number.isFinite(meta.redaction?.generalised_metres)) {
    parts.push(`sensitive categories at the centre of their ${meta.redaction.generalised_metres} m square`);
  }
  return parts.join(' · ');
}

/** The message the panel shows, if any: the cells' error first, then the ward table's. */
export function panelError(errors) {
  return errors.hotspots ?? errors.stats ?? null;
}

/**
 * Latest-answer-wins: `next()` numbers a new request, `current(n)` tells whether its answer is still
 * wanted (no newer request was made since).
 */
export function requestCounter() {
  let last = 0;
  return {
    next: () => ++last,
    current: (n) => n === last,
    get started() {
      return last > 0;
    },
  };
}
