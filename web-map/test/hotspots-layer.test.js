import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  binLabel,
  drawnFeatures,
  PATTERNS,
  patternDescription,
  patternInfo,
  patternSide,
  trendText,
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
  assert.equal(legend.items[0].label, '0.10', 'natural breaks: the low values split finely');
  assert.equal(legend.items.at(-2).label, '5.00', 'the outlying cell is a class of its own');
  assert.equal(legend.items.at(-1).label, 'hotspot: top 5% of cells by density');
  assert.equal(legend.notes[0], 'incidents per km², bandwidth 758 m');
  assert.equal(legend.notes.at(-1), 'Classes: Natural breaks (Jenks, ckmeans)');
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

test('a cell lists its incidents newest first, whatever order the API sends them in', () => {
  const at = (id, occurred_at, lon = -1.296) => ({ id, geometry: { type: 'Point', coordinates: [lon, 54.545] }, properties: { occurred_at } });
  const march = at(1, '2026-03-01');
  const mayMorning = at(2, '2026-05-14T08:30:00Z');
  const mayEvening = at(3, '2026-05-14T21:05:00+01:00');
  const undated = at(4, null);
  const january = at(5, '2026-01-20T12:00:00Z');
  const outside = at(6, '2026-12-01T00:00:00Z', -1.29);
  const listed = incidentsInCell([march, undated, mayMorning, outside, january, mayEvening], square);
  assert.deepEqual(listed.map((f) => f.id), [3, 2, 1, 5, 4]);
  const sameDay = [at(7, '2026-02-01'), at(8, '2026-02-01')];
  assert.deepEqual(incidentsInCell(sameDay, square).map((f) => f.id), [7, 8], 'equal dates keep the API order');
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

test('emerging patterns: hot in reds and oranges, cold in blues, each explained in words', () => {
  assert.equal(PATTERNS.length, 16);
  assert.equal(patternDescription('new hot spot'), 'new hot spot — significant hot spot only in the most recent period');
  assert.equal(patternDescription('Persistent Hot Spot'), 'persistent hot spot — hot in at least 90% of periods, with no significant trend');
  assert.equal(patternDescription('no pattern detected'), 'no pattern detected — none of these patterns (not drawn)');
  assert.equal(patternInfo('no pattern'), patternInfo('bogus'));
  const hue = (hex) => {
    const [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
    return { r, g, b };
  };
  for (const p of PATTERNS) {
    const { r, b } = hue(p.colour);
    if (patternSide(p.pattern) > 0) assert.ok(r > b, `${p.pattern} is warm: ${p.colour}`);
    else assert.ok(b > r && patternSide(p.pattern) < 0, `${p.pattern} is cold: ${p.colour}`);
    assert.ok(p.text.length > 10 && !p.text.includes('\n'), 'one line');
  }
  assert.equal(new Set(PATTERNS.map((p) => p.colour)).size, PATTERNS.length, 'every pattern its own colour');
  assert.equal(patternSide('no pattern detected'), 0);
});

test('emerging cells: coloured by pattern; no pattern is not drawn', () => {
  const style = cellStyle({ pattern: 'new hot spot' }, 'emerging');
  assert.equal(style.fillColor, patternInfo('new hot spot').colour);
  assert.match(style.className, /aim-hotspot-cell aim-hotspot-pattern-new-hot/);
  assert.match(cellStyle({ pattern: 'oscillating cold spot' }, 'emerging').className, /aim-hotspot-pattern-oscillating-cold/);
  assert.equal(cellStyle({ pattern: 'no pattern detected' }, 'emerging').fillOpacity, 0);
  const features = ['new hot spot', 'no pattern detected', 'no pattern', 'historical cold spot'].map((pattern) => ({ properties: { pattern } }));
  assert.deepEqual(drawnFeatures('emerging', features).map((f) => f.properties.pattern), ['new hot spot', 'historical cold spot']);
  assert.equal(drawnFeatures('gistar', features).length, 4, 'other methods draw every cell');
});

test('the emerging legend lists the patterns present, in words, and the method', () => {
  const meta = { interval: 'month', fdr: true, band: 375, cell: 250, trend_alpha: 0.05, slices: [{ label: '2025-11' }, { label: '2026-10' }] };
  const features = ['persistent hot spot', 'new hot spot', 'new hot spot', 'no pattern detected'].map((pattern) => ({ properties: { pattern } }));
  const legend = hotspotLegend('emerging', meta, null, features);
  assert.equal(legend.title, 'Emerging hot and cold spots');
  assert.deepEqual(legend.items, [
    { colour: '#e31a1c', label: 'new hot spot — significant hot spot only in the most recent period (2 cells)' },
    { colour: '#a50f15', label: 'persistent hot spot — hot in at least 90% of periods, with no significant trend (1 cell)' },
  ]);
  assert.ok(legend.notes.some((n) => n.includes('2 months (2025-11 to 2026-10)') && n.includes('FDR')), legend.notes.join(' | '));
  assert.ok(legend.notes.some((n) => n.startsWith('trend: Mann–Kendall')));
  assert.ok(legend.notes.includes('cells with no pattern are not drawn'));
  assert.deepEqual(hotspotLegend('emerging', {}, null, []).items, [{ colour: '#f7f7f7', label: 'no cell shows a pattern' }]);
});

test('Mann–Kendall trends in words', () => {
  assert.equal(trendText({ z: 2.314, p: 0.0207, tau: 0.5 }), 'rising (Mann–Kendall z = 2.31, p = 0.021)');
  assert.equal(trendText({ z: -3.5, p: 0.0004 }), 'falling (Mann–Kendall z = -3.50, p < 0.001)');
  assert.equal(trendText({ z: 1.1, p: 0.27 }), 'no significant trend (Mann–Kendall z = 1.10, p = 0.270)');
  assert.equal(trendText({ z: null, p: null }), '');
  assert.equal(trendText(undefined), '');
});

test('the emerging popup: pattern, what it means, count and trend, escaped', () => {
  const cell = { ...square, properties: { i: 1, j: 2, count: 14, pattern: 'intensifying hot spot', trend: { z: 2.5, p: 0.012, tau: 0.4 } } };
  const html = cellPopupHtml(cell.properties, 'emerging', { incidents: [], truncated: false });
  assert.match(html, /<h3 class="hotspot-cell-title">intensifying hot spot<\/h3>/);
  assert.match(html, /<p class="hotspot-cell-explain">hot in at least 90% of periods, including the most recent, and getting hotter<\/p>/);
  assert.match(html, /<p class="hotspot-cell-detail">14 incidents · Gi\* trend rising \(Mann–Kendall z = 2.50, p = 0.012\)<\/p>/);
  assert.match(html, /data-count="14"/);
  const evil = cellPopupHtml({ i: 1, j: 2, count: 0, pattern: '<img src=x onerror=alert(1)>' }, 'emerging', { incidents: [] });
  assert.ok(!evil.includes('<img'), evil);
  assert.match(evil, /no pattern detected/);
});
