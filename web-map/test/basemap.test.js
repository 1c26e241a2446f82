import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basemapSettings } from '../src/layers/basemap.js';

const osm = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© OpenStreetMap contributors',
  maxZoom: 19,
};

test('a tiles config gives url, attribution and maxZoom', () => {
  assert.deepEqual(basemapSettings(osm), {
    url: osm.url,
    options: { attribution: '© OpenStreetMap contributors', maxZoom: 19 },
  });
});

test('an empty url, or no tiles config, means no base map', () => {
  assert.equal(basemapSettings({ ...osm, url: '' }), null);
  assert.equal(basemapSettings({ ...osm, url: '  ' }), null);
  assert.equal(basemapSettings(undefined), null);
  assert.equal(basemapSettings({}), null);
});

test('a missing or bad maxZoom falls back to 19; the attribution is escaped text', () => {
  assert.equal(basemapSettings({ url: osm.url }).options.maxZoom, 19);
  assert.equal(basemapSettings({ url: osm.url, maxZoom: 'x' }).options.maxZoom, 19);
  assert.equal(basemapSettings({ url: osm.url }).options.attribution, '');
  assert.equal(basemapSettings({ url: osm.url, attribution: 'A & <B>' }).options.attribution, 'A &amp; &lt;B&gt;');
});
