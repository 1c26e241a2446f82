import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BYTES, MAX_TILE_BYTES, STORED_AT, createTileStore, isTileRequest, planEviction } from '../src/offline/tiles.js';

test('tile requests: images at /{z}/{x}/{y}.png and the like, nothing else', () => {
  const image = (url, method = 'GET') => isTileRequest({ url, method, destination: 'image' });
  assert.ok(image('https://tile.openstreetmap.org/15/16234/10402.png'));
  assert.ok(image('https://a.tile.example.org/3/4/2@2x.jpg'));
  assert.ok(image('https://aim.example/tiles/12/2034/1301.webp'));
  assert.ok(!image('https://aim.example/images/marker-icon.png'));
  assert.ok(!image('https://aim.example/api/1/2/3.png'), 'never the API');
  assert.ok(!image('https://tile.openstreetmap.org/15/16234/10402.png', 'POST'));
  assert.ok(!isTileRequest({ url: 'https://tile.openstreetmap.org/15/16234/10402.png', destination: 'script' }));
  assert.ok(!isTileRequest({ url: 'https://tile.openstreetmap.org/15/16234/10402.png', destination: '' }), 'a fetch(), not the map');
  assert.ok(!image('not a url'));
});

test('eviction: the oldest stored go first, until the new tile fits', () => {
  const entries = [
    { url: 'c', bytes: 30, storedAt: 3 },
    { url: 'a', bytes: 30, storedAt: 1 },
    { url: 'b', bytes: 30, storedAt: 2 },
  ];
  assert.deepEqual(planEviction(entries, { url: 'd', bytes: 10 }, 100), { evict: [], store: true }, '100 fits exactly');
  assert.deepEqual(planEviction(entries, { url: 'd', bytes: 11 }, 100), { evict: ['a'], store: true });
  assert.deepEqual(planEviction(entries, { url: 'd', bytes: 45 }, 100), { evict: ['a', 'b'], store: true });
  assert.deepEqual(planEviction(entries, { url: 'a', bytes: 40 }, 100), { evict: [], store: true }, 'a replaced tile does not count twice');
  assert.deepEqual(planEviction(entries, { url: 'd', bytes: 101 }, 100), { evict: [], store: false }, 'larger than the bound: not kept');
  assert.deepEqual(planEviction([{ url: 'y', bytes: 5, storedAt: 1 }, { url: 'x', bytes: 5, storedAt: 1 }], { url: 'z', bytes: 100 }, 100),
    { evict: ['x', 'y'], store: true }, 'equal times: by URL');
  assert.equal(MAX_TILE_BYTES, 50 * 1024 * 1024);
});

/** A Cache API stand-in over a Map (keys() gives {url} like Requests). */
function fakeCache() {
  const map = new Map();
  return {
    map,
    async keys() {
      return [...map.keys()].map((url) => ({ url }));
    },
    async match(key) {
      return map.get(typeof key === 'string' ? key : key.url)?.clone();
    },
    async put(key, response) {
      map.set(typeof key === 'string' ? key : key.url, response);
    },
    async delete(key) {
      return map.delete(typeof key === 'string' ? key : key.url);
    },
  };
}

const png = (bytes) => new Response(new Uint8Array(bytes), { status: 200, headers: { 'Content-Type': 'image/png' } });

test('the tile store stays within its bound however many tiles are viewed, keeping the newest', async () => {
  const cache = fakeCache();
  let clock = 0;
  const store = createTileStore(async () => cache, { maxBytes: 10_000, now: () => ++clock });
  // 200 tiles of 700-1,300 bytes, stored concurrently (as a map view loads them)
  const sizes = Array.from({ length: 200 }, (_, i) => 700 + ((i * 37) % 600));
  await Promise.all(sizes.map((size, i) => store.put(`https://t/15/${i}/1.png`, png(size))));
  const { tiles, bytes } = await store.usage();
  let stored = 0;
  for (const response of cache.map.values()) stored += (await response.clone().arrayBuffer()).byteLength;
  assert.ok(bytes <= 10_000 && stored === bytes, `within the bound: ${bytes} (${stored} stored)`);
  assert.equal(cache.map.size, tiles);
  assert.ok(cache.map.has('https://t/15/199/1.png'), 'the latest viewed tile is kept');
  assert.ok(!cache.map.has('https://t/15/0/1.png'), 'the first viewed is gone');
  // the newest tiles are the ones kept: every kept tile is newer than every evicted one
  const kept = [...cache.map.keys()].map((url) => Number(url.split('/')[4]));
  assert.equal(Math.min(...kept), 200 - kept.length);
  const one = await store.match('https://t/15/199/1.png');
  assert.equal(one.headers.get('Content-Type'), 'image/png');
  assert.equal(Number(one.headers.get(BYTES)), sizes[199]);
  assert.ok(Number(one.headers.get(STORED_AT)) > 0);
});

test('the index is rebuilt from the cache (a restarted worker), and answers not worth keeping are not kept', async () => {
  const cache = fakeCache();
  let clock = 0;
  const first = createTileStore(async () => cache, { maxBytes: 3_000, now: () => ++clock });
  for (let i = 0; i < 3; i += 1) await first.put(`https://t/1/${i}/0.png`, png(1_000));
  await cache.put('https://t/9/9/9.png', new Response('stranger')); // no size header: dropped on rebuild
  const again = createTileStore(async () => cache, { maxBytes: 3_000, now: () => ++clock });
  assert.equal(await again.put('https://t/1/3/0.png', png(1_000)), true);
  assert.deepEqual([...cache.map.keys()].sort(), ['https://t/1/1/0.png', 'https://t/1/2/0.png', 'https://t/1/3/0.png']);
  assert.deepEqual(await again.usage(), { tiles: 3, bytes: 3_000 });
  assert.equal(await again.put('https://t/1/4/0.png', new Response('missing', { status: 404 })), false);
  assert.equal(await again.put('https://t/1/5/0.png', png(3_001)), false, 'larger than the bound');
  assert.equal(cache.map.size, 3);
});
