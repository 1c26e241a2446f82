// The forecast of GET /api/hotspots?method=forecast in words and classes: where incidents are
// expected next month. The server backtests a family of candidate maps (counts over the last 1–12
// months, time-weighted counts, KDE, Gi*, blends, near-repeat) on the selection's recent months and
// draws the one that predicted best; every cell has a `score` (higher = more expected, comparable
// only within one map), a `rank` (1 = highest) and `hotspot` (the top `share` % of the study area).
//
// Drawing: the positive scores in quantile classes (fifths, light to dark, the same palette as the
// counts); the hotspot cells get a strong dark outline on top, so the area to patrol stands out. The legend says the forecast in words (meta.legend), the month forecast and which candidate the
// backtest chose against the count map. When the selection has too little history
// (meta.enough_history false) the panel shows the count map instead, with the server's note.
//
// Pure: no DOM, no Leaflet (layers/hotspots.js draws the cells, panels/hotspots.js asks for them).

import { classOf, classRanges, formatMeasure, pickColours, quantileBreaks, rangeLabel } from '../classes.js';
import { formatInteger } from '../html.js';
import { formatDateRange, parseDate } from '../periods.js';

export const FORECAST_CLASSES = 5;
/** Light to dark (ColorBrewer YlOrRd 5), as the counts. */
export const FORECAST_PALETTE = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
export const FORECAST_OUTLINE = '#3f007d';

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const CLASS_WORDS = ['lowest', 'second', 'middle', 'fourth', 'highest'];

/** '2026-11' -> 'November 2026'; anything else as given ('' for none). */
export function monthName(label) {
  const match = /^(\d{4})-(\d{2})$/.exec(label ?? '');
  const month = match ? Number(match[2]) : 0;
  return month >= 1 && month <= 12 ? `${MONTH_NAMES[month - 1]} ${match[1]}` : String(label ?? '');
}

/** The month forecast in words: 'November 2026 (1 – 30 Nov 2026)'; '' without a forecast period. */
export function forecastMonthText(meta) {
  const period = meta?.forecast_period;
  if (!period) return '';
  const label = period.label ?? (typeof period.from === 'string' ? period.from.slice(0, 7) : '');
  const range = parseDate(period.from) && parseDate(period.to) ? formatDateRange(period.from, period.to) : '';
  const name = monthName(label);
  return range && name ? `${name} (${range})` : name || range;
}

const pai = (value) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(1) : '–');

/**
 * Which candidate the backtest chose, against the count map:
 * 'chosen by backtest: Counts over the last 3 months (mean PAI 11.2 ± 1.3 over 6 months; count map 10.4)'.
 * '' without a winner.
 */
export function winnerText(meta) {
  const winner = meta?.winner;
  if (!winner || typeof winner.label !== 'string') return '';
  // the means are over the folds that counted (a test month with incidents and history before it)
  const folds = Number.isInteger(meta.folds_counted)
    ? meta.folds_counted
    : Array.isArray(meta.folds) ? meta.folds.filter((f) => f?.counted !== false).length : null;
  const spread = typeof winner.sd_pai === 'number' && Number.isFinite(winner.sd_pai) ? ` ± ${winner.sd_pai.toFixed(1)}` : '';
  const over = folds ? ` over ${folds} month${folds === 1 ? '' : 's'}` : '';
  const naive = meta.naive && Number.isFinite(meta.naive.mean_pai) ? `; count map ${pai(meta.naive.mean_pai)}` : '';
  return `chosen by backtest: ${winner.label} (mean PAI ${pai(winner.mean_pai)}${spread}${over}${naive})`;
}

/**
 * The forecast's fallback: null while the server had enough history for a forecast; else
 * {note} in words, the panel then showing the count map of the same selection.
 */
export function forecastFallback(meta) {
  if (meta?.enough_history !== false) return null;
  const note = typeof meta.note === 'string' && meta.note.trim() ? meta.note.trim() : 'Not enough history for a forecast: showing the count map.';
  return { note };
}

/** Quantile classes (fifths) of the positive scores: {measure: 'score', breaks, colours, ranges}. */
export function forecastClasses(features) {
  const values = (features ?? []).map((f) => f?.properties?.score).filter((v) => typeof v === 'number' && Number.isFinite(v) && v > 0);
  const breaks = quantileBreaks(values, FORECAST_CLASSES);
  return { measure: 'score', breaks, colours: pickColours(FORECAST_PALETTE, breaks.length), ranges: classRanges(values, breaks) };
}

/**
 * The Leaflet style of a forecast cell: its score class; a hotspot cell also a strong outline
 * (class aim-hotspot-top).
 */
export function forecastStyle(properties, classes) {
  const p = properties || {};
  const hot = p.hotspot === true;
  const k = typeof p.score === 'number' && p.score > 0 && classes?.breaks?.length > 0 ? classOf(p.score, classes.breaks) : -1;
  const fillColor = k >= 0 ? classes.colours[k] : '#f7f7f7';
  return {
    weight: hot ? 2.5 : 0.5,
    opacity: hot ? 1 : 0.8,
    color: hot ? FORECAST_OUTLINE : fillColor,
    fillColor,
    fillOpacity: k >= 0 ? 0.7 : 0.2,
    className: `aim-hotspot-cell aim-forecast-cell aim-hotspot-class-${k + 1}${hot ? ' aim-hotspot-top' : ''}`,
  };
}

/**
 * The forecast's legend section: {title, items, notes}. The items are the score classes (light to
 * dark, 'lowest fifth of scores 0.01–0.05') and the hotspot outline; the notes the forecast in words,
 * the month, the backtest's choice and how the shades are made.
 */
export function forecastLegend(meta, classes, cellText) {
  const m = meta || {};
  const n = classes?.ranges?.length ?? 0;
  const words = n === FORECAST_CLASSES ? CLASS_WORDS : null;
  const items = (classes?.ranges ?? [])
    .map((range, k) => ({ colour: classes.colours[k], range, k }))
    .filter(({ range }) => range.n > 0)
    .map(({ colour, range, k }) => ({
      colour,
      label: `${words ? `${words[k]} fifth` : `class ${k + 1} of ${n}`}: score ${rangeLabel(range, formatMeasure)}`,
    }));
  const share = Number.isFinite(m.share) ? m.share : 3;
  const cells = Number.isFinite(m.hotspot_cells) ? ` (${formatInteger(m.hotspot_cells)} cell${m.hotspot_cells === 1 ? '' : 's'})` : '';
  items.push({ colour: 'transparent', outline: FORECAST_OUTLINE, label: `forecast hotspot: top ${share}% of the area${cells}` });
  const notes = [];
  if (typeof m.legend === 'string' && m.legend) notes.push(m.legend);
  const month = forecastMonthText(m);
  if (month) notes.push(`Forecast for ${month}`);
  const winner = winnerText(m);
  if (winner) notes.push(winner.charAt(0).toUpperCase() + winner.slice(1));
  notes.push('Shades: quantile classes (fifths) of the cells with a positive score; a score ranks cells within this map only');
  if (cellText) notes.push(cellText);
  return { title: 'Forecast', items, notes };
}

/** The status line's first part: '70 forecast hotspot cells (top 3% of the area) · for November 2026'. */
export function forecastStatus(features, meta) {
  const hot = (features ?? []).filter((f) => f?.properties?.hotspot === true).length;
  const share = Number.isFinite(meta?.share) ? meta.share : 3;
  const month = monthName(meta?.forecast_period?.label);
  return `${formatInteger(hot)} forecast hotspot cell${hot === 1 ? '' : 's'} (top ${share}% of the area)${month ? ` · for ${month}` : ''}`;
}

/** A forecast cell's popup heading: {title, detail, explain}. */
export function forecastSummary(properties) {
  const p = properties || {};
  const rank = Number.isInteger(p.rank) ? ` (rank ${formatInteger(p.rank)})` : '';
  const count = `${formatInteger(p.count) ?? 0} incident${p.count === 1 ? '' : 's'} in the months mapped`;
  return {
    title: `${p.hotspot === true ? 'forecast hotspot' : 'forecast'}${rank}`,
    detail: `score ${formatMeasure(p.score)} · ${count}`,
    explain: p.hotspot === true ? 'Among the cells expected to hold the most incidents next month.' : '',
  };
}

/** A legend section with the forecast's fallback note first ('Only 2 months of history …'); unchanged without a note. */
export function withNote(section, note) {
  if (!section || !note) return section;
  return { ...section, notes: [note, ...(section.notes ?? [])] };
}
