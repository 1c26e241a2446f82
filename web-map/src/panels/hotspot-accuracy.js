// "Does this map predict?": on a button (it costs a query), the accuracy — hit rate and PAI — of the
// map shown, made from the period and tested on the next one (GET /api/hotspots/accuracy). For the
// forecast it also compares, in a small table, the forecast with the count map and Gi* on the same
// held-out period (the answer carries `baseline` and `gistar`). The plan, the answer in words and the
// table's rows are pure; createAccuracyReadout() is the DOM.

import { accuracyQuery } from '../analysis-query.js';
import { el } from '../dom.js';
import { formatInteger } from '../html.js';
import { winnerText } from '../layers/hotspot-forecast.js';
import { addDays, formatDateRange, nextPeriod, parseDate } from '../periods.js';
import { requestCounter } from './hotspot-state.js';

/** What PAI means, in one line. */
export const PAI_TEXT =
  'PAI (Predictive Accuracy Index) = share of incidents caught ÷ share of area flagged: 1 is no better than chance, higher is better.';

/**
 * Whether "Does this map predict?" can ask the server: {query} to send (GET /api/hotspots/accuracy),
 * or {message} saying why not (emerging hot spots, nothing ticked, the next period not begun yet).
 */
export function accuracyPlan(state, today) {
  if (state.method === 'emerging') return { message: 'Choose Forecast, Counts, Hot spots (Gi*) or Density to test a map.' };
  const query = accuracyQuery(state);
  if (query === null) return { message: 'Nothing to test: no category or no source is ticked.' };
  if (state.method === 'forecast' && !wholeMonths(state.from, state.to)) {
    return { message: 'The forecast is tested in whole months: choose a period from the first day of a month to the last day of a month.' };
  }
  const next = nextPeriod(state.from, state.to);
  if (next.from > today) {
    return {
      message: `The next period (${formatDateRange(next.from, next.to)}) has not happened yet: choose an earlier period to test its map against the one after it.`,
    };
  }
  return { query };
}

/** Whether from–to is whole calendar months (the 1st to a month's last day). */
function wholeMonths(from, to) {
  const end = parseDate(to);
  return parseDate(from)?.day === 1 && end !== null && addDays(to, 1).endsWith('-01');
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
  // (the forecast's comparison is its table, forecastComparison)
  if (answer.method !== 'grid' && answer.method !== 'forecast' && base && Number.isFinite(base.hitRate)) first += `; the simple count map: ${percent(base.hitRate)} (${paiText(base.pai)})`;
  const second =
    `Map of ${formatDateRange(training.from, training.to)} (${incidents(training.incidents)}), ` +
    `tested on ${testRange}${running ? ' so far' : ''} (${formatInteger(answer.n)} of ${incidents(answer.N)} in those cells).`;
  return { empty: false, lines: [`${first}.`, second, PAI_TEXT] };
}

/**
 * The forecast's comparison on the held-out period: {caption, rows: [{id, name, hitRate, pai}], notes}
 * with one row each for the forecast (the candidate chosen on the data before that period), the
 * count map and Gi*; null when the answer is not a forecast's or has no incidents to test against.
 * hitRate '41%' and pai '13.7' as text ('–' when the server has none).
 */
export function forecastComparison(answer) {
  if (answer?.method !== 'forecast' || !Number.isFinite(answer?.hitRate) || !(answer?.N > 0)) return null;
  const test = answer.test ?? {};
  const figures = (x) => ({
    hitRate: Number.isFinite(x?.hitRate) ? percent(x.hitRate) : '–',
    pai: Number.isFinite(x?.pai) ? x.pai.toFixed(1) : '–',
  });
  const winner = typeof answer.winner?.label === 'string' ? answer.winner.label : null;
  const rows = [
    { id: 'forecast', name: winner ? `Forecast (${winner})` : 'Forecast', ...figures(answer) },
    { id: 'grid', name: 'Count map', ...figures(answer.baseline) },
    { id: 'gistar', name: 'Hot spots (Gi*)', ...figures(answer.gistar) },
  ];
  const notes = [];
  const backtest = answer.backtest ?? {};
  const chosen = winnerText({ winner: answer.winner, naive: backtest.naive, folds: backtest.folds, folds_counted: backtest.folds_counted });
  if (chosen) notes.push(`The forecast was ${chosen}, on the months before the held-out period only.`);
  if (backtest.enough_history === false && typeof backtest.note === 'string' && backtest.note) notes.push(backtest.note);
  const share = Number.isFinite(answer.share) ? answer.share : 3;
  return { caption: `Held out: ${formatDateRange(test.from, test.to)} (top ${share}% of the area, ${incidents(answer.N)})`, rows, notes };
}

/**
 * The section #hotspot-accuracy in `parent`: a button and the result (#hotspot-accuracy-text, its
 * data-state refused|loading|empty|done|error). `state()` is the panel's state when the button is
 * pressed. Returns {reset(state)}: called on every change, it drops an answer still to come.
 */
export function createAccuracyReadout(parent, { getHotspotAccuracy, state, today }) {
  const section = el('section', 'aim-analysis-section hotspot-accuracy');
  section.id = 'hotspot-accuracy';
  section.append(el('h3', '', 'Does this map predict?'));
  const button = el('button', 'hotspot-accuracy-run', 'Test against the next period');
  button.type = 'button';
  button.id = 'hotspot-accuracy-run';
  const result = el('div', 'aim-analysis-note');
  result.id = 'hotspot-accuracy-text';
  result.setAttribute('aria-live', 'polite');
  section.append(button, result);
  parent.append(section);

  const requests = requestCounter();
  function show(lines, { error: failed = false, comparison = null } = {}) {
    result.classList.toggle('aim-error', failed);
    result.replaceChildren(...lines.map((line) => el('p', '', line)));
    if (comparison) result.append(comparisonTable(comparison), ...comparison.notes.map((line) => el('p', '', line)));
  }
  button.addEventListener('click', async () => {
    const mine = requests.next();
    const plan = accuracyPlan(state(), today);
    if (!plan.query) {
      show([plan.message]);
      result.dataset.state = 'refused';
      return;
    }
    show(['Testing the map against the next period…']);
    result.dataset.state = 'loading';
    try {
      const answer = await getHotspotAccuracy(plan.query);
      if (!requests.current(mine)) return;
      const { lines, empty } = accuracyText(answer, today);
      show(lines, { comparison: forecastComparison(answer) });
      result.dataset.state = empty ? 'empty' : 'done';
    } catch (e) {
      if (!requests.current(mine)) return;
      show([`Accuracy not tested: ${e.message}`], { error: true });
      result.dataset.state = 'error';
    }
  });

  return {
    reset(current) {
      requests.next(); // an answer for the old state is dropped
      button.disabled = current.method === 'emerging';
      result.removeAttribute('data-state');
      show(current.method === 'emerging' ? [accuracyPlan(current, today).message] : []);
    },
  };
}

/** The comparison as table#hotspot-accuracy-table: a row (tr[data-method]) per map, its hit rate and PAI. */
function comparisonTable({ caption, rows }) {
  const table = el('table', 'hotspot-accuracy-table');
  table.id = 'hotspot-accuracy-table';
  table.append(el('caption', '', caption));
  const head = el('tr');
  for (const text of ['Map', 'Hit rate', 'PAI']) {
    const th = el('th', '', text);
    th.scope = 'col';
    head.append(th);
  }
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const row of rows) {
    const tr = el('tr');
    tr.dataset.method = row.id;
    const name = el('th', '', row.name);
    name.scope = 'row';
    tr.append(name, el('td', 'hotspot-accuracy-hit', row.hitRate), el('td', 'hotspot-accuracy-pai', row.pai));
    body.append(tr);
  }
  return table;
}
