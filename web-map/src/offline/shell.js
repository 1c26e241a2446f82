// What the service worker (sw.js) keeps for use without signal:
//  - the "app shell": the map page (/) and the report page (/report/) with their bundles and Leaflet's
//    images. Only these files, served cache-first; the cache is replaced as a whole when a new build
//    changes any of them (see build.mjs).
//  - the map's settings and boundaries (GET /api/config, /api/boundaries, /api/boundaries/versions):
//    network first, the last answer kept for when there is no signal. Public data, the same for
//    every user. No other API answer is ever cached: the report page keeps what it needs offline
//    (categories, the queue) itself, and incidents, reports and accounts always come from the server.
//  - base-map tiles the user has viewed: see tiles.js.

/**
 * Paths of the app shell, as the page sources name them. The built bundles carry a content hash
 * (/app-HASH.js): build.mjs gives the service worker this list with the hashed names
 * (__SHELL_FILES__), which it passes to shellCacheKey.
 */
export const SHELL_FILES = [
  '/',
  '/app.js',
  '/app.css',
  '/report/',
  '/report/report.js',
  '/report/report.css',
  '/images/marker-icon.png',
  '/images/marker-icon-2x.png',
  '/images/marker-shadow.png',
  '/images/layers.png',
  '/images/layers-2x.png',
];

export const CACHE_PREFIX = 'aim-shell-';
/** The cache of the map's settings and boundaries (kept across builds: it is data, not code). */
export const DATA_CACHE = 'aim-data';

/** Set on an API answer the worker gave from its cache because the network failed (api.js reads it). */
export const OFFLINE_HEADER = 'x-aim-offline';

/** Navigations that show a shell page (with any query or fragment) -> the cached page. */
const PAGES = new Map([
  ['/', '/'],
  ['/index.html', '/'],
  ['/report', '/report/'],
  ['/report/', '/report/'],
  ['/report/index.html', '/report/'],
]);

/** The API answers kept for offline use (network first). */
const DATA_PATHS = new Set(['/api/config', '/api/boundaries', '/api/boundaries/versions']);

function sameOriginPath({ url, method = 'GET' }, origin) {
  if (method !== 'GET') return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.origin === origin ? parsed : null;
}

/**
 * The cache key (a path of `files`, the shell as built) that answers a request, or null when the request is not a
 * shell file: anything not GET, other origins, the API, and every other file.
 */
export function shellCacheKey(request, origin, files = SHELL_FILES) {
  const parsed = sameOriginPath(request, origin);
  if (!parsed) return null;
  const path = parsed.pathname;
  if (path === '/api' || path.startsWith('/api/')) return null; // never: API answers are not shell files
  if ((request.mode ?? 'no-cors') === 'navigate') return PAGES.get(path) ?? null;
  return files.includes(path) && !PAGES.has(path) ? path : null;
}

/**
 * The cache key (the full URL, query included: each boundary level, version and simplification is
 * its own answer) of a settings or boundaries request, or null for every other request.
 */
export function dataCacheKey(request, origin) {
  const parsed = sameOriginPath(request, origin);
  if (!parsed || !DATA_PATHS.has(parsed.pathname)) return null;
  parsed.hash = '';
  return parsed.href;
}

/** The caches left by older builds (to delete once the new one is active). */
export function staleCaches(names, current) {
  return names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== current);
}
