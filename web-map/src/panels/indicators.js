// The indicators panel (signed-in users): the performance framework of GET /api/indicators in the
// analysis side panel. A folding section (#indicators-panel) that loads on first opening:
//   - a table of areas for one indicator: a sparkline of its periods, the latest value (and rate per
//     1,000), the change from the period before (* when significant) and the RAG status;
//   - the council's two-source table: police-reported and council/public-reported incidents side by
//     side per financial-year quarter (#indicators-split);
//   - a level switch: wards, neighbourhoods, each current zone layer, and LSOAs (imported indicators
//     only, e.g. the Index of Multiple Deprivation); "so far" adds the period that has not ended yet,
//     and such periods (meta.incomplete) are marked "(not ended)" in the headers and the note;
//   - "Show on map": the indicator's latest period as a choropleth of the chosen level, classed like the
//     ward-rates layer (layers/ward-rates.js: quantiles, the same palette; no value is grey, never a class colour);
//   - analysts and admins: a target form (one area or every area) that PUTs the indicator's targets and
//     reloads the table, so the RAG column follows;
//   - the survey waves of the ward whose profile is open, as points with their 95 % intervals, drawn in
//     the ward profile (#ward-profile-surveys inside #ward-profile).
// The rules (queries, rows, sparklines, the survey chart) are pure functions below, tested under Node.

import { escapeHtml, formatDecimal, formatInteger } from '../html.js';
import { el } from '../dom.js';
import { ukToday } from '../periods.js';
import { createWardRateLayer, rateClasses, rateLegend } from '../layers/ward-rates.js';
import { schemeNote } from '../classes.js';

export const POLICE = 'incidents-police';
export const PUBLIC = 'incidents-public';
const RAG_WORDS = { green: 'on target', amber: 'near target', red: 'off target' };

/** The query string (without '?') of GET /api/indicators. */
export function indicatorsQuery({ level = 'ward', zones, interval = 'quarter', indicators = [], from, to, format } = {}) {
  const query = new URLSearchParams({ level, interval });
  if (level === 'zone' && zones) query.set('zones', zones);
  if (indicators.length) query.set('indicator', indicators.join(','));
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  if (format) query.set('format', format);
  return query.toString();
}

/**
 * The level switch's choices from the boundary versions list: wards, neighbourhoods (when any are
 * defined), each current zone layer, and LSOAs (when an LSOA set is loaded). [{value, label, level, zones}]
 */
export function levelChoices(versions) {
  const list = Array.isArray(versions) ? versions : [];
  const choices = [{ value: 'ward', label: 'Wards', level: 'ward' }];
  if (!list.length || list.some((v) => v?.level === 'neighbourhood')) choices.push({ value: 'neighbourhood', label: 'Neighbourhoods', level: 'neighbourhood' });
  for (const v of list.filter((x) => x?.level === 'zone' && x.current)) {
    choices.push({ value: `zone:${v.version}`, label: `Zones: ${v.version}`, level: 'zone', zones: v.version });
  }
  if (list.some((v) => v?.level === 'lsoa')) choices.push({ value: 'lsoa', label: 'LSOAs (imported indicators)', level: 'lsoa' });
  return choices;
}

/** The labels of the answer's periods that have not ended yet (meta.incomplete), as a Set. */
export function incompleteLabels(table) {
  return new Set(Array.isArray(table?.meta?.incomplete) ? table.meta.incomplete : []);
}

/** A period label as a header: the label, with ' (not ended)' and a class when the period is incomplete. */
function periodHead(label, incomplete, attributes = '') {
  if (!incomplete.has(label)) return `<th${attributes}>${escapeHtml(label)}</th>`;
  return `<th${attributes} class="indicator-incomplete" title="This period has not ended yet: its values are partial">${escapeHtml(label)} (not ended)</th>`;
}

/**
 * The targets to PUT after setting one: `existing` (GET …/targets: [{areaCode, measure, target,
 * tolerancePercent}]) with the entry for `area` (a code or '*') replaced by the new one, or removed
 * when `target` is null. [{area, target, measure, tolerance}]
 */
export function mergeTargets(existing, { area, target, measure = 'value', tolerance = 10 }) {
  const kept = (existing ?? []).filter((t) => t.areaCode !== area)
    .map((t) => ({ area: t.areaCode, target: t.target, measure: t.measure, tolerance: t.tolerancePercent }));
  if (target === null || target === undefined) return kept;
  return [...kept, { area, target, measure, tolerance }];
}

/** Whether a user may set targets (PUT /api/indicators/{code}/targets: analysts and admins). */
export function canSetTargets(user) {
  return user?.role === 'analyst' || user?.role === 'admin';
}

/** The rows of one indicator in a table answer: [{code, name, population, cells}], in the answer's order. */
export function rowsOf(table, indicator) {
  return (table?.rows ?? [])
    .filter((r) => r.indicator === indicator)
    .map((r) => ({ code: r.area?.code, name: r.area?.name ?? r.area?.code, population: r.area?.population, cells: r.cells ?? [] }));
}

/** A value as shown: counts whole, survey percentages with 1 decimal and '%', scores with 2 decimals. */
export function formatValue(value, kind) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (kind === 'survey') return `${formatDecimal(value, 1)}%`;
  if (kind === 'score') return formatDecimal(value, 2);
  return formatInteger(value);
}

/** '▲ +12 *' / '▼ −3' / '= 0' from a cell (percentage points for surveys); '' without a previous value. */
export function formatCellChange(cell, kind) {
  if (typeof cell?.change !== 'number') return '';
  const arrow = cell.change > 0 ? '▲' : cell.change < 0 ? '▼' : '=';
  const size = kind === 'survey' ? `${formatDecimal(Math.abs(cell.change), 1)} pts` : kind === 'score'
    ? formatDecimal(Math.abs(cell.change), 2) : formatInteger(Math.abs(cell.change));
  const sign = cell.change > 0 ? '+' : cell.change < 0 ? '−' : '';
  return `${arrow} ${sign}${size}${cell.significant ? ' *' : ''}`;
}

/**
 * The points of an SVG polyline through `values` in a width × height box (y grows downwards; the
 * lowest value at the bottom). Missing values (null) break nothing: they are skipped. '' when no value.
 */
export function sparklinePoints(values, width = 80, height = 20) {
  const known = values.map((v, i) => [i, v]).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
  if (!known.length) return '';
  const min = Math.min(...known.map(([, v]) => v));
  const max = Math.max(...known.map(([, v]) => v));
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v) => (max === min ? height / 2 : height - ((v - min) / (max - min)) * height);
  return known.map(([i, v]) => `${formatDecimal(i * step, 1)},${formatDecimal(y(v), 1)}`).join(' ');
}

/** The HTML of the indicator table (every value escaped). */
export function indicatorTableHtml(table, indicator) {
  const definition = (table?.indicators ?? []).find((i) => i.code === indicator);
  const kind = definition?.kind;
  const periods = table?.meta?.periods ?? [];
  const last = periods.length - 1;
  const rows = rowsOf(table, indicator).map((r) => {
    const cell = r.cells[last] ?? {};
    const points = sparklinePoints(r.cells.map((c) => c.value));
    const rate = typeof cell.rate === 'number' ? ` <span class="indicator-rate">(${escapeHtml(formatDecimal(cell.rate, 2))} per 1,000)</span>` : '';
    const rag = cell.rag ? `<span class="indicator-rag indicator-rag-${escapeHtml(cell.rag)}" title="${escapeHtml(RAG_WORDS[cell.rag] ?? cell.rag)}">${escapeHtml(cell.rag)}</span>` : '';
    return (
      `<tr data-code="${escapeHtml(r.code)}"><td class="indicator-area">${escapeHtml(r.name)}</td>` +
      `<td class="indicator-spark"><svg width="80" height="20" viewBox="-2 -2 84 24" role="img" aria-label="${escapeHtml(
        r.cells.map((c) => `${c.period} ${formatValue(c.value, kind)}`).join(', '),
      )}"><polyline points="${points}" fill="none" stroke="#6a51a3" stroke-width="1.5"/></svg></td>` +
      `<td class="indicator-value">${escapeHtml(formatValue(cell.value, kind))}${rate}</td>` +
      `<td class="indicator-change">${escapeHtml(formatCellChange(cell, kind))}</td><td class="indicator-rag-cell">${rag}</td></tr>`
    );
  });
  const incomplete = incompleteLabels(table);
  const head = `<thead><tr><th>Area</th><th>${escapeHtml(periods[0]?.label ?? '')}–${escapeHtml(periods[last]?.label ?? '')}</th>` +
    `${periodHead(periods[last]?.label ?? '', incomplete)}<th>Change</th><th>RAG</th></tr></thead>`;
  return `${head}<tbody>${rows.join('') || '<tr><td colspan="5">No areas</td></tr>'}</tbody>`;
}

/**
 * The council's two-source layout: {periods: [label], rows: [{code, name, police: [n], public: [n]}]}
 * from a table answer holding both the police-reported and the council/public-reported indicators.
 */
export function splitTable(table) {
  const police = new Map(rowsOf(table, POLICE).map((r) => [r.code, r]));
  return {
    periods: (table?.meta?.periods ?? []).map((p) => p.label),
    incomplete: [...incompleteLabels(table)],
    rows: rowsOf(table, PUBLIC).map((r) => ({
      code: r.code,
      name: r.name,
      police: (police.get(r.code)?.cells ?? []).map((c) => c.value),
      public: r.cells.map((c) => c.value),
    })),
  };
}

/** The HTML of the two-source table: one column pair (police, public) per period. */
export function splitTableHtml(split) {
  const incomplete = new Set(split.incomplete ?? []);
  const top = split.periods.map((p) => periodHead(p, incomplete, ' colspan="2"')).join('');
  const sub = split.periods.map(() => '<th>Police</th><th>Public</th>').join('');
  const rows = split.rows.map(
    (r) =>
      `<tr data-code="${escapeHtml(r.code)}"><td>${escapeHtml(r.name)}</td>` +
      split.periods.map((_, k) => `<td class="split-police">${escapeHtml(formatValue(r.police[k], 'count'))}</td>` +
        `<td class="split-public">${escapeHtml(formatValue(r.public[k], 'count'))}</td>`).join('') + '</tr>',
  );
  return `<thead><tr><th rowspan="2">Area</th>${top}</tr><tr>${sub}</tr></thead><tbody>${rows.join('')}</tbody>`;
}

/**
 * Rows for the ward choropleth (ward-rates layer): {code, rate} with the latest period's rate per 1,000
 * for counts, else its value; null when the area has none (drawn grey).
 */
export function choroplethRows(table, indicator) {
  const last = (table?.meta?.periods ?? []).length - 1;
  return rowsOf(table, indicator).map((r) => {
    const cell = r.cells[last] ?? {};
    const v = typeof cell.rate === 'number' ? cell.rate : cell.value;
    return { code: r.code, name: r.name, rate: typeof v === 'number' && Number.isFinite(v) ? v : null };
  });
}

/** The survey waves of one area: [{indicator, name, points: [{label, value, low, high, n}]}] (waves with a value only). */
export function surveyWaves(table, code) {
  return (table?.indicators ?? [])
    .filter((i) => i.kind === 'survey')
    .map((i) => {
      const row = rowsOf(table, i.code).find((r) => r.code === code);
      const points = (row?.cells ?? [])
        .filter((c) => typeof c.value === 'number')
        .map((c) => ({ label: c.period, value: c.value, low: c.low, high: c.high, n: c.n }));
      return { indicator: i.code, name: i.name, points };
    })
    .filter((s) => s.points.length > 0);
}

/**
 * An SVG of survey waves: each wave a point at its percentage with a vertical line from its interval's
 * low to high (0–100 % on the y axis). Labels escaped.
 */
export function surveyWavesSvg(points, { width = 260, height = 120 } = {}) {
  const left = 28, bottom = 18, top = 6;
  const plotHeight = height - bottom - top;
  const y = (v) => formatDecimal(top + plotHeight - (v / 100) * plotHeight, 1);
  const step = points.length > 1 ? (width - left - 12) / (points.length - 1) : 0;
  const x = (k) => formatDecimal(left + 6 + k * step, 1);
  const axis = [0, 50, 100].map((v) => `<text x="${left - 4}" y="${y(v)}" text-anchor="end" font-size="9" dy="3">${v}%</text>` +
    `<line x1="${left}" x2="${width}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`).join('');
  const marks = points.map((p, k) => {
    const interval = typeof p.low === 'number' && typeof p.high === 'number'
      ? `<line class="survey-ci" x1="${x(k)}" x2="${x(k)}" y1="${y(p.low)}" y2="${y(p.high)}" stroke="#54278f" stroke-width="1.5"/>` : '';
    return `${interval}<circle class="survey-wave" cx="${x(k)}" cy="${y(p.value)}" r="3.5" fill="#54278f">` +
      `<title>${escapeHtml(`${p.label}: ${formatDecimal(p.value, 1)}% (95% interval ${formatDecimal(p.low, 1)}–${formatDecimal(p.high, 1)}%, n = ${p.n})`)}</title></circle>` +
      `<text x="${x(k)}" y="${height - 4}" text-anchor="middle" font-size="9">${escapeHtml(p.label)}</text>`;
  }).join('');
  return `<svg class="survey-waves" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${axis}${marks}</svg>`;
}

/**
 * Creates the panel at the end of `container` (the analysis panel's body). api: {getIndicators,
 * getIndicatorDefinitions, getIndicatorTargets, putIndicatorTargets, getBoundaries}. `shownWard()` names
 * the ward whose profile is open; `versions` is the boundary versions list (the level switch); `user`
 * the signed-in user (analysts and admins get the target form). Returns {overlays, setWards(collection),
 * refreshSurveys(), load()}. Test build only: window.aimIndicators = {ready, table(), split(), mapped()}.
 */
export function createIndicatorsPanel(L, { map, container, api, pane, shownWard = () => null, wardNames = () => new Map(), versions = null, user = null }) {
  const details = el('details', 'aim-analysis-section indicators-panel');
  details.id = 'indicators-panel';
  const summary = el('summary', '', 'Indicators (performance framework)');
  const controls = el('div', 'indicators-controls');
  const indicatorSelect = el('select');
  indicatorSelect.id = 'indicators-indicator';
  indicatorSelect.setAttribute('aria-label', 'Indicator');
  const levelSelect = el('select');
  levelSelect.id = 'indicators-level';
  levelSelect.setAttribute('aria-label', 'Areas');
  const levels = levelChoices(versions);
  for (const choice of levels) {
    const o = el('option', '', choice.label);
    o.value = choice.value;
    levelSelect.append(o);
  }
  const intervalSelect = el('select');
  intervalSelect.id = 'indicators-interval';
  intervalSelect.setAttribute('aria-label', 'Periods');
  for (const [value, label] of [['quarter', 'Financial-year quarters'], ['month', 'Months']]) {
    const o = el('option', '', label);
    o.value = value;
    intervalSelect.append(o);
  }
  const mapButton = el('button', 'aim-link-button', 'Show on map');
  mapButton.type = 'button';
  mapButton.id = 'indicators-map';
  // the window ends with the last complete period unless the period so far is asked for (marked "not ended")
  const current = el('input');
  current.type = 'checkbox';
  current.id = 'indicators-current';
  const currentLabel = el('label', '', ' so far');
  currentLabel.prepend(current);
  currentLabel.title = 'Include the period that has not ended yet';
  const csv = el('a', '', 'CSV');
  csv.id = 'indicators-csv';
  controls.append(indicatorSelect, levelSelect, intervalSelect, currentLabel, mapButton, csv);
  const status = el('p', 'aim-analysis-status');
  status.id = 'indicators-status';
  const table = el('table', 'indicators-table');
  table.id = 'indicators-table';
  const legend = el('ul', 'indicators-legend');
  legend.id = 'indicators-legend';
  // the target form: analysts and admins only (the server refuses the others anyway)
  const targetForm = canSetTargets(user) ? el('form', 'indicators-target') : null;
  const targetArea = el('select');
  const targetValue = el('input');
  const targetMeasure = el('select');
  const targetTolerance = el('input');
  const targetStatus = el('span', 'aim-analysis-note');
  if (targetForm) {
    targetForm.id = 'indicators-target';
    targetArea.id = 'indicators-target-area';
    targetArea.setAttribute('aria-label', 'Target area');
    targetValue.id = 'indicators-target-value';
    Object.assign(targetValue, { type: 'number', step: 'any', required: true, placeholder: 'target' });
    targetValue.setAttribute('aria-label', 'Target');
    targetMeasure.id = 'indicators-target-measure';
    targetMeasure.setAttribute('aria-label', 'Target measure');
    targetTolerance.id = 'indicators-target-tolerance';
    Object.assign(targetTolerance, { type: 'number', step: 'any', min: '0', max: '1000', value: '10' });
    targetTolerance.setAttribute('aria-label', 'Amber band (% of the target)');
    targetStatus.id = 'indicators-target-status';
    const set = el('button', '', 'Set target');
    set.type = 'submit';
    set.id = 'indicators-target-set';
    targetForm.append(el('span', '', 'Target: '), targetArea, targetMeasure, targetValue, el('span', '', ' amber within '), targetTolerance,
      el('span', '', ' % '), set, targetStatus);
  }
  const splitTitle = el('h3', '', 'Police-reported and public-reported incidents');
  const split = el('table', 'indicators-split');
  split.id = 'indicators-split';
  const note = el('p', 'aim-analysis-note');
  note.id = 'indicators-note';
  details.append(summary, controls, status, table, legend, ...(targetForm ? [targetForm] : []), splitTitle, split, note);
  container.append(details);

  const layer = createWardRateLayer(L, { pane });
  let wardCollection = { type: 'FeatureCollection', features: [] };
  const shapes = new Map(); // "level|version" -> a promise of the boundaries of another level (the choropleth)
  let definitions = null;
  let answer = null;
  let splitAnswer = null;
  let loaded = false;
  let request = 0;
  const hooks = AIM_TEST_HOOKS ? (window.aimIndicators = {
    ready: false,
    table: () => answer,
    split: () => splitAnswer,
    // the choropleth's drawn areas: [[code, class attribute]]
    mapped: () => (map.hasLayer(layer.layer) ? layer.layer.getLayers().map((l) => [l.feature?.properties?.code, l.getElement?.()?.getAttribute('class') ?? '']) : []),
  }) : null;

  const chosenLevel = () => levels.find((c) => c.value === levelSelect.value) ?? levels[0];
  const importedOnly = () => chosenLevel().level === 'lsoa';

  /** Fills the indicator picker from the definitions (LSOAs: imported indicators only), keeping the choice when it fits. */
  function fillIndicators() {
    const shown = (definitions ?? []).filter((d) => !importedOnly() || d.kind !== 'computed');
    const previous = indicatorSelect.value;
    indicatorSelect.replaceChildren(...shown.map((d) => {
      const o = el('option', '', `${d.name}${d.demo ? ' (demo)' : ''}`);
      o.value = d.code;
      return o;
    }));
    indicatorSelect.value = shown.some((d) => d.code === previous) ? previous
      : shown.some((d) => d.code === PUBLIC) ? PUBLIC : shown[0]?.code ?? '';
  }

  /** GET /api/indicators/definitions once (a failure is not kept): fills the indicator picker. */
  let definitionsRequest = null;
  function ensureDefinitions() {
    definitionsRequest ??= api.getIndicatorDefinitions().then((body) => {
      definitions = body?.indicators ?? [];
      fillIndicators();
    }, (error) => {
      definitionsRequest = null;
      throw error;
    });
    return definitionsRequest;
  }

  async function load() {
    const mine = ++request;
    if (hooks) hooks.ready = false;
    status.textContent = 'Loading the indicators…';
    status.classList.remove('aim-error');
    try {
      await ensureDefinitions();
      const interval = intervalSelect.value;
      const code = indicatorSelect.value;
      const { level, zones } = chosenLevel();
      const to = current.checked ? ukToday() : undefined;
      if (!code) throw new Error('no indicator to show at this level');
      const [one, both] = await Promise.all([
        api.getIndicators(indicatorsQuery({ level, zones, interval, indicators: [code], to })),
        // the two-source table counts incidents: not by LSOA
        level === 'lsoa' ? null : api.getIndicators(indicatorsQuery({ level, zones, interval, indicators: [POLICE, PUBLIC], to })),
      ]);
      if (mine !== request) return;
      answer = one;
      splitAnswer = both;
      table.innerHTML = indicatorTableHtml(one, code); // every value escaped
      splitTitle.hidden = split.hidden = !both;
      split.innerHTML = both ? splitTableHtml(splitTable(both)) : '';
      csv.href = `/api/indicators?${indicatorsQuery({ level, zones, interval, indicators: [code], to, format: 'csv' })}`;
      const definition = (one.indicators ?? [])[0];
      const incomplete = [...incompleteLabels(one)];
      note.textContent = [definition ? `${definition.name}: ${definition.direction === 'up' ? 'up' : 'down'} is good; source ${definition.source} (${definition.licence}).` : '',
        '* significant change (p < 0.05).', incomplete.length ? `${incomplete.join(', ')} not ended yet: partial values, change not like for like.` : '',
        one.meta?.redaction ? 'Sensitive incidents are counted at their generalised place.' : ''].filter(Boolean).join(' ');
      fillTargetForm(one, definition);
      status.textContent = '';
      if (map.hasLayer(layer.layer)) await showOnMap();
      await refreshSurveys();
      if (mine === request && hooks) hooks.ready = true;
    } catch (error) {
      if (mine !== request) return;
      status.textContent = `Indicators not loaded: ${error.message}`;
      status.classList.add('aim-error');
    }
  }

  /** The target form's choices for the answer shown: every area, or one; value, or rate for counts. */
  function fillTargetForm(one, definition) {
    if (!targetForm) return;
    const previous = targetArea.value;
    const all = el('option', '', 'All areas (without their own)');
    all.value = '*';
    const areas = rowsOf(one, definition?.code).map((r) => {
      const o = el('option', '', r.name);
      o.value = r.code;
      return o;
    });
    targetArea.replaceChildren(all, ...areas);
    if ([...targetArea.options].some((o) => o.value === previous)) targetArea.value = previous;
    const measures = [['value', 'value']];
    if (definition?.kind === 'computed' || definition?.kind === 'count') measures.push(['rate', 'rate per 1,000']);
    targetMeasure.replaceChildren(...measures.map(([value, label]) => {
      const o = el('option', '', label);
      o.value = value;
      return o;
    }));
  }

  /** PUT the indicator's targets with the form's one replaced, then reload (the RAG column follows). */
  async function setTarget(event) {
    event.preventDefault();
    const code = indicatorSelect.value;
    const target = Number(targetValue.value);
    const tolerance = targetTolerance.value === '' ? 10 : Number(targetTolerance.value);
    if (targetValue.value === '' || !Number.isFinite(target) || !Number.isFinite(tolerance)) {
      targetStatus.textContent = 'The target and the amber band are numbers.';
      return;
    }
    targetStatus.textContent = 'Saving…';
    try {
      const existing = await api.getIndicatorTargets(code);
      await api.putIndicatorTargets(code, mergeTargets(existing?.targets, { area: targetArea.value, target, measure: targetMeasure.value, tolerance }));
      targetStatus.textContent = 'Target saved.';
      await load();
    } catch (error) {
      targetStatus.textContent = `Target not saved: ${error.message}`;
    }
  }

  /** The boundaries the choropleth fills: the wards main.js loaded, or the level's set of the answer (fetched once). */
  function shapesOf(one) {
    const level = one?.meta?.level ?? 'ward';
    if (level === 'ward') return Promise.resolve(wardCollection);
    const key = `${level}|${one.meta.version}`;
    if (!shapes.has(key)) {
      shapes.set(key, api.getBoundaries(level, { version: one.meta.version, simplify: 10 }).catch((error) => {
        shapes.delete(key);
        throw error;
      }));
    }
    return shapes.get(key);
  }

  // the map legend's section of the choropleth drawn (before one is: what to do)
  let mapSection = { title: 'Indicator', items: [], notes: ['Nothing drawn yet: choose an indicator in the Indicators section of the panel.'] };
  async function showOnMap() {
    if (!answer) return;
    const shown = answer;
    const code = indicatorSelect.value;
    const rows = choroplethRows(shown, code);
    const collection = await shapesOf(shown);
    if (shown !== answer) return;
    layer.setWards(collection);
    layer.setRates(rows);
    const definition = (shown.indicators ?? []).find((i) => i.code === code);
    const classes = rateClasses(rows);
    const items = rateLegend(rows, classes).items.map((i) => (i.hatch ? { ...i, label: 'no value' } : i));
    const period = shown.meta?.periods?.at(-1)?.label ?? '';
    const where = chosenLevel().label;
    const title = `${definition?.name ?? code}, ${period}${definition?.kind === 'computed' || definition?.kind === 'count' ? ' (per 1,000 residents)' : ''}; ${where}`;
    mapSection = { title: `Indicator: ${title}`, items, notes: [schemeNote(classes)].filter(Boolean) };
    legend.innerHTML = `<li class="indicators-legend-title">${escapeHtml(title)}</li>` +
      items.map((i) => `<li><span class="indicators-swatch" style="background:${escapeHtml(i.colour)}"></span>${escapeHtml(i.label)}</li>`).join('');
  }
  /** Draws the survey waves of the ward whose profile is open into #ward-profile (or removes them). */
  let surveysFor = null;
  let surveyTable = null;
  async function refreshSurveys() {
    const profile = document.getElementById('ward-profile');
    const code = shownWard();
    let box = document.getElementById('ward-profile-surveys');
    if (!profile || !code) {
      box?.remove();
      surveysFor = null;
      return;
    }
    surveysFor = code;
    try {
      await ensureDefinitions();
    } catch {
      return; // the panel says so when opened
    }
    const surveys = (definitions ?? []).filter((d) => d.kind === 'survey').map((d) => d.code);
    if (!surveys.length || shownWard() !== code) return;
    if (!box) {
      box = el('div', 'ward-profile-surveys');
      box.id = 'ward-profile-surveys';
      profile.append(box);
    }
    try {
      surveyTable ??= await api.getIndicators(indicatorsQuery({ interval: 'quarter', indicators: surveys }));
    } catch (error) {
      box.textContent = `Survey waves not loaded: ${error.message}`;
      return;
    }
    const waves = surveyWaves(surveyTable, code);
    const name = wardNames().get(code) ?? code;
    box.innerHTML = `<h3>${escapeHtml(`Survey waves: ${name}`)}</h3>` + (waves.length
      ? waves.map((w) => `<figure data-indicator="${escapeHtml(w.indicator)}"><figcaption>${escapeHtml(w.name)} (95% intervals)</figcaption>${surveyWavesSvg(w.points)}</figure>`).join('')
      : '<p class="aim-analysis-note">No survey waves for this ward.</p>');
  }

  details.addEventListener('toggle', () => {
    if (details.open && !loaded) {
      loaded = true;
      load();
    }
  });
  indicatorSelect.addEventListener('change', load);
  intervalSelect.addEventListener('change', load);
  current.addEventListener('change', load);
  levelSelect.addEventListener('change', () => {
    if (definitions) fillIndicators();
    load();
  });
  targetForm?.addEventListener('submit', setTarget);
  mapButton.addEventListener('click', async () => {
    try {
      await showOnMap();
      if (!map.hasLayer(layer.layer)) layer.layer.addTo(map);
    } catch (error) {
      status.textContent = `Map not drawn: ${error.message}`;
      status.classList.add('aim-error');
    }
  });
  // the profile shows another ward (or none): redraw its survey waves
  new MutationObserver(() => {
    if (shownWard() !== surveysFor) refreshSurveys();
  }).observe(container, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });

  return {
    overlays: { Indicator: layer.layer },
    /** The map legend's section (legend.js) while the choropleth is on the map. */
    legend: () => (map.hasLayer(layer.layer) ? mapSection : null),
    setWards(collection) {
      wardCollection = collection ?? { type: 'FeatureCollection', features: [] };
      if ((answer?.meta?.level ?? 'ward') === 'ward') layer.setWards(wardCollection);
    },
    refreshSurveys,
    load,
  };
}
