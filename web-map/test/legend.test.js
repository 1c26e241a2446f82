import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legendHtml } from '../src/panels/legend.js';
import { hotspotLegend } from '../src/layers/hotspots.js';

test('the legend lists each section with swatches and words', () => {
  const html = legendHtml([hotspotLegend('gistar', { band: 375, fdr: true }, null), null]);
  assert.match(html, /<h4>Hot and cold spots<\/h4>/);
  assert.match(html, /style="background-color:#b2182b;"><\/span><span class="legend-label">hot spot, 99% confidence<\/span>/);
  assert.match(html, /cold spot, 95% confidence/);
  assert.match(html, /not significant/);
  assert.match(html, /<p class="legend-note">corrected for multiple testing \(FDR\)<\/p>/);
});

test('labels are escaped and only colours pass into the style', () => {
  const html = legendHtml([
    { title: '<t>', items: [{ colour: 'red;background:url(x)', label: '<b>x</b>' }, { colour: '#9e9e9e', label: 'none', hatch: true }, { colour: 'transparent', outline: '#3f007d', label: 'top' }], notes: [] },
  ]);
  assert.ok(!html.includes('<b>') && !html.includes('<t>') && !html.includes('url(x)'), html);
  assert.match(html, /background-color:#ffffff;/);
  assert.match(html, /legend-swatch legend-hatch/);
  assert.match(html, /background-color:transparent;border:2px solid #3f007d;/);
  assert.equal(legendHtml([]), '');
});

test('a dashed item gets a dashed outline', () => {
  assert.match(legendHtml([{ title: 'Gaps', items: [{ colour: '#c7eae5', outline: '#01665e', dashed: true, label: 'gap' }] }]),
    /background-color:#c7eae5;border:2px dashed #01665e;/);
});
