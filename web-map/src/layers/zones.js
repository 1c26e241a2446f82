// Zone polygons: dashed outlines, no fill (so clicks go through to the wards below).

import { escapeHtml } from '../html.js';

export const ZONE_STYLE = { color: '#6a040f', weight: 2, opacity: 0.9, dashArray: '6 6', fill: false };

/** An empty L.GeoJSON layer for zones. */
export function createZoneLayer(L, { pane } = {}) {
  return L.geoJSON(null, {
    pane,
    className: 'aim-zone',
    style: () => ZONE_STYLE,
    onEachFeature(feature, layer) {
      layer.bindTooltip(escapeHtml(feature.properties?.name), { sticky: true });
    },
  });
}

/** The legend section of the zone outlines. */
export function zoneLegend() {
  return { title: 'Zones', items: [{ colour: 'transparent', outline: ZONE_STYLE.color, dashed: true, label: 'zone boundary (dashed)' }], notes: [] };
}
