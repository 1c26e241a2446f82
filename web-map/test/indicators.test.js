import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  choroplethRows, formatCellChange, formatValue, indicatorTableHtml, indicatorsQuery, sparklinePoints, splitTable, splitTableHtml,
  surveyWaves, surveyWavesSvg, levelChoices, incompleteLabels, mergeTargets, canSetTargets,
} from '../src/panels/indicators.js';

const periods = [{ label: 'Q4 24/25' }, { label: 'Q1 25/26' }];
const table = {
  meta: { periods },
  indicators: [
    { code: 'incidents-police', name: 'Police-reported incidents', kind: 'computed' },
    { code: 'incidents-public', name: 'Council/public-reported incidents', kind: 'computed' },
    { code: 'feel-safe', name: 'Feel safe <after dark>', kind: 'survey' },
  ],
  rows: [
    { indicator: 'incidents-police', area: { code: 'W1', name: 'North' }, cells: [{ period: 'Q4 24/25', value: 6 }, { period: 'Q1 25/26', value: 2, rate: 0.5, change: -4, significant: false }] },
    { indicator: 'incidents-public', area: { code: 'W1', name: 'North' }, cells: [{ period: 'Q4 24/25', value: 10 }, { period: 'Q1 25/26', value: 30, rate: 7.5, change: 20, significant: true, rag: 'red' }] },
    { indicator: 'incidents-public', area: { code: 'W2', name: 'South & <b>' }, cells: [{ period: 'Q4 24/25', value: 0 }, { period: 'Q1 25/26', value: 0, rate: null }] },
    { indicator: 'feel-safe', area: { code: 'W1', name: 'North' }, cells: [{ period: 'Q4 24/25', value: 40, low: 33.5, high: 46.9, n: 200 }, { period: 'Q1 25/26', value: null }] },
  ],
};

test('the query names level, interval and indicators', () => {
  assert.equal(indicatorsQuery({ indicators: ['a', 'b'] }), 'level=ward&interval=quarter&indicator=a%2Cb');
  assert.equal(indicatorsQuery({ interval: 'month', format: 'csv' }), 'level=ward&interval=month&format=csv');
});

test('values and changes in words', () => {
  assert.equal(formatValue(1234, 'computed'), '1,234');
  assert.equal(formatValue(40, 'survey'), '40.0%');
  assert.equal(formatValue(null, 'survey'), '–');
  assert.equal(formatCellChange({ change: 20, significant: true }, 'computed'), '▲ +20 *');
  assert.equal(formatCellChange({ change: -4.25, significant: false }, 'survey'), '▼ −4.3 pts');
  assert.equal(formatCellChange({}, 'computed'), '');
});

test('sparklines scale to the box and skip missing values', () => {
  assert.equal(sparklinePoints([0, 10, 5], 80, 20), '0.0,20.0 40.0,0.0 80.0,10.0');
  assert.equal(sparklinePoints([3, null, 3], 80, 20), '0.0,10.0 80.0,10.0');
  assert.equal(sparklinePoints([null]), '');
});

test('the table escapes names and shows the latest period, change and RAG', () => {
  const html = indicatorTableHtml(table, 'incidents-public');
  assert.ok(html.includes('South &amp; &lt;b&gt;'));
  assert.ok(!html.includes('<b>'));
  assert.ok(html.includes('indicator-rag-red'));
  assert.ok(html.includes('▲ +20 *'));
  assert.ok(html.includes('(7.50 per 1,000)'));
});

test('the two-source table puts police and public side by side per period', () => {
  const split = splitTable(table);
  assert.deepEqual(split.periods, ['Q4 24/25', 'Q1 25/26']);
  assert.deepEqual(split.rows[0], { code: 'W1', name: 'North', police: [6, 2], public: [10, 30] });
  assert.deepEqual(split.rows[1].police, []);
  const html = splitTableHtml(split);
  assert.equal((html.match(/<th>Police<\/th>/g) ?? []).length, 2);
  assert.ok(html.includes('<td class="split-police">–</td>'), 'no police row: a dash, not 0');
});

test('the choropleth uses the rate of counts, and null when there is none', () => {
  assert.deepEqual(choroplethRows(table, 'incidents-public').map((r) => r.rate), [7.5, 0]);
  assert.deepEqual(choroplethRows(table, 'feel-safe').map((r) => r.rate), [null]);
});

test('survey waves: points with their intervals, escaped', () => {
  const waves = surveyWaves(table, 'W1');
  assert.equal(waves.length, 1);
  assert.deepEqual(waves[0].points, [{ label: 'Q4 24/25', value: 40, low: 33.5, high: 46.9, n: 200 }]);
  assert.deepEqual(surveyWaves(table, 'W2'), []);
  const svg = surveyWavesSvg(waves[0].points);
  assert.equal((svg.match(/class="survey-wave"/g) ?? []).length, 1);
  assert.equal((svg.match(/class="survey-ci"/g) ?? []).length, 1);
  assert.ok(svg.includes('95% interval 33.5–46.9%, n = 200'));
});

test('the level switch offers wards, neighbourhoods, each current zone layer and LSOAs', () => {
  const versions = [
    { level: 'ward', version: 'w', current: true }, { level: 'neighbourhood', version: 'n', current: true },
    { level: 'zone', version: 'beats', current: true }, { level: 'zone', version: 'old', current: false },
    { level: 'lsoa', version: 'lsoa21', current: true },
  ];
  assert.deepEqual(levelChoices(versions).map((c) => c.value), ['ward', 'neighbourhood', 'zone:beats', 'lsoa']);
  assert.equal(levelChoices(versions)[2].zones, 'beats');
  assert.deepEqual(levelChoices([{ level: 'ward', version: 'w', current: true }]).map((c) => c.value), ['ward']);
  assert.deepEqual(levelChoices(null).map((c) => c.value), ['ward', 'neighbourhood'], 'no versions list: the current neighbourhoods may exist');
  assert.equal(indicatorsQuery({ level: 'zone', zones: 'beats', indicators: ['x'] }), 'level=zone&interval=quarter&zones=beats&indicator=x');
  assert.equal(indicatorsQuery({ level: 'lsoa', zones: 'beats' }), 'level=lsoa&interval=quarter', 'zones only with level=zone');
});

test('periods that have not ended are marked in both tables', () => {
  const answer = { ...table, meta: { periods, incomplete: ['Q1 25/26'] } };
  assert.deepEqual([...incompleteLabels(answer)], ['Q1 25/26']);
  assert.deepEqual([...incompleteLabels({ meta: {} })], []);
  const html = indicatorTableHtml(answer, 'incidents-police');
  assert.match(html, /<th class="indicator-incomplete"[^>]*>Q1 25\/26 \(not ended\)<\/th>/);
  assert.doesNotMatch(indicatorTableHtml(table, 'incidents-police'), /indicator-incomplete/);
  const split = splitTableHtml(splitTable(answer));
  assert.match(split, /<th colspan="2" class="indicator-incomplete"[^>]*>Q1 25\/26 \(not ended\)<\/th>/);
  assert.match(split, /<th colspan="2">Q4 24\/25<\/th>/);
});

test('setting a target replaces that area\'s entry and keeps the others', () => {
  const existing = [
    { areaCode: '*', measure: 'value', target: 45, tolerancePercent: 10 },
    { areaCode: 'E05000002', measure: 'value', target: 70, tolerancePercent: 20 },
  ];
  assert.deepEqual(mergeTargets(existing, { area: 'E05000002', target: 60, measure: 'value', tolerance: 5 }), [
    { area: '*', target: 45, measure: 'value', tolerance: 10 },
    { area: 'E05000002', target: 60, measure: 'value', tolerance: 5 },
  ]);
  assert.deepEqual(mergeTargets(existing, { area: '*', target: 50 }).map((t) => [t.area, t.target, t.tolerance]),
    [['E05000002', 70, 20], ['*', 50, 10]]);
  assert.deepEqual(mergeTargets(existing, { area: '*', target: null }).map((t) => t.area), ['E05000002'], 'null removes');
  assert.deepEqual(mergeTargets(undefined, { area: 'X', target: 1 }), [{ area: 'X', target: 1, measure: 'value', tolerance: 10 }]);
  assert.equal(canSetTargets({ role: 'analyst' }), true);
  assert.equal(canSetTargets({ role: 'admin' }), true);
  assert.equal(canSetTargets({ role: 'viewer' }), false);
  assert.equal(canSetTargets(null), false);
});
