import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  binLabel,
  cellBounds,
  cellClasses,
  cellPopupHtml,
  cellStyle,
  formatP,
  GI_BINS,
  hotspotLegend,
  incidentsInCell,
  pointInRing,
} from '../src/layers/hotspots.js';

// a 250 m British National Grid square near Middlesbrough, as the server writes it (slightly turned in lon/lat)
const square = {
  type: 'Feature',
  geometry: {
    type: 'Polygon',
    coordinates: [[[-1.298195, 54.543972], [-1.298157, 54.546219], [-1.294292, 54.546196], [-1.294331, 54.54395], [-1.298195, 54.543972]]],
  },
  properties: { i: 1782, j: 2067, count: 3, z: 3.4, p: 0.0004, bin: 3 },
};

test('Gi* bins in words', () => {
  assert.equal(binLabel(3), 'hot spot, 99% confidence');
  assert.equal(binLabel(2), 'hot spot, 95% confidence');
  assert.equal(binLabel(1), 'hot spot, 90% confidence');
  assert.equal(binLabel(0), 'not significant');
  assert.equal(binLabel(-1), 'cold spot, 90% confidence');
  assert.equal(binLabel(-2), 'cold spot, 95% confidence');
  assert.equal(binLabel(-3), 'cold spot, 99% confidence');
  assert.equal(binLabel(undefined), 'not significant');
  assert.equal(GI_BINS.length, 7);
});

test('Gi* cells are coloured by bin, with a class name per bin', () => {
  const hot = cellStyle({ bin: 3 }, 'gistar');
  assert.equal(hot.fillColor, '#b2182b');
  assert.match(hot.className, /aim-hotspot-cell aim-hotspot-bin-3/);
  assert.equal(cellStyle({ bin: -2 }, 'gistar').fillColor, '#67a9cf');
  assert.match(cellStyle({ bin: -2 }, 'gistar').className, /aim-hotspot-bin-m2/);
  const none = cellStyle({ bin: 0 }, 'gistar');
  assert.ok(none.fillOpacity < hot.fillOpacity, 'not significant is faint');
});

test('counts: graded classes with ranges; empty cells are not a class', () => {
  const features = [1, 1, 2, 3, 8, 20].map((count) => ({ properties: { count } }));
  features.push({ properties: { count: 0 } });
  const classes = cellClasses('grid', features);
  assert.equal(classes.measure, 'count');
  assert.deepEqual(classes.breaks, [1, 2, 3, 8, 20]);
  assert.equal(cellStyle({ count: 20 }, 'grid', classes).fillColor, '#bd0026');
  assert.match(cellStyle({ count: 1 }, 'grid', classes).className, /aim-hotspot-class-1/);
  assert.match(cellStyle({ count: 0 }, 'grid', classes).className, /aim-hotspot-class-0/);
  const legend = hotspotLegend('grid', { cell: 250, grid: 'square' }, classes);
  assert.equal(legend.title, 'Incident counts');
  assert.deepEqual(legend.items.map((i) => i.label), ['1', '2', '3', '8', '20']);
  assert.ok(legend.notes.includes('250 m squares'));
  assert.equal(cellClasses('gistar', features), null);
});

test('density: classes of the density, the hotspot band outlined and explained', () => {
  const features = [0.1, 0.2, 0.3, 0.4, 0.5, 5].map((density, k) => ({ properties: { density, hotspot: k === 5 } }));
  const classes = cellClasses('kde', features);
  assert.equal(classes.measure, 'density');
  const top = cellStyle(features[5].properties, 'kde', classes);
  assert.match(top.className, /aim-hotspot-top/);
  assert.equal(top.weight, 2);
  const legend = hotspotLegend('kde', { top: 5, density_unit: 'incidents per km²', bandwidth: 758.1, cell: 250 }, classes);
  assert.equal(legend.title, 'Incident density');
  assert.equal(legend.items[0].label, '0.10–0.20');
  assert.equal(legend.items.at(-1).label, 'hotspot: top 5% of cells by density');
  assert.equal(legend.notes[0], 'incidents per km², bandwidth 758 m');
});

test('the Gi* legend explains every bin and the method', () => {
  const legend = hotspotLegend('gistar', { band: 375, fdr: true, cell: 250, grid: 'square' }, null);
  assert.equal(legend.title, 'Hot and cold spots');
  assert.deepEqual(legend.items.map((i) => i.label), GI_BINS.map((b) => b.label));
  assert.deepEqual(legend.notes, ['Getis-Ord Gi*, neighbours within 375 m', 'corrected for multiple testing (FDR)', '250 m squares']);
});

test('cell bounds and point in cell', () => {
  assert.deepEqual(cellBounds(square), [[54.54395, -1.298195], [54.546219, -1.294292]]);
  assert.equal(cellBounds({ geometry: { type: 'Point', coordinates: [0, 0] } }), null);
  const ring = square.geometry.coordinates[0];
  assert.equal(pointInRing([-1.296, 54.545], ring), true);
  assert.equal(pointInRing([-1.2982, 54.5462], ring), false, 'a corner of the lon/lat box outside the turned square');
  const inside = { id: 1, geometry: { type: 'Point', coordinates: [-1.296, 54.545] } };
  const outside = { id: 2, geometry: { type: 'Point', coordinates: [-1.29, 54.545] } };
  assert.deepEqual(incidentsInCell([inside, outside, { id: 3 }], square), [inside]);
});

test('p-values', () => {
  assert.equal(formatP(0.0004), 'p < 0.001');
  assert.equal(formatP(0.0123), 'p = 0.012');
  assert.equal(formatP(null), '');
});

test('the cell popup lists incidents, escaped, and says what it is', () => {
  const loading = cellPopupHtml(square.properties, 'gistar', null);
  assert.match(loading, /hot spot, 99% confidence/);
  assert.match(loading, /3 incidents · z = 3.40, p &lt; 0.001/);
  assert.match(loading, /Loading incidents/);
  const html = cellPopupHtml(
    square.properties,
    'gistar',
    {
      incidents: [
        { id: 7, properties: { id: 7, category: 'asb-noise', category_label: '<b>ASB</b>', occurred_at: '2026-07-05T11:00:00Z', occurred_precision: 'day', location_text: 'High St & Co', status: 'open' } },
        { id: 8, properties: { id: 8, category: 'env-graffiti', occurred_at: '2026-07-06T11:00:00Z', occurred_precision: 'day' } },
      ],
      truncated: true,
    },
    { categoryLabel: (c) => (c === 'env-graffiti' ? 'Environmental: graffiti' : c), trend: true },
  );
  assert.match(html, /data-count="3"/);
  assert.match(html, /<li data-incident-id="7">/);
  assert.ok(!html.includes('<b>ASB'), html);
  assert.match(html, /&lt;b&gt;ASB&lt;\/b&gt;/);
  assert.match(html, /High St &amp; Co/);
  assert.match(html, /5 Jul 2026/);
  assert.match(html, /Environmental: graffiti/);
  assert.match(html, /The newest 2 are listed/);
  assert.match(html, /class="hotspot-cell-trend"/);
  assert.match(cellPopupHtml({ ...square.properties, count: 0 }, 'gistar', { incidents: [] }), /No incidents in this cell for these filters\. Gi\* also counts the neighbouring cells\./);
  assert.match(cellPopupHtml(square.properties, 'grid', { incidents: [] }), /None of its incidents can be listed here for you/);
  assert.match(cellPopupHtml(square.properties, 'grid', { error: '<x>' }), /Incidents not loaded: &lt;x&gt;/);
  assert.ok(!cellPopupHtml(square.properties, 'grid', { incidents: [] }).includes('hotspot-cell-trend'));
});
