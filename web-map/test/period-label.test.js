import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapPeriodWords, periodLabelText } from '../src/panels/period-label.js';
import { defaultAnalysisState, periodText, withDate } from '../src/panels/hotspot-state.js';

test('the map states its one period: the preset and both ends', () => {
  const state = defaultAnalysisState('2026-11-15', undefined);
  assert.equal(periodLabelText(periodText(state, '2026-11-15')), 'Period: Q2 26/27: 1 Jul – 30 Sep 2026');
  const custom = withDate(state, 'from', '2026-09-07');
  assert.equal(periodLabelText(periodText(custom, '2026-11-15')), 'Period: 7 Sep – 30 Sep 2026', 'a custom period: still both ends');
  assert.equal(periodLabelText(''), '');
});

test('emerging hot spots: the label also names their own window, in the same place', () => {
  const state = { ...defaultAnalysisState('2026-11-15', undefined), method: 'emerging', interval: 'month' };
  assert.equal(mapPeriodWords(state, '2026-11-15'), 'Q2 26/27: 1 Jul – 30 Sep 2026 · emerging hot spots: 12 months, Nov 2025 – Oct 2026');
  assert.equal(mapPeriodWords({ ...state, method: 'gistar' }, '2026-11-15'), 'Q2 26/27: 1 Jul – 30 Sep 2026');
});
