// The only module that talks to the server (the only caller of fetch()).
//
// Errors: the server answers failures with RFC 9457 problem JSON
// ({"title", "detail", "status", ...}); every function here then throws an Error
// whose message is the problem's detail (see problemToError).
//
// createApi(fetchFn) exists so unit tests can pass a fake fetch; the app uses the
// functions exported at the bottom, bound to the browser's fetch.

import { SIMPLIFY_MAX } from './simplify.js';

export const LEVELS = ['ward', 'neighbourhood', 'zone'];

/** URL of GET /api/boundaries for a level, optional version and simplify tolerance. */
export function boundariesUrl(level, { version, simplify } = {}) {
  if (!LEVELS.includes(level)) throw new Error(`Unknown boundary level: ${level}`);
  const params = new URLSearchParams({ level });
  if (version !== undefined && version !== null && version !== '') params.set('version', version);
  if (simplify !== undefined && simplify !== null) {
    const metres = Math.round(Number(simplify));
    if (!Number.isFinite(metres)) throw new Error(`Bad simplify tolerance: ${simplify}`);
    params.set('simplify', String(Math.min(SIMPLIFY_MAX, Math.max(0, metres))));
  }
  return `/api/boundaries?${params}`;
}

/**
 * Turns a failed response into an Error. `body` is the parsed JSON body, or null
 * when the body was not JSON. The message is the problem's detail, else its title,
 * else "HTTP <status> <statusText>". The Error also carries .status and .problem.
 */
export function problemToError(status, statusText, body) {
  const problem = body && typeof body === 'object' && !Array.isArray(body) ? body : null;
  const message =
    (problem && typeof problem.detail === 'string' && problem.detail) ||
    (problem && typeof problem.title === 'string' && problem.title) ||
    `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const error = new Error(message);
  error.status = status;
  error.problem = problem;
  return error;
}

export function createApi(fetchFn) {
  async function getJson(url) {
    let response;
    try {
      response = await fetchFn(url, { headers: { Accept: 'application/json, application/problem+json' } });
    } catch (cause) {
      throw new Error(`Cannot reach the AIM server (${cause.message})`, { cause });
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok) throw new Error(`The server sent invalid JSON for ${url}`);
    }
    if (!response.ok) throw problemToError(response.status, response.statusText, body);
    return body;
  }

  return {
    /** {tiles: {url, attribution, maxZoom}} */
    getConfig: () => getJson('/api/config'),
    /** [{level, version, validFrom, validTo, featureCount, current, demo, attribution, basedOn}] */
    getBoundaryVersions: () => getJson('/api/boundaries/versions'),
    /** GeoJSON FeatureCollection with a top-level `meta` object. */
    getBoundaries: (level, options) => getJson(boundariesUrl(level, options)),
  };
}

const browserApi = createApi((...args) => globalThis.fetch(...args));
export const { getConfig, getBoundaryVersions, getBoundaries } = browserApi;
