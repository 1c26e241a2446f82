import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PALETTE, hashCode, neighbourhoodColour, neighbourhoodStyle } from '../src/layers/neighbourhoods.js';

test('hashCode is FNV-1a 32-bit', () => {
  assert.equal(hashCode(''), 0x811c9dc5);
  assert.equal(hashCode('a'), 0xe40c292c);
  assert.equal(hashCode('foobar'), 0xbf9cf968);
});

test('the colour of a code is a palette colour and never changes', () => {
  for (const code of ['NH01', 'NH02', 'E05000001', 'Acklam', '']) {
    const colour = neighbourhoodColour(code);
    assert.ok(PALETTE.includes(colour), colour);
    assert.equal(neighbourhoodColour(code), colour);
  }
  // Pinned: a change of palette or hash shows up here (and would re-colour every map).
  assert.deepEqual(
    ['NH01', 'NH02', 'NH03', 'E05000001'].map(neighbourhoodColour),
    ['#9c755f', '#edc948', '#b07aa1', '#59a14f'],
  );
});

test('different codes spread over the palette', () => {
  const codes = Array.from({ length: 50 }, (_, i) => `NH${String(i).padStart(2, '0')}`);
  const used = new Set(codes.map(neighbourhoodColour));
  assert.ok(used.size >= PALETTE.length - 2, `only ${used.size} colours used`);
});

test('the palette has distinct valid hex colours', () => {
  assert.equal(new Set(PALETTE).size, PALETTE.length);
  for (const colour of PALETTE) assert.match(colour, /^#[0-9a-f]{6}$/);
});

test('the style fills with the code colour; a feature without code still gets a colour', () => {
  const style = neighbourhoodStyle({ properties: { code: 'NH01' } });
  assert.equal(style.fillColor, neighbourhoodColour('NH01'));
  assert.ok(style.fillOpacity > 0 && style.fillOpacity < 1);
  assert.ok(PALETTE.includes(neighbourhoodStyle({}).fillColor));
});
