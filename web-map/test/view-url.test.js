import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeView, encodeView, isoDate, viewLink } from '../src/view-url.js';

const CONTRACT =
  '?lat=54.56&lon=-1.23&z=13&layers=hotspots,wards,problems&method=gistar&cell=250&from=2026-09-01&to=2026-11-30&category=anti-social-behaviour,burglary&ward=E05001234&problem=12';

test('the contract example decodes to every part of the view', () => {
  assert.deepEqual(decodeView(CONTRACT), {
    lat: 54.56,
    lon: -1.23,
    z: 13,
    layers: ['hotspots', 'wards', 'problems'],
    method: 'gistar',
    cell: 250,
    grid: null,
    from: '2026-09-01',
    to: '2026-11-30',
    categories: ['anti-social-behaviour', 'burglary'],
    ward: 'E05001234',
    problem: 12,
    evaluate: null,
  });
});

test('encodeView writes the keys in the contract order with plain commas, and round-trips', () => {
  const view = decodeView(CONTRACT);
  assert.equal(encodeView(view), CONTRACT);
  assert.deepEqual(decodeView(encodeView(view)), view);
});

test('hexagons: grid=hex is kept after the cell size; squares (the default) are left out; other values are dropped', () => {
  const view = decodeView('?layers=hotspots&method=gistar&cell=100&grid=hex&from=2026-09-01&to=2026-11-30');
  assert.equal(view.grid, 'hex');
  assert.equal(encodeView(view), '?layers=hotspots&method=gistar&cell=100&grid=hex&from=2026-09-01&to=2026-11-30');
  assert.equal(decodeView('?grid=square').grid, 'square');
  assert.equal(encodeView({ method: 'grid', cell: 250, grid: 'square' }), '?method=grid&cell=250');
  assert.equal(decodeView('?grid=triangle').grid, null);
  assert.equal(encodeView({ grid: 'triangle' }), '');
});

test('an empty view is an empty query; unknown keys are ignored', () => {
  assert.equal(encodeView({}), '');
  const view = decodeView('?foo=bar&utm_source=mail');
  assert.ok(Object.values(view).every((v) => v === null));
});

test('bad values are dropped, never thrown: a shared link never breaks the map', () => {
  const view = decodeView('?lat=abc&lon=-1.2&z=99&layers=wards,<script>,wards&method=magic&cell=-5&from=2026-02-30&to=x&category=ASB!,burglary&ward=E05%20;drop&problem=0');
  assert.equal(view.lat, null);
  assert.equal(view.lon, null, 'lat and lon come as a pair');
  assert.equal(view.z, null);
  assert.deepEqual(view.layers, ['wards']);
  assert.equal(view.method, null);
  assert.equal(view.cell, null);
  assert.equal(view.from, null);
  assert.equal(view.to, null);
  assert.deepEqual(view.categories, ['burglary']);
  assert.equal(view.ward, null);
  assert.equal(view.problem, null);
});

test('reversed dates are swapped; lat/lon out of range are dropped; coordinates are rounded to 5 places', () => {
  const view = decodeView('?from=2026-11-30&to=2026-09-01&lat=91&lon=0');
  assert.equal(view.from, '2026-09-01');
  assert.equal(view.to, '2026-11-30');
  assert.equal(view.lat, null);
  assert.equal(encodeView({ lat: 54.5612345678, lon: -1.2345678, z: 12.6 }), '?lat=54.56123&lon=-1.23457&z=13');
});

test('isoDate accepts real dates only; viewLink is origin + / + query', () => {
  assert.equal(isoDate('2024-02-29'), '2024-02-29');
  assert.equal(isoDate('2026-02-29'), null);
  assert.equal(isoDate('2026-1-01'), null);
  assert.equal(viewLink('https://aim.example', { problem: 3 }), 'https://aim.example/?problem=3');
  assert.equal(viewLink('https://aim.example', {}), 'https://aim.example/');
});

test('evaluate= opens "Did it work?" of the problem or one of its actions, and round-trips', () => {
  const action = decodeView(`${CONTRACT}&evaluate=action:34`);
  assert.deepEqual(action.evaluate, { action: 34 });
  assert.equal(encodeView(action), `${CONTRACT}&evaluate=action:34`);
  assert.deepEqual(decodeView(encodeView(action)), action);
  const problem = decodeView('?problem=7&evaluate=problem');
  assert.deepEqual(problem.evaluate, { action: null });
  assert.equal(encodeView(problem), '?problem=7&evaluate=problem');
  assert.deepEqual(decodeView(encodeView(problem)), problem);
  // without a problem, or with a bad value, there is nothing to evaluate
  assert.equal(decodeView('?evaluate=action:34').evaluate, null);
  for (const bad of ['action:0', 'action:x', 'action:-3', 'problems', 'action:1234567890123456', '']) {
    assert.equal(decodeView(`?problem=7&evaluate=${encodeURIComponent(bad)}`).evaluate, null, bad);
  }
  assert.equal(encodeView({ evaluate: { action: 3 } }), '', 'evaluate is written only with its problem');
  assert.equal(encodeView({ problem: 7, evaluate: null }), '?problem=7');
});

test('a ward code with a hyphen (the demo borough: DEMO-W03) is kept; other punctuation is not', () => {
  assert.equal(decodeView('?ward=DEMO-W03').ward, 'DEMO-W03');
  assert.equal(encodeView({ ward: 'DEMO-W03' }), '?ward=DEMO-W03');
  assert.equal(decodeView('?ward=-W03').ward, null);
  assert.equal(decodeView('?ward=DEMO.W03').ward, null);
  assert.equal(decodeView(`?ward=${'W'.repeat(33)}`).ward, null);
});
