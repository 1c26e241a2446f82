// Ward names on the map at borough zoom (issue 14): a label layer that follows the wards overlay. Each
// name sits at its ward's centre as a permanent Leaflet tooltip (.aim-ward-label: text with a white halo);
// names that would overlap a bigger ward's name on screen are left out (bigger wards first), and below
// LABEL_MIN_ZOOM there are none. Hovering a ward still shows its name (wards.js).
//
// The choice of labels (wardLabelsShown, chooseLabels) is pure and unit-tested.

/** No labels when zoomed out further than this (the whole region: they would only crowd). */
export const LABEL_MIN_ZOOM = 12;
const CHAR_PX = 6.5; // about one character of the 11px bold label
const LINE_PX = 14;

/** Whether labels are shown at this zoom. */
export function wardLabelsShown(zoom) {
  return Number.isFinite(zoom) && zoom >= LABEL_MIN_ZOOM;
}

/**
 * The labels to draw: candidates [{name, x, y, size}] (screen pixels of the label's centre; size is
 * the ward's area on screen), bigger wards first, each kept when its box does not overlap a kept one.
 */
export function chooseLabels(candidates) {
  const kept = [];
  const boxes = [];
  for (const c of [...candidates].sort((a, b) => b.size - a.size)) {
    const w = String(c.name ?? '').length * CHAR_PX + 6;
    const box = { x0: c.x - w / 2, x1: c.x + w / 2, y0: c.y - LINE_PX / 2, y1: c.y + LINE_PX / 2 };
    if (!c.name || boxes.some((b) => box.x0 < b.x1 && box.x1 > b.x0 && box.y0 < b.y1 && box.y1 > b.y0)) continue;
    boxes.push(box);
    kept.push(c);
  }
  return kept;
}

/** {layer, refresh()}: the label layer of `wards` (an L.GeoJSON); refresh after the wards change. */
export function createWardLabels(L, map, wards, { pane } = {}) {
  const layer = L.layerGroup();
  function refresh() {
    layer.clearLayers();
    if (!map.hasLayer(wards) || !wardLabelsShown(map.getZoom())) return;
    const view = map.getBounds();
    const candidates = [];
    wards.eachLayer((ward) => {
      const bounds = ward.getBounds?.();
      if (!bounds?.isValid() || !view.intersects(bounds)) return;
      const centre = bounds.getCenter();
      const p = map.latLngToContainerPoint(centre);
      const ne = map.latLngToContainerPoint(bounds.getNorthEast());
      const sw = map.latLngToContainerPoint(bounds.getSouthWest());
      candidates.push({ name: ward.feature?.properties?.name, x: p.x, y: p.y, size: Math.abs((ne.x - sw.x) * (ne.y - sw.y)), centre });
    });
    for (const c of chooseLabels(candidates)) {
      L.tooltip({ permanent: true, direction: 'center', className: 'aim-ward-label', interactive: false, ...(pane ? { pane } : {}) })
        .setLatLng(c.centre)
        .setContent(String(c.name).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`))
        .addTo(layer);
    }
  }
  layer.addTo(map);
  map.on('zoomend moveend overlayadd overlayremove', refresh);
  return { layer, refresh };
}
