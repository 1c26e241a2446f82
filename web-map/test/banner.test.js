import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_TEXT, attributionChanges, bannerState } from '../src/panels/banner.js';

test('the banner text is the agreed wording', () => {
  assert.equal(DEMO_TEXT, 'Demo geography — not real boundaries');
});

test('demo while any loaded set is demo data', () => {
  assert.equal(bannerState([{ demo: true }, { demo: false }]).demo, true);
  assert.equal(bannerState([{ demo: false }, undefined]).demo, false);
  assert.equal(bannerState([]).demo, false);
  assert.equal(bannerState(undefined).demo, false);
});

test('attributions are distinct, non-empty and HTML-escaped', () => {
  const state = bannerState([
    { attribution: 'Contains OS data © Crown copyright & database right 2024' },
    { attribution: 'Contains OS data © Crown copyright & database right 2024' },
    { attribution: '   ' },
    { attribution: null },
    {},
    { attribution: '<script>x</script>' },
  ]);
  assert.deepEqual(state.attributions, [
    'Contains OS data © Crown copyright &amp; database right 2024',
    '&lt;script&gt;x&lt;/script&gt;',
  ]);
});

test('switching sets adds new attributions and removes the ones no set has', () => {
  assert.deepEqual(attributionChanges([], ['A']), { add: ['A'], remove: [] });
  assert.deepEqual(attributionChanges(['A', 'B'], ['B', 'C']), { add: ['C'], remove: ['A'] });
  assert.deepEqual(attributionChanges(['A'], []), { add: [], remove: ['A'] });
  assert.deepEqual(attributionChanges(['A'], ['A']), { add: [], remove: [] });
});
