import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bars, changeText, defaultPeriod, evaluationQuery, resText } from '../src/problems/evaluation.js';

test('an action with dates is evaluated by id; changed dates, buffer and chosen wards are sent', () => {
  const action = { id: 7, startsOn: '2026-05-01', endsOn: '2026-05-31' };
  assert.deepEqual(evaluationQuery({ problemId: 3, action, afterFrom: '2026-05-01', afterTo: '2026-05-31', buffer: '500' }),
    { action: 7, buffer: '500' });
  assert.deepEqual(evaluationQuery({ problemId: 3, action, afterFrom: '2026-05-02', afterTo: '2026-05-31', control: ['E1', 'E2'] }),
    { action: 7, after_from: '2026-05-02', after_to: '2026-05-31', control: 'ward:E1,ward:E2' });
  assert.deepEqual(evaluationQuery({ problemId: 3, afterFrom: '2026-01-01', afterTo: '2026-03-31', buffer: '' }),
    { area: 'problem:3', after_from: '2026-01-01', after_to: '2026-03-31' });
});

test('the default after period: the operation, else the problem start to yesterday', () => {
  assert.deepEqual(defaultPeriod({ startDate: '2026-01-10' }, { startsOn: '2026-02-01', endsOn: '2026-02-07' }, '2026-12-07'),
    { from: '2026-02-01', to: '2026-02-07' });
  assert.deepEqual(defaultPeriod({ startDate: '2026-01-10' }, null, '2026-12-07'), { from: '2026-01-10', to: '2026-12-06' });
  assert.deepEqual(defaultPeriod({ startDate: '2026-12-07' }, null, '2026-12-07'), { from: '2026-12-07', to: '2026-12-07' });
});

test('bars are scaled to the largest count, and all zero gives zero widths', () => {
  const b = bars({ target: { before: 50, after: 25 }, buffer: { before: 10, after: 0 }, control: { before: 100, after: 80 } });
  assert.deepEqual(b.map((x) => `${x.zone}-${x.period}:${x.count}:${x.percent}`), [
    'target-before:50:50', 'target-after:25:25', 'buffer-before:10:10', 'buffer-after:0:0', 'control-before:100:100', 'control-after:80:80',
  ]);
  assert.ok(bars({}).every((x) => x.percent === 0 && x.count === 0));
});

test('RES and changes in words, without NaN for zeros', () => {
  assert.equal(resText({ value: 2, low: 1.3514, high: 2.9599, zeroCorrection: false }), 'RES 2.00 (95% interval 1.35 to 2.96)');
  assert.match(resText({ value: 21, low: 1.15, high: 382.5, zeroCorrection: true }), /0\.5 added/);
  assert.match(resText({ value: null, low: null, high: null }), /^RES: none/);
  assert.equal(changeText('Target', { before: 120, after: 80 }), 'Target 120 → 80 (−33%)');
  assert.equal(changeText('Buffer', { before: 0, after: 4 }), 'Buffer 0 → 4');
  assert.equal(changeText('Control', { before: 10, after: 12 }), 'Control 10 → 12 (+20%)');
});
