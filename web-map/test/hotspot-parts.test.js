import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toggleText } from '../src/panels/analysis-frame.js';
import { foldText } from '../src/panels/side-panel.js';
import { filtersSummaryText, groupBoxState, sourcesOffered } from '../src/panels/hotspot-filters.js';
import { defaultAnalysisState, panelError, reloadsFor, requestCounter, withDate } from '../src/panels/hotspot-state.js';
import { SOURCE_LABELS } from '../src/panels/incident-filters.js';

test('a date typed in makes a custom period; reversed dates are swapped', () => {
  const state = defaultAnalysisState('2026-11-22', 'demo');
  assert.deepEqual(withDate(state, 'from', '2026-08-01'), { ...state, preset: 'custom', from: '2026-08-01', to: '2026-09-30' });
  assert.deepEqual(withDate(state, 'to', '2026-06-01'), { ...state, preset: 'custom', from: '2026-06-01', to: '2026-07-01' });
});

test('what a change reloads', () => {
  const state = defaultAnalysisState('2026-11-22', 'demo');
  for (const what of ['method', 'cell', 'interval']) assert.deepEqual(reloadsFor(what, state), { hotspots: true, stats: false }, what);
  assert.deepEqual(reloadsFor('period', state), { hotspots: true, stats: true });
  assert.deepEqual(reloadsFor('period', { ...state, method: 'emerging' }), { hotspots: false, stats: true }, 'the emerging window ignores the period');
  assert.deepEqual(reloadsFor('compare', state), { hotspots: false, stats: false });
  assert.deepEqual(reloadsFor('filters', state), { hotspots: true, stats: true });
  assert.deepEqual(reloadsFor('version', state), { hotspots: true, stats: true });
});

test('only the latest request is current', () => {
  const requests = requestCounter();
  assert.equal(requests.started, false);
  const first = requests.next();
  assert.equal(requests.started, true);
  assert.ok(requests.current(first));
  const second = requests.next();
  assert.ok(!requests.current(first), 'overtaken');
  assert.ok(requests.current(second));
});

test('the panel shows the cells\' error before the table\'s', () => {
  assert.equal(panelError({ hotspots: null, stats: null }), null);
  assert.equal(panelError({ hotspots: 'a', stats: 'b' }), 'a');
  assert.equal(panelError({ hotspots: null, stats: 'b' }), 'b');
});

test('the filters: group boxes, the sources offered, the summary', () => {
  assert.deepEqual(groupBoxState(3, 3), { checked: true, indeterminate: false });
  assert.deepEqual(groupBoxState(1, 3), { checked: false, indeterminate: true });
  assert.deepEqual(groupBoxState(0, 3), { checked: false, indeterminate: false });
  assert.deepEqual(sourcesOffered({ sources: ['police'] }), ['police']);
  assert.deepEqual(sourcesOffered(null), Object.keys(SOURCE_LABELS));
  assert.deepEqual(sourcesOffered({ sources: [] }), Object.keys(SOURCE_LABELS));
  assert.equal(filtersSummaryText({ categories: null, sources: null }), 'Categories and sources: All categories');
  assert.equal(filtersSummaryText({ categories: ['a'], sources: ['police', 'council'] }), 'Categories and sources: 1 category · 2 sources');
});

test('the fold toggle says which way it goes', () => {
  assert.equal(toggleText(true), 'Analysis ▾');
  assert.equal(toggleText(false), 'Analysis ▸');
});

test('a folding side panel says whether it is open in its toggle', () => {
  assert.equal(foldText('Assets', true), 'Assets ▾');
  assert.equal(foldText('Assets', false), 'Assets ▸');
});
