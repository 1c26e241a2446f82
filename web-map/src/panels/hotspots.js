// The hotspot panel (signed-in users): the side panel #aim-analysis beside the map. This module
// holds the panel's state and its requests and wires the parts together:
//   - analysis-frame.js     the panel's frame: fold toggle, short status, body;
//   - hotspot-controls.js   method picker (Forecast first), cell size, emerging interval, period, compare;
//   - hotspot-filters.js    categories and sources;
//   - hotspot-accuracy.js   "Does this map predict?" (hit rate and PAI, on a button);
//   - rankings.js, ward-profile.js   the ward ranking table and the ward (or cell) profile;
// and, on the map, the hotspot cells (layers/hotspots.js), the ward rate choropleth
// (layers/ward-rates.js), their sections of the map legend (legend.js) and the map's period
// (period-label.js: the panel's period drives every layer, main.js gives it to the incidents). The rules (the state, which change reloads
// what, the requests, the lines of text) are pure functions in hotspot-state.js.
//
// Every request uses the same period and filters (analysis-query.js), so the map, the table, the
// profile and a cell's incident list describe the same incidents. The one exception is the
// emerging-hotspot map: it needs a run of periods, so it always covers the last 12 complete
// months (or quarters) before today, whatever the period preset (periods.js emergingWindow); its
// cells' incident lists and trends use that window too, the ward table keeps the period. The
// forecast (the default method) needs enough history: when the server says it has too little
// (meta.enough_history false), the panel asks for the count map of the same selection and shows it
// with the server's note why (hotspot-state.js fallbackRequest); Forecast stays chosen. Answers
// overtaken by a newer request are dropped. The panel folds away (phones: it starts folded, as a
// bottom sheet).
//
// Panels on demand (hotspot-state.js shownData): the cells are requested only while the Hotspots layer
// is on the map, the ward statistics only while the Ward rates layer is on the map or the panel is open.
// What a change makes out of date while nothing shows it is requested when it is shown again. A panel
// folded at first (a phone) adds its layers, and so asks for anything, only when it is first opened.

import { cellIncidentsQuery, seriesQuery, statsQuery } from '../analysis-query.js';
import { el, isNarrow } from '../dom.js';
import { withNote } from '../layers/hotspot-forecast.js';
import { cellBounds, cellSummary, createHotspotLayer, hotspotLegend } from '../layers/hotspots.js';
import { createWardRateLayer, rateLegend } from '../layers/ward-rates.js';
import { seriesWindow, ukToday } from '../periods.js';
import { createAnalysisFrame } from './analysis-frame.js';
import { createAccuracyReadout } from './hotspot-accuracy.js';
import { createHotspotControls } from './hotspot-controls.js';
import { createHotspotFilters } from './hotspot-filters.js';
import { defaultAnalysisState, fallbackRequest, hotspotRequest, hotspotStatus, panelError, reloadsFor, requestCounter, shownData, withPreset } from './hotspot-state.js';
import { createMapLegend } from './legend.js';
import { createPeriodLabel, mapPeriodWords } from './period-label.js';
import { createRankingPanel } from './rankings.js';
import { createWardProfile, profileSummary } from './ward-profile.js';
import { panelPadding } from './side-panel.js';

const EMPTY = { type: 'FeatureCollection', features: [] };
const pick = (object, keys) => Object.fromEntries(keys.map((k) => [k, object[k]]));

/**
 * Creates the panel in `aside` (the hidden <aside id="aim-analysis"> of index.html) and its layers.
 * api: {getCategories, getHotspots, getEmergingHotspots, getHotspotAccuracy, getAreaStats, getAreaSeries, getIncidents, areaStatsCsvUrl}.
 * legend: the map legend (legend.js createMapLegend; one is made when not given); firstLayers():
 * {hotspots, rates}, which of the panel's layers go on the map when it is first shown (both by default).
 * Returns {overlays: {name: layer}, setWards(collection, version), showWard(code, {zoom}), start()}.
 *
 * Test build only: window.aimHotspots = {enabled: true, ready, state(), cells(), ranking(), openCell(i, j)}.
 */
export function createHotspotPanel(L, { map, aside, api, Chart, panes = {}, version, today = ukToday(), legend = null, firstLayers = () => ({ hotspots: true, rates: true }) }) {
  let state = defaultAnalysisState(today, version);
  const requests = { hotspots: requestCounter(), stats: requestCounter() };
  const loading = { hotspots: false, stats: false };
  const stale = { hotspots: false, stats: false }; // out of date while not shown: requested when shown again
  let drawnState = state; // the state of the cells on the map (a cell's incidents use its filters)
  let stats = null;
  let taxonomy = null;
  let ready = false; // after the first cells and rankings
  const error = { hotspots: null, stats: null };

  // --- layers and legend ---
  const rates = createWardRateLayer(L, { pane: panes.rates });
  const cells = createHotspotLayer(L, {
    pane: panes.cells,
    loadIncidents: async (feature) => {
      const query = cellIncidentsQuery(drawnState, cellBounds(feature), 200);
      if (query === null) return { incidents: [], truncated: false };
      const page = await api.getIncidents(query);
      return { incidents: page?.features ?? [], truncated: Boolean(page?.meta?.next_cursor) };
    },
    onTrend: (properties) => showCell(properties),
    categoryLabel: (code) => taxonomy?.categories?.find((c) => c.code === code)?.label ?? code,
  });
  let hotspotMeta = null;
  let forecastNote = null; // why the count map is shown instead of the forecast, or null
  const mapLegend = legend ?? createMapLegend(L, map, { open: !isNarrow() });
  mapLegend.add('hotspots', () => (map.hasLayer(cells.layer) && hotspotMeta ? withNote(hotspotLegend(cells.method(), hotspotMeta, cells.classes(), cells.features()), forecastNote) : null), 10);
  mapLegend.add('rates', () => (map.hasLayer(rates.layer) && stats ? rateLegend(stats.areas, rates.classes()) : null), 20);
  const period = createPeriodLabel(L);
  const listeners = []; // called after every change of state (the map's view URL)
  let started = false;
  const updateLegend = () => mapLegend.update();
  map.on('layeradd', (event) => {
    if (started && (event.layer === cells.layer || event.layer === rates.layer)) loadStale();
  });

  if (AIM_TEST_HOOKS) {
    window.aimHotspots = {
      enabled: true,
      get ready() {
        return ready;
      },
      state: () => ({ ...state, loading: loading.hotspots || loading.stats, drawn: hotspotMeta ? cells.method() : null, note: forecastNote, error: panelError(error) }),
      cells: () => cells.features().map((f) => f.properties),
      ranking: () => (stats?.areas ?? []).map((a) => a.code),
      openCell: (i, j) => cells.openCell(i, j),
      selectCell: (i, j) => cells.select.toggle(i, j),
      selected: () => cells.select.cells(),
    };
  }

  // --- the side panel ---
  let layersAdded = false; // the cells and rates go on the map when the panel is first shown open
  const frame = createAnalysisFrame(aside, { map, onToggle: (expanded) => started && expanded && showLayers() });
  const section = el('section', 'aim-analysis-section hotspot-controls');
  section.id = 'hotspot-controls';
  section.append(el('h2', '', 'Hotspots'));
  frame.body.append(section);
  const controls = createHotspotControls(section, { state: () => state, today, onChange: (patch, what) => change(patch, reloadsFor(what, state)) });
  const filters = createHotspotFilters(section, { onChange: (patch) => change(patch, reloadsFor('filters', state)) });
  const status = el('p', 'aim-analysis-status');
  status.id = 'hotspot-status';
  status.setAttribute('role', 'status');
  const note = el('p', 'aim-analysis-note hotspot-note'); // the forecast's fallback, in the server's words
  note.id = 'hotspot-note';
  note.hidden = true;
  section.append(status, note);
  const accuracy = createAccuracyReadout(frame.body, { getHotspotAccuracy: api.getHotspotAccuracy, state: () => state, today });
  const rankings = createRankingPanel(frame.body, { onSelect: (code) => showWard(code, { zoom: true }) });
  // the shown ward is part of the map's view URL: listeners hear of it being opened or closed
  const profile = createWardProfile(frame.body, {
    Chart,
    onClose: () => {
      rankings.select(null);
      listeners.forEach((listener) => listener(state));
    },
  });

  function showControls() {
    controls.show(state);
    filters.show(state);
    period.set(mapPeriodWords(state, today));
  }

  /** The panel's layers the map should show when the panel is first shown (firstLayers). */
  function addFirstLayers() {
    layersAdded = true;
    const wanted = firstLayers();
    if (wanted.hotspots) cells.layer.addTo(map);
    if (wanted.rates) rates.layer.addTo(map);
  }

  /** Applies a change of state and reloads what depends on it. */
  function change(patch, { hotspots = true, stats: reloadStats = true } = {}) {
    state = { ...state, ...patch };
    listeners.forEach((listener) => listener(state));
    showControls();
    if (hotspots || reloadStats) accuracy.reset(state); // the figures shown were for the map before
    refresh({ hotspots, stats: reloadStats });
    if (!reloadStats && patch.compare !== undefined) redrawStats();
  }

  /** What is on screen now: {hotspots, stats} (see shownData). */
  function shown() {
    return shownData({ cellsOnMap: map.hasLayer(cells.layer), ratesOnMap: map.hasLayer(rates.layer), panelOpen: frame.expanded() });
  }

  /** Marks `what` ({hotspots, stats}) out of date and requests the parts that are shown. */
  function refresh(what) {
    if (what.hotspots) stale.hotspots = true;
    if (what.stats) stale.stats = true;
    return loadStale();
  }

  /** Requests what is out of date and shown; resolves when those answers are in. */
  function loadStale() {
    const now = shown();
    const loads = [];
    if (stale.hotspots && now.hotspots) loads.push(loadHotspots());
    if (stale.stats && now.stats) loads.push(loadStats());
    markReady();
    return Promise.all(loads);
  }

  /** The panel's layers on the map (once: afterwards they are the layer control's), and what they show. */
  function showLayers() {
    if (!layersAdded) addFirstLayers();
    loadStale();
  }

  function showStatus() {
    const message = panelError(error);
    status.classList.toggle('aim-error', Boolean(message));
    if (message) status.textContent = message;
    frame.setShortStatus(message ? 'error' : '');
  }

  function clearCells(method) {
    cells.setData(EMPTY, method);
    hotspotMeta = null;
    showNote(null);
    updateLegend();
  }

  function showNote(text) {
    forecastNote = text;
    note.textContent = text ?? '';
    note.hidden = !text;
  }

  async function loadHotspots() {
    stale.hotspots = false;
    const mine = requests.hotspots.next();
    const { kind, query, asked } = hotspotRequest(state, today);
    if (query === null) {
      clearCells(state.method);
      status.textContent = 'Nothing to map: no category or no source is ticked.';
      markReady();
      return;
    }
    loading.hotspots = true;
    status.textContent = 'Loading hotspots…';
    try {
      let collection = await (kind === 'emerging' ? api.getEmergingHotspots(query) : api.getHotspots(query));
      if (!requests.hotspots.current(mine)) return;
      let drawn = asked;
      const fallback = fallbackRequest(asked, collection); // too little history for a forecast: the count map
      if (fallback) {
        collection = await api.getHotspots(fallback.query);
        if (!requests.hotspots.current(mine)) return;
        drawn = fallback.asked;
      }
      drawnState = drawn;
      cells.setData(collection, drawn.method);
      if (profile.current?.kind === 'cell') profile.hide(); // that cell's figures were for the old analysis
      hotspotMeta = collection.meta ?? {};
      error.hotspots = null;
      status.textContent = hotspotStatus(drawn.method, collection);
      showNote(fallback?.note ?? null);
      updateLegend();
    } catch (e) {
      if (!requests.hotspots.current(mine)) return;
      error.hotspots = `Hotspots not loaded: ${e.message}`;
      // refused (e.g. too few periods for a trend): no other method's cells under the Emerging choice
      if (kind === 'emerging' && e.status) clearCells(asked.method);
    } finally {
      if (requests.hotspots.current(mine)) loading.hotspots = false;
      showStatus();
      markReady();
    }
  }

  async function loadStats() {
    stale.stats = false;
    const mine = requests.stats.next();
    const query = statsQuery(state);
    if (query === null) {
      stats = { meta: null, areas: [] };
      rates.setRates([]);
      rankings.showMessage('Nothing to rank: no category or no source is ticked.');
      updateLegend();
      markReady();
      return;
    }
    loading.stats = true;
    try {
      const answer = await api.getAreaStats(query);
      if (!requests.stats.current(mine)) return;
      stats = answer;
      error.stats = null;
      rates.setRates(stats.areas);
      redrawStats();
      updateLegend();
      // the profile follows the period and filters
      if (profile.current?.kind === 'ward') showWard(profile.current.key, { zoom: false });
    } catch (e) {
      if (!requests.stats.current(mine)) return;
      error.stats = `Ward rates not loaded: ${e.message}`;
      rankings.showMessage(error.stats);
    } finally {
      if (requests.stats.current(mine)) loading.stats = false;
      showStatus();
      markReady();
    }
  }

  function redrawStats() {
    if (!stats) return;
    rankings.show(stats, { compare: state.compare, csvUrl: api.areaStatsCsvUrl(statsQuery(state, { format: 'csv' })) });
    const shown = profile.current;
    if (shown?.kind === 'ward') profile.setLines(profileSummary(rowOf(shown.key), stats.meta, state.compare));
  }

  /** Ready once every shown part has its first answer (a folded panel with its layers off: at once). */
  function markReady() {
    if (!started || loading.hotspots || loading.stats) return;
    const now = shown();
    if ((!now.hotspots || requests.hotspots.started) && (!now.stats || requests.stats.started)) ready = true;
  }

  const rowOf = (code) => stats?.areas?.find((a) => a.code === code) ?? null;

  /** Zooms to a ward (when asked) and shows its profile. */
  function showWard(code, { zoom = true } = {}) {
    if (!code) return;
    const row = rowOf(code);
    const bounds = rates.bounds(code);
    if (zoom && bounds) map.fitBounds(bounds, { ...panelPadding(map, 24), maxZoom: 15 }); // clear of a phone's sheet
    rankings.select(code);
    const query = seriesQuery(state, seriesWindow(state.to));
    if (query === null) return;
    const name = row?.name ?? wardName(code) ?? code;
    profile.show({
      kind: 'ward',
      key: code,
      title: name,
      lines: profileSummary(row, stats?.meta, state.compare),
      period: { from: state.from, to: state.to },
      loadSeries: () => api.getAreaSeries('ward', code, query),
    });
    listeners.forEach((listener) => listener(state));
  }

  function showCell(properties) {
    const size = hotspotMeta?.cell;
    const query = seriesQuery(drawnState, seriesWindow(drawnState.to), { cell: { i: properties.i, j: properties.j, size } });
    if (query === null || !Number.isFinite(size)) return;
    rankings.select(null);
    const { title, detail } = cellSummary(properties, cells.method());
    frame.setExpanded(true);
    profile.show({
      kind: 'cell',
      key: `${properties.i},${properties.j}`,
      title: `Grid cell ${properties.i}, ${properties.j} (${Math.round(size)} m)`,
      lines: [title, detail].filter(Boolean),
      period: { from: drawnState.from, to: drawnState.to },
      loadSeries: () => api.getAreaSeries('borough', 'all', query),
    });
    listeners.forEach((listener) => listener(state)); // no ward shown now
  }

  let wardNames = new Map();
  const wardName = (code) => wardNames.get(code);

  return {
    overlays: { Hotspots: cells.layer, 'Ward rates': rates.layer },
    legend: mapLegend.control,
    /** Whether the panel has put its layers on the map yet (a phone's folded panel: not before it is opened). */
    layersShown: () => layersAdded,
    /** The ward boundaries drawn by main.js (for the choropleth and zooming), and their version. */
    setWards(collection, wardVersion) {
      wardNames = new Map((collection?.features ?? []).map((f) => [f.properties?.code, f.properties?.name]));
      rates.setWards(collection);
      if (wardVersion !== state.version) change({ version: wardVersion }); // another ward set: new rankings and cells
    },
    showWard,
    /** The ward code whose profile is shown, or null. */
    shownWard: () => (profile.current?.kind === 'ward' ? profile.current.key : null),
    /** "Select cells" mode of the hotspot cells (layers/hotspots.js select). */
    selection: cells.select,
    /** Adds a section to the legend: `section()` -> {title, items, notes} | null, asked at every update. */
    addLegend(section, key = 'other', rank = 50) {
      mapLegend.add(key, section, rank);
    },
    updateLegend,
    /** The state's parts a map view URL holds: {method, cell, grid, from, to, categories}. */
    view: () => ({ method: state.method, cell: state.cell, grid: state.grid, from: state.from, to: state.to, categories: state.categories }),
    /**
     * Applies a view's parts (from a shared URL, or a role's first period preset); before start() they
     * are simply the first state. Dates win over a preset.
     */
    applyView(patch) {
      const next = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null && v !== undefined));
      if (next.from || next.to) next.preset = 'custom';
      else if (next.preset) Object.assign(next, pick(withPreset(state, next.preset, today), ['preset', 'from', 'to']));
      if (!started) state = { ...state, ...next };
      else change(next);
    },
    onChange(listener) {
      listeners.push(listener);
    },
    /**
     * Loads the categories, adds the legend and (unless the panel starts folded) the layers to the map,
     * and makes the first requests of what is shown.
     */
    async start() {
      started = true;
      showControls();
      accuracy.reset(state);
      if (frame.expanded()) addFirstLayers();
      period.control.addTo(map);
      try {
        taxonomy = await api.getCategories();
      } catch {
        taxonomy = null; // the filters offer sources only; the analysis still runs on all categories
      }
      filters.build(taxonomy, state);
      await refresh({ hotspots: true, stats: true });
    },
  };
}
