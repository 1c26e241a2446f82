// Pure parts of the asset layer, the coverage view, the editor, the import and the drawing tool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coverageRows, gapGroups, gapGroupTitle, gapSummary, nearestSummary } from '../src/assets/coverage.js';
import { flatCategories } from '../src/assets/categories.js';
import { drawHint } from '../src/assets/draw-layer.js';
import { COUNT_PALETTE } from '../src/layers/incident-scale.js';
import { RATE_PALETTE } from '../src/layers/ward-rates.js';
import { GRADED_PALETTE, GI_BINS } from '../src/layers/hotspots.js';
import { gapLegend, gapText, gapWard, overlapText } from '../src/assets/gaps-layer.js';
import { assetId, drawable, visibleIds } from '../src/assets/layer.js';
import { categoriesForKind } from '../src/assets/editor-panel.js';
import { importFormat, importReportLines } from '../src/assets/import-panel.js';

test('asset features: ids, what can be drawn, what the filter keeps', () => {
  assert.equal(assetId({ id: 3 }), 3);
  assert.equal(assetId({ properties: { id: 4 } }), 4);
  assert.equal(assetId({}), null);
  assert.equal(drawable({ geometry: { type: 'Point', coordinates: [0, 0] } }), true);
  assert.equal(drawable({ geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0]]]] } }), true);
  assert.equal(drawable({ geometry: null }), false);
  assert.equal(drawable({ geometry: { type: 'LineString', coordinates: [[0, 0]] } }), false);
  const features = [
    { id: 1, properties: { category: 'library', stale: false } },
    { id: 2, properties: { category: 'youth-club', stale: true } },
  ];
  assert.deepEqual(visibleIds(features, (p) => p.stale), [2]);
  assert.deepEqual(visibleIds(features, () => true), [1, 2]);
});

test('ward coverage rows: least covered first, per 1,000 to 2 decimals', () => {
  const rows = coverageRows([
    { code: 'A', name: 'Acklam', assets: 2, per_1000: 0.245, covered_share: 0.5 },
    { code: 'B', name: 'Berwick Hills', assets: 0, per_1000: 0, covered_share: 0 },
    { code: 'C', name: 'Central', assets: 1, per_1000: null, covered_share: 0.5 },
  ]);
  assert.deepEqual(rows.map((r) => r.code), ['B', 'A', 'C']);
  assert.deepEqual(rows[1], { code: 'A', name: 'Acklam', assets: '2', perThousand: '0.24', covered: '50%', share: 0.5 });
  assert.equal(rows[2].perThousand, '—');
  assert.deepEqual(coverageRows(null), []);
});

test('gaps, overlaps and the nearest hub in words', () => {
  assert.deepEqual(gapText({ incidents: 14, nearest: { name: 'Acklam Youth Club', distance_m: 1234 } }), {
    title: '14 incidents',
    detail: 'nearest: Acklam Youth Club, 1.2 km',
  });
  assert.deepEqual(gapText({ incidents: 1, z: 3.14159, nearest: null }), {
    title: '1 incident (Gi* z 3.14)',
    detail: 'no provision of this category at all',
  });
  assert.equal(overlapText({ count: 2, spread_m: 300, members: [{ name: 'A' }, { name: 'B' }] }), '2 within 300 m: A, B');
  assert.equal(
    gapSummary({ hotspots: { hot_cells: 3, rule: 'top 5%' }, gaps: { features: [{}, {}] } }),
    '2 gaps among 3 hotspot cells (top 5%)',
  );
  assert.equal(gapSummary({}), '0 gaps');
  const answer = {
    nearest: [{ properties: { name: 'Hub', category_label: 'Community hub', distance_m: 950 } }],
    services_within_walk: { features: [{ properties: { name: 'Advice', category: 'money-advice', distance_m: 120 } }] },
  };
  assert.deepEqual(nearestSummary(answer), { hub: 'Hub (Community hub) — 950 m', services: ['Advice (money-advice) — 120 m'] });
  assert.deepEqual(nearestSummary({}), { hub: null, services: [] });
});

test('the editor offers people categories only for people', () => {
  const categories = [
    { code: 'community', label: 'Community', parent: null, sort: 1 },
    { code: 'library', label: 'Library', parent: 'community', sort: 2 },
    { code: 'people', label: 'People and groups', parent: null, sort: 9 },
    { code: 'volunteer', label: 'Volunteer', parent: 'people', sort: 10 },
  ];
  const flat = flatCategories(categories);
  assert.deepEqual(categoriesForKind(categories, flat, 'place').map((c) => c.code), ['community', 'library']);
  assert.deepEqual(categoriesForKind(categories, flat, 'people').map((c) => c.code), ['people', 'volunteer']);
});

test('import: the format from the file name and the report in words', () => {
  assert.equal(importFormat('libraries.csv'), 'csv');
  assert.equal(importFormat('services.JSON'), 'openreferral');
  assert.equal(importFormat(undefined), 'csv');
  const lines = importReportLines({
    read: 3,
    imported: 2,
    inserted: 1,
    updated: 1,
    rejected: 1,
    issues: [
      { severity: 'warning', where: 'line 2', field: 'name', message: 'no name: kept as "Library"' },
      { severity: 'error', where: 'line 4', field: 'wkt', message: 'outside the council area', location: '1 2' },
    ],
  });
  assert.equal(lines.counts, '3 read · 2 imported · 1 new, 1 updated · 1 rejected');
  assert.deepEqual(lines.issues, [
    'line 4 — wkt: outside the council area at 1 2',
    'line 2 — name: no name: kept as "Library" (warning; the row was kept)',
  ]);
  assert.deepEqual(importReportLines({ ignored: ['fundings'] }).issues, ['Not kept by AIM: fundings']);
});

test('drawing hints', () => {
  assert.match(drawHint('point', 0), /Click the map/);
  assert.match(drawHint('polygon', 0), /first corner/);
  assert.match(drawHint('polygon', 2), /2 corners: click to add more \(at least 3\)/);
  assert.match(drawHint('polygon', 4), /Finish shape/);
  assert.equal(drawHint(null, 0), '');
});

const gap = (id, incidents, ward, z) => ({ id, properties: { incidents, z, ward } });

test('gaps are grouped by ward, the neediest ward and gap first, gaps with no ward last among equals', () => {
  const west = { code: 'W', name: 'West' };
  const east = { code: 'E', name: 'East' };
  const groups = gapGroups([gap('a', 5, west), gap('b', 40, east), gap('c', 30, west), gap('d', 12, west), gap('e', 50, null)]);

  assert.deepEqual(groups.map((g) => g.name), ['Outside the wards', 'West', 'East']);
  assert.deepEqual(groups.map((g) => g.incidents), [50, 47, 40]);
  assert.deepEqual(groups[1].gaps.map((f) => f.id), ['c', 'd', 'a'], 'most incidents first');
  assert.equal(groups[0].code, null);
  // equal incidents: the Gi* z decides, then the API order
  const gi = gapGroups([gap('x', 10, west, 2.1), gap('y', 10, west, 3.5), gap('z', 10, west, 2.1)]);
  assert.deepEqual(gi[0].gaps.map((f) => f.id), ['y', 'x', 'z']);
  // equal totals: the ward with the neediest gap, then by name
  assert.deepEqual(gapGroups([gap('p', 5, east), gap('q', 5, west)]).map((g) => g.name), ['East', 'West']);
  assert.deepEqual(gapGroups([gap('p', 4, east), gap('p2', 1, east), gap('q', 5, west)]).map((g) => g.name), ['West', 'East']);
  assert.deepEqual(gapGroups(null), []);
  assert.equal(gapGroupTitle(groups[1]), 'West — 3 gaps, 47 incidents');
  assert.equal(gapGroupTitle({ name: 'East', incidents: 1, gaps: [{}] }), 'East — 1 gap, 1 incident');
});

test('a gap names its ward; the legend explains the dashed teal gaps and the overlaps', () => {
  assert.equal(gapWard({ ward: { code: 'E05', name: 'Acklam' } }), 'Acklam');
  assert.equal(gapWard({ ward: null }), 'Outside the wards');
  assert.equal(gapLegend({ gaps: 0, overlaps: 0 }), null);
  const legend = gapLegend({ gaps: 3, overlaps: 1 });
  assert.equal(legend.title, 'Gaps in provision');
  assert.equal(legend.items.length, 2);
  assert.ok(legend.items.every((item) => item.dashed && /^#/.test(item.outline)));
  assert.match(legend.items[0].label, /^Gap: .*\(3\)$/);
  for (const palette of [COUNT_PALETTE, RATE_PALETTE, GRADED_PALETTE, GI_BINS.map((b) => b.colour)]) {
    assert.ok(!palette.includes(legend.items[0].outline) && !palette.includes(legend.items[0].colour), 'a colour no grid or choropleth uses');
  }
});
