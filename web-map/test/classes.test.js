import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classOf, classRanges, formatMeasure, gradedClasses, naturalBreaks, pickColours, quantileBreaks, rangeLabel, schemeNote } from '../src/classes.js';

test('natural breaks (ckmeans): upper bounds of the classes, the last the maximum', () => {
  assert.deepEqual(naturalBreaks([1, 2, 3, 10, 11, 12, 20, 21, 22], 3), [3, 12, 22]);
  assert.deepEqual(naturalBreaks([22, 1, 12, 2, 21, 3, 11, 20, 10], 3), [3, 12, 22], 'order does not matter');
  assert.deepEqual(naturalBreaks([5], 5), [5]);
  assert.deepEqual(naturalBreaks([], 5), []);
  assert.deepEqual(naturalBreaks([NaN, null, 'x', 3], 5), [3], 'non-numbers ignored');
  assert.deepEqual(naturalBreaks([1, 1, 1, 2, 2], 5), [1, 2], 'no more classes than distinct values, never an empty one');
});

test('quantile breaks (the forecast scores): about equal classes, skewed data gives fewer, never an empty one', () => {
  assert.deepEqual(quantileBreaks([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 5), [2, 4, 6, 8, 10]);
  assert.deepEqual(quantileBreaks([], 5), []);
  assert.deepEqual(quantileBreaks([NaN, null, 'x', 3], 5), [3], 'non-numbers ignored');
  assert.deepEqual(quantileBreaks([1, 1, 1, 1, 1, 1, 2, 2, 3, 40], 5), [1, 2, 40]);
});

test('a skewed set: the outlier ward has a class of its own, not lumped with ordinary wards', () => {
  // the case: ordinary rates up to 3.77 and one ward at 13.7 ("3.77–13.7" under quantiles)
  const rates = [0.8, 1.1, 1.3, 1.6, 1.9, 2.2, 2.4, 2.7, 2.9, 3.1, 3.3, 3.5, 3.77, 13.7];
  const classes = gradedClasses(rates, ['a', 'b', 'c', 'd', 'e'], 5);
  const labels = classes.ranges.map((r) => rangeLabel(r, formatMeasure));
  assert.equal(labels.at(-1), '13.7', `the top class is the outlier alone: ${labels}`);
  assert.equal(classes.ranges.at(-1).n, 1);
  assert.ok(!labels.some((l) => l.includes('3.77–13.7')), labels.join(' / '));
  assert.equal(classes.scheme, 'jenks');
  assert.equal(schemeNote(classes), 'Classes: Natural breaks (Jenks, ckmeans)');
  assert.deepEqual(classes.colours, ['a', 'b', 'c', 'd', 'e']);
});

test('skewed counts (many 1s, one big cell): no "3–33" class', () => {
  const counts = [...Array(40).fill(1), ...Array(12).fill(2), 3, 3, 4, 5, 6, 7, 33];
  const breaks = naturalBreaks(counts, 5);
  const labels = classRanges(counts, breaks).map((r) => rangeLabel(r));
  assert.equal(labels.at(-1), '33', labels.join(' / '));
  assert.equal(labels[0], '1');
  assert.equal(classRanges(counts, breaks).reduce((n, r) => n + r.n, 0), counts.length, 'every value in a class');
});

test('the class of a value', () => {
  const breaks = [2, 4, 10];
  assert.equal(classOf(1, breaks), 0);
  assert.equal(classOf(2, breaks), 0);
  assert.equal(classOf(2.5, breaks), 1);
  assert.equal(classOf(10, breaks), 2);
  assert.equal(classOf(11, breaks), 2, 'above the last break: top class');
  assert.equal(classOf(null, breaks), -1);
  assert.equal(classOf(3, []), -1);
});

test('colours spread over the palette, both ends kept', () => {
  const palette = ['a', 'b', 'c', 'd', 'e'];
  assert.deepEqual(pickColours(palette, 5), palette);
  assert.deepEqual(pickColours(palette, 3), ['a', 'c', 'e']);
  assert.deepEqual(pickColours(palette, 2), ['a', 'e']);
  assert.deepEqual(pickColours(palette, 1), ['e']);
  assert.deepEqual(pickColours(palette, 0), []);
});

test('legend numbers', () => {
  assert.equal(formatMeasure(0.3456), '0.35');
  assert.equal(formatMeasure(12.44), '12.4');
  assert.equal(formatMeasure(153.2), '153');
  assert.equal(formatMeasure(undefined), '—');
  assert.equal(rangeLabel({ min: 0.1, max: 0.25 }, formatMeasure), '0.10–0.25');
});
