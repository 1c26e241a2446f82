// The hotspot panel (signed-in users): the side panel #aim-analysis beside the map, with
//   - the analysis controls: method (counts, Gi* hot/cold spots, density, emerging hot spots with
//     their interval), cell size, period (last month, last quarter, this financial year, custom
//     dates), "compare with the previous period", categories and sources;
//   - "Does this map predict?": on a button, the accuracy (hit rate, PAI) of the map shown, made from
//     the period and tested on the next one (GET /api/hotspots/accuracy);
//   - the ward ranking table (panels/rankings.js) and the ward profile (panels/ward-profile.js);
// and, on the map, the hotspot cells (layers/hotspots.js), the ward rate choropleth
// (layers/ward-rates.js) and their legend (panels/legend.js).
//
// Every request uses the same period and filters (analysis-query.js), so the map, the table, the
// profile and a cell's incident list describe the same incidents. The one exception is the
// emerging-hotspot map: it needs a run of periods, so it always covers the last 12 complete
// months (or quarters) before today, whatever the period preset (periods.js emergingWindow); its
// cells' incident lists and trends use that window too, the ward table keeps the period. Answers overtaken by a newer
// request are dropped. The panel folds away (phones: it starts folded, as a bottom sheet).
//
// The pure functions at the top are unit-tested; createHotspotPanel() is the DOM wiring.

import { accuracyQuery, cellIncidentsQuery, CELL_SIZES, DEFAULT_CELL, DEFAULT_INTERVAL, emergingQuery, hotspotQuery, seriesQuery, statsQuery } from '../analysis-query.js';
import { formatInteger } from '../html.js';
import { cellBounds, cellSummary, createHotspotLayer, hotspotLegend, METHODS, patternSide } from '../layers/hotspots.js';
import { createWardRateLayer, rateLegend } from '../layers/ward-rates.js';
import { emergingWindow, formatDateRange, nextPeriod, presetPeriod, PRESETS, seriesWindow, ukToday } from '../periods.js';
import { filterGroups, filterSummary, selection, SOURCE_LABELS } from './incident-filters.js';
import { createLegendControl } from './legend.js';
import { createRankingPanel } from './rankings.js';
import { createWardProfile, profileSummary } from './ward-profile.js';

export const DEFAULT_METHOD = 'grid';
export const DEFAULT_PRESET = 'last-quarter';

/** The panel's first state: counts of the last complete financial quarter, compared with the one before. */
export function defaultAnalysisState(today, version) {
  const period = presetPeriod(DEFAULT_PRESET, today);
  return {
    method: DEFAULT_METHOD,
    cell: DEFAULT_CELL,
    interval: DEFAULT_INTERVAL,
    preset: DEFAULT_PRESET,
    from: period.from,
    to: period.to,
    compare: true,
    categories: null,
    sources: null,
    version,
  };
}

/** The state with another preset: its dates (custom keeps the dates shown). */
export function withPreset(state, preset, today) {
  const period = presetPeriod(preset, today);
  return period ? { ...state, preset, from: period.from, to: period.to } : { ...state, preset: 'custom' };
}

/** 'Q2 26/27: 1 Jul – 30 Sep 2026' (a preset) or '3 Jun – 9 Jun 2026' (custom). */
export function periodText(state, today) {
  const range = formatDateRange(state.from, state.to);
  const period = presetPeriod(state.preset, today);
  return period && period.from === state.from && period.to === state.to ? `${period.label}: ${range}` : range;
}

/**
 * The hotspot map's request for a state: {kind: 'emerging'|'map', query (null: nothing to ask
 * for), asked (the state the cells describe: for emerging, its from/to are the emerging window)}.
 */
export function hotspotRequest(state, today) {
  if (state.method === 'emerging') {
    const window = emergingWindow(state.interval, today);
    const asked = { ...state, from: window.from, to: window.to };
    return { kind: 'emerging', query: emergingQuery(asked), asked };
  }
  return { kind: 'map', query: hotspotQuery(state), asked: state };
}

/** The panel's note on the emerging window: why it ignores the period, and which dates it covers. */
export function emergingText(interval, today) {
  const window = emergingWindow(interval, today);
  return (
    `Emerging hot spots compare the last ${window.label.replace(/,.*/, '')} (complete ${interval === 'quarter' ? 'financial quarters' : 'months'}: ` +
    `${formatDateRange(window.from, window.to)}), whatever the period above: a trend needs at least 10 periods. ` +
    'The period still sets the ward table.'
  );
}

/** One line about the cells drawn: '12 hot-spot cells, 1 cold-spot cell · 209 incidents · 1,338 cells of 250 m'. */
export function hotspotStatus(method, collection) {
  const features = collection?.features ?? [];
  const meta = collection?.meta ?? {};
  const plural = (n, word) => `${formatInteger(n)} ${word}${n === 1 ? '' : 's'}`;
  let first;
  if (method === 'emerging') {
    const hot = features.filter((f) => patternSide(f.properties?.pattern) > 0).length;
    const cold = features.filter((f) => patternSide(f.properties?.pattern) < 0).length;
    const slices = Array.isArray(meta.slices) ? meta.slices.length : 0;
    first = `${plural(hot, 'cell')} with a hot-spot pattern, ${formatInteger(cold)} with a cold-spot pattern`;
    if (slices > 0) first += ` · ${plural(slices, meta.interval === 'quarter' ? 'quarter' : 'month')}`;
  } else if (method === 'gistar') {
    const hot = features.filter((f) => f.properties?.bin > 0).length;
    const cold = features.filter((f) => f.properties?.bin < 0).length;
    first = `${plural(hot, 'hot-spot cell')}, ${plural(cold, 'cold-spot cell')}`;
  } else if (method === 'kde') {
    const hot = features.filter((f) => f.properties?.hotspot === true).length;
    first = `${plural(hot, 'hotspot cell')}${Number.isFinite(meta.top) ? ` (top ${meta.top}%)` : ''}`;
  } else {
    first = plural(features.filter((f) => f.properties?.count > 0).length, 'cell') + ' with incidents';
  }
  const parts = [first];
  if (Number.isFinite(meta.incidents)) parts.push(plural(meta.incidents, 'incident'));
  if (Number.isFinite(meta.n_cells) && Number.isFinite(meta.cell)) parts.push(`${plural(meta.n_cells, 'cell')} of ${Math.round(meta.cell)} m`);
  // roles without personal-data access: the server counts sensitive categories at their square's centre
  if (Number.isFinite(meta.redaction?.generalised_metres)) {
    parts.push(`sensitive categories at the centre of their ${meta.redaction.generalised_metres} m square`);
  }
  return parts.join(' · ');
}

/** What PAI means, in one line. */
export const PAI_TEXT =
  'PAI (Predictive Accuracy Index) = share of incidents caught ÷ share of area flagged: 1 is no better than chance, higher is better.';

/**
 * Whether "Does this map predict?" can ask the server: {query} to send (GET /api/hotspots/accuracy),
 * or {message} saying why not (emerging hot spots, nothing ticked, the next period not begun yet).
 */
export function accuracyPlan(state, today) {
  if (state.method === 'emerging') return { message: 'Choose Counts, Hot spots (Gi*) or Density to test a map.' };
  const query = accuracyQuery(state);
  if (query === null) return { message: 'Nothing to test: no category or no source is ticked.' };
  const next = nextPeriod(state.from, state.to);
  if (next.from > today) {
    return {
      message: `The next period (${formatDateRange(next.from, next.to)}) has not happened yet: choose an earlier period to test its map against the one after it.`,
    };
  }
  return { query };
}

const percent = (rate) => {
  const p = rate * 100;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
};
const paiText = (pai) => (Number.isFinite(pai) ? `PAI ${pai.toFixed(1)}` : 'PAI –');
const incidents = (n) => `${formatInteger(n)} incident${n === 1 ? '' : 's'}`;

/**
 * The server's accuracy answer in words: {lines: [sentence, …], empty (no test incidents)}.
 * 'The top 3% of the area (12 cells) held 41% of the next period's incidents (PAI 13.7); the simple
 * count map: 38% (PAI 12.7)', the windows and counts, and what PAI means. A test period still
 * running on `today` is "so far".
 */
export function accuracyText(answer, today) {
  const test = answer?.test ?? {};
  const training = answer?.training ?? {};
  const testRange = formatDateRange(test.from, test.to);
  const running = typeof test.to === 'string' && test.to >= today;
  if (!Number.isFinite(answer?.hitRate) || !(answer?.N > 0)) {
    const why = typeof test.from === 'string' && test.from > today
      ? `The next period (${testRange}) has not happened yet`
      : `The next period (${testRange}) has no incidents${running ? ' so far' : ''} with these filters`;
    return { empty: true, lines: [`${why}: nothing to test the map against. Choose an earlier period.`] };
  }
  const share = Number.isFinite(answer.share) ? answer.share : 3;
  let first = `The top ${share}% of the area (${formatInteger(answer.cells)} cell${answer.cells === 1 ? '' : 's'}) held ${percent(answer.hitRate)} of the next period's incidents (${paiText(answer.pai)})`;
  const base = answer.baseline;
  if (answer.method !== 'grid' && base && Number.isFinite(base.hitRate)) first += `; the simple count map: ${percent(base.hitRate)} (${paiText(base.pai)})`;
  const second =
    `Map of ${formatDateRange(training.from, training.to)} (${incidents(training.incidents)}), ` +
    `tested on ${testRange}${running ? ' so far' : ''} (${formatInteger(answer.n)} of ${incidents(answer.N)} in those cells).`;
  return { empty: false, lines: [`${first}.`, second, PAI_TEXT] };
}

const isNarrow = () => typeof window !== 'undefined' && window.matchMedia?.('(max-width: 700px)').matches;

/**
 * Creates the panel in `aside` (the hidden <aside id="aim-analysis"> of index.html) and its layers.
 * api: {getCategories, getHotspots, getEmergingHotspots, getHotspotAccuracy, getAreaStats, getAreaSeries, getIncidents, areaStatsCsvUrl}.
 * Returns {overlays: {name: layer}, setWards(collection, version), showWard(code, {zoom}), start()}.
 *
 * window.aimHotspots = {enabled: true, ready, state(), cells(), ranking(), openCell(i, j)}.
 */
export function createHotspotPanel(L, { map, aside, api, Chart, panes = {}, version, today = ukToday() }) {
  let state = defaultAnalysisState(today, version);
  const requests = { hotspots: 0, stats: 0 };
  const loading = { hotspots: false, stats: false };
  let drawnState = state; // the state of the cells on the map (a cell's incidents use its filters)
  let stats = null;
  let taxonomy = null;
  let error = { hotspots: null, stats: null };
  const hook = {
    enabled: true,
    ready: false,
    state: () => ({ ...state, loading: loading.hotspots || loading.stats, drawn: hotspotMeta ? cells.method() : null, error: error.hotspots ?? error.stats }),
    cells: () => cells.features().map((f) => f.properties),
    ranking: () => (stats?.areas ?? []).map((a) => a.code),
    openCell: (i, j) => cells.openCell(i, j),
  };
  window.aimHotspots = hook;

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
  const legend = createLegendControl(L, { open: !isNarrow() });
  function updateLegend() {
    legend.update([
      map.hasLayer(cells.layer) && hotspotMeta ? hotspotLegend(cells.method(), hotspotMeta, cells.classes(), cells.features()) : null,
      map.hasLayer(rates.layer) && stats ? rateLegend(stats.areas, rates.classes()) : null,
    ]);
  }
  map.on('overlayadd overlayremove', updateLegend);

  // --- the side panel ---
  aside.hidden = false;
  aside.replaceChildren();
  const bar = el('div', 'aim-analysis-bar');
  const toggle = el('button', 'aim-analysis-toggle', 'Analysis');
  toggle.type = 'button';
  toggle.id = 'analysis-toggle';
  toggle.setAttribute('aria-controls', 'aim-analysis-body');
  const shortStatus = el('span', 'aim-analysis-short');
  shortStatus.id = 'hotspot-status-short';
  bar.append(toggle, shortStatus);
  const body = el('div', 'aim-analysis-body');
  body.id = 'aim-analysis-body';
  aside.append(bar, body);
  function setExpanded(expanded) {
    aside.classList.toggle('collapsed', !expanded);
    toggle.setAttribute('aria-expanded', String(expanded));
    toggle.textContent = expanded ? 'Analysis ▾' : 'Analysis ▸';
    map.invalidateSize({ pan: false });
  }
  toggle.addEventListener('click', () => setExpanded(aside.classList.contains('collapsed')));
  setExpanded(!isNarrow());

  const controls = el('section', 'aim-analysis-section hotspot-controls');
  controls.id = 'hotspot-controls';
  controls.append(el('h2', '', 'Hotspots'));
  body.append(controls);

  const methods = el('fieldset', 'hotspot-methods');
  methods.append(el('legend', '', 'Method'));
  for (const m of METHODS) {
    const label = el('label', 'hotspot-method');
    const input = el('input');
    input.type = 'radio';
    input.name = 'hotspot-method';
    input.value = m.id;
    input.checked = m.id === state.method;
    input.addEventListener('change', () => input.checked && change({ method: m.id }, { stats: false }));
    label.append(input, ` ${m.label}`);
    methods.append(label);
  }
  controls.append(methods);

  const cellLabel = el('label', 'hotspot-field', 'Cell size ');
  const cellSelect = el('select');
  cellSelect.id = 'hotspot-cell';
  for (const size of CELL_SIZES) cellSelect.add(new Option(`${size} m`, String(size), size === state.cell, size === state.cell));
  cellSelect.addEventListener('change', () => change({ cell: Number(cellSelect.value) }, { stats: false }));
  cellLabel.append(cellSelect);
  controls.append(cellLabel);

  // emerging hot spots only: the interval of the time slices and what window they cover
  const emerging = el('div', 'hotspot-emerging');
  emerging.id = 'hotspot-emerging';
  const intervalLabel = el('label', 'hotspot-field', 'Interval ');
  const intervalSelect = el('select');
  intervalSelect.id = 'hotspot-interval';
  for (const [value, text] of [['month', 'Month'], ['quarter', 'Quarter']]) {
    intervalSelect.add(new Option(text, value, value === state.interval, value === state.interval));
  }
  intervalSelect.addEventListener('change', () => change({ interval: intervalSelect.value }, { stats: false }));
  intervalLabel.append(intervalSelect);
  const emergingLine = el('p', 'aim-analysis-note');
  emergingLine.id = 'hotspot-emerging-text';
  emerging.append(intervalLabel, emergingLine);
  controls.append(emerging);

  const periodLabel = el('label', 'hotspot-field', 'Period ');
  const periodSelect = el('select');
  periodSelect.id = 'hotspot-period';
  for (const p of PRESETS) periodSelect.add(new Option(p.label, p.id, p.id === state.preset, p.id === state.preset));
  periodSelect.addEventListener('change', () => change(withPreset(state, periodSelect.value, today), { hotspots: state.method !== 'emerging' }));
  periodLabel.append(periodSelect);
  controls.append(periodLabel);

  const dates = el('div', 'hotspot-dates');
  const dateInputs = {};
  for (const [key, text] of [['from', 'From'], ['to', 'To']]) {
    const label = el('label', '', `${text} `);
    const input = el('input');
    input.type = 'date';
    input.id = `hotspot-${key}`;
    input.value = state[key];
    input.addEventListener('change', () => {
      if (!input.value) return;
      const next = { ...state, [key]: input.value, preset: 'custom' };
      if (next.to < next.from) [next.from, next.to] = [next.to, next.from];
      change(next, { hotspots: state.method !== 'emerging' });
    });
    label.append(input);
    dates.append(label);
    dateInputs[key] = input;
  }
  controls.append(dates);
  const periodLine = el('p', 'aim-analysis-note');
  periodLine.id = 'hotspot-period-text';
  controls.append(periodLine);

  const compareLabel = el('label', 'hotspot-field');
  const compare = el('input');
  compare.type = 'checkbox';
  compare.id = 'hotspot-compare';
  compare.checked = state.compare;
  compare.addEventListener('change', () => change({ compare: compare.checked }, { hotspots: false, stats: false }));
  compareLabel.append(compare, ' Compare with the previous period');
  controls.append(compareLabel);

  const filters = el('details', 'hotspot-filters');
  filters.id = 'hotspot-filters';
  const filtersSummary = el('summary');
  filters.append(filtersSummary);
  controls.append(filters);

  const status = el('p', 'aim-analysis-status');
  status.id = 'hotspot-status';
  status.setAttribute('role', 'status');
  controls.append(status);

  // "Does this map predict?": on demand (it costs a query), for the method, cell, filters and period shown
  const accuracy = el('section', 'aim-analysis-section hotspot-accuracy');
  accuracy.id = 'hotspot-accuracy';
  accuracy.append(el('h3', '', 'Does this map predict?'));
  const accuracyButton = el('button', 'hotspot-accuracy-run', 'Test against the next period');
  accuracyButton.type = 'button';
  accuracyButton.id = 'hotspot-accuracy-run';
  const accuracyResult = el('div', 'aim-analysis-note');
  accuracyResult.id = 'hotspot-accuracy-text';
  accuracyResult.setAttribute('aria-live', 'polite');
  accuracy.append(accuracyButton, accuracyResult);
  body.append(accuracy);
  let accuracyRequest = 0;
  function showAccuracy(lines, { error: failed = false } = {}) {
    accuracyResult.classList.toggle('aim-error', failed);
    accuracyResult.replaceChildren(...lines.map((line) => el('p', '', line)));
  }
  function resetAccuracy() {
    accuracyRequest++; // an answer for the old state is dropped
    accuracyButton.disabled = state.method === 'emerging';
    accuracyResult.removeAttribute('data-state');
    showAccuracy(state.method === 'emerging' ? [accuracyPlan(state, today).message] : []);
  }
  accuracyButton.addEventListener('click', async () => {
    const mine = ++accuracyRequest;
    const plan = accuracyPlan(state, today);
    if (!plan.query) {
      showAccuracy([plan.message]);
      accuracyResult.dataset.state = 'refused';
      return;
    }
    showAccuracy(['Testing the map against the next period…']);
    accuracyResult.dataset.state = 'loading';
    try {
      const answer = await api.getHotspotAccuracy(plan.query);
      if (mine !== accuracyRequest) return;
      const { lines, empty } = accuracyText(answer, today);
      showAccuracy(lines);
      accuracyResult.dataset.state = empty ? 'empty' : 'done';
    } catch (e) {
      if (mine !== accuracyRequest) return;
      showAccuracy([`Accuracy not tested: ${e.message}`], { error: true });
      accuracyResult.dataset.state = 'error';
    }
  });

  const rankings = createRankingPanel(body, { onSelect: (code) => showWard(code, { zoom: true }) });
  const profile = createWardProfile(body, { Chart, onClose: () => rankings.select(null) });

  function showControls() {
    periodSelect.value = state.preset;
    dateInputs.from.value = state.from;
    dateInputs.to.value = state.to;
    periodLine.textContent = periodText(state, today);
    emerging.hidden = state.method !== 'emerging';
    intervalSelect.value = state.interval;
    emergingLine.textContent = emergingText(state.interval, today);
    filtersSummary.textContent = `Categories and sources: ${filterSummary({ categories: state.categories, sources: state.sources })}`;
  }

  function buildFilters() {
    const all = (taxonomy?.categories ?? []).map((c) => c.code);
    const sources = Array.isArray(taxonomy?.sources) && taxonomy.sources.length ? taxonomy.sources : Object.keys(SOURCE_LABELS);
    const form = el('form', 'aim-filter-panel');
    const categories = el('fieldset', 'aim-filter-categories');
    categories.append(el('legend', '', 'Categories'));
    const ticked = () => [...form.querySelectorAll('input[name=hotspot-category]:checked')].map((i) => i.value);
    for (const group of filterGroups(taxonomy)) {
      const wrapper = el('div', `aim-filter-group aim-incident-${group.group}`);
      const head = el('label', 'aim-filter-group-title');
      const groupBox = el('input');
      groupBox.type = 'checkbox';
      groupBox.name = 'hotspot-group';
      groupBox.value = group.group;
      head.append(groupBox, ` ${group.title}`);
      wrapper.append(head);
      const boxes = group.categories.map((category) => {
        const label = el('label', 'aim-filter-category');
        const input = el('input');
        input.type = 'checkbox';
        input.name = 'hotspot-category';
        input.value = category.code;
        input.checked = state.categories === null || state.categories.includes(category.code);
        label.append(input, ` ${category.label}`);
        wrapper.append(label);
        return input;
      });
      const sync = () => {
        const n = boxes.filter((b) => b.checked).length;
        groupBox.checked = n === boxes.length;
        groupBox.indeterminate = n > 0 && n < boxes.length;
      };
      sync();
      groupBox.addEventListener('change', () => {
        boxes.forEach((b) => (b.checked = groupBox.checked));
        sync();
        change({ categories: selection(ticked(), all) });
      });
      boxes.forEach((b) =>
        b.addEventListener('change', () => {
          sync();
          change({ categories: selection(ticked(), all) });
        }),
      );
      categories.append(wrapper);
    }
    const sourceSet = el('fieldset', 'aim-filter-sources');
    sourceSet.append(el('legend', '', 'Sources'));
    for (const source of sources) {
      const label = el('label');
      const input = el('input');
      input.type = 'checkbox';
      input.name = 'hotspot-source';
      input.value = source;
      input.checked = state.sources === null || state.sources.includes(source);
      input.addEventListener('change', () => {
        const chosen = [...form.querySelectorAll('input[name=hotspot-source]:checked')].map((i) => i.value);
        change({ sources: selection(chosen, sources) });
      });
      label.append(input, ` ${SOURCE_LABELS[source] ?? source}`);
      sourceSet.append(label);
    }
    form.append(categories, sourceSet);
    filters.append(form);
  }

  /** Applies a change of state and reloads what depends on it. */
  function change(patch, { hotspots = true, stats: reloadStats = true } = {}) {
    state = { ...state, ...patch };
    showControls();
    if (hotspots || reloadStats) resetAccuracy(); // the figures shown were for the map before
    if (hotspots) loadHotspots();
    if (reloadStats) loadStats();
    else if (patch.compare !== undefined) redrawStats();
  }

  function showStatus() {
    const message = error.hotspots ?? error.stats;
    status.classList.toggle('aim-error', Boolean(message));
    if (message) status.textContent = message;
    shortStatus.textContent = message ? 'error' : '';
  }

  async function loadHotspots() {
    const mine = ++requests.hotspots;
    const { kind, query, asked } = hotspotRequest(state, today);
    if (query === null) {
      cells.setData({ type: 'FeatureCollection', features: [] }, state.method);
      hotspotMeta = null;
      status.textContent = 'Nothing to map: no category or no source is ticked.';
      updateLegend();
      markReady();
      return;
    }
    loading.hotspots = true;
    status.textContent = 'Loading hotspots…';
    try {
      const collection = await (kind === 'emerging' ? api.getEmergingHotspots(query) : api.getHotspots(query));
      if (mine !== requests.hotspots) return;
      drawnState = asked;
      cells.setData(collection, asked.method);
      if (profile.current?.kind === 'cell') profile.hide(); // that cell's figures were for the old analysis
      hotspotMeta = collection.meta ?? {};
      error.hotspots = null;
      status.textContent = hotspotStatus(asked.method, collection);
      updateLegend();
    } catch (e) {
      if (mine !== requests.hotspots) return;
      error.hotspots = `Hotspots not loaded: ${e.message}`;
      if (kind === 'emerging' && e.status) {
        // refused (e.g. too few periods for a trend): no other method's cells under the Emerging choice
        cells.setData({ type: 'FeatureCollection', features: [] }, asked.method);
        hotspotMeta = null;
        updateLegend();
      }
    } finally {
      if (mine === requests.hotspots) loading.hotspots = false;
      showStatus();
      markReady();
    }
  }

  async function loadStats() {
    const mine = ++requests.stats;
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
      if (mine !== requests.stats) return;
      stats = answer;
      error.stats = null;
      rates.setRates(stats.areas);
      redrawStats();
      updateLegend();
      // the profile follows the period and filters
      if (profile.current?.kind === 'ward') showWard(profile.current.key, { zoom: false });
    } catch (e) {
      if (mine !== requests.stats) return;
      error.stats = `Ward rates not loaded: ${e.message}`;
      rankings.showMessage(error.stats);
    } finally {
      if (mine === requests.stats) loading.stats = false;
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

  function markReady() {
    if (!loading.hotspots && !loading.stats && requests.hotspots > 0 && requests.stats > 0) hook.ready = true;
  }

  const rowOf = (code) => stats?.areas?.find((a) => a.code === code) ?? null;

  /** Zooms to a ward (when asked) and shows its profile. */
  function showWard(code, { zoom = true } = {}) {
    if (!code) return;
    const row = rowOf(code);
    const bounds = rates.bounds(code);
    if (zoom && bounds) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
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
  }

  function showCell(properties) {
    const size = hotspotMeta?.cell;
    const query = seriesQuery(drawnState, seriesWindow(drawnState.to), { cell: { i: properties.i, j: properties.j, size } });
    if (query === null || !Number.isFinite(size)) return;
    rankings.select(null);
    const { title, detail } = cellSummary(properties, cells.method());
    setExpanded(true);
    profile.show({
      kind: 'cell',
      key: `${properties.i},${properties.j}`,
      title: `Grid cell ${properties.i}, ${properties.j} (${Math.round(size)} m)`,
      lines: [title, detail].filter(Boolean),
      period: { from: drawnState.from, to: drawnState.to },
      loadSeries: () => api.getAreaSeries('borough', 'all', query),
    });
  }

  let wardNames = new Map();
  const wardName = (code) => wardNames.get(code);

  return {
    overlays: { Hotspots: cells.layer, 'Ward rates': rates.layer },
    legend: legend.control,
    /** The ward boundaries drawn by main.js (for the choropleth and zooming), and their version. */
    setWards(collection, wardVersion) {
      wardNames = new Map((collection?.features ?? []).map((f) => [f.properties?.code, f.properties?.name]));
      rates.setWards(collection);
      if (wardVersion !== state.version) change({ version: wardVersion }); // another ward set: new rankings and cells
    },
    showWard,
    /** Loads the categories, adds the layers and legend to the map and makes the first requests. */
    async start() {
      showControls();
      resetAccuracy();
      cells.layer.addTo(map);
      rates.layer.addTo(map);
      legend.control.addTo(map);
      try {
        taxonomy = await api.getCategories();
      } catch {
        taxonomy = null; // the filters offer sources only; the analysis still runs on all categories
      }
      buildFilters();
      await Promise.all([loadHotspots(), loadStats()]);
    },
  };
}

function el(tag, className = '', text = '') {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text) element.textContent = text;
  return element;
}
