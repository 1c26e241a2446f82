import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cellForZoom,
  cellTitle,
  countClasses,
  countLabel,
  countsLegend,
  countsQuery,
  countsStatus,
  countStyle,
  createScaledFeed,
  FEW_POINTS,
  labelsShown,
  MAX_POINTS,
  modeFor,
  needsReload,
  POINTS_ZOOM,
  pointsStatus,
} from '../src/layers/incident-scale.js';

test('cell size per zoom: coarse when zoomed out, multiples of 50 m', () => {
  assert.deepEqual([8, 11, 12, 13, 14, 15, 16, 19].map(cellForZoom), [1000, 1000, 500, 250, 250, 100, 50, 50]);
  assert.equal(cellForZoom(12.6), 250); // fractional zooms round
  assert.equal(cellForZoom(undefined), 1000);
  for (const z of [10, 12, 13, 15, 16]) assert.equal(cellForZoom(z) % 50, 0);
});

test('mode: counts below the points zoom, points when zoomed in with at most MAX_POINTS, or few anywhere', () => {
  assert.equal(modeFor(13, 20_000), 'counts');
  assert.equal(modeFor(POINTS_ZOOM - 1, FEW_POINTS + 1), 'counts');
  assert.equal(modeFor(12, FEW_POINTS), 'points'); // one page: points at any zoom
  assert.equal(modeFor(12, 0), 'points');
  assert.equal(modeFor(POINTS_ZOOM, MAX_POINTS), 'points');
  assert.equal(modeFor(16, MAX_POINTS + 1), 'counts');
  // counts not known (their request failed): points only when zoomed in
  assert.equal(modeFor(16, null), 'points');
  assert.equal(modeFor(12, null), 'counts');
  assert.equal(MAX_POINTS, 5000);
});

test('the counts query: method=grid, the cell, the bbox and the layer filters', () => {
  const q = countsQuery({ categories: ['b', 'a'], sources: ['police'], from: '2025-01-01', to: '' }, [[54.5, -1.3], [54.6, -1.2]], 250);
  assert.equal(q, 'method=grid&cell=250&bbox=-1.3,54.5,-1.2,54.6&from=2025-01-01&category=a,b&source=police');
  assert.equal(countsQuery({ categories: [] }, null, 250), null, 'nothing ticked: nothing to ask');
  assert.equal(countsQuery({}, null, 500), 'method=grid&cell=500');
});

test('reload when the view leaves the box, the cell size changes or the points zoom is crossed', () => {
  const loaded = { cell: 250, zoom: 13 };
  assert.equal(needsReload(null, { zoom: 13, inside: true }), true);
  assert.equal(needsReload(loaded, { zoom: 13, inside: true }), false);
  assert.equal(needsReload(loaded, { zoom: 14, inside: true }), false, 'same 250 m cells');
  assert.equal(needsReload(loaded, { zoom: 13, inside: false }), true);
  assert.equal(needsReload(loaded, { zoom: 12, inside: true }), true);
  assert.equal(needsReload({ cell: 50, zoom: 16 }, { zoom: 17, inside: true }), false);
  assert.equal(needsReload({ cell: 250, zoom: 14 }, { zoom: 15, inside: true }), true);
  // every point of the box loaded: any zoom inside it is served
  assert.equal(needsReload({ cell: 500, zoom: 12, complete: true }, { zoom: 18, inside: true }), false);
  assert.equal(needsReload({ cell: 500, zoom: 12, complete: true }, { zoom: 11, inside: false }), true);
});

test('count labels are short', () => {
  assert.deepEqual([0, 7, 999, 1000, 1250, 9999, 10_000, 123_456].map(countLabel), ['0', '7', '999', '1k', '1.2k', '9.9k', '10k', '123k']);
  assert.equal(countLabel(NaN), '');
});

test('labels only where the squares are wide enough on screen', () => {
  assert.equal(labelsShown(250, 13), false); // ~23 px
  assert.equal(labelsShown(250, 14), true); // ~45 px
  assert.equal(labelsShown(100, 15), true);
  assert.equal(labelsShown(50, 16), true);
});

test('classes, styles, titles and the legend of the counts', () => {
  const classes = countClasses([1, 1, 2, 3, 5, 8, 13, 40, 0, NaN]);
  assert.equal(classes.breaks.length, classes.colours.length);
  assert.ok(classes.breaks.length >= 3 && classes.breaks.length <= 5);
  assert.equal(classes.breaks.at(-1), 40);
  assert.equal(countStyle(1, classes).className, 'aim-count-cell aim-count-0');
  assert.equal(countStyle(40, classes).className, `aim-count-cell aim-count-${classes.breaks.length - 1}`);
  assert.notEqual(countStyle(1, classes).colour, countStyle(40, classes).colour);
  assert.equal(cellTitle(1, 250), '1 incident in this 250 m square');
  assert.equal(cellTitle(1234, 100), '1,234 incidents in this 100 m square');
  const legend = countsLegend(250, classes);
  assert.equal(legend.title, 'Incidents');
  assert.deepEqual(legend.notes, ['Incidents: counts per 250 m square — zoom in to see each one', 'Classes: Natural breaks (Jenks, ckmeans)']);
  assert.match(legend.items[0].label, /^1(–\d+)? per square$/);
  assert.equal(legend.items.at(-1).label, '40 per square', 'the outlying cell is a class of its own');
  assert.deepEqual(countClasses([]).breaks, []);
});

test('status lines of the points and the counts', () => {
  assert.equal(pointsStatus({ count: 1234, truncated: false }), '1,234 incidents, each one shown: zoom out for counts per square');
  assert.equal(pointsStatus({ count: 1, truncated: false }), '1 incident, each one shown: zoom out for counts per square');
  assert.equal(pointsStatus({ count: 5000, truncated: true }), '5,000 incidents (the newest only: zoom in or narrow the filters)');
  assert.equal(countsStatus({ count: 20_000, cell: 250, zoom: 13 }), '20,000 incidents in view, as counts per 250 m square: zoom in to see each one');
  assert.match(countsStatus({ count: 6000, cell: 50, zoom: 16 }), /^6,000 incidents in view: too many to show one by one \(more than 5,000\)/);
});

function fakes({ incidents = 20_000, fail = false } = {}) {
  const calls = { hotspots: [], feed: [], cleared: 0 };
  const counts = { shown: null, set: (c, cell) => (counts.shown = { c, cell }), clear: () => (counts.shown = null) };
  const feed = {
    reload: async (filters, bbox) => (calls.feed.push(bbox), true),
    clear: () => (calls.cleared += 1),
    poll: async () => 2,
  };
  const getHotspots = async (query) => {
    calls.hotspots.push(query);
    if (fail) throw new Error('down');
    return { type: 'FeatureCollection', features: [{ properties: { i: 1, j: 2, count: incidents } }], meta: { incidents } };
  };
  const statuses = [];
  const scaled = createScaledFeed({ getHotspots, feed, counts, onStatus: (s) => statuses.push(s) });
  return { calls, counts, scaled, statuses };
}

const BOX = [[54.5, -1.3], [54.6, -1.2]];

test('scaled feed: many incidents at the borough zoom -> one counts request, no incident pages', async () => {
  const { calls, counts, scaled, statuses } = fakes();
  assert.equal(await scaled.reload({}, BOX, 13), true);
  assert.equal(calls.hotspots.length, 1);
  assert.match(calls.hotspots[0], /^method=grid&cell=250&bbox=/);
  assert.equal(calls.feed.length, 0);
  assert.equal(calls.cleared, 1);
  assert.equal(counts.shown.cell, 250);
  assert.equal(scaled.mode(), 'counts');
  assert.equal(statuses.at(-1).mode, 'counts');
  assert.match(statuses.at(-1).text, /20,000 incidents in view/);
  assert.equal(await scaled.poll(), 0);
  assert.equal(calls.hotspots.length, 2, 'the poll asks for the counts again');
});

test('scaled feed: zoomed in with few enough -> points from the feed, counts cleared', async () => {
  const { calls, counts, scaled } = fakes({ incidents: 3000 });
  await scaled.reload({}, BOX, 16);
  assert.match(calls.hotspots[0], /cell=50/);
  assert.equal(calls.feed.length, 1);
  assert.equal(counts.shown, null);
  assert.equal(scaled.mode(), 'points');
  assert.equal(scaled.loaded().complete, true);
  assert.equal(await scaled.poll(), 2, 'the poll is the feed\'s');
  const many = fakes({ incidents: MAX_POINTS + 1 });
  await many.scaled.reload({}, BOX, 17);
  assert.equal(many.scaled.mode(), 'counts');
  assert.equal(many.calls.feed.length, 0);
});

test('scaled feed: failed counts -> an error at low zoom, points (bounded) when zoomed in', async () => {
  const low = fakes({ fail: true });
  assert.equal(await low.scaled.reload({}, BOX, 12), false);
  assert.equal(low.statuses.at(-1).error, 'down');
  assert.equal(low.calls.feed.length, 0);
  const high = fakes({ fail: true });
  await high.scaled.reload({}, BOX, 16);
  assert.equal(high.calls.feed.length, 1);
});

test('scaled feed: an answer overtaken by a newer reload is dropped; nothing ticked asks nothing', async () => {
  const { calls, counts, scaled } = fakes();
  const first = scaled.reload({}, BOX, 12);
  const second = scaled.reload({}, BOX, 13);
  assert.equal(await first, false);
  assert.equal(await second, true);
  assert.equal(counts.shown.cell, 250);
  await scaled.reload({ sources: [] }, BOX, 13);
  assert.equal(calls.hotspots.length, 2);
  assert.equal(calls.feed.length, 1, 'the feed empties the layer and says so');
});
