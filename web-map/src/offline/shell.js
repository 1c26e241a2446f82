// What the service worker (sw.js) keeps for use without signal: the report page's "app shell".
// Only these files are ever cached, and they are served cache-first (the cache is replaced as a
// whole when a new build changes any of them, see build.mjs). Nothing under /api/ is cached:
// the report page keeps the data it needs offline (categories, the queue) itself.

/** Paths of the app shell, as requested by the page. */
export const SHELL_FILES = [
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

/** Navigations that show the report page (with any query or fragment). */
const REPORT_PAGES = new Set(['/report', '/report/', '/report/index.html']);

/**
 * The cache key (a SHELL_FILES path) that answers a request, or null when the request is left
 * to the network untouched: anything not GET, other origins, the API, and every other file.
 */
export function shellCacheKey({ url, method = 'GET', mode = 'no-cors' }, origin) {
  if (method !== 'GET') return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.origin !== origin) return null;
  const path = parsed.pathname;
  if (path === '/api' || path.startsWith('/api/')) return null; // never: API answers are not cached
  if (mode === 'navigate') return REPORT_PAGES.has(path) ? '/report/' : null;
  return SHELL_FILES.includes(path) && !REPORT_PAGES.has(path) ? path : null;
}

/** The caches left by older builds (to delete once the new one is active). */
export function staleCaches(names, current) {
  return names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== current);
}
