import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDays,
  emergingWindow,
  financialQuarter,
  financialYearLabel,
  formatDate,
  formatDateRange,
  parseDate,
  presetPeriod,
  previousQuarter,
  quarterEnd,
  quarterLabel,
  quarterStart,
  seriesWindow,
  ukToday,
} from '../src/periods.js';

test('dates: parsing rejects impossible dates, formatting normalises overflow', () => {
  assert.deepEqual(parseDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
  assert.equal(parseDate('2023-02-29'), null);
  assert.equal(parseDate('2024-13-01'), null);
  assert.equal(parseDate('24-01-01'), null);
  assert.equal(parseDate(undefined), null);
  assert.equal(formatDate(2024, 13, 1), '2025-01-01');
  assert.equal(formatDate(2025, 3, 0), '2025-02-28');
  assert.equal(formatDate(2024, 0, 1), '2023-12-01');
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
  assert.equal(addDays('2024-03-01', -1), '2024-02-29');
});

test('UK today: the date in London, whatever the clock zone', () => {
  // 23:30 UTC on 31 March 2025 is already 1 April 00:30 in London (BST)
  assert.equal(ukToday(new Date('2025-03-31T23:30:00Z')), '2025-04-01');
  // 23:30 UTC on 31 December is still 31 December in London (GMT)
  assert.equal(ukToday(new Date('2024-12-31T23:30:00Z')), '2024-12-31');
});

test('financial quarters: Q1 is April-June, January-March is Q4 of the year before', () => {
  assert.deepEqual(financialQuarter('2024-04-01'), { startYear: 2024, quarter: 1 });
  assert.deepEqual(financialQuarter('2024-06-30'), { startYear: 2024, quarter: 1 });
  assert.deepEqual(financialQuarter('2024-07-01'), { startYear: 2024, quarter: 2 });
  assert.deepEqual(financialQuarter('2024-12-31'), { startYear: 2024, quarter: 3 });
  assert.deepEqual(financialQuarter('2025-01-01'), { startYear: 2024, quarter: 4 });
  assert.deepEqual(financialQuarter('2025-03-31'), { startYear: 2024, quarter: 4 });
  assert.equal(quarterStart({ startYear: 2024, quarter: 4 }), '2025-01-01');
  assert.equal(quarterEnd({ startYear: 2024, quarter: 4 }), '2025-03-31');
  assert.equal(quarterEnd({ startYear: 2024, quarter: 1 }), '2024-06-30');
  assert.deepEqual(previousQuarter({ startYear: 2024, quarter: 1 }), { startYear: 2023, quarter: 4 });
  assert.equal(quarterLabel({ startYear: 2024, quarter: 1 }), 'Q1 24/25');
  assert.equal(financialYearLabel(1999), '99/00');
});

test('last month: the previous calendar month, across the year end', () => {
  assert.deepEqual(presetPeriod('last-month', '2025-01-15'), { from: '2024-12-01', to: '2024-12-31', label: 'Dec 2024' });
  assert.deepEqual(presetPeriod('last-month', '2024-03-01'), { from: '2024-02-01', to: '2024-02-29', label: 'Feb 2024' });
  assert.deepEqual(presetPeriod('last-month', '2024-12-31'), { from: '2024-11-01', to: '2024-11-30', label: 'Nov 2024' });
});

test('last quarter: the last complete financial quarter', () => {
  // in Q1 (from 1 April) the last complete quarter is Q4 of the year before: January-March
  assert.deepEqual(presetPeriod('last-quarter', '2025-04-01'), { from: '2025-01-01', to: '2025-03-31', label: 'Q4 24/25' });
  // on 31 March (still Q4) it is Q3: October-December
  assert.deepEqual(presetPeriod('last-quarter', '2025-03-31'), { from: '2024-10-01', to: '2024-12-31', label: 'Q3 24/25' });
  // on 1 January (Q4 begins) it is Q3, ending the day before
  assert.deepEqual(presetPeriod('last-quarter', '2025-01-01'), { from: '2024-10-01', to: '2024-12-31', label: 'Q3 24/25' });
  assert.deepEqual(presetPeriod('last-quarter', '2024-12-31'), { from: '2024-07-01', to: '2024-09-30', label: 'Q2 24/25' });
  assert.deepEqual(presetPeriod('last-quarter', '2026-11-22'), { from: '2026-07-01', to: '2026-09-30', label: 'Q2 26/27' });
});

test('this financial year: 1 April to today; January-March belong to the year that began the April before', () => {
  assert.deepEqual(presetPeriod('this-fy', '2025-04-01'), { from: '2025-04-01', to: '2025-04-01', label: '2025/26 to date' });
  assert.deepEqual(presetPeriod('this-fy', '2025-03-31'), { from: '2024-04-01', to: '2025-03-31', label: '2024/25 to date' });
  assert.deepEqual(presetPeriod('this-fy', '2025-01-01'), { from: '2024-04-01', to: '2025-01-01', label: '2024/25 to date' });
  assert.deepEqual(presetPeriod('this-fy', '2099-12-31'), { from: '2099-04-01', to: '2099-12-31', label: '2099/00 to date' });
});

test('custom and unknown presets have no dates; a bad today is an error', () => {
  assert.equal(presetPeriod('custom', '2025-01-01'), null);
  assert.equal(presetPeriod('nonsense', '2025-01-01'), null);
  assert.throws(() => presetPeriod('last-month', '2025-02-30'), /Not a date/);
});

test('the chart window: 8 quarters up to the one containing the end', () => {
  assert.deepEqual(seriesWindow('2026-09-30'), { from: '2024-10-01', to: '2026-09-30' });
  assert.deepEqual(seriesWindow('2025-03-31', 4), { from: '2024-04-01', to: '2025-03-31' });
  assert.deepEqual(seriesWindow('2025-04-01', 1), { from: '2025-04-01', to: '2025-04-01' });
});

test('date ranges in words', () => {
  assert.equal(formatDateRange('2026-07-01', '2026-09-30'), '1 Jul – 30 Sep 2026');
  assert.equal(formatDateRange('2025-12-03', '2026-01-02'), '3 Dec 2025 – 2 Jan 2026');
  assert.equal(formatDateRange('2026-05-05', '2026-05-05'), '5 May 2026');
  assert.equal(formatDateRange('x', '2026-05-05'), '');
});

test('the emerging window: the last 12 complete months or financial quarters', () => {
  assert.deepEqual(emergingWindow('month', '2026-11-22'), { from: '2025-11-01', to: '2026-10-31', label: '12 months, Nov 2025 – Oct 2026' });
  assert.deepEqual(emergingWindow('month', '2026-01-01'), { from: '2025-01-01', to: '2025-12-31', label: '12 months, Jan 2025 – Dec 2025' });
  assert.deepEqual(emergingWindow('quarter', '2026-11-22'), { from: '2023-10-01', to: '2026-09-30', label: '12 quarters, Q3 23/24 – Q2 26/27' });
  assert.deepEqual(emergingWindow('quarter', '2026-04-01'), { from: '2023-04-01', to: '2026-03-31', label: '12 quarters, Q1 23/24 – Q4 25/26' });
  assert.equal(emergingWindow('month', '2026-03-15', 10).from, '2025-05-01');
});

test('the next period, as the server tests a map: whole months stay months, else the same number of days', async () => {
  const { nextPeriod } = await import('../src/periods.js');
  assert.deepEqual(nextPeriod('2026-01-01', '2026-03-31'), { from: '2026-04-01', to: '2026-06-30' });
  assert.deepEqual(nextPeriod('2026-07-01', '2026-09-30'), { from: '2026-10-01', to: '2026-12-31' });
  assert.deepEqual(nextPeriod('2026-02-01', '2026-02-28'), { from: '2026-03-01', to: '2026-03-31' });
  assert.deepEqual(nextPeriod('2025-04-01', '2026-03-31'), { from: '2026-04-01', to: '2027-03-31' });
  assert.deepEqual(nextPeriod('2026-06-03', '2026-06-09'), { from: '2026-06-10', to: '2026-06-16' });
  assert.deepEqual(nextPeriod('2026-04-01', '2026-11-22'), { from: '2026-11-23', to: '2027-07-16' });
  assert.deepEqual(nextPeriod('2026-05-05', '2026-05-05'), { from: '2026-05-06', to: '2026-05-06' });
});
