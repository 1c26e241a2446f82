import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classOf, classRanges, formatMeasure, pickColours, quantileBreaks, rangeLabel } from '../src/classes.js';

test('quantile breaks: upper bounds of about equal classes, the last the maximum', () => {
  assert.deepEqual(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5), [2, 4, 6, 8, 10]);
  assert.deepEqual(quantileBreaks([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 5), [2, 4, 6, 8, 10], 'order does not matter');
  assert.deepEqual(quantileBreaks([5], 5), [5]);
  assert.deepEqual(quantileBreaks([], 5), []);
  assert.deepEqual(quantileBreaks([NaN, null, 'x', 3], 5), [3], 'non-numbers ignored');
});

test('skewed data gives fewer classes, never an empty one', () => {
  const counts = [1, 1, 1, 1, 1, 1, 2, 2, 3, 40];
  const breaks = quantileBreaks(counts, 5);
  assert.deepEqual(breaks, [1, 2, 40]);
  const ranges = classRanges(counts, breaks);
  assert.deepEqual(ranges.map((r) => r.n), [6, 2, 2]);
  assert.deepEqual(ranges.map((r) => rangeLabel(r)), ['1', '2', '3–40']);
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
