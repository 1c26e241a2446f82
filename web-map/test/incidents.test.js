import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createIncidentFeed,
  featureId,
  formatOccurred,
  groupStyle,
  incidentPopupHtml,
  maxId,
  newFeatures,
  precisionText,
} from '../src/layers/incidents.js';

const taxonomy = {
  flyTipping: {
    sizes: { 'car-boot': 'Car boot or less' },
    wasteTypes: { household: 'Household' },
    landTypes: { highway: 'Highway' },
  },
};

const base = {
  id: 42,
  source: 'warden',
  category: 'fly-tipping',
  category_label: 'Fly-tipping',
  occurred_at: '2024-05-02T13:05:00Z',
  occurred_precision: 'minute',
  location_precision: 'gps',
  accuracy_m: 8.4,
  location_text: 'Back of 12 Park Road',
  ward: 'E05000001',
  ward_name: 'Central',
  status: 'open',
  photo_count: 1,
};

/** The text of the <td> in the row whose <th> is `label`. */
function cell(html, label) {
  const match = html.match(new RegExp(`<th>${label}</th><td>(.*?)</td>`));
  return match && match[1];
}

test('dates are shown no more precisely than known, in UK time', () => {
  assert.equal(formatOccurred('2018-10-01T00:00:00Z', 'month'), 'Oct 2018');
  // police.uk months start at midnight UK time: 1 Oct 00:00 BST is 30 Sep 23:00 UTC
  assert.equal(formatOccurred('2018-09-30T23:00:00Z', 'month'), 'Oct 2018');
  assert.equal(formatOccurred('2018-09-01T00:00:00+01:00', 'month'), 'Sep 2018');
  assert.equal(formatOccurred('2024-05-02T13:05:00Z', 'day'), '2 May 2024');
  assert.equal(formatOccurred('2024-05-02T13:05:00Z', 'minute'), '2 May 2024 14:05', 'BST');
  assert.equal(formatOccurred('2024-01-15T09:07:00Z', 'minute'), '15 Jan 2024 09:07', 'GMT');
  assert.equal(formatOccurred('2024-01-15T09:07:00Z', undefined), '15 Jan 2024 09:07');
  assert.equal(formatOccurred('not a date', 'day'), '—');
  assert.equal(formatOccurred(null, 'day'), '—');
});

test('the popup shows category, date, place, status, ward and fly-tipping details with labels', () => {
  const html = incidentPopupHtml({ ...base, fly_size: 'car-boot', fly_waste_type: 'household', fly_land_type: 'highway' }, taxonomy);
  assert.match(html, /<h3 class="incident-category">Fly-tipping<\/h3>/);
  assert.match(html, /data-incident-id="42"/);
  assert.equal(cell(html, 'Date'), '2 May 2024 14:05');
  assert.equal(cell(html, 'Where'), 'Back of 12 Park Road');
  assert.equal(cell(html, 'Location'), 'GPS, ±8 m');
  assert.equal(cell(html, 'Ward'), 'Central');
  assert.equal(cell(html, 'Status'), 'open');
  assert.equal(cell(html, 'Source'), 'Street warden');
  assert.equal(cell(html, 'Size'), 'Car boot or less');
  assert.equal(cell(html, 'Waste type'), 'Household');
  assert.equal(cell(html, 'Land type'), 'Highway');
  assert.equal(cell(html, 'Photos'), '1');
  assert.equal(cell(html, 'Reference'), '42');
});

test('a police.uk month shows as "Oct 2018"; empty fields are left out', () => {
  const html = incidentPopupHtml({
    id: 1, source: 'police', category_label: 'Burglary', occurred_at: '2018-10-01T00:00:00Z', occurred_precision: 'month',
    location_precision: 'snapped', location_text: null, ward_name: null, ward: null, status: 'open', photo_count: 0,
  });
  assert.equal(cell(html, 'Date'), 'Oct 2018');
  assert.equal(cell(html, 'Where'), null);
  assert.equal(cell(html, 'Ward'), null);
  assert.equal(cell(html, 'Photos'), null);
  assert.equal(cell(html, 'Size'), null);
  assert.equal(cell(html, 'Location'), 'Approximate (snapped to a nearby point)');
});

test('personal fields are shown only when the server sent them', () => {
  const without = incidentPopupHtml(base, taxonomy);
  for (const label of ['Description', 'Reporter', 'Contact', 'Recorded by']) assert.equal(cell(without, label), null, label);
  const withData = incidentPopupHtml({
    ...base, description: 'Bags and a sofa', reporter_name: 'A. Resident', reporter_contact: '01642 000000', recorded_by: 'warden1',
  }, taxonomy);
  assert.equal(cell(withData, 'Description'), 'Bags and a sofa');
  assert.equal(cell(withData, 'Reporter'), 'A. Resident');
  assert.equal(cell(withData, 'Contact'), '01642 000000');
  assert.equal(cell(withData, 'Recorded by'), 'warden1');
});

test('everything from the server is HTML-escaped', () => {
  const html = incidentPopupHtml({
    ...base,
    id: '"><img src=x onerror=alert(1)>',
    category_label: '<script>alert(1)</script>',
    location_text: '<b>x</b> & y',
    description: '<img src=x onerror=alert(2)>',
    fly_size: '<i>big</i>',
  }, taxonomy);
  assert.ok(!/<script|<img|<b>|<i>/.test(html), html);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.equal(cell(html, 'Where'), '&lt;b&gt;x&lt;/b&gt; &amp; y');
  assert.equal(cell(html, 'Size'), '&lt;i&gt;big&lt;/i&gt;', 'an unknown code is shown escaped');
  assert.match(html, /data-incident-id="&quot;&gt;&lt;img/);
});

test('precision in words; group styles with a fallback', () => {
  assert.equal(precisionText('gps', null), 'GPS');
  assert.equal(precisionText('generalised'), 'Generalised (sensitive category)');
  assert.equal(precisionText(undefined), '—');
  assert.equal(groupStyle('asb').letter, 'A');
  assert.equal(groupStyle('nonsense').letter, '?');
});

const feature = (id, lon = -1.2, lat = 54.5) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id } });

test('newFeatures adds only unknown ids, once each, and skips features without a point or id', () => {
  const known = new Set([1, 2]);
  const fresh = newFeatures(known, [feature(2), feature(3), feature(3), { id: 4, geometry: null }, { geometry: { coordinates: [0, 0] } }, feature(5)]);
  assert.deepEqual(fresh.map(featureId), [3, 5]);
  assert.deepEqual([...known], [1, 2], 'the known set is not changed');
  assert.deepEqual(newFeatures(new Set(), null), []);
  assert.equal(featureId({ properties: { id: 9 } }), 9);
  assert.equal(maxId([3, 10, 7]), 10);
  assert.equal(maxId([]), 0);
});

/** A layer like createIncidentLayer's, without Leaflet. */
function fakeLayer() {
  const ids = new Set();
  return {
    setFeatures(features) {
      ids.clear();
      return this.addFeatures(features);
    },
    addFeatures(features) {
      const added = newFeatures(ids, features);
      added.forEach((f) => ids.add(featureId(f)));
      return added.length;
    },
    ids: () => [...ids],
    maxId: () => maxId(ids),
  };
}

const page = (features, next = null) => ({ type: 'FeatureCollection', meta: { returned: features.length, next_cursor: next }, features });

test('reload pages newest first through every page; poll asks only for newer ids with the same filters', async () => {
  const asked = [];
  const answers = [page([feature(1), feature(2)], 'c2'), page([feature(3)]), page([feature(3), feature(4)])];
  const layer = fakeLayer();
  const statuses = [];
  const feed = createIncidentFeed({
    getIncidents: async (query) => {
      asked.push(query);
      return answers.shift();
    },
    layer,
    pageLimit: 2,
    onStatus: (s) => statuses.push(s),
  });
  const filters = { categories: ['asb-noise'], sources: null, from: '2024-01-01', to: '' };
  assert.equal(await feed.reload(filters, '-1.3,54.5,-1.1,54.6'), true);
  assert.deepEqual(layer.ids(), [1, 2, 3]);
  assert.equal(await feed.poll(), 1, 'feature 3 again is not a duplicate; 4 is new');
  assert.deepEqual(layer.ids(), [1, 2, 3, 4]);
  assert.deepEqual(asked, [
    'bbox=-1.3,54.5,-1.1,54.6&from=2024-01-01&category=asb-noise&limit=2&order=newest',
    'bbox=-1.3,54.5,-1.1,54.6&from=2024-01-01&category=asb-noise&limit=2&order=newest&cursor=c2',
    'bbox=-1.3,54.5,-1.1,54.6&from=2024-01-01&category=asb-noise&limit=2&after=3',
  ]);
  assert.deepEqual(statuses.at(-1), { count: 4, truncated: false, error: null });
});

test('an answer overtaken by a newer reload is dropped; nothing is asked when no category is ticked', async () => {
  let release;
  const slow = new Promise((resolve) => (release = resolve));
  const layer = fakeLayer();
  let calls = 0;
  const feed = createIncidentFeed({
    getIncidents: async () => (++calls === 1 ? slow : page([feature(9)])),
    layer,
  });
  const first = feed.reload({ categories: null }, '0,0,1,1');
  const second = feed.reload({ categories: null }, '0,0,2,2');
  release(page([feature(1)]));
  assert.equal(await first, false);
  assert.equal(await second, true);
  assert.deepEqual(layer.ids(), [9]);

  assert.equal(await feed.reload({ categories: [] }, '0,0,1,1'), true);
  assert.deepEqual(layer.ids(), []);
  assert.equal(calls, 2, 'no request for an empty selection');
  assert.equal(await feed.poll(), 0);
});

test('a failed load reports the error and keeps what is shown', async () => {
  const layer = fakeLayer();
  layer.setFeatures([feature(1)]);
  const statuses = [];
  const feed = createIncidentFeed({ getIncidents: async () => { throw new Error('sign in first'); }, layer, onStatus: (s) => statuses.push(s) });
  assert.equal(await feed.reload({}, '0,0,1,1'), false);
  assert.deepEqual(statuses, [{ count: 1, truncated: false, error: 'sign in first' }]);
  assert.equal(await feed.poll(), 0, 'a failed poll is silent');
});

test('more pages than allowed are reported as truncated, and not polled', async () => {
  const layer = fakeLayer();
  let id = 0;
  const feed = createIncidentFeed({ getIncidents: async () => page([feature(++id)], 'more'), layer, maxPages: 3 });
  await feed.reload({}, '0,0,1,1');
  assert.equal(feed.truncated, true);
  assert.deepEqual(layer.ids(), [1, 2, 3]);
  assert.equal(await feed.poll(), 0);
});

test('clear() empties the layer and drops a load under way (the counts are shown instead)', async () => {
  let release;
  const shown = [];
  const layer = { setFeatures: (f) => (shown.push(f.length), f.length), addFeatures: () => 0, ids: () => [], maxId: () => 0 };
  const feed = createIncidentFeed({
    getIncidents: () => new Promise((resolve) => (release = resolve)),
    layer,
  });
  const loading = feed.reload({}, [[54.5, -1.3], [54.6, -1.2]]);
  feed.clear();
  release({ features: [{ id: 1, geometry: { coordinates: [-1.2, 54.5] } }], meta: {} });
  assert.equal(await loading, false, 'the overtaken answer is dropped');
  assert.deepEqual(shown, [0]);
  assert.equal(await feed.poll(), 0, 'nothing to poll after clear()');
});
