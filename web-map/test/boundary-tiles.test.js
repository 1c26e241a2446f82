import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PbfWriter as Pbf } from 'pbf';
import {
  LARGE_SET, areaAt, boundaryTilePath, decodeBoundaryTile, insideRings, tiledAreaPopupHtml, wardsAsTiles,
} from '../src/layers/boundary-tiles.js';

// A minimal Mapbox Vector Tile writer (spec 2.1) for the fixtures: one layer (`name`), extent 4096.
function zigzag(n) {
  return (n << 1) ^ (n >> 31);
}
function encodeTile(features, name = 'wards') {
  const keys = [];
  const values = [];
  const pbf = new Pbf();
  pbf.writeMessage(3, (_, p) => {
    p.writeVarintField(15, 2);
    p.writeStringField(1, name);
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

const square = (code, name, x0, y0, x1, y1) => ({
  type: 3,
  properties: { code, name, version: 'england' },
  points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
});

test('a ward set of more than LARGE_SET wards is drawn from tiles; the shown version decides', () => {
  const versions = [
    { level: 'ward', version: 'borough', featureCount: 23, current: false },
    { level: 'ward', version: 'england', featureCount: 7600, current: true },
    { level: 'neighbourhood', version: 'authorities', featureCount: 9000, current: true },
  ];
  assert.equal(wardsAsTiles(versions, undefined), true);
  assert.equal(wardsAsTiles(versions, 'england'), true);
  assert.equal(wardsAsTiles(versions, 'borough'), false);
  assert.equal(wardsAsTiles([{ level: 'ward', version: 'x', featureCount: LARGE_SET, current: true }]), false);
  assert.equal(wardsAsTiles([{ level: 'ward', version: 'x', featureCount: LARGE_SET + 1, current: true }]), true);
  // no versions list (it failed to load) or no count: GeoJSON as before
  assert.equal(wardsAsTiles(null, undefined), false);
  assert.equal(wardsAsTiles([{ level: 'ward', version: 'x', current: true }]), false);
});

test('tile paths name the layer and the version', () => {
  assert.equal(boundaryTilePath('ward', 'england 2013', { z: 6, x: 31, y: 20 }), '/tiles/wards/6/31/20.mvt?version=england+2013');
  assert.equal(boundaryTilePath('neighbourhood', undefined, { z: 7, x: 1, y: 2 }), '/tiles/neighbourhoods/7/1/2.mvt');
  assert.throws(() => boundaryTilePath('zone', undefined, { z: 1, x: 0, y: 0 }));
});

test('a tile decodes to its areas in pixels, and a click finds the area under it', () => {
  const buffer = encodeTile([square('E1', 'West', 0, 0, 2048, 4096), square('E2', 'East', 2048, 0, 4096, 4096)]);
  const areas = decodeBoundaryTile(buffer, 'ward', 256);
  assert.deepEqual(areas.map((a) => a.properties.code), ['E1', 'E2']);
  assert.deepEqual(areas[0].rings[0][1], [128, 0]);
  assert.equal(areaAt(areas, 60, 100).properties.name, 'West');
  assert.equal(areaAt(areas, 200, 100).properties.name, 'East');
  assert.equal(areaAt(areas, 300, 100), null);
  // another layer's tile, or an empty one (204), holds no wards
  assert.deepEqual(decodeBoundaryTile(encodeTile([square('N1', 'North', 0, 0, 10, 10)], 'neighbourhoods'), 'ward'), []);
  assert.equal(decodeBoundaryTile(encodeTile([square('N1', 'North', 0, 0, 10, 10)], 'neighbourhoods'), 'neighbourhood').length, 1);
  assert.deepEqual(decodeBoundaryTile(null, 'ward'), []);
});

test('holes are outside by the even-odd rule', () => {
  const outer = [[0, 0], [10, 0], [10, 10], [0, 10]];
  const hole = [[4, 4], [6, 4], [6, 6], [4, 6]];
  assert.equal(insideRings([outer, hole], 2, 2), true);
  assert.equal(insideRings([outer, hole], 5, 5), false);
});

test('the popup escapes the name and code', () => {
  const html = tiledAreaPopupHtml({ name: '<b>Ward</b>', code: 'E05&1' });
  assert.ok(html.includes('&lt;b&gt;Ward&lt;/b&gt;'));
  assert.ok(html.includes('E05&amp;1'));
});
