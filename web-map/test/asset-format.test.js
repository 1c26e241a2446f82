import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDays, formatDistance, formatSchedule, formatSchedules, formatShare, formatTime } from '../src/assets/format.js';

test('distances: metres to 10 m, then km to 100 m, whole km from 10 km', () => {
  assert.equal(formatDistance(0), '0 m');
  assert.equal(formatDistance(4), '0 m');
  assert.equal(formatDistance(349.6), '350 m');
  assert.equal(formatDistance(994), '990 m');
  assert.equal(formatDistance(996), '1.0 km');
  assert.equal(formatDistance(1234), '1.2 km');
  assert.equal(formatDistance(9949), '9.9 km');
  assert.equal(formatDistance(9960), '10 km');
  assert.equal(formatDistance(12_600), '13 km');
  assert.equal(formatDistance(-1), '');
  assert.equal(formatDistance(NaN), '');
  assert.equal(formatDistance('350'), '');
  assert.equal(formatDistance(null), '');
});

test('times and dates', () => {
  assert.equal(formatTime('16:00:00'), '16:00');
  assert.equal(formatTime('9:30'), '09:30');
  assert.equal(formatTime('18:00Z'), '18:00');
  assert.equal(formatTime('noon'), 'noon');
  assert.equal(formatTime(null), '');
  assert.equal(formatDate('2024-10-05'), '5 Oct 2024');
  assert.equal(formatDate('2024-13-05'), '2024-13-05');
  assert.equal(formatDate(undefined), '');
});

test('days: lists, ranges of three or more, ordinals', () => {
  assert.equal(formatDays('MO,WE'), 'Mon, Wed');
  assert.equal(formatDays('FR,MO,TU,WE,TH'), 'Mon–Fri');
  assert.equal(formatDays('MO,TU'), 'Mon, Tue');
  assert.equal(formatDays('SA,SU,MO'), 'Mon, Sat, Sun');
  assert.equal(formatDays('1MO'), '1st Mon');
  assert.equal(formatDays('-1FR'), 'last Fri');
  assert.equal(formatDays('TU,xx'), 'Tue, XX');
  assert.equal(formatDays(''), '');
});

test('Open Referral regular schedules in words', () => {
  assert.equal(formatSchedule({ byday: 'MO,WE', opens_at: '16:00', closes_at: '18:00:00', freq: 'WEEKLY' }), 'Mon, Wed 16:00–18:00');
  assert.equal(formatSchedule({ byday: 'TU', opens_at: '10:00', closes_at: '12:00', freq: 'WEEKLY', interval: 2 }), 'Every 2 weeks: Tue 10:00–12:00');
  assert.equal(formatSchedule({ byday: '1MO', opens_at: '18:30', closes_at: '20:00', freq: 'MONTHLY' }), '1st Mon of the month 18:30–20:00');
  assert.equal(formatSchedule({ freq: 'MONTHLY', bymonthday: '1,15' }), 'Monthly on day 1, 15');
  assert.equal(formatSchedule({ freq: 'DAILY', opens_at: '09:00' }), 'Daily from 09:00');
  assert.equal(formatSchedule({ description: 'Term time only' }), 'Term time only');
  assert.equal(
    formatSchedule({ byday: 'SA', opens_at: '10:00', closes_at: '13:00', description: 'term time', valid_from: '2024-09-01', valid_to: '2025-07-31' }),
    'Sat 10:00–13:00 (term time), from 1 Sep 2024 until 31 Jul 2025',
  );
  assert.equal(formatSchedule({}), '');
  assert.equal(formatSchedule(null), '');
  assert.deepEqual(formatSchedules([{ byday: 'FR', closes_at: '22:00' }, {}, null]), ['Fri until 22:00']);
  assert.deepEqual(formatSchedules('nope'), []);
});

test('shares as whole percentages', () => {
  assert.equal(formatShare(0.4234), '42%');
  assert.equal(formatShare(0), '0%');
  assert.equal(formatShare(0.004), '<1%');
  assert.equal(formatShare(1), '100%');
  assert.equal(formatShare(null), '—');
});
