import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultAnalysisState, emergingText, hotspotRequest, hotspotStatus, periodText, reloadsFor, shownData, withPreset } from '../src/panels/hotspot-state.js';

test('squares or hexagons: a change of the cells\' shape reloads the cells only, and every request asks for that shape', () => {
  assert.deepEqual(reloadsFor('grid', defaultAnalysisState('2026-11-22')), { hotspots: true, stats: false });
  const hex = { ...defaultAnalysisState('2026-11-22'), grid: 'hex' };
  assert.equal(hotspotRequest({ ...hex, method: 'gistar' }, '2026-11-22').query, 'method=gistar&cell=250&grid=hex&from=2026-07-01&to=2026-09-30');
  assert.match(hotspotRequest({ ...hex, method: 'emerging' }, '2026-11-22').query, /^interval=month&cell=250&grid=hex&from=/);
  assert.equal(hotspotRequest({ ...hex, grid: 'square' }, '2026-11-22').query.includes('grid'), false, 'squares are the default');
});

test('the panel starts on the forecast from the last complete quarter, compared with the one before', () => {
  assert.deepEqual(defaultAnalysisState('2026-11-22', 'demo'), {
    method: 'forecast',
    cell: 250,
    grid: 'square',
    interval: 'month',
    preset: 'last-quarter',
    from: '2026-07-01',
    to: '2026-09-30',
    compare: true,
    categories: null,
    sources: null,
    version: 'demo',
  });
});

test('presets set the dates; custom keeps them', () => {
  const state = defaultAnalysisState('2025-04-01');
  assert.deepEqual(withPreset(state, 'this-fy', '2025-04-01'), { ...state, preset: 'this-fy', from: '2025-04-01', to: '2025-04-01' });
  assert.deepEqual(withPreset(state, 'last-month', '2025-04-01'), { ...state, preset: 'last-month', from: '2025-03-01', to: '2025-03-31' });
  assert.deepEqual(withPreset(state, 'custom', '2025-04-01'), { ...state, preset: 'custom' });
});

test('the period in words', () => {
  assert.equal(periodText(defaultAnalysisState('2026-11-22'), '2026-11-22'), 'Q2 26/27: 1 Jul – 30 Sep 2026');
  assert.equal(periodText({ preset: 'custom', from: '2026-06-03', to: '2026-06-09' }, '2026-11-22'), '3 Jun – 9 Jun 2026');
});

test('the status line counts what is drawn', () => {
  const meta = { incidents: 209, n_cells: 1338, cell: 250, top: 5 };
  const gi = { meta, features: [{ properties: { bin: 3 } }, { properties: { bin: 3 } }, { properties: { bin: 0 } }, { properties: { bin: -1 } }] };
  assert.equal(hotspotStatus('gistar', gi), '2 hot-spot cells, 1 cold-spot cell · 209 incidents · 1,338 cells of 250 m');
  assert.equal(hotspotStatus('grid', { meta, features: [{ properties: { count: 2 } }] }), '1 cell with incidents · 209 incidents · 1,338 cells of 250 m');
  assert.equal(hotspotStatus('kde', { meta, features: [{ properties: { hotspot: true } }] }), '1 hotspot cell (top 5%) · 209 incidents · 1,338 cells of 250 m');
  assert.equal(hotspotStatus('grid', { meta: { ...meta, grid: 'hex' }, features: [] }), '0 cells with incidents · 209 incidents · 1,338 hexagons of 250 m');
  assert.equal(hotspotStatus('grid', null), '0 cells with incidents');
  assert.equal(hotspotStatus('grid', { meta: { ...meta, redaction: { generalised_metres: 500 } }, features: [] }),
    '0 cells with incidents · 209 incidents · 1,338 cells of 250 m · sensitive categories at the centre of their 500 m square');
});

test('emerging hot spots ask their own window, whatever the period preset', () => {
  const state = { ...defaultAnalysisState('2026-11-22', 'demo'), method: 'emerging' };
  const monthly = hotspotRequest(state, '2026-11-22');
  assert.equal(monthly.kind, 'emerging');
  assert.equal(monthly.query, 'interval=month&cell=250&from=2025-11-01&to=2026-10-31&version=demo');
  assert.deepEqual([monthly.asked.from, monthly.asked.to], ['2025-11-01', '2026-10-31'], 'the cells describe the window');
  const custom = { ...withPreset(state, 'this-fy', '2026-11-22'), interval: 'quarter', categories: ['asb-noise'] };
  assert.equal(hotspotRequest(custom, '2026-11-22').query, 'interval=quarter&cell=250&from=2023-10-01&to=2026-09-30&category=asb-noise&version=demo');
  assert.equal(hotspotRequest({ ...state, sources: [] }, '2026-11-22').query, null, 'nothing ticked: nothing to ask');
  const map = hotspotRequest({ ...state, method: 'gistar' }, '2026-11-22');
  assert.equal(map.kind, 'map');
  assert.equal(map.query, 'method=gistar&cell=250&from=2026-07-01&to=2026-09-30&version=demo');
});

test('the panel explains the emerging window', () => {
  assert.equal(
    emergingText('month', '2026-11-22'),
    'Emerging hot spots compare the last 12 months (complete months: 1 Nov 2025 – 31 Oct 2026), whatever the period above: ' +
      'a trend needs at least 10 periods. The period still sets the ward table.',
  );
  assert.match(emergingText('quarter', '2026-11-22'), /last 12 quarters \(complete financial quarters: 1 Oct 2023 – 30 Sep 2026\)/);
});

test('the emerging status line counts hot and cold patterns', () => {
  const meta = { incidents: 500, n_cells: 1338, cell: 250, interval: 'month', slices: new Array(12).fill({}) };
  const features = ['new hot spot', 'persistent hot spot', 'sporadic cold spot', 'no pattern detected'].map((pattern) => ({ properties: { pattern } }));
  assert.equal(
    hotspotStatus('emerging', { meta, features }),
    '2 cells with a hot-spot pattern, 1 with a cold-spot pattern · 12 months · 500 incidents · 1,338 cells of 250 m',
  );
});

test('"Does this map predict?": the query, or why it cannot be asked', async () => {
  const { accuracyPlan } = await import('../src/panels/hotspot-accuracy.js');
  const state = { ...defaultAnalysisState('2026-11-22', 'demo'), method: 'gistar' };
  assert.deepEqual(accuracyPlan(state, '2026-11-22'), { query: 'method=gistar&cell=250&share=3&from=2026-07-01&to=2026-09-30&version=demo' });
  // this financial year: the next period starts tomorrow
  assert.match(accuracyPlan(withPreset(state, 'this-fy', '2026-11-22'), '2026-11-22').message,
    /^The next period \(23 Nov 2026 – 16 Jul 2027\) has not happened yet: choose an earlier period/);
  assert.match(accuracyPlan({ ...state, method: 'emerging' }, '2026-11-22').message, /Choose Forecast, Counts, Hot spots \(Gi\*\) or Density/);
  assert.match(accuracyPlan({ ...state, categories: [] }, '2026-11-22').message, /^Nothing to test/);
});

test('the accuracy answer in words: hit rate and PAI against the count map, the windows, what PAI means', async () => {
  const { accuracyText, PAI_TEXT } = await import('../src/panels/hotspot-accuracy.js');
  const answer = {
    method: 'gistar', cells: 40, a: 2.5, A: 83.6, n: 61, N: 150, hitRate: 61 / 150, pai: 9.69, share: 3,
    baseline: { method: 'grid', cells: 40, n: 59, N: 150, hitRate: 59 / 150, pai: 9.4 },
    training: { from: '2026-04-01', to: '2026-06-30', incidents: 1234 },
    test: { from: '2026-07-01', to: '2026-09-30', incidents: 150 },
  };
  assert.deepEqual(accuracyText(answer, '2026-11-22'), {
    empty: false,
    lines: [
      "The top 3% of the area (40 cells) held 41% of the next period's incidents (PAI 9.7); the simple count map: 39% (PAI 9.4).",
      'Map of 1 Apr – 30 Jun 2026 (1,234 incidents), tested on 1 Jul – 30 Sep 2026 (61 of 150 incidents in those cells).',
      PAI_TEXT,
    ],
  });
  // counts: it is the count map, no comparison; a test period still running is "so far"; small rates keep a decimal
  const grid = { ...answer, method: 'grid', cells: 1, n: 1, hitRate: 1 / 150, pai: 0.2 };
  const { lines } = accuracyText(grid, '2026-09-15');
  assert.equal(lines[0], "The top 3% of the area (1 cell) held 0.7% of the next period's incidents (PAI 0.2).");
  assert.match(lines[1], /tested on 1 Jul – 30 Sep 2026 so far \(1 of 150 incidents/);
  // no incidents in the next period
  const none = { ...answer, n: 0, N: 0, hitRate: null, pai: null, baseline: { ...answer.baseline, hitRate: null, pai: null } };
  assert.deepEqual(accuracyText(none, '2026-11-22'), {
    empty: true,
    lines: ['The next period (1 Jul – 30 Sep 2026) has no incidents with these filters: nothing to test the map against. Choose an earlier period.'],
  });
  assert.match(accuracyText(none, '2026-06-30').lines[0], /^The next period \(1 Jul – 30 Sep 2026\) has not happened yet/);
  assert.match(accuracyText(none, '2026-08-01').lines[0], /has no incidents so far with these filters/);
});

test('panels on demand: only what is on screen is requested', () => {
  // the desktop's first view: the panel open, both layers on the map
  assert.deepEqual(shownData({ cellsOnMap: true, ratesOnMap: true, panelOpen: true }), { hotspots: true, stats: true });
  // a phone's first view: the panel folded, its layers not yet on the map: nothing
  assert.deepEqual(shownData({ cellsOnMap: false, ratesOnMap: false, panelOpen: false }), { hotspots: false, stats: false });
  // the ranking table needs the statistics even with the rate layer off; the cells need their layer
  assert.deepEqual(shownData({ cellsOnMap: false, ratesOnMap: false, panelOpen: true }), { hotspots: false, stats: true });
  assert.deepEqual(shownData({ cellsOnMap: true, ratesOnMap: false, panelOpen: false }), { hotspots: true, stats: false });
  assert.deepEqual(shownData({ cellsOnMap: false, ratesOnMap: true, panelOpen: false }), { hotspots: false, stats: true });
});
