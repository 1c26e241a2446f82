import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyQuery, hotspotQuery } from '../src/analysis-query.js';
import { legendHtml } from '../src/panels/legend.js';
import {
  forecastClasses,
  forecastFallback,
  forecastLegend,
  forecastMonthText,
  forecastStatus,
  forecastStyle,
  forecastSummary,
  FORECAST_OUTLINE,
  monthName,
  winnerText,
  withNote,
} from '../src/layers/hotspot-forecast.js';
import { cellClasses, cellPopupHtml, cellStyle, hotspotLegend, METHODS } from '../src/layers/hotspots.js';
import { accuracyText, forecastComparison } from '../src/panels/hotspot-accuracy.js';
import { defaultAnalysisState, fallbackRequest, hotspotRequest, hotspotStatus } from '../src/panels/hotspot-state.js';
import { decodeView, encodeView, VIEW_METHODS } from '../src/view-url.js';

// the contract's example meta (GET /api/hotspots?method=forecast)
const meta = {
  method: 'forecast', grid: 'square', cell: 250, n_cells: 2310, returned: 812, incidents: 4210,
  from: '2026-08-01', to: '2026-10-31', share: 3, hotspot_cells: 70,
  forecast_period: { from: '2026-11-01', to: '2026-11-30', label: '2026-11' },
  enough_history: true, note: null,
  winner: { id: 'counts-3m', family: 'counts', label: 'Counts over the last 3 months', mean_pai: 11.2, sd_pai: 1.3, mean_hit_rate: 0.33, sd_hit_rate: 0.04 },
  naive: { id: 'naive', family: 'counts', label: 'Counts over the selection (3 months)', mean_pai: 10.4, sd_pai: 1.1, mean_hit_rate: 0.31, sd_hit_rate: 0.03 },
  folds: ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'].map((test) => ({ test, incidents: 1300 })),
  legend: "Forecast: top 3 % of the area, expected to hold ~33 % of next month's incidents; the simple count map would hold ~31 %",
};
const cell = (score, rank, hotspot = false, count = 1) => ({ properties: { i: rank, j: 1, count, score, rank, hotspot } });
// 10 scored cells, the top two the hotspot
const features = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((score, k) => cell(score / 10, k + 1, k < 2));

test('Forecast is a method, first in the picker, in the queries and in a shared view', () => {
  assert.equal(METHODS[0].id, 'forecast');
  assert.equal(METHODS[0].label, 'Forecast');
  const state = { method: 'forecast', cell: 250, from: '2026-08-01', to: '2026-10-31', categories: null, sources: null };
  assert.equal(hotspotQuery(state), 'method=forecast&cell=250&from=2026-08-01&to=2026-10-31');
  assert.equal(accuracyQuery(state), 'method=forecast&cell=250&share=3&from=2026-08-01&to=2026-10-31');
  assert.ok(VIEW_METHODS.includes('forecast'));
  assert.equal(decodeView('?method=forecast').method, 'forecast');
  assert.equal(encodeView({ method: 'forecast' }), '?method=forecast');
  // a shared view's method still wins over the default: it is read as given
  assert.equal(decodeView('?method=grid').method, 'grid');
  assert.equal(defaultAnalysisState('2026-11-22', 'demo').method, 'forecast');
  assert.equal(hotspotRequest(defaultAnalysisState('2026-11-22'), '2026-11-22').query, 'method=forecast&cell=250&from=2026-07-01&to=2026-09-30');
});

test('the month and the backtest choice in words', () => {
  assert.equal(monthName('2026-11'), 'November 2026');
  assert.equal(monthName('2027-01'), 'January 2027');
  assert.equal(monthName(null), '');
  assert.equal(forecastMonthText(meta), 'November 2026 (1 Nov – 30 Nov 2026)');
  assert.equal(forecastMonthText({}), '');
  assert.equal(winnerText(meta), 'chosen by backtest: Counts over the last 3 months (mean PAI 11.2 ± 1.3 over 6 months; count map 10.4)');
  assert.equal(winnerText({ winner: { label: 'KDE, 300 m', mean_pai: 9 }, folds: [{}] }), 'chosen by backtest: KDE, 300 m (mean PAI 9.0 over 1 month)');
  assert.equal(winnerText({}), '');
  // the server's folds_counted (folds with incidents and history) is the number the means are over
  assert.match(winnerText({ ...meta, folds_counted: 4 }), /over 4 months/);
  assert.match(winnerText({ ...meta, folds: [{ counted: true }, { counted: false }, { counted: true }] }), /over 2 months/);
});

test('classes: fifths of the positive scores; the hotspot cells outlined', () => {
  const classes = forecastClasses([...features, cell(0, 11), cell(null, 12)]);
  assert.equal(classes.measure, 'score');
  assert.deepEqual(classes.breaks, [0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(classes.ranges.map((r) => r.n), [2, 2, 2, 2, 2], 'zero and missing scores are not classed');
  assert.deepEqual(cellClasses('forecast', features), classes, 'the layer classes forecast cells by score');
  const top = forecastStyle(features[0].properties, classes);
  assert.equal(top.color, FORECAST_OUTLINE);
  assert.ok(top.weight >= 2);
  assert.equal(top.fillColor, '#bd0026');
  assert.match(top.className, /aim-forecast-cell aim-hotspot-class-5 aim-hotspot-top/);
  const low = forecastStyle(features[9].properties, classes);
  assert.equal(low.fillColor, '#ffffb2');
  assert.equal(low.weight, 0.5);
  assert.ok(!low.className.includes('aim-hotspot-top'));
  assert.match(forecastStyle({ score: 0 }, classes).className, /aim-hotspot-class-0/, 'no score: no class');
  assert.match(cellStyle(features[1].properties, 'forecast', classes).className, /aim-hotspot-top/);
});

test('the legend says the forecast, the month and the winner in words, and which classes', () => {
  const classes = forecastClasses(features);
  const legend = hotspotLegend('forecast', meta, classes, features);
  assert.deepEqual(legend, forecastLegend(meta, classes, '250 m squares'));
  assert.equal(legend.title, 'Forecast');
  assert.deepEqual(legend.items.map((i) => i.label), [
    'lowest fifth: score 0.10–0.20',
    'second fifth: score 0.30–0.40',
    'middle fifth: score 0.50–0.60',
    'fourth fifth: score 0.70–0.80',
    'highest fifth: score 0.90–1.00',
    'forecast hotspot: top 3% of the area (70 cells)',
  ]);
  assert.equal(legend.items[5].outline, FORECAST_OUTLINE);
  assert.deepEqual(legend.notes, [
    meta.legend,
    'Forecast for November 2026 (1 Nov – 30 Nov 2026)',
    'Chosen by backtest: Counts over the last 3 months (mean PAI 11.2 ± 1.3 over 6 months; count map 10.4)',
    'Shades: quantile classes (fifths) of the cells with a positive score; a score ranks cells within this map only',
    '250 m squares',
  ]);
  // fewer distinct scores: fewer classes, numbered
  const ties = forecastClasses([cell(1, 1), cell(1, 2), cell(2, 3)]);
  assert.deepEqual(forecastLegend({}, ties).items.map((i) => i.label).slice(0, 2), ['class 1 of 2: score 1.00', 'class 2 of 2: score 2.00']);
  // the server's words are escaped in the legend
  const html = legendHtml([forecastLegend({ ...meta, legend: '<img src=x onerror=alert(1)>', winner: { label: '<b>x</b>', mean_pai: 1 } }, classes)]);
  assert.ok(!html.includes('<img') && !html.includes('<b>'), html);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

test('the status line and a cell popup', () => {
  assert.equal(forecastStatus(features, meta), '2 forecast hotspot cells (top 3% of the area) · for November 2026');
  assert.equal(
    hotspotStatus('forecast', { meta, features }),
    '2 forecast hotspot cells (top 3% of the area) · for November 2026 · 4,210 incidents · 2,310 cells of 250 m',
  );
  assert.deepEqual(forecastSummary({ score: 0.4567, rank: 3, hotspot: true, count: 12 }), {
    title: 'forecast hotspot (rank 3)',
    detail: 'score 0.46 · 12 incidents in the months mapped',
    explain: 'Among the cells expected to hold the most incidents next month.',
  });
  assert.equal(forecastSummary({ score: 0.1, rank: 40, hotspot: false, count: 1 }).title, 'forecast (rank 40)');
  const html = cellPopupHtml({ i: 1, j: 2, score: 0.2, rank: 5, hotspot: true, count: 0 }, 'forecast', { incidents: [] });
  assert.match(html, /forecast hotspot \(rank 5\)/);
  assert.match(html, /The forecast may also weigh the neighbouring cells/);
});

test('the forecast is tested in whole months only', async () => {
  const { accuracyPlan } = await import('../src/panels/hotspot-accuracy.js');
  const state = { ...defaultAnalysisState('2026-11-22', 'demo') };
  assert.deepEqual(accuracyPlan(state, '2026-11-22'), { query: 'method=forecast&cell=250&share=3&from=2026-07-01&to=2026-09-30&version=demo' });
  for (const [from, to] of [['2026-07-02', '2026-09-30'], ['2026-07-01', '2026-09-29']]) {
    assert.match(accuracyPlan({ ...state, from, to }, '2026-11-22').message, /^The forecast is tested in whole months/, `${from} – ${to}`);
  }
  assert.ok(accuracyPlan({ ...state, method: 'kde', from: '2026-07-02' }, '2026-11-22').query, 'other methods take any dates');
  assert.ok(accuracyPlan({ ...state, from: '2026-02-01', to: '2026-02-28' }, '2026-11-22').query, 'February');
});

test('too little history: the count map of the same selection, with the server note', () => {
  const asked = { method: 'forecast', cell: 250, from: '2026-08-01', to: '2026-10-31', categories: ['burglary'], sources: null };
  const note = 'Only 2 months of history before 2026-11: the forecast needs at least 3 backtest folds; showing the count map';
  assert.equal(fallbackRequest(asked, { meta }), null, 'enough history: the forecast is drawn');
  assert.equal(fallbackRequest({ ...asked, method: 'grid' }, { meta: { enough_history: false } }), null, 'not a forecast');
  assert.deepEqual(fallbackRequest(asked, { meta: { ...meta, enough_history: false, note } }), {
    query: 'method=grid&cell=250&from=2026-08-01&to=2026-10-31&category=burglary',
    asked: { ...asked, method: 'grid' },
    note,
  });
  assert.equal(forecastFallback({ enough_history: false, note: null }).note, 'Not enough history for a forecast: showing the count map.');
  assert.equal(forecastFallback({}), null, 'no flag: drawn as it is');
  const section = { title: 'Incident counts', items: [], notes: ['250 m squares'] };
  assert.deepEqual(withNote(section, note).notes, [note, '250 m squares']);
  assert.equal(withNote(section, null), section);
  assert.equal(withNote(null, note), null);
});

test('the accuracy readout compares the forecast with the count map and Gi* on the held-out month', () => {
  const answer = {
    method: 'forecast', cells: 70, n: 430, N: 1300, hitRate: 430 / 1300, pai: 11.03, share: 3,
    baseline: { method: 'grid', cells: 70, n: 400, N: 1300, hitRate: 400 / 1300, pai: 10.26 },
    gistar: { method: 'gistar', cells: 70, n: 340, N: 1300, hitRate: 340 / 1300, pai: 8.72 },
    kde: { method: 'kde', cells: 70, n: 380, N: 1300, hitRate: 380 / 1300, pai: 9.7 },
    winner: meta.winner,
    backtest: { folds: meta.folds, naive: meta.naive, enough_history: true, note: null },
    training: { from: '2026-08-01', to: '2026-10-31', incidents: 4210 },
    test: { from: '2026-11-01', to: '2026-11-30', incidents: 1300 },
  };
  assert.deepEqual(forecastComparison(answer), {
    caption: 'Held out: 1 Nov – 30 Nov 2026 (top 3% of the area, 1,300 incidents)',
    rows: [
      { id: 'forecast', name: 'Forecast (Counts over the last 3 months)', hitRate: '33%', pai: '11.0' },
      { id: 'grid', name: 'Count map', hitRate: '31%', pai: '10.3' },
      { id: 'gistar', name: 'Hot spots (Gi*)', hitRate: '26%', pai: '8.7' },
    ],
    notes: [
      'The forecast was chosen by backtest: Counts over the last 3 months (mean PAI 11.2 ± 1.3 over 6 months; count map 10.4), on the months before the held-out period only.',
    ],
  });
  // the sentence keeps the forecast's own figures; the table holds the comparison
  assert.equal(accuracyText(answer, '2026-12-07').lines[0], "The top 3% of the area (70 cells) held 33% of the next period's incidents (PAI 11.0).");
  // too little history: the note; a figure the server lacks is a dash
  const short = { ...answer, gistar: null, backtest: { ...answer.backtest, enough_history: false, note: 'Only 2 months of history.' } };
  const comparison = forecastComparison(short);
  assert.deepEqual(comparison.rows[2], { id: 'gistar', name: 'Hot spots (Gi*)', hitRate: '–', pai: '–' });
  assert.equal(comparison.notes[1], 'Only 2 months of history.');
  assert.equal(forecastComparison({ ...answer, method: 'gistar' }), null, 'other methods: no table');
  assert.equal(forecastComparison({ ...answer, N: 0, hitRate: null }), null, 'nothing to test against: no table');
});
