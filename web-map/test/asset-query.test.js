import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assetListQuery, coverageQuery, distanceValue, gapsQuery, nearestQuery, ringCentre, searchQuery, searchStatus } from '../src/assets/query.js';

test('distances from inputs: metres within (0, 10000]', () => {
  assert.equal(distanceValue('800'), 800);
  assert.equal(distanceValue(' 1200.4 '), 1200);
  assert.equal(distanceValue(10_000), 10_000);
  assert.equal(distanceValue('0'), null);
  assert.equal(distanceValue('10001'), null);
  assert.equal(distanceValue(''), null);
  assert.equal(distanceValue('abc'), null);
  assert.equal(distanceValue(null), null);
});

test('the list query pages with the cursor and leaves the page size to the server', () => {
  assert.equal(assetListQuery(), '');
  assert.equal(assetListQuery({ cursor: '42' }), 'cursor=42');
  assert.equal(assetListQuery({ limit: 500, category: ['library', 'youth-provision'] }), 'category=library,youth-provision&limit=500');
});

test('search: text, category, near a point with a radius, or a ward', () => {
  assert.equal(searchQuery({ q: ' library ' }), 'q=library&limit=50');
  assert.equal(
    searchQuery({ q: 'library', category: 'community', near: [-1.23456789, 54.5], radius: '800', ward: 'ignored' }),
    'q=library&category=community&near=-1.234568,54.5&radius=800&limit=50',
  );
  assert.equal(searchQuery({ near: [-1.2, 54.5], radius: '' }), 'near=-1.2,54.5&limit=50');
  assert.equal(searchQuery({ ward: 'E05000001', limit: 10 }), 'ward=E05000001&limit=10');
  assert.equal(searchQuery({ q: 'a&b=c' }), 'q=a%26b%3Dc&limit=50');
});

test('nearest, coverage and gaps', () => {
  assert.equal(nearestQuery({ lon: -1.2, lat: 54.5 }), 'lon=-1.2&lat=54.5&category=community-hub&walk=800');
  assert.equal(nearestQuery({ lon: -1.2, lat: 54.5, walk: 'x', serviceCategory: 'youth-provision' }),
    'lon=-1.2&lat=54.5&category=community-hub&walk=800&service_category=youth-provision');
  assert.equal(coverageQuery({ category: 'youth-provision' }), 'level=ward&category=youth-provision&distance=800');
  assert.equal(coverageQuery({ category: 'library', distance: '1600' }), 'level=ward&category=library&distance=1600');
  assert.equal(gapsQuery({ category: 'youth-provision' }), 'category=youth-provision&distance=800&method=grid&cell=250');
  assert.equal(gapsQuery({ category: 'youth-provision', method: 'gistar', from: '2024-06-30', to: '2024-01-01', distance: 400 }),
    'category=youth-provision&distance=400&method=gistar&cell=250&from=2024-01-01&to=2024-06-30');
  assert.equal(gapsQuery({ category: 'x', method: 'evil', from: 'yesterday' }), 'category=x&distance=800&method=grid&cell=250');
});

test('the centre of a gap cell', () => {
  const cell = { type: 'Polygon', coordinates: [[[-1.2, 54.5], [-1.19, 54.5], [-1.19, 54.51], [-1.2, 54.51], [-1.2, 54.5]]] };
  assert.deepEqual(ringCentre(cell), [-1.195, 54.505]);
  assert.equal(ringCentre({ type: 'Point', coordinates: [0, 0] }), null);
  assert.equal(ringCentre(null), null);
});

test('the search status says when the results are suggestions spelt alike', () => {
  assert.equal(searchStatus(0, { suggestions: true }), 'Nothing found.');
  assert.equal(searchStatus(3, { order: 'relevance', suggestions: false }), '3 found.');
  assert.equal(searchStatus(2, { order: 'distance' }), '2 found, nearest first.');
  assert.equal(searchStatus(2, { order: 'similarity', suggestions: true }), 'No exact match; 2 spelt alike. Did you mean one of these?');
  assert.equal(searchStatus(1, { order: 'distance', suggestions: true, truncated: true }),
    'No exact match; 1 spelt alike (the first ones only: narrow the search), nearest first. Did you mean one of these?');
});
