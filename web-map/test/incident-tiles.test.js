import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PbfWriter as Pbf } from 'pbf';
import {
  createTileFeed,
  decodeTile,
  mergeTiles,
  needsTileReload,
  POINTS_ZOOM,
  tilePath,
  tileCell,
  tileRange,
} from '../src/layers/incident-tiles.js';

// A minimal Mapbox Vector Tile writer (spec 2.1) for the fixtures: one layer "incidents", extent 4096.
function zigzag(n) {
  return (n << 1) ^ (n >> 31);
}
function encodeTile(features) {
  const keys = [];
  const values = [];
  const pbf = new Pbf();
  pbf.writeMessage(3, (_, p) => {
    p.writeVarintField(15, 2);
    p.writeStringField(1, 'incidents');
    for (const f of features) {
      p.writeMessage(2, (__, q) => {
        if (f.id !== undefined) q.writeVarintField(1, f.id);
        const tags = [];
        for (const [k, v] of Object.entries(f.properties)) {
          if (!keys.includes(k)) keys.push(k);
          let at = values.findIndex((x) => x === v);
          if (at < 0) at = values.push(v) - 1;
          tags.push(keys.indexOf(k), at);
        }
        q.writePackedVarint(2, tags);
        q.writeVarintField(3, f.type);
        const g = [];
        let cx = 0;
        let cy = 0;
        const move = (x, y) => {
          g.push(zigzag(x - cx), zigzag(y - cy));
          cx = x;
          cy = y;
        };
        if (f.type === 1) {
          g.push((1 & 7) | (1 << 3));
          move(...f.points[0]);
        } else {
          g.push((1 & 7) | (1 << 3));
          move(...f.points[0]);
          g.push((2 & 7) | ((f.points.length - 1) << 3));
          for (const pt of f.points.slice(1)) move(...pt);
          g.push(7 | (1 << 3));
        }
        q.writePackedVarint(4, g);
      });
    }
    for (const k of keys) p.writeStringField(3, k);
    for (const v of values) {
      p.writeMessage(4, (__, q) => (typeof v === 'string' ? q.writeStringField(1, v) : q.writeVarintField(5, v)));
    }
    p.writeVarintField(5, 4096);
  });
  const bytes = pbf.finish();
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

const point = (id, x, y, category = 'asb-noise') => ({
  id,
  type: 1,
  properties: { kind: 'point', id, category, source: 'council', location_precision: 'exact' },
  points: [[x, y]],
});
const cell = (i, j, count) => ({
  type: 3,
  properties: { kind: 'cell', i, j, count, cell_m: 250 },
  points: [[0, 0], [100, 0], [100, 100], [0, 100]],
});

test('tileRange: the tiles over a box at a zoom, north row first', () => {
  // Durham-ish: about -1.60..-1.55 E, 54.76..54.79 N
  const tiles = tileRange([[54.76, -1.6], [54.79, -1.55]], 14);
  assert.ok(tiles.length >= 4 && tiles.length <= 12, String(tiles.length));
  assert.ok(tiles.every((t) => t.z === 14));
  const xs = tiles.map((t) => t.x);
  assert.equal(Math.min(...xs), Math.floor(((-1.6 + 180) / 360) * 2 ** 14));
  assert.deepEqual(tileRange([[-90, -180], [90, 180]], 0), [{ z: 0, x: 0, y: 0 }]);
});

test('tilePath: the filters as the incidents API reads them; null when they match nothing', () => {
  assert.equal(tilePath({}, { z: 14, x: 1, y: 2 }), '/tiles/incidents/14/1/2.mvt');
  assert.equal(
    tilePath({ from: '2025-01-01', to: '2025-03-31', categories: ['b', 'a'] }, { z: 3, x: 4, y: 5 }),
    '/tiles/incidents/3/4/5.mvt?from=2025-01-01&to=2025-03-31&category=a,b',
  );
  assert.equal(tilePath({ categories: [] }, { z: 3, x: 4, y: 5 }), null);
});

test('decodeTile: points and cells of the incidents layer, placed in the tile; nothing for an empty tile', () => {
  const buffer = encodeTile([point(7, 2048, 2048), cell(3, 4, 12)]);
  const features = decodeTile(buffer, { z: 1, x: 0, y: 0 });
  assert.equal(features.length, 2);
  assert.equal(features[0].properties.id, 7);
  assert.equal(features[0].geometry.type, 'Point');
  const [lon, lat] = features[0].geometry.coordinates;
  assert.ok(Math.abs(lon + 90) < 0.01 && lat > 60 && lat < 70, `${lon} ${lat}`); // the middle of tile 1/0/0
  assert.equal(features[1].properties.count, 12);
  assert.equal(features[1].geometry.type, 'Polygon');
  assert.deepEqual(decodeTile(null, { z: 1, x: 0, y: 0 }), []);
  assert.deepEqual(decodeTile(new ArrayBuffer(0), { z: 1, x: 0, y: 0 }), []);
});

test('mergeTiles: each point once by id, each cell once by i and j, with the total', () => {
  const a = decodeTile(encodeTile([point(1, 10, 10), point(2, 4090, 10)]), { z: 15, x: 0, y: 0 });
  const b = decodeTile(encodeTile([point(2, 4090, 10), point(3, 20, 20)]), { z: 15, x: 0, y: 0 });
  const points = mergeTiles([a, b], 15);
  assert.equal(points.mode, 'points');
  assert.deepEqual(points.features.map((f) => f.id).sort(), [1, 2, 3]);
  const c = decodeTile(encodeTile([cell(1, 1, 5), cell(1, 2, 7)]), { z: 12, x: 0, y: 0 });
  const d = decodeTile(encodeTile([cell(1, 2, 7), cell(2, 2, 1)]), { z: 12, x: 1, y: 0 });
  const counts = mergeTiles([c, d], 12);
  assert.equal(counts.mode, 'counts');
  assert.equal(counts.cell, 250);
  assert.equal(counts.count, 13);
  assert.equal(counts.collection.features.length, 3);
});

test('tileCell: the server\'s squares per zoom; an empty view still has its square', () => {
  assert.deepEqual([8, 10, 11, 12, 13].map(tileCell), [2000, 1000, 1000, 500, 250]);
  assert.equal(mergeTiles([[]], 12).cell, 500);
  assert.equal(mergeTiles([[]], 12).count, 0);
});

test('needsTileReload: counts per zoom, points serve every zoom from POINTS_ZOOM inside the box', () => {
  assert.equal(needsTileReload(null, { zoom: 12, inside: true }), true);
  assert.equal(needsTileReload({ mode: 'counts', zoom: 12 }, { zoom: 12, inside: true }), false);
  assert.equal(needsTileReload({ mode: 'counts', zoom: 12 }, { zoom: 13, inside: true }), true);
  assert.equal(needsTileReload({ mode: 'counts', zoom: 12 }, { zoom: 12, inside: false }), true);
  assert.equal(needsTileReload({ mode: 'points', zoom: POINTS_ZOOM }, { zoom: 17, inside: true }), false);
  assert.equal(needsTileReload({ mode: 'points', zoom: 16 }, { zoom: POINTS_ZOOM - 1, inside: true }), true);
});

function fakeLayers() {
  const state = { points: [], counts: null };
  return {
    state,
    layer: { setFeatures: (f) => (state.points = f), ids: () => state.points.map((f) => f.id) },
    counts: { set: (collection, size) => (state.counts = { collection, size }), clear: () => (state.counts = null) },
  };
}

test('createTileFeed: counts below POINTS_ZOOM, points from it, only tile requests; a failed tile is an error status', async () => {
  const { state, layer, counts } = fakeLayers();
  const asked = [];
  const statuses = [];
  const getTile = async (path) => {
    asked.push(path);
    const z = Number(path.split('/')[3]);
    return z >= POINTS_ZOOM ? encodeTile([point(asked.length, 100, 100)]) : encodeTile([cell(1, 1, 4)]);
  };
  const feed = createTileFeed({ getTile, layer, counts, onStatus: (s) => statuses.push(s) });
  const box = [[54.76, -1.6], [54.79, -1.55]];
  assert.equal(await feed.reload({ from: '2025-01-01' }, box, 13), true);
  assert.equal(feed.mode(), 'counts');
  assert.equal(state.counts.size, 250);
  assert.equal(state.points.length, 0);
  assert.ok(asked.every((p) => p.startsWith('/tiles/incidents/13/') && p.endsWith('.mvt?from=2025-01-01')));
  assert.equal(statuses.at(-1).count, 4);

  asked.length = 0;
  await feed.reload({}, box, 15);
  assert.equal(feed.mode(), 'points');
  assert.equal(state.points.length, asked.length, 'one distinct incident per tile');
  assert.equal(state.counts, null);

  // a view without incidents says so in points mode (the markers' legend), whatever the zoom
  const empty = createTileFeed({ getTile: async () => null, layer, counts, onStatus: (s) => statuses.push(s) });
  await empty.reload({}, box, 12);
  assert.equal(empty.mode(), 'points');
  assert.equal(statuses.at(-1).count, 0);

  const failing = createTileFeed({
    getTile: async () => {
      throw new Error('no');
    },
    layer,
    counts,
    onStatus: (s) => statuses.push(s),
  });
  assert.equal(await failing.reload({}, box, 15), false);
  assert.equal(statuses.at(-1).error, 'no');
});
