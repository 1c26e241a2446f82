// The service worker (dist/sw.js, scope "/"): keeps the report page's app shell so that it opens
// with no signal. See offline/shell.js for what is cached and README.md for the design.
//
// install:  fetch every shell file (bypassing the HTTP cache) into the cache of this build;
// activate: delete the caches of older builds, take control of open pages at once;
// fetch:    a shell request -> the cached copy (network if somehow missing); anything else
//           (the API, the main map, log-in) is not touched and goes to the network as usual.

import { CACHE_PREFIX, SHELL_FILES, shellCacheKey, staleCaches } from './offline/shell.js';

// Replaced by build.mjs with a hash of the shell files: a new build is a new cache.
// eslint-disable-next-line no-undef
const CACHE = CACHE_PREFIX + __SHELL_VERSION__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL_FILES.map((path) => new Request(path, { cache: 'reload' }))))
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

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const key = shellCacheKey(request, self.location.origin);
  if (key === null) return; // not ours: the browser fetches it as if there were no worker
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key))
      .then((cached) => cached ?? fetch(request)),
  );
});
