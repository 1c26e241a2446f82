// Graded classes for maps: natural breaks (Jenks, computed by simple-statistics' ckmeans), the class of a value, the value range of each class for the legend, and
// picking colours of a sequential palette for that many classes. Used for incident counts and
// density per cell (layers/hotspots.js, layers/incident-scale.js) and ward rates (layers/ward-rates.js),
// all with natural breaks (`gradedClasses`): an outlier gets a class of its own instead of stretching
// the top class of ordinary values ("3.77–13.7"), and the legend names the scheme (SCHEMES). The
// forecast's scores keep quantile classes (`quantileBreaks`, layers/hotspot-forecast.js): a score only
// ranks cells, so its classes are fifths of the cells ("lowest fifth" … "highest fifth").
//
// Pure: no DOM, no Leaflet.

import { ckmeans } from 'simple-statistics';

/** The legend's words for each classification scheme. */
export const SCHEMES = { jenks: 'Natural breaks (Jenks, ckmeans)' };

/**
 * Natural breaks: the upper bound of each class, ascending, the last one the largest value. The
 * classes are ckmeans' (optimal 1-D k-means, Wang & Song 2011, the exact form of Jenks' natural
 * breaks): the least sum of squared deviations within classes. At most `classes` classes, fewer when
 * there are fewer distinct values (never an empty class). Non-finite values ignored; no values -> [].
 */
export function naturalBreaks(values, classes = 5) {
  const sorted = finite(values).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const distinct = new Set(sorted).size;
  const k = Math.max(1, Math.min(classes, distinct));
  return ckmeans(sorted, k).map((cluster) => cluster[cluster.length - 1]);
}

/**
 * Quantile class breaks (the forecast's scores): the upper bound of each class, ascending, the last
 * one the largest value. At most `classes` classes of about equal numbers of values; equal values
 * never straddle a break, so skewed data (many 1s) gives fewer classes rather than empty ones.
 * Non-finite values are ignored; no values -> [].
 */
export function quantileBreaks(values, classes = 5) {
  const sorted = finite(values).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const uppers = [];
  for (let c = 1; c < classes; c++) {
    const upper = sorted[Math.ceil((c * n) / classes) - 1];
    if (!uppers.includes(upper)) uppers.push(upper);
  }
  if (!uppers.includes(sorted[n - 1])) uppers.push(sorted[n - 1]);
  return uppers;
}

/**
 * Classes of `values` in natural breaks, coloured from a sequential palette:
 * {scheme: 'jenks', breaks, colours, ranges}.
 */
export function gradedClasses(values, palette, classes = 5) {
  const breaks = naturalBreaks(values, classes);
  return { scheme: 'jenks', breaks, colours: pickColours(palette, breaks.length), ranges: classRanges(values, breaks) };
}

/** The legend note naming a classes' scheme ('Classes: Natural breaks (Jenks, ckmeans)'), or null. */
export function schemeNote(classes) {
  const words = SCHEMES[classes?.scheme];
  return words ? `Classes: ${words}` : null;
}

/** The class index (0-based) of a value: the first class whose upper bound it does not exceed; -1 if none. */
export function classOf(value, breaks) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return -1;
  for (let k = 0; k < breaks.length; k++) if (value <= breaks[k]) return k;
  return breaks.length > 0 ? breaks.length - 1 : -1; // above the last break (not from these values): the top class
}

/** The smallest and largest value and the number of values in each class: [{min, max, n}] (aligned with breaks). */
export function classRanges(values, breaks) {
  const ranges = breaks.map(() => ({ min: Infinity, max: -Infinity, n: 0 }));
  for (const v of finite(values)) {
    const k = classOf(v, breaks);
    if (k < 0) continue;
    ranges[k].min = Math.min(ranges[k].min, v);
    ranges[k].max = Math.max(ranges[k].max, v);
    ranges[k].n += 1;
  }
  return ranges;
}

/** '3–5', or '2' when min equals max; numbers written by `format`. */
export function rangeLabel({ min, max }, format = String) {
  return min === max ? format(min) : `${format(min)}–${format(max)}`;
}

/** `count` colours spread over a sequential palette (light to dark), keeping both ends. */
export function pickColours(palette, count) {
  if (count <= 0) return [];
  if (count === 1) return [palette[palette.length - 1]];
  const step = (palette.length - 1) / (count - 1);
  return Array.from({ length: count }, (_, k) => palette[Math.round(k * step)]);
}

/** A number for a legend: 2 decimals below 10, 1 below 100, none above (0.35, 12.4, 153). */
export function formatMeasure(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

function finite(values) {
  return (Array.isArray(values) ? values : []).filter((v) => typeof v === 'number' && Number.isFinite(v));
}
