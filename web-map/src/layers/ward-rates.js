// Ward choropleth: each ward filled by its incident rate per 1,000 residents (GET /api/areas/stats),
// in natural-breaks classes (Jenks, classes.js) of a light-to-dark purple; a ward without a population (no rate) is grey and
// dashed, never a class colour, so "no population" cannot be read as "low". The polygons are the
// ward boundaries main.js already loads (setWards); the rates come separately (setRates), matched by
// ward code. Not interactive: clicks go through to the ward outlines above (their popup, the profile).

import { classOf, formatMeasure, gradedClasses, rangeLabel, schemeNote } from '../classes.js';

/** ColorBrewer Purples 5: distinct from the red/blue hot spots and the yellow-red counts drawn on top. */
export const RATE_PALETTE = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];
export const NO_POPULATION_STYLE = { colour: '#9e9e9e', label: 'no population (no rate)' };
export const CLASSES = 5;

/** Natural-breaks classes of the rates of the rows that have one: {scheme, breaks, colours, ranges}. */
export function rateClasses(rows) {
  const rates = (rows ?? []).map((r) => r?.rate).filter((v) => typeof v === 'number' && Number.isFinite(v));
  return gradedClasses(rates, RATE_PALETTE, CLASSES);
}

/** Path style of a ward from its statistics row (undefined: not loaded yet -> not filled). */
export function rateStyle(row, classes) {
  if (!row) return { stroke: false, fillOpacity: 0, className: 'aim-ward-rate' };
  if (typeof row.rate !== 'number' || !Number.isFinite(row.rate)) {
    return {
      color: NO_POPULATION_STYLE.colour,
      weight: 1,
      dashArray: '4 4',
      fillColor: NO_POPULATION_STYLE.colour,
      fillOpacity: 0.45,
      className: 'aim-ward-rate aim-ward-rate-none',
    };
  }
  const k = classOf(row.rate, classes?.breaks ?? []);
  return {
    stroke: false,
    fillColor: k >= 0 ? classes.colours[k] : RATE_PALETTE[0],
    fillOpacity: 0.6,
    className: `aim-ward-rate aim-ward-rate-class-${k + 1}`,
  };
}

/** The legend section: {title, items: [{colour, label, hatch?}], notes}. */
export function rateLegend(rows, classes) {
  const items = (classes?.ranges ?? [])
    .map((range, k) => ({ colour: classes.colours[k], label: rangeLabel(range, (v) => formatMeasure(v)), n: range.n }))
    .filter((item) => item.n > 0)
    .map(({ colour, label }) => ({ colour, label }));
  if ((rows ?? []).some((r) => r && (typeof r.rate !== 'number' || !Number.isFinite(r.rate)))) {
    items.push({ colour: NO_POPULATION_STYLE.colour, label: NO_POPULATION_STYLE.label, hatch: true });
  }
  return { title: 'Wards: incidents per 1,000 residents', items, notes: [schemeNote(classes)].filter(Boolean) };
}

/** {layer, setWards(collection), setRates(rows), rows(), bounds(code)} */
export function createWardRateLayer(L, { pane } = {}) {
  let byCode = new Map();
  let classes = null;
  const layer = L.geoJSON(null, {
    pane,
    interactive: false,
    style: (feature) => rateStyle(byCode.get(feature.properties?.code), classes),
  });
  let wards = { type: 'FeatureCollection', features: [] };

  function redraw() {
    layer.clearLayers();
    layer.addData(wards);
  }

  return {
    layer,
    setWards(collection) {
      wards = collection ?? { type: 'FeatureCollection', features: [] };
      redraw();
    },
    setRates(rows) {
      byCode = new Map((rows ?? []).map((r) => [r.code, r]));
      classes = rateClasses(rows);
      redraw();
    },
    classes: () => classes,
    rows: () => [...byCode.values()],
    /** Leaflet bounds of a ward, or null when it is not drawn. */
    bounds(code) {
      let bounds = null;
      layer.eachLayer((path) => {
        if (path.feature?.properties?.code === code) bounds = path.getBounds();
      });
      return bounds;
    },
  };
}
