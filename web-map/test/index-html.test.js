import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const html = await readFile(new URL('../src/index.html', import.meta.url), 'utf8');

test('index.html has the title, a phone viewport and relative links to the bundle', () => {
  assert.match(html, /<title>AIM — Active Intelligence Mapping<\/title>/);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(html, /<link rel="stylesheet" href="app.css">/);
  assert.match(html, /<script type="module" src="app.js"><\/script>/);
  assert.match(html, /id="map"/);
  assert.match(html, /id="aim-header"/);
  // the hotspot panel beside the map, hidden until someone signed in opens the map
  assert.match(html, /<aside id="aim-analysis" class="aim-analysis" aria-label="Hotspot analysis" hidden><\/aside>/);
});
