// Base-map tiles for use without signal: the tiles the user has actually viewed, kept in a bounded
// cache (at most MAX_TILE_BYTES, the oldest stored evicted first). Nothing is ever prefetched: a
// tile is stored only when the map asked for it and the tile server answered. Tiles are fetched
// network first (the browser's HTTP cache applies the server's caching headers, as OpenStreetMap's
// tile usage policy asks), so the cache only answers when the network fails. The attribution stays
// on the map whatever answers (layers/basemap.js).
//
// A tile request is an image request for a path ending in /{z}/{x}/{y}.png (or .jpg, .jpeg, .webp,
// with an optional @2x). The pages' Content-Security-Policy lets images come only from this origin
// and the configured tile host, so a cross-origin image is a tile in any case.
//
// Sizes: a cross-origin tile is fetched with CORS (credentials omitted) so that its size can be
// read; a tile server without CORS gets the page's own request passed through, uncached (an opaque
// answer's size cannot be known, so it cannot be kept within the bound).

export const TILE_CACHE = 'aim-tiles';
export const MAX_TILE_BYTES = 50 * 1024 * 1024;
/** Headers stored with a cached tile (the cache holds no other metadata). */
export const STORED_AT = 'x-aim-stored-at';
export const BYTES = 'x-aim-bytes';

const TILE_PATH = /\/\d{1,2}\/\d{1,8}\/\d{1,8}(@2x)?\.(png|jpe?g|webp)$/i;

/** true for a GET image request for a map tile (see above); never for the API. */
export function isTileRequest({ url, method = 'GET', destination = '' }) {
  if (method !== 'GET' || destination !== 'image') return false;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.pathname.startsWith('/api/')) return false;
  return TILE_PATH.test(parsed.pathname);
}

/**
 * Which stored tiles to delete so that `incoming` ({url, bytes}) fits within maxBytes with them:
 * the oldest stored first (then by URL, for a stable order). `entries` are {url, bytes, storedAt}
 * (storedAt in ms); an entry for incoming.url is replaced, so it does not count. Returns
 * {evict: [url], store: boolean}: store is false for a tile larger than the whole bound.
 */
export function planEviction(entries, incoming, maxBytes = MAX_TILE_BYTES) {
  if (!(incoming.bytes >= 0) || incoming.bytes > maxBytes) return { evict: [], store: false };
  const others = entries.filter((e) => e.url !== incoming.url);
  let total = others.reduce((sum, e) => sum + e.bytes, 0) + incoming.bytes;
  const evict = [];
  const oldestFirst = [...others].sort((a, b) => a.storedAt - b.storedAt || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  for (const entry of oldestFirst) {
    if (total <= maxBytes) break;
    evict.push(entry.url);
    total -= entry.bytes;
  }
  return { evict, store: true };
}

/**
 * The bounded tile store over a Cache (the Cache API's, or any object with keys/match/put/delete):
 * {put(url, response) -> stored?, match(url) -> Response | undefined, usage() -> {tiles, bytes}}.
 * The index of sizes and times is read from the cache once (from the stored headers), then kept in
 * memory; writes are serialised so that concurrent tiles cannot overshoot the bound.
 */
export function createTileStore(openCache, { maxBytes = MAX_TILE_BYTES, now = () => Date.now() } = {}) {
  let index = null; // url -> {url, bytes, storedAt}
  let queue = Promise.resolve();

  async function loadIndex(cache) {
    if (index) return index;
    index = new Map();
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const bytes = Number(response?.headers.get(BYTES));
      const storedAt = Number(response?.headers.get(STORED_AT));
      if (Number.isFinite(bytes) && Number.isFinite(storedAt)) index.set(request.url, { url: request.url, bytes, storedAt });
      else await cache.delete(request); // not one of ours: its size is unknown
    }
    return index;
  }

  async function store(url, response) {
    const cache = await openCache();
    const entries = await loadIndex(cache);
    const body = await response.blob();
    const { evict, store: keep } = planEviction([...entries.values()], { url, bytes: body.size }, maxBytes);
    if (!keep) return false;
    for (const old of evict) {
      await cache.delete(old);
      entries.delete(old);
    }
    const storedAt = now();
    const headers = new Headers(response.headers);
    headers.set(BYTES, String(body.size));
    headers.set(STORED_AT, String(storedAt));
    await cache.put(url, new Response(body, { status: response.status, statusText: response.statusText, headers }));
    entries.set(url, { url, bytes: body.size, storedAt });
    return true;
  }

  return {
    /** Stores a copy of a tile answer (only a whole 200 answer with a readable body). */
    put(url, response) {
      if (!response || response.status !== 200 || response.type === 'opaque') return Promise.resolve(false);
      const result = queue.then(() => store(url, response));
      queue = result.catch(() => false);
      return result;
    },
    async match(url) {
      const cache = await openCache();
      return cache.match(url);
    },
    async usage() {
      await queue;
      const entries = await loadIndex(await openCache());
      return { tiles: entries.size, bytes: [...entries.values()].reduce((sum, e) => sum + e.bytes, 0) };
    },
  };
}
