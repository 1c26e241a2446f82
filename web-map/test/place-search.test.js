import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FIT_ZOOM, placeLabel, placeQueryReady, placeView, POINT_ZOOM } from '../src/panels/place-search.js';
import { chooseLabels, wardLabelsShown } from '../src/layers/ward-labels.js';
import { neighbourhoodColour, neighbourhoodLegend } from '../src/layers/neighbourhoods.js';

test('a search needs 2 to 100 characters', () => {
  assert.equal(placeQueryReady('T'), false);
  assert.equal(placeQueryReady('  ts  '), true);
  assert.equal(placeQueryReady(''), false);
  assert.equal(placeQueryReady(null), false);
  assert.equal(placeQueryReady('x'.repeat(101)), false);
});

test('a result says what and where it is', () => {
  assert.deepEqual(placeLabel({ kind: 'ward', name: 'Linthorpe', code: 'E05001234' }), { title: 'Linthorpe', detail: 'Ward · E05001234' });
  assert.deepEqual(placeLabel({ kind: 'postcode', name: 'TS1 2AB', code: 'TS1 2AB', context: 'Middlesbrough' }),
    { title: 'TS1 2AB', detail: 'Postcode · Middlesbrough' });
  assert.equal(placeLabel({ kind: 'postcode-district', name: 'TS1', code: 'TS1' }).detail, 'Postcode district');
  assert.equal(placeLabel({ kind: 'street', name: 'Acklam Road', code: null, context: 'Middlesbrough' }).detail, 'Street · Middlesbrough');
});

test('a box is fitted, a point is centred at street zoom', () => {
  assert.deepEqual(placeView({ bbox: [-1.3, 54.5, -1.2, 54.6], centre: [-1.25, 54.55] }),
    { bounds: [[54.5, -1.3], [54.6, -1.2]], maxZoom: MAX_FIT_ZOOM });
  assert.deepEqual(placeView({ bbox: [-1.25, 54.55, -1.25, 54.55], centre: [-1.25, 54.55] }), { centre: [54.55, -1.25], zoom: POINT_ZOOM });
  assert.equal(placeView({}), null);
  assert.equal(placeView({ bbox: [1, 2, 3], centre: ['a', 2] }), null);
});

test('ward labels: none zoomed far out; a name that would overlap a bigger ward\'s is left out', () => {
  assert.equal(wardLabelsShown(11), false);
  assert.equal(wardLabelsShown(12), true);
  assert.equal(wardLabelsShown(undefined), false);
  const kept = chooseLabels([
    { name: 'Small', x: 105, y: 100, size: 10 },
    { name: 'Big Ward', x: 100, y: 100, size: 1000 },
    { name: 'Far', x: 300, y: 300, size: 5 },
    { name: '', x: 500, y: 500, size: 50 },
  ]);
  assert.deepEqual(kept.map((k) => k.name), ['Big Ward', 'Far']);
});

test('the neighbourhood key names each neighbourhood in its colour', () => {
  const section = neighbourhoodLegend([{ code: 'N2', name: 'Riverside' }, { code: 'N1', name: 'Acklam' }]);
  assert.deepEqual(section.items, [
    { colour: neighbourhoodColour('N1'), label: 'Acklam' },
    { colour: neighbourhoodColour('N2'), label: 'Riverside' },
  ]);
  assert.match(neighbourhoodLegend().items[0].label, /only to tell them apart/);
});
