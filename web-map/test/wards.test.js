import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wardPopupHtml } from '../src/layers/wards.js';

const ward = {
  code: 'E05000001',
  name: 'Central',
  level: 'ward',
  version: 'demo',
  population: 12345,
  population_year: 2021,
  area_km2: 3.14159,
};

/** The text of the <td> in the row whose <th> is `label`. */
function cell(html, label) {
  const match = html.match(new RegExp(`<th>${label}</th><td>(.*?)</td>`));
  return match && match[1];
}

test('the popup shows the name in .ward-name, and code, population, year and area', () => {
  const html = wardPopupHtml(ward);
  assert.match(html, /<h3 class="ward-name">Central<\/h3>/);
  assert.equal(cell(html, 'Code'), 'E05000001');
  assert.equal(cell(html, 'Population'), '12,345');
  assert.equal(cell(html, 'Population year'), '2021');
  assert.equal(cell(html, 'Area'), '3.14 km²');
});

test('a null population reads "no population"', () => {
  const html = wardPopupHtml({ ...ward, population: null, population_year: null });
  assert.equal(cell(html, 'Population'), 'no population');
  assert.equal(cell(html, 'Population year'), '—');
});

test('area is always shown with 2 decimals', () => {
  assert.equal(cell(wardPopupHtml({ ...ward, area_km2: 7 }), 'Area'), '7.00 km²');
  assert.equal(cell(wardPopupHtml({ ...ward, area_km2: 0.126 }), 'Area'), '0.13 km²');
});

test('names and codes are HTML-escaped', () => {
  const html = wardPopupHtml({ ...ward, name: '<img src=x onerror=alert(1)> & "Co"', code: '<b>' });
  assert.ok(!html.includes('<img'), html);
  assert.ok(!html.includes('<b>'), html);
  assert.match(html, /class="ward-name">&lt;img src=x onerror=alert\(1\)&gt; &amp; &quot;Co&quot;</);
  assert.equal(cell(html, 'Code'), '&lt;b&gt;');
});

test('missing properties do not break the popup', () => {
  const html = wardPopupHtml(undefined);
  assert.match(html, /class="ward-name">Unnamed ward</);
  assert.equal(cell(html, 'Population'), 'no population');
  assert.equal(cell(html, 'Area'), '—');
});
