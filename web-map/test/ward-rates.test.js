import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RATE_PALETTE, rateClasses, rateLegend, rateStyle } from '../src/layers/ward-rates.js';

const rows = [
  { code: 'A', rate: 20.33 },
  { code: 'B', rate: 1.25 },
  { code: 'C', rate: 1.19 },
  { code: 'D', rate: 0.5 },
  { code: 'E', rate: 0 },
  { code: 'F', rate: null, rateNote: 'no population' },
];

test('rate classes: natural breaks of the wards that have a rate', () => {
  const classes = rateClasses(rows);
  assert.deepEqual(classes.breaks, [0, 0.5, 1.19, 1.25, 20.33]);
  assert.deepEqual(classes.colours, RATE_PALETTE);
  assert.equal(rateStyle(rows[0], classes).fillColor, RATE_PALETTE[4]);
  assert.match(rateStyle(rows[0], classes).className, /aim-ward-rate-class-5/);
  assert.equal(rateStyle(rows[4], classes).fillColor, RATE_PALETTE[0]);
});

test('no population is grey and dashed, never a class colour', () => {
  const classes = rateClasses(rows);
  const style = rateStyle(rows[5], classes);
  assert.match(style.className, /aim-ward-rate-none/);
  assert.equal(style.dashArray, '4 4');
  assert.ok(!RATE_PALETTE.includes(style.fillColor));
  assert.equal(rateStyle(undefined, classes).fillOpacity, 0, 'not loaded yet: not filled');
});

test('the legend gives each class its range and lists "no population" distinctly', () => {
  const legend = rateLegend(rows, rateClasses(rows));
  assert.equal(legend.title, 'Wards: incidents per 1,000 residents');
  assert.deepEqual(legend.items.map((i) => i.label), ['0.00', '0.50', '1.19', '1.25', '20.3', 'no population (no rate)']);
  assert.equal(legend.items.at(-1).hatch, true);
  assert.ok(!rateLegend(rows.slice(0, 2), rateClasses(rows.slice(0, 2))).items.some((i) => i.hatch));
});

test('a skewed borough: the outlier ward is its own class and the legend names the scheme', () => {
  // 19 ordinary wards between 0.9 and 3.77 per 1,000 and one at 13.7 (quantiles gave "3.77–13.7")
  const skewed = [0.9, 1.0, 1.2, 1.3, 1.5, 1.6, 1.8, 2.0, 2.1, 2.3, 2.5, 2.6, 2.8, 3.0, 3.1, 3.3, 3.5, 3.6, 3.77, 13.7]
    .map((rate, k) => ({ code: `W${k}`, rate }));
  const legend = rateLegend(skewed, rateClasses(skewed));
  const labels = legend.items.map((i) => i.label);
  assert.equal(labels.at(-1), '13.7', labels.join(' / '));
  assert.ok(labels.every((l) => !l.includes('–13.7')), labels.join(' / '));
  assert.equal(labels.length, 5);
  assert.deepEqual(legend.notes, ['Classes: Natural breaks (Jenks, ckmeans)']);
});
