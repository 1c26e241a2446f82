// Graded classes for maps: quantile class breaks, the class of a value, the value range of each
// class for the legend, and picking colours of a sequential palette for that many classes. Used
// for incident counts and density per cell (layers/hotspots.js) and ward rates (layers/ward-rates.js).
//
// Pure: no DOM, no Leaflet.

/**
 * Quantile class breaks: the upper bound of each class, ascending, the last one the largest value.
 * At most `classes` classes of about equal numbers of values; equal values never straddle a break,
 * so skewed data (many 1s) gives fewer classes rather than empty ones. Non-finite values are ignored;
 * no values -> [].
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
