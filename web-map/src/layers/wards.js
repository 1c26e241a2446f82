// Ward outlines with a hover tooltip (ward name) and a click popup (wardPopupHtml).
// A very light fill (fillOpacity 0.05) makes the inside of a ward clickable.

import { escapeHtml, formatDecimal, formatInteger } from '../html.js';

export const WARD_STYLE = { color: '#1d3557', weight: 2, opacity: 0.9, fillColor: '#1d3557', fillOpacity: 0.05 };

/** Popup HTML for a ward feature's properties. Every value is HTML-escaped. */
export function wardPopupHtml(properties) {
  const p = properties || {};
  const population = formatInteger(p.population) ?? 'no population';
  const year = p.population_year ?? '—';
  const area = formatDecimal(p.area_km2, 2);
  const rows = [
    ['Code', p.code ?? '—'],
    ['Population', population],
    ['Population year', year],
    ['Area', area === null ? '—' : `${area} km²`],
  ];
  return (
    '<div class="aim-popup">' +
    `<h3 class="ward-name">${escapeHtml(p.name ?? 'Unnamed ward')}</h3>` +
    '<table>' +
    rows.map(([label, value]) => `<tr><th>${label}</th><td>${escapeHtml(value)}</td></tr>`).join('') +
    '</table></div>'
  );
}

/** An empty L.GeoJSON layer for wards; fill it with setLayerData (common.js). */
export function createWardLayer(L, { pane } = {}) {
  return L.geoJSON(null, {
    pane,
    className: 'aim-ward',
    style: () => WARD_STYLE,
    onEachFeature(feature, layer) {
      layer.bindTooltip(escapeHtml(feature.properties?.name), { sticky: true });
      layer.bindPopup(wardPopupHtml(feature.properties), { maxWidth: 260, autoPanPadding: [16, 16] });
    },
  });
}

/** The legend section of the ward outlines. */
export function wardLegend() {
  return { title: 'Wards', items: [{ colour: 'transparent', outline: WARD_STYLE.color, label: 'ward boundary (hover for its name)' }], notes: [] };
}
