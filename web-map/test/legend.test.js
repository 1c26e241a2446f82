import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legendHtml, legendSections } from '../src/panels/legend.js';
import { incidentLegend } from '../src/layers/incidents.js';
import { wardLegend } from '../src/layers/wards.js';
import { zoneLegend } from '../src/layers/zones.js';
import { neighbourhoodLegend } from '../src/layers/neighbourhoods.js';
import { assetLegend } from '../src/assets/layer.js';
import { gapLegend } from '../src/assets/gaps-layer.js';
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

test('letters, round badges and dashed borders', () => {
  const html = legendHtml([{ key: 'assets', title: 'A', items: [{ colour: '#1f78b4', letter: 'C', label: 'Community' }, { colour: '#6ecc39', letter: '<5>', round: true, label: 'cluster' }, { colour: '#1f78b4', outline: '#ffd166', dashed: true, label: 'stale' }] }]);
  assert.match(html, /<section class="legend-section" data-legend="assets">/);
  assert.match(html, /class="legend-swatch legend-letter" style="background-color:#1f78b4;">C<\/span>/);
  assert.match(html, /legend-round legend-letter[^>]*>&lt;5&gt;<\/span>/);
  assert.match(html, /border:2px dashed #ffd166;/);
});

test('every layer has its section: sections in rank order, null ones (layer off) left out', () => {
  const on = { wards: true, incidents: true, assets: false };
  const entries = [
    { key: 'wards', rank: 90, section: () => (on.wards ? wardLegend() : null) },
    { key: 'incidents', rank: 30, section: () => (on.incidents ? incidentLegend(['asb', 'police']) : null) },
    { key: 'assets', rank: 40, section: () => (on.assets ? assetLegend([{ code: 'community', label: 'Community' }]) : null) },
  ];
  assert.deepEqual(legendSections(entries).map((s) => s.key), ['incidents', 'wards']);
  on.assets = true;
  assert.deepEqual(legendSections(entries).map((s) => s.key), ['incidents', 'assets', 'wards']);
});

test('the legends explain letters, clusters, stale borders, gaps and outlines', () => {
  const incidents = incidentLegend(['asb', 'police', 'mystery']);
  assert.deepEqual(incidents.items.slice(0, 3).map((i) => [i.letter, i.label]), [['A', 'Anti-social behaviour'], ['P', 'Police'], ['?', 'mystery']]);
  assert.ok(incidents.items.some((i) => i.round && /cluster/.test(i.label)), 'the cluster badge explained');
  assert.match(legendHtml([incidents]), /<ul class="legend-compact">/);
  const assets = assetLegend([{ code: 'community', label: 'Community' }, { code: 'health', label: 'Health' }]);
  assert.deepEqual(assets.items.slice(0, 2).map((i) => i.letter), ['C', 'H']);
  assert.ok(assets.items.some((i) => i.dashed && /needs checking/.test(i.label)), 'the dashed "needs checking" border');
  assert.ok(gapLegend({ gaps: 2 }).items.some((i) => i.dashed && /Gap/.test(i.label)), 'the dashed teal gap cells');
  assert.equal(gapLegend({ reach: true }).items.length, 1, 'the walking circle alone');
  assert.match(gapLegend({ answered: true }).items[0].label, /\(none\)$/, 'worked out, none: the gap swatch says so');
  assert.equal(zoneLegend().items[0].dashed, true);
  assert.equal(wardLegend().items[0].colour, 'transparent');
  assert.match(neighbourhoodLegend().items[0].label, /only to tell them apart/);
});

test('a dashed item gets a dashed outline', () => {
  assert.match(legendHtml([{ title: 'Gaps', items: [{ colour: '#c7eae5', outline: '#01665e', dashed: true, label: 'gap' }] }]),
    /background-color:#c7eae5;border:2px dashed #01665e;/);
});
