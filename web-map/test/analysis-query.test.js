import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellIncidentsQuery, emergingQuery, hotspotQuery, seriesQuery, statsQuery } from '../src/analysis-query.js';

const state = { method: 'gistar', cell: 250, from: '2026-07-01', to: '2026-09-30', categories: null, sources: null, version: undefined };

test('hotspots: method, cell and period; all categories and sources leave the parameters out', () => {
  assert.equal(hotspotQuery(state), 'method=gistar&cell=250&from=2026-07-01&to=2026-09-30');
  assert.equal(
    hotspotQuery({ ...state, method: 'kde', cell: 500, categories: ['env-graffiti', 'asb-noise'], sources: ['warden', 'council'], version: 'demo' }),
    'method=kde&cell=500&from=2026-07-01&to=2026-09-30&category=asb-noise,env-graffiti&source=council,warden&version=demo',
  );
  assert.equal(hotspotQuery({ ...state, grid: 'hex' }), 'method=gistar&cell=250&grid=hex&from=2026-07-01&to=2026-09-30', 'hexagons');
  assert.equal(hotspotQuery({ ...state, grid: 'square' }), 'method=gistar&cell=250&from=2026-07-01&to=2026-09-30', 'squares: the default');
  assert.equal(hotspotQuery({ ...state, method: 'bogus', cell: 3 }), 'method=grid&cell=250&from=2026-07-01&to=2026-09-30', 'unknown values fall back');
});

test('nothing to ask for: no category or source ticked, or no valid period', () => {
  assert.equal(hotspotQuery({ ...state, categories: [] }), null);
  assert.equal(statsQuery({ ...state, sources: [] }), null);
  assert.equal(hotspotQuery({ ...state, from: '' }), null);
  assert.equal(hotspotQuery({ ...state, from: '2026-10-01' }), null, 'to before from');
  assert.equal(cellIncidentsQuery({ ...state, categories: [] }, [[54, -1.3], [54.1, -1.2]]), null);
});

test('stats: wards, the period and filters; CSV for the download link', () => {
  assert.equal(statsQuery(state), 'level=ward&from=2026-07-01&to=2026-09-30');
  assert.equal(statsQuery({ ...state, version: 'ons 2013' }, { format: 'csv' }), 'level=ward&from=2026-07-01&to=2026-09-30&version=ons+2013&format=csv');
});

test('series: quarters over the chart window, with the filters; a grid cell', () => {
  const window = { from: '2024-10-01', to: '2026-09-30' };
  assert.equal(seriesQuery({ ...state, categories: ['asb-noise'] }, window), 'interval=quarter&from=2024-10-01&to=2026-09-30&category=asb-noise');
  assert.equal(
    seriesQuery(state, window, { cell: { i: 1782, j: 2067, size: 250 } }),
    'interval=quarter&from=2024-10-01&to=2026-09-30&cell=1782,2067&cellSize=250',
  );
  assert.equal(seriesQuery(state, null), null);
});

test("a cell's incidents: its bbox, the same period and filters, newest first", () => {
  assert.equal(
    cellIncidentsQuery({ ...state, sources: ['council'] }, [[54.54395, -1.298195], [54.546219, -1.294292]], 200),
    'bbox=-1.29821,54.54394,-1.29428,54.54623&from=2026-07-01&to=2026-09-30&source=council&limit=200&order=newest',
  );
});

test('emerging hot spots: interval, cell and the window, with the filters', () => {
  const window = { ...state, method: 'emerging', interval: 'quarter', from: '2023-10-01', to: '2026-09-30' };
  assert.equal(emergingQuery(window), 'interval=quarter&cell=250&from=2023-10-01&to=2026-09-30');
  assert.equal(
    emergingQuery({ ...window, interval: 'month', cell: 500, categories: ['env-graffiti', 'asb-noise'], sources: ['council'], version: 'demo' }),
    'interval=month&cell=500&from=2023-10-01&to=2026-09-30&category=asb-noise,env-graffiti&source=council&version=demo',
  );
  assert.equal(emergingQuery({ ...window, interval: 'week', cell: 7 }), 'interval=month&cell=250&from=2023-10-01&to=2026-09-30', 'unknown values fall back');
  assert.equal(emergingQuery({ ...window, grid: 'hex' }), 'interval=quarter&cell=250&grid=hex&from=2023-10-01&to=2026-09-30');
  assert.equal(emergingQuery({ ...window, categories: [] }), null);
  assert.equal(emergingQuery({ ...window, to: '' }), null);
});

test('accuracy: the method, cell, share 3% and the period as the training window; none for emerging', async () => {
  const { accuracyQuery } = await import('../src/analysis-query.js');
  const state = { method: 'gistar', cell: 500, from: '2026-04-01', to: '2026-06-30', categories: ['b', 'a'], sources: null, version: 'v1' };
  assert.equal(accuracyQuery(state), 'method=gistar&cell=500&share=3&from=2026-04-01&to=2026-06-30&category=a,b&version=v1');
  assert.equal(accuracyQuery({ ...state, method: 'kde', cell: 7, categories: null, version: undefined }), 'method=kde&cell=250&share=3&from=2026-04-01&to=2026-06-30');
  assert.equal(accuracyQuery({ ...state, grid: 'hex' }), 'method=gistar&cell=500&grid=hex&share=3&from=2026-04-01&to=2026-06-30&category=a,b&version=v1');
  assert.equal(accuracyQuery({ ...state, method: 'emerging' }), null);
  assert.equal(accuracyQuery({ ...state, sources: [] }), null);
});
