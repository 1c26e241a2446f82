// "Did it work?" for a problem or one of its actions (GET /api/evaluation, /api/evaluation/controls):
// the target, its buffer and the control drawn on the map, before/after bars per zone, RES with its 95 %
// interval and the WDQ reading in plain words. The periods, the buffer and the control (the rest of the
// borough, or wards chosen from the suggested most-alike ones) can be changed and the evaluation run again.
// Ids: #evaluation (data-ready, data-control), #evaluation-title, #evaluation-after-from, #evaluation-after-to,
// #evaluation-buffer, #evaluation-run, #evaluation-suggestions li input[value=CODE], #evaluation-bars
// .eval-bar[data-zone][data-period][data-count], #evaluation-res, #evaluation-reading, #evaluation-error.
// Map paths: path.aim-eval-target / .aim-eval-buffer / .aim-eval-control. Like the layer modules this one
// does not import Leaflet (the caller passes `L`); the pure parts are unit-tested.

import { el } from '../dom.js';
import { addDays, ukToday } from '../periods.js';
import { busy, button } from './form-view.js';

export const ZONES = [
  { key: 'target', label: 'Target', colour: '#c0392b' },
  { key: 'buffer', label: 'Buffer', colour: '#e67e22' },
  { key: 'control', label: 'Control', colour: '#2471a3' },
];

/**
 * The query of an evaluation: an action with operation dates is evaluated by its id (its dates unless
 * changed); otherwise the problem's place from `afterFrom` to `afterTo`. `control` is [] (the borough) or
 * ward codes. Empty values are left out.
 */
export function evaluationQuery({ problemId, action = null, afterFrom = '', afterTo = '', buffer = '', control = [] }) {
  const q = {};
  if (action) q.action = action.id;
  else q.area = `problem:${problemId}`;
  const ownDates = action && action.startsOn === afterFrom && action.endsOn === afterTo;
  if (!ownDates) {
    if (afterFrom) q.after_from = afterFrom;
    if (afterTo) q.after_to = afterTo;
  }
  if (buffer !== '' && buffer !== null && buffer !== undefined) q.buffer = String(buffer);
  if (control.length) q.control = control.map((code) => `ward:${code}`).join(',');
  return q;
}

/** The default after period: the action's operation dates, else the problem's start to yesterday (at least one day). */
export function defaultPeriod(problem, action, today = ukToday()) {
  if (action?.startsOn && action?.endsOn) return { from: action.startsOn, to: action.endsOn };
  const from = problem?.startDate ?? addDays(today, -90);
  const yesterday = addDays(today, -1);
  return { from, to: yesterday < from ? from : yesterday };
}

/** The bars: per zone and period the count and its width in percent of the largest count (0 when all are 0). */
export function bars(evaluation) {
  const counts = ZONES.flatMap((z) => ['before', 'after'].map((period) => ({
    zone: z.key, label: z.label, colour: z.colour, period, count: Number(evaluation?.[z.key]?.[period] ?? 0),
  })));
  const max = Math.max(0, ...counts.map((c) => c.count));
  return counts.map((c) => ({ ...c, percent: max > 0 ? Math.round((c.count / max) * 1000) / 10 : 0 }));
}

const two = (v) => Number(v).toFixed(2);

/** 'RES 2.00 (95% interval 1.35 to 2.96)' or 'RES: none'. */
export function resText(res) {
  if (!res || res.value === null || res.value === undefined) return 'RES: none (no incidents in the target or the control in both periods)';
  return `RES ${two(res.value)} (95% interval ${two(res.low)} to ${two(res.high)})${res.zeroCorrection ? ', 0.5 added to each count' : ''}`;
}

/** One line on how each zone changed: 'Target 120 → 80 (−33%)'. */
export function changeText(label, counts) {
  const before = Number(counts?.before ?? 0), after = Number(counts?.after ?? 0);
  const pct = before > 0 ? ` (${after >= before ? '+' : '−'}${Math.abs(Math.round(((after - before) / before) * 100))}%)` : '';
  return `${label} ${before} → ${after}${pct}`;
}

/**
 * The view in `root`. deps: {L, map, api, pane (a map pane name), onClose()}. Returns
 * {open({problem, action}) -> Promise, close(), state()}.
 */
export function createEvaluationView(root, deps) {
  const { L, map, api } = deps;
  const box = el('section', 'loop-detail eval-view');
  box.id = 'evaluation';
  box.dataset.ready = 'false';
  root.append(box);
  let subject = null; // {problem, action}
  let zones = null; // the Leaflet layer of the three zones
  let last = null; // the last evaluation
  let chosen = []; // control ward codes ([] = borough)
  let run = 0;

  function clearMap() {
    if (zones) map.removeLayer(zones);
    zones = null;
  }

  function drawZones(evaluation) {
    clearMap();
    const group = L.featureGroup();
    // control first (below), then the buffer ring, the target on top
    for (const z of [...ZONES].reverse()) {
      const geometry = evaluation.zones?.[z.key];
      if (!geometry) continue;
      L.geoJSON(geometry, {
        pane: deps.pane,
        interactive: false,
        style: {
          color: z.colour, weight: z.key === 'target' ? 3 : 1.5, fillColor: z.colour,
          fillOpacity: z.key === 'control' ? 0.06 : 0.18, dashArray: z.key === 'buffer' ? '6 4' : null,
          className: `aim-eval-${z.key}`,
        },
      }).addTo(group);
    }
    zones = group.addTo(map);
    const target = evaluation.zones?.target ? L.geoJSON(evaluation.zones.target).getBounds() : null;
    if (target?.isValid()) map.fitBounds(target.pad(0.6), { maxZoom: 15 });
  }

  function draw() {
    const { problem, action } = subject;
    const period = defaultPeriod(problem, action);
    const title = el('h3', 'loop-detail-title', `Did it work? ${action ? action.title : problem.title}`);
    title.id = 'evaluation-title';
    const back = button('‹ Back to the problem', 'loop-link', () => close());
    const form = el('div', 'eval-form');
    const input = (labelText, id, type, value) => {
      const label = el('label', 'loop-field');
      label.htmlFor = id;
      const control = el('input');
      control.id = id;
      control.type = type;
      control.value = value;
      label.append(el('span', '', labelText), control);
      form.append(label);
      return control;
    };
    const from = input('After: from', 'evaluation-after-from', 'date', period.from);
    const to = input('to', 'evaluation-after-to', 'date', period.to);
    const buffer = input('Buffer (metres)', 'evaluation-buffer', 'number', '500');
    buffer.min = '0';
    buffer.max = '5000';
    buffer.step = '50';
    const go = button('Evaluate', 'loop-button loop-primary');
    go.id = 'evaluation-run';
    form.append(go);
    const suggestions = el('div', 'eval-suggestions');
    suggestions.id = 'evaluation-suggestions';
    const result = el('div', 'eval-result');
    const failure = el('p', 'aim-error');
    failure.id = 'evaluation-error';
    failure.setAttribute('role', 'alert');
    failure.hidden = true;
    box.replaceChildren(back, title, el('p', 'loop-muted', 'Before is the same length just before. Control: the rest of the borough unless wards are chosen below.'),
      form, suggestions, failure, result);
    const query = () => evaluationQuery({ problemId: problem.id, action, afterFrom: from.value, afterTo: to.value, buffer: buffer.value, control: chosen });
    go.addEventListener('click', () => busy(go, 'Evaluating…', () => evaluate(query(), result, failure)));
    loadSuggestions(query, suggestions, () => go.click());
    return busy(go, 'Evaluating…', () => evaluate(query(), result, failure));
  }

  async function loadSuggestions(query, list, rerun) {
    list.replaceChildren(el('p', 'loop-muted', 'Finding the most alike wards…'));
    try {
      const q = { ...query(), k: 5 };
      delete q.control;
      delete q.buffer;
      const answer = await api.getControlSuggestions(q);
      const ul = el('ul', 'loop-list');
      for (const s of answer.controls ?? []) {
        const li = el('li');
        const label = el('label');
        const box = el('input');
        box.type = 'checkbox';
        box.value = s.code;
        box.checked = chosen.includes(s.code);
        box.addEventListener('change', () => {
          chosen = box.checked ? [...chosen, s.code] : chosen.filter((c) => c !== s.code);
          rerun();
        });
        label.append(box, ` ${s.name} (${s.code}) · ${two(s.level)} a month, trend ${s.trend >= 0 ? '+' : ''}${two(s.trend)}`);
        li.append(label);
        ul.append(li);
      }
      list.replaceChildren(el('h4', '', 'Suggested controls (most alike before)'), ul);
    } catch (error) {
      list.replaceChildren(el('p', 'loop-muted', `No suggested controls: ${error.message}`));
    }
  }

  async function evaluate(query, result, failure) {
    const mine = ++run;
    box.dataset.ready = 'false';
    failure.hidden = true;
    try {
      const evaluation = await api.getEvaluation(query);
      if (mine !== run) return;
      last = evaluation;
      drawResult(evaluation, result);
      drawZones(evaluation);
    } catch (error) {
      if (mine !== run) return;
      failure.textContent = error.message;
      failure.hidden = false;
    } finally {
      if (mine === run) {
        box.dataset.control = chosen.join(',');
        box.dataset.ready = 'true';
      }
    }
  }

  function drawResult(e, result) {
    const p = e.periods;
    const chart = el('div', 'eval-bars');
    chart.id = 'evaluation-bars';
    for (const b of bars(e)) {
      const row = el('div', 'eval-bar-row');
      const bar = el('span', `eval-bar eval-bar-${b.period}`);
      bar.dataset.zone = b.zone;
      bar.dataset.period = b.period;
      bar.dataset.count = String(b.count);
      bar.style.width = `${b.percent}%`;
      bar.style.backgroundColor = b.colour;
      bar.style.opacity = b.period === 'before' ? '0.45' : '1';
      row.append(el('span', 'eval-bar-label', `${b.label} ${b.period}`), el('span', 'eval-bar-track'), el('span', 'eval-bar-count', String(b.count)));
      row.children[1].append(bar);
      chart.append(row);
    }
    const res = el('p', 'eval-res', resText(e.res));
    res.id = 'evaluation-res';
    const reading = el('p', `eval-reading eval-reading-${e.interpretation?.reading ?? 'undefined'}`, e.interpretation?.text ?? '');
    reading.id = 'evaluation-reading';
    reading.dataset.reading = e.interpretation?.reading ?? '';
    const lines = el('ul', 'loop-list eval-changes');
    for (const z of ZONES) lines.append(el('li', '', changeText(z.label, e[z.key])));
    const notes = el('ul', 'loop-muted eval-notes');
    for (const n of e.notes ?? []) notes.append(el('li', '', n));
    result.replaceChildren(
      el('p', 'loop-muted', `Before ${p.before.from} to ${p.before.to} · after ${p.after.from} to ${p.after.to} · ${e.bufferMetres} m buffer · control: ${e.controlAreas?.kind === 'wards' ? e.controlAreas.wards.join(', ') : 'rest of the borough'}`),
      chart, lines, res, reading, notes);
  }

  function close() {
    run++;
    clearMap();
    subject = null;
    deps.onClose?.();
  }

  return {
    open(next) {
      subject = next;
      chosen = [];
      last = null;
      return draw();
    },
    close: () => {
      if (subject) close();
    },
    state: () => ({ ready: box.dataset.ready === 'true', evaluation: last, control: chosen }),
  };
}
