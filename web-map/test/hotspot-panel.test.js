import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultAnalysisState, hotspotStatus, periodText, withPreset } from '../src/panels/hotspots.js';

test('the panel starts on counts of the last complete quarter, compared with the one before', () => {
  assert.deepEqual(defaultAnalysisState('2026-11-22', 'demo'), {
    method: 'grid',
    cell: 250,
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
  assert.equal(hotspotStatus('grid', null), '0 cells with incidents');
});
