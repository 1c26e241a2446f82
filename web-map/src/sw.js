// The service worker (dist/sw.js, scope "/"): keeps the map page and the report page usable with no
// signal. See offline/shell.js and offline/tiles.js for what is cached and README.md for the design.
//
// install:  fetch every shell file (bypassing the HTTP cache) into the cache of this build;
// activate: delete the caches of older builds, take control of open pages at once;
// fetch:    a shell file -> the cached copy (network if somehow missing);
//           the map's settings and boundaries -> the network, keeping a copy; the copy when the
//             network fails (marked with OFFLINE_HEADER so that the page knows it is offline);
//           a base-map tile -> the network, keeping a copy in the bounded tile cache; the copy when
//             the network fails;
//           anything else (the rest of the API, log-in, other pages) is not touched.

import { CACHE_PREFIX, DATA_CACHE, OFFLINE_HEADER, dataCacheKey, shellCacheKey, staleCaches } from './offline/shell.js';
import { TILE_CACHE, createTileStore, isTileRequest } from './offline/tiles.js';

// Replaced by build.mjs with a hash of the shell files: a new build is a new cache.
// eslint-disable-next-line no-undef
const CACHE = CACHE_PREFIX + __SHELL_VERSION__;
// Replaced by build.mjs with the shell files' paths as built (bundles with their hashed names).
// eslint-disable-next-line no-undef
const SHELL = __SHELL_FILES__;
const tiles = createTileStore(() => caches.open(TILE_CACHE));
/** Tile hosts that answered without CORS while online: their tiles are passed through, uncached. */
const noCors = new Set();

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(staleCaches(names, CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

/** A cached answer marked as given offline. */
function markedOffline(cached) {
  const headers = new Headers(cached.headers);
  headers.set(OFFLINE_HEADER, '1');
  return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
}

async function settingsOrBoundaries(event, key) {
  try {
    const response = await fetch(event.request);
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(DATA_CACHE).then((cache) => cache.put(key, copy)).catch(() => {}));
    }
    return response;
  } catch (error) {
    const cached = await caches.open(DATA_CACHE).then((cache) => cache.match(key));
    if (cached) return markedOffline(cached);
    throw error;
  }
}

async function tile(event) {
  const { request } = event;
  const url = new URL(request.url);
  const sameOrigin = url.origin === self.location.origin;
  if (!sameOrigin && noCors.has(url.origin)) return fetch(request);
  let response;
  try {
    // with CORS (no credentials), so that the size can be read and kept within the bound
    response = await fetch(sameOrigin ? request : new Request(request.url, { mode: 'cors', credentials: 'omit', referrer: request.referrer }));
  } catch (error) {
    const cached = await tiles.match(request.url);
    if (cached) return cached;
    if (sameOrigin) throw error;
    if (self.navigator.onLine !== false) noCors.add(url.origin); // online, yet refused: a host without CORS
    return fetch(request); // as the page asked (no CORS); fails as it would have without signal
  }
  if (response.ok) event.waitUntil(tiles.put(request.url, response.clone()).catch(() => false));
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const origin = self.location.origin;
  const shellKey = shellCacheKey(request, origin, SHELL);
  if (shellKey !== null) {
    event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(shellKey))
        .then((cached) => cached ?? fetch(request)),
    );
    return;
  }
  const dataKey = dataCacheKey(request, origin);
  if (dataKey !== null) {
    event.respondWith(settingsOrBoundaries(event, dataKey));
    return;
  }
  if (isTileRequest(request)) event.respondWith(tile(event));
  // anything else: not ours, the browser fetches it as if there were no worker
});
