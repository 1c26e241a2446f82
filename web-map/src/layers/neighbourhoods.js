// Neighbourhood polygons, filled, each neighbourhood in a colour picked from a
// fixed palette by its code (so a neighbourhood keeps its colour across reloads
// and versions).
//
// Like every layer module, this one does not import Leaflet: main.js passes `L`
// in. That keeps the pure functions importable by the unit tests under Node.

import { escapeHtml } from '../html.js';

// Tableau 10: distinct, readable under semi-transparent fills.
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function hashCode(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The palette colour of a neighbourhood code; always the same for the same code. */
export function neighbourhoodColour(code) {
  return PALETTE[hashCode(String(code ?? '')) % PALETTE.length];
}

/** Leaflet path style of one neighbourhood feature. */
export function neighbourhoodStyle(feature) {
  const colour = neighbourhoodColour(feature?.properties?.code);
  return { color: colour, weight: 1, opacity: 0.9, fillColor: colour, fillOpacity: 0.35 };
}

/** An empty L.GeoJSON layer for neighbourhoods; fill it with layer.addData(featureCollection). */
export function createNeighbourhoodLayer(L, { pane } = {}) {
  return L.geoJSON(null, {
    pane,
    className: 'aim-neighbourhood',
    style: neighbourhoodStyle,
    onEachFeature(feature, layer) {
      layer.bindTooltip(escapeHtml(feature.properties?.name), { sticky: true });
    },
  });
}

/**
 * The legend section of the neighbourhoods: a key of each one's colour and name (`neighbourhoods`:
 * [{code, name}] of the features shown, in name order). The colours only tell neighbourhoods apart; two
 * may share one (ten colours), so the key names them. Without features, one line says so.
 */
export function neighbourhoodLegend(neighbourhoods = []) {
  const items = [...neighbourhoods]
    .filter((n) => n && n.code != null)
    .sort((a, b) => String(a.name ?? a.code).localeCompare(String(b.name ?? b.code)))
    .map((n) => ({ colour: neighbourhoodColour(n.code), label: String(n.name ?? n.code) }));
  return {
    title: 'Neighbourhoods',
    items: items.length ? items : [{ colour: PALETTE[0], label: 'one colour each, only to tell them apart' }],
    notes: items.length ? ['colours only tell neighbourhoods apart'] : [],
    compact: items.length > 6,
  };
}

/** [{code, name}] of the features in a neighbourhood layer, for neighbourhoodLegend. */
export function neighbourhoodsOf(layer) {
  const list = [];
  layer.eachLayer((child) => list.push({ code: child.feature?.properties?.code, name: child.feature?.properties?.name }));
  return list;
}
