import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { areasQuery, classOf, CLASSES, defaultWindow, downloadLinks, hotspotsQuery, shown, viewFromSearch } from '../src/public/public-view.js';

test('published counts are classed without ever reading a suppressed text as a small number', () => {
  assert.equal(classOf(0), 'none');
  assert.equal(classOf('<5'), 'suppressed');
  assert.equal(classOf('<9'), 'suppressed');
  assert.equal(classOf(5), 'low');
  assert.equal(classOf('6–9'), 'low');
  assert.equal(classOf('20–35'), 'mid');
  assert.equal(classOf(120), 'high');
  assert.equal(classOf(null), 'none');
  assert.equal(shown('<5'), '<5');
  assert.equal(shown(12), '12');
  assert.match(CLASSES.find(([k]) => k === 'suppressed')[1], /^<5/);
});

test('the default window is the last 12 complete months', () => {
  assert.deepEqual(defaultWindow(new Date(Date.UTC(2026, 11, 7))), { from: '2025-12', to: '2026-11' });
  assert.deepEqual(defaultWindow(new Date(Date.UTC(2026, 0, 15))), { from: '2025-01', to: '2025-12' });
});

test('the view comes from the address, malformed parts fall back to defaults', () => {
  const today = new Date(Date.UTC(2026, 11, 7));
  assert.deepEqual(viewFromSearch('?level=neighbourhood&from=2025-03&to=2025-04&category=burglary&cell=1000', today),
    { level: 'neighbourhood', from: '2025-03', to: '2025-04', category: 'burglary', cell: '1000' });
  assert.deepEqual(viewFromSearch('?level=county&from=2025-13&to=x&category=<b>&cell=100', today),
    { level: 'ward', from: '2025-12', to: '2026-11', category: 'all', cell: '500' });
  assert.equal(viewFromSearch('?cell=', today).cell, '', 'no grid');
  assert.equal(viewFromSearch('', today).cell, '500');
});

test('queries and download links name the same view', () => {
  const view = { level: 'ward', from: '2025-03', to: '2025-04', category: 'burglary', cell: '500' };
  assert.equal(areasQuery(view), 'level=ward&from=2025-03&to=2025-04&category=burglary');
  assert.equal(areasQuery(view, 'csv'), 'level=ward&from=2025-03&to=2025-04&category=burglary&format=csv');
  assert.equal(hotspotsQuery(view, 'geojson'), 'cell=500&from=2025-03&to=2025-04&category=burglary&format=geojson');
  const links = downloadLinks(view).map((l) => l.href);
  assert.deepEqual(links, [
    '/api/public/areas?level=ward&from=2025-03&to=2025-04&category=burglary&format=csv',
    '/api/public/areas?level=ward&from=2025-03&to=2025-04&category=burglary&format=geojson',
    '/api/public/hotspots?cell=500&from=2025-03&to=2025-04&category=burglary&format=csv',
    '/api/public/hotspots?cell=500&from=2025-03&to=2025-04&category=burglary&format=geojson',
  ]);
  assert.equal(downloadLinks({ ...view, cell: '' }).length, 2);
});

test('the public page loads its own bundle by absolute path, no inline script or style', async () => {
  const html = await readFile(new URL('../src/public/index.html', import.meta.url), 'utf8');
  assert.match(html, /<script type="module" src="\/public\/public.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="\/public\/public.css">/);
  assert.doesNotMatch(html, /<script>|<style|\sstyle=|\son[a-z]+="/);
  for (const id of ['public-level', 'public-from', 'public-to', 'public-category', 'public-cell', 'public-map', 'public-legend', 'public-downloads']) {
    assert.match(html, new RegExp(`id="${id}"`), id);
  }
});
