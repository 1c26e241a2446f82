// The only module that talks to the server (the only caller of fetch()).
//
// Errors: the server answers failures with RFC 9457 problem JSON
// ({"title", "detail", "status", "field", ...}); every function here then throws an Error
// whose message is the problem's detail (see problemToError), with .status and .problem.
// When the server cannot be reached at all (fetch throws: offline, DNS, reset), the Error
// has .network === true and no status; the warden report queue relies on that distinction.
//
// Requests are same-origin, so the browser sends the HttpOnly session cookie (aim_session)
// by itself; nothing here reads or stores it.
//
// createApi(fetchFn) exists so unit tests can pass a fake fetch; the app uses the
// functions exported at the bottom, bound to the browser's fetch.

import { SIMPLIFY_MAX } from './simplify.js';

export const LEVELS = ['ward', 'neighbourhood', 'zone', 'lsoa'];

const ACCEPT = 'application/json, application/geo+json, application/problem+json';

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

/** An Error for a request that never got an answer (fetch threw). */
export function networkError(cause) {
  const error = new Error(`Cannot reach the AIM server (${cause?.message ?? cause})`, { cause });
  error.network = true;
  return error;
}

export function createApi(fetchFn) {
  /** One request; resolves to the parsed JSON body (null for an empty body). */
  async function request(url, { method = 'GET', json, body, headers = {} } = {}) {
    const init = { method, headers: { Accept: ACCEPT, ...headers } };
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (body !== undefined) {
      init.body = body; // FormData: the browser sets the multipart Content-Type with its boundary
    }
    if (method === 'GET') init.cache = 'no-store';
    let response;
    try {
      response = await fetchFn(url, init);
    } catch (cause) {
      throw networkError(cause);
    }
    let text;
    try {
      text = await response.text();
    } catch (cause) {
      throw networkError(cause); // the connection dropped while the body was arriving
    }
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok) throw new Error(`The server sent invalid JSON for ${url}`);
    }
    if (!response.ok) throw problemToError(response.status, response.statusText, parsed);
    return parsed;
  }

  /** A vector tile as an ArrayBuffer, or null for an empty tile (204); `cache` is the fetch cache mode. */
  async function tile(path, cache) {
    let response;
    try {
      response = await fetchFn(path, { headers: { Accept: 'application/vnd.mapbox-vector-tile, application/problem+json' }, cache });
    } catch (cause) {
      throw networkError(cause);
    }
    if (response.status === 204) return null;
    if (!response.ok) {
      let body = null;
      try {
        body = await response.json();
      } catch {
        // not a problem body: the status alone
      }
      throw problemToError(response.status, response.statusText, body);
    }
    return response.arrayBuffer();
  }

  return {
    /** {tiles: {url, attribution, maxZoom}} */
    getConfig: () => request('/api/config'),
    /** [{level, version, validFrom, validTo, featureCount, current, demo, attribution, basedOn}] */
    getBoundaryVersions: () => request('/api/boundaries/versions'),
    /** GeoJSON FeatureCollection with a top-level `meta` object. */
    getBoundaries: (level, options) => request(boundariesUrl(level, options)),

    /** The signed-in user {id, username, displayName, role}, or null when signed out (401). */
    async getMe() {
      try {
        return await request('/api/me');
      } catch (error) {
        if (error.status === 401) return null;
        throw error;
      }
    },
    /** Signs in (the server sets the session cookie); resolves to the user. */
    logIn: (username, password) => request('/api/login', { method: 'POST', json: { username, password } }),
    logOut: () => request('/api/logout', { method: 'POST' }),

    /** {categories: [{code, label, group, sensitive}], flyTipping: {sizes, wasteTypes, landTypes}, sources, statuses} */
    getCategories: () => request('/api/incidents/categories'),
    /** One page of incidents: `query` is the query string without "?" (see panels/incident-filters.js). */
    getIncidents: (query) => request(`/api/incidents?${query}`),
    /** One incident (GeoJSON Feature with every field the caller may see). */
    getIncident: (id) => request(`/api/incidents/${encodeURIComponent(id)}`),
    /**
     * An incident vector tile (`path` from layers/incident-tiles.js tilePath) as an ArrayBuffer, or null
     * for an empty tile (204). Revalidated with its ETag on every use (an unchanged tile is a 304).
     */
    getIncidentTile: (path) => tile(path, 'no-cache'),
    /**
     * A boundary vector tile (`path` from layers/boundary-tiles.js boundaryTilePath) as an ArrayBuffer, or null
     * for an empty tile: public, kept by the browser as long as the server says (five minutes).
     */
    getBoundaryTile: (path) => tile(path, 'default'),
    /** The TileJSON of a tile layer; its `bounds` are the extent of the current ward set. */
    getTileJson: (layer, { version } = {}) =>
      request(`/tiles/${encodeURIComponent(layer)}.json${version ? `?${new URLSearchParams({ version })}` : ''}`),

    /** POST /api/reports with the report's Idempotency-Key; resolves to the report JSON. */
    postReport: (report, idempotencyKey) =>
      request('/api/reports', { method: 'POST', json: report, headers: { 'Idempotency-Key': idempotencyKey } }),
    /** POST /api/reports/{id}/photos, multipart part "photo". */
    postPhoto(reportId, blob, filename) {
      const form = new FormData();
      form.append('photo', blob, filename || 'photo.jpg');
      return request(`/api/reports/${encodeURIComponent(reportId)}/photos`, { method: 'POST', body: form });
    },
    /** The signed-in user's reports recorded on a day (YYYY-MM-DD). */
    getMyReports: (date) => request(`/api/reports/mine?${new URLSearchParams({ date })}`),

    /** Hotspot cells (GeoJSON with `meta`); `query` from analysis-query.js hotspotQuery. */
    getHotspots: (query) => request(`/api/hotspots?${query}`),
    /** Emerging hot spots (GeoJSON: each cell's `pattern`, trends, slices; `meta`); `query` from emergingQuery. */
    getEmergingHotspots: (query) => request(`/api/hotspots/emerging?${query}`),
    /** {method, cells, a, A, n, N, hitRate, pai, share, baseline, training, test, …} of a method (accuracyQuery). */
    getHotspotAccuracy: (query) => request(`/api/hotspots/accuracy?${query}`),
    /** {meta, areas: [{code, name, count, population, rate, rateNote, rank, previous, change}]} (statsQuery). */
    getAreaStats: (query) => request(`/api/areas/stats?${query}`),
    /** {meta, periods: [{label, start, end, from, to, partial, count}], topCategories} of an area (seriesQuery). */
    getAreaSeries: (level, code, query) =>
      request(`/api/areas/${encodeURIComponent(level)}/${encodeURIComponent(code)}/series?${query}`),

    /** {meta: {periods, changeTests, rag, …}, indicators, rows: [{indicator, area, cells}]} (panels/indicators.js indicatorsQuery). */
    getIndicators: (query) => request(`/api/indicators?${query}`),
    /** {indicators: [{code, name, kind, direction, source, licence, …}]} */
    getIndicatorDefinitions: () => request('/api/indicators/definitions'),
    /** {indicator, targets: [{areaCode, measure, target, tolerancePercent}]} */
    getIndicatorTargets: (code) => request(`/api/indicators/${encodeURIComponent(code)}/targets`),
    /** Replaces the indicator's targets: [{area, target, measure, tolerance}] (analysts and admins). */
    putIndicatorTargets: (code, targets) =>
      request(`/api/indicators/${encodeURIComponent(code)}/targets`, { method: 'PUT', json: { targets } }),

    /** Place and postcode search: {meta: {q, postcode?, order, suggestions}, places: [{kind, name, code, context, centre, bbox, source, licence}]}. */
    getPlaces: (q, limit = 8) => request(`/api/places?${new URLSearchParams({ q, limit: String(limit) })}`),
    /** The public view (no sign-in): areas as JSON or GeoJSON (`query` from public/public-view.js areasQuery). */
    getPublicAreas: (query) => request(`/api/public/areas?${query}`),
    /** The public grid (GeoJSON; `query` from hotspotsQuery). */
    getPublicHotspots: (query) => request(`/api/public/hotspots?${query}`),

    ...assetCalls(request), // community assets: see assetCalls at the end of this file
    ...loopCalls(request), // the meeting loop: see loopCalls at the end of this file
  };
}

/** The CSV download of GET /api/areas/stats (a link: the browser downloads it with the session cookie). */
export function areaStatsCsvUrl(query) {
  return `/api/areas/stats?${query}`;
}

/**
 * The browser's fetch, telling the page whether the server was reached: an 'aim-network' event
 * {ok} after each request (offline/status.js shows "Offline"); an answer the service worker gave
 * from its cache because the network failed (header x-aim-offline) counts as not reached.
 */
async function reportingFetch(...args) {
  let response;
  try {
    response = await globalThis.fetch(...args);
  } catch (error) {
    announce(false);
    throw error;
  }
  announce(!response.headers?.get?.('x-aim-offline'));
  return response;
}

function announce(ok) {
  if (typeof window === 'undefined' || typeof CustomEvent === 'undefined') return;
  window.dispatchEvent(new CustomEvent('aim-network', { detail: { ok } }));
}

const browserApi = createApi(reportingFetch);

/** Asks for a URL again, ignoring the answer (offline/status.js: to let the service worker keep it). */
export function fetchAgain(url) {
  return globalThis.fetch(url, { cache: 'no-store', credentials: 'same-origin' }).then(() => true, () => false);
}
export const {
  getConfig,
  getBoundaryVersions,
  getBoundaries,
  getMe,
  logIn,
  logOut,
  getCategories,
  getIncidents,
  getIncident,
  getIncidentTile,
  getBoundaryTile,
  getTileJson,
  postReport,
  postPhoto,
  getMyReports,
  getHotspots,
  getEmergingHotspots,
  getHotspotAccuracy,
  getAreaStats,
  getAreaSeries,
  getIndicators,
  getIndicatorDefinitions,
  getIndicatorTargets,
  putIndicatorTargets,
  getPlaces,
} = browserApi;

/**
 * The community asset calls (assets/layer.js, assets/*-panel.js); `query` strings come from
 * assets/query.js. Errors are problem Errors as above: `.problem.field` names the body field at fault.
 */
function assetCalls(request) {
  return {
    /** {categories: [{code, label, parent, sort}], kinds, stale_after_days} */
    getAssetCategories: () => request('/api/assets/categories'),
    /** One page of assets (FeatureCollection, meta.next_cursor); people only for roles allowed to see them. */
    getAssets: (query) => request(`/api/assets?${query}`),
    /** Directory search: FeatureCollection, `distance_m` on each feature when near= was given. */
    searchAssets: (query) => request(`/api/assets/search?${query}`),
    /** {nearest: [Feature], services_within_walk: FeatureCollection, walk_m} */
    getNearestAssets: (query) => request(`/api/assets/nearest?${query}`),
    /** {areas: [{code, name, population, assets, per_1000, by_category, covered_share}], distance_m} */
    getAssetCoverage: (query) => request(`/api/assets/coverage?${query}`),
    /** {hotspots, gaps: FeatureCollection, overlaps: FeatureCollection} */
    getAssetGaps: (query) => request(`/api/assets/gaps?${query}`),
    /** POST /api/assets: resolves to the stored Feature. */
    createAsset: (body) => request('/api/assets', { method: 'POST', json: body }),
    /** PUT /api/assets/{id}: replaces the asset; resolves to the stored Feature. */
    updateAsset: (id, body) => request(`/api/assets/${encodeURIComponent(id)}`, { method: 'PUT', json: body }),
    /** DELETE /api/assets/{id}: retires it (kept, no longer listed). */
    retireAsset: (id) => request(`/api/assets/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    /** POST /api/assets/import?format=csv|openreferral[&category=], the file as multipart part "file"; the import report. */
    importAssets(file, { format = 'csv', category = '' } = {}) {
      const params = new URLSearchParams({ format });
      if (category) params.set('category', category);
      const form = new FormData();
      form.append('file', file, file?.name || (format === 'csv' ? 'assets.csv' : 'assets.json'));
      return request(`/api/assets/import?${params}`, { method: 'POST', body: form });
    },
  };
}

export const { getPublicAreas, getPublicHotspots } = browserApi;

export const {
  getAssetCategories,
  getAssets,
  searchAssets,
  getNearestAssets,
  getAssetCoverage,
  getAssetGaps,
  createAsset,
  updateAsset,
  retireAsset,
  importAssets,
} = browserApi;

/** `?a=1&b=2` of the set values of `params` ('' when none). */
export function queryOf(params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The briefing of a meeting as a link: format html or pdf (json is the default of the API). */
export function briefingUrl(meetingId, format = 'html') {
  return `/api/meetings/${encodeURIComponent(meetingId)}/briefing${queryOf({ format })}`;
}

/**
 * The meeting loop (problems, actions, escalations, organisations, meetings; loop contract). Creating
 * POSTs take the caller's Idempotency-Key (one per form submission, kept across retries), so a retry
 * never makes a second problem, action, meeting or decision. Errors: `.problem.field` names the field.
 */
function loopCalls(request) {
  const id = (value) => encodeURIComponent(value);
  const create = (url, body, key) => request(url, { method: 'POST', json: body, headers: key ? { 'Idempotency-Key': key } : {} });
  const patch = (url, body, revision) =>
    request(url, { method: 'PATCH', json: body, headers: revision !== undefined && revision !== null ? { 'If-Match': `"${revision}"` } : {} });
  return {
    /** [{id, code, name, kind, active}] sorted by name. */
    getOrganisations: () => request('/api/organisations'),
    /** FeatureCollection of problem places; filters {stage, owner, organisation, bbox}. */
    getProblems: (filters = {}) => request(`/api/problems${queryOf(filters)}`),
    /** The problem with its progress, actions (visible ones), escalations and history. */
    getProblem: (problemId) => request(`/api/problems/${id(problemId)}`),
    createProblem: (body, key) => create('/api/problems', body, key),
    /** PATCH with If-Match of the revision shown (412 when someone changed it meanwhile). */
    updateProblem: (problemId, body, revision) => patch(`/api/problems/${id(problemId)}`, body, revision),
    addAction: (problemId, body, key) => create(`/api/problems/${id(problemId)}/actions`, body, key),
    /** [<action>]; filters {organisation (code | 'mine'), status, overdue, problem}. */
    getActions: (filters = {}) => request(`/api/actions${queryOf(filters)}`),
    updateAction: (actionId, body, revision) => patch(`/api/actions/${id(actionId)}`, body, revision),
    escalate: (problemId, reason) => request(`/api/problems/${id(problemId)}/escalations`, { method: 'POST', json: { reason } }),
    /** body {decision: accepted | returned, note, meeting?}. */
    decideEscalation: (escalationId, body) => request(`/api/escalations/${id(escalationId)}`, { method: 'PATCH', json: body }),
    /** [{id, heldOn, title, attendees, agendaCount, decisionCount}] newest first. */
    getMeetings: () => request('/api/meetings'),
    getMeeting: (meetingId) => request(`/api/meetings/${id(meetingId)}`),
    createMeeting: (body, key) => create('/api/meetings', body, key),
    updateMeeting: (meetingId, body) => request(`/api/meetings/${id(meetingId)}`, { method: 'PATCH', json: body }),
    addDecision: (meetingId, body, key) => create(`/api/meetings/${id(meetingId)}/decisions`, body, key),
    /** "Did it work?": {area | action, after_from, after_to, before_from, before_to, buffer, control, category}. */
    getEvaluation: (params) => request(`/api/evaluation${queryOf(params)}`),
    /** {controls: [{code, name, level, trend, distance}]}: the wards most alike before; params as getEvaluation and k. */
    getControlSuggestions: (params) => request(`/api/evaluation/controls${queryOf(params)}`),
  };
}

export const {
  getOrganisations,
  getProblems,
  getProblem,
  createProblem,
  updateProblem,
  addAction,
  getActions,
  updateAction,
  escalate,
  decideEscalation,
  getMeetings,
  getMeeting,
  createMeeting,
  updateMeeting,
  addDecision,
  getEvaluation,
  getControlSuggestions,
} = browserApi;
