import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captionPeriod, captionTitle, presentationKey } from '../src/panels/presentation.js';

test('the caption names the thematic layers shown, with the hotspot method in words, else the point layers', () => {
  assert.equal(captionTitle({ layers: ['hotspots', 'wards'], method: 'gistar' }), 'Hot spots (Gi*)');
  assert.equal(captionTitle({ layers: ['hotspots', 'rates', 'wards'], method: 'grid' }), 'Incident counts per cell · Ward rates');
  assert.equal(captionTitle({ layers: ['hotspots', 'wards'], method: 'forecast' }), 'Forecast hotspots', 'the default method named');
  assert.equal(captionTitle({ layers: ['rates', 'incidents', 'assets'] }), 'Ward rates', 'thematic layers only');
  assert.equal(captionTitle({ layers: ['incidents', 'assets'] }), 'Incidents · Community assets');
  assert.equal(captionTitle({ layers: ['wards', 'neighbourhoods'] }), 'Wards', 'boundaries only');
  assert.equal(captionTitle({ layers: ['neighbourhoods'] }), 'Boundaries');
  assert.equal(captionTitle({}), 'Wards');
});

test('the period line states the period once, or nothing without one', () => {
  assert.equal(captionPeriod({ from: '2026-07-01', to: '2026-09-30' }), 'Period: 1 Jul – 30 Sep 2026');
  assert.equal(captionPeriod({ from: '2025-12-03', to: '2026-01-02' }), 'Period: 3 Dec 2025 – 2 Jan 2026');
  assert.equal(captionPeriod({ from: null, to: null }), '');
  assert.equal(captionPeriod({}), '');
});

test('P toggles presentation unless typed into a field or with a modifier; Esc leaves', () => {
  const on = (key, extra = {}) => presentationKey({ key, ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'DIV' }, ...extra });
  assert.equal(on('p'), 'toggle');
  assert.equal(on('P'), 'toggle');
  assert.equal(on('Escape'), 'exit');
  assert.equal(on('q'), null);
  assert.equal(on('p', { ctrlKey: true }), null, 'Ctrl+P prints');
  assert.equal(on('p', { metaKey: true }), null);
  assert.equal(on('p', { target: { tagName: 'INPUT' } }), null, 'typing a P into a search box');
  assert.equal(on('p', { target: { tagName: 'TEXTAREA' } }), null);
  assert.equal(on('p', { target: { tagName: 'DIV', isContentEditable: true } }), null);
});
