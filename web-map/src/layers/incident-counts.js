// The incidents as counts per square cell (GET /api/hotspots?method=grid&bbox=… answers): shaded
// squares (class aim-count-cell, data-count), a tooltip each ("37 incidents in this 250 m square"),
// the count as a label where the squares are wide enough, and a click zooms into the square. The
// rules (classes, colours, labels) are in incident-scale.js.

import { cellTitle, countClasses, countLabel, countStyle, labelsShown } from './incident-scale.js';

/** {layer, set(collection, cell), clear(), cells() -> [{i, j, count}], classes(), cell()} */
export function createCountLayer(L, { map }) {
  const layer = L.layerGroup();
  let features = [];
  let classes = countClasses([]);
  let cell = null;

  function draw() {
    layer.clearLayers();
    const zoom = map.getZoom();
    const withLabels = labelsShown(cell, zoom, map.getCenter().lat);
    for (const feature of features) {
      const n = feature.properties.count;
      const style = countStyle(n, classes);
      const square = L.geoJSON(feature, {
        style: { className: style.className, color: '#54278f', weight: 0.5, opacity: 0.6, fillColor: style.colour, fillOpacity: 0.6 },
      });
      square.bindTooltip(cellTitle(n, cell), { sticky: true });
      square.on('click', () => map.fitBounds(square.getBounds(), { maxZoom: Math.max(zoom + 2, 15) }));
      square.eachLayer((path) => path.on('add', () => path.getElement()?.setAttribute('data-count', String(n))));
      layer.addLayer(square);
      if (withLabels) {
        const icon = L.divIcon({ className: 'aim-count-label', html: `<span>${countLabel(n)}</span>`, iconSize: [36, 16] });
        layer.addLayer(L.marker(square.getBounds().getCenter(), { icon, interactive: false, keyboard: false }));
      }
    }
  }

  return {
    layer,
    set(collection, cellSize) {
      features = (collection?.features ?? []).filter((f) => Number.isFinite(f?.properties?.count) && f.properties.count > 0);
      classes = countClasses(features.map((f) => f.properties.count));
      cell = cellSize;
      draw();
    },
    clear() {
      features = [];
      layer.clearLayers();
    },
    cells: () => features.map((f) => ({ i: f.properties.i, j: f.properties.j, count: f.properties.count })),
    classes: () => classes,
    cell: () => cell,
  };
}
