import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  actionCountsText,
  canManage,
  earlierStages,
  nextStage,
  nextStatuses,
  ownerText,
  progressText,
  sortActions,
  stageColour,
  targetText,
} from '../src/problems/workflow.js';

const analyst = { role: 'analyst' };
const partner = { role: 'partner', organisation: { id: 4, code: 'police', name: 'Police' } };
const policeAction = { organisation: { id: 4, code: 'police' } };
const housingAction = { organisation: { id: 5, code: 'housing' } };

test('stages move forward exactly one step and back to any earlier one', () => {
  assert.equal(nextStage('objective'), 'scanning');
  assert.equal(nextStage('assessment'), 'closed');
  assert.equal(nextStage('closed'), null);
  assert.equal(nextStage('nonsense'), null);
  assert.deepEqual(earlierStages('analysis'), ['objective', 'scanning']);
  assert.deepEqual(earlierStages('objective'), []);
  assert.match(stageColour('response'), /^#[0-9a-f]{6}$/);
  assert.equal(stageColour('unknown'), '#444444');
});

test('analysts and admins get every valid next status, including reopen and un-cancel', () => {
  assert.deepEqual(nextStatuses('open', analyst), ['in-progress', 'on-hold', 'cancelled']);
  assert.deepEqual(nextStatuses('in-progress', analyst), ['done', 'on-hold', 'cancelled']);
  assert.deepEqual(nextStatuses('on-hold', { role: 'admin' }), ['in-progress', 'cancelled']);
  assert.deepEqual(nextStatuses('done', analyst), ['in-progress']);
  assert.deepEqual(nextStatuses('cancelled', analyst), ['open']);
  assert.ok(!nextStatuses('open', analyst).includes('done'), 'open -> done is not a step');
});

test('a member of the action organisation moves it along but cannot reopen; others get nothing', () => {
  assert.deepEqual(nextStatuses('open', partner, policeAction), ['in-progress', 'on-hold', 'cancelled']);
  assert.deepEqual(nextStatuses('done', partner, policeAction), []);
  assert.deepEqual(nextStatuses('cancelled', partner, policeAction), []);
  assert.deepEqual(nextStatuses('open', partner, housingAction), []);
  assert.deepEqual(nextStatuses('open', { role: 'viewer' }, policeAction), []);
  assert.deepEqual(nextStatuses('open', null, policeAction), []);
  assert.ok(canManage(analyst) && !canManage(partner) && !canManage(null));
});

test('overdue actions come first (earliest due first), finished ones last', () => {
  const actions = [
    { id: 1, status: 'done', due: '2026-01-01', overdue: false },
    { id: 2, status: 'open', due: '2026-12-20', overdue: false },
    { id: 3, status: 'open', due: '2026-11-01', overdue: true },
    { id: 4, status: 'on-hold', due: '2026-10-01', overdue: true },
    { id: 5, status: 'in-progress', due: '2026-12-10', overdue: false },
    { id: 6, status: 'cancelled', due: '2025-01-01', overdue: false },
  ];
  assert.deepEqual(sortActions(actions).map((a) => a.id), [4, 3, 5, 2, 6, 1]);
  assert.equal(actions[0].id, 1, 'the input is not changed');
  assert.deepEqual(sortActions(null), []);
});

test('counts, owners and targets in words', () => {
  assert.equal(actionCountsText(3, 1), '3 open actions, 1 overdue');
  assert.equal(actionCountsText(1, 0), '1 open action');
  assert.equal(actionCountsText(0, 0), 'no open actions');
  assert.equal(ownerText('aim'), 'AIM group');
  assert.equal(ownerText('nap:NH01', { NH01: 'Central' }), 'NAP Central');
  assert.equal(ownerText('nap:NH02'), 'NAP NH02');
  assert.equal(
    targetText({ percent: -20, months: 3, baseline: 'same-period-last-year', start: '2026-10-01' }),
    'Reduce by 20 % over 3 months from Oct 2026 against the same months last year',
  );
  assert.equal(targetText({ percent: 10, months: 1, baseline: 'previous-period' }), 'Increase by 10 % over 1 month against the months before');
  assert.equal(targetText(null), '');
});

test('progress: the server description when given, else a line from the figures', () => {
  assert.equal(progressText({ description: 'Reduce ASB … on track', status: 'on-track' }), 'Reduce ASB … on track');
  assert.equal(progressText({ status: 'off-track', current: 30, baseline: 22, changePercent: 36.4 }), '30 so far vs 22 (+36 %), off track');
  assert.equal(progressText({ status: 'on-track', current: 3, baseline: 0, changePercent: null }), '3 so far vs 0 (no baseline), on track');
  assert.equal(progressText({ status: 'not-started' }), 'Target period not started yet');
  assert.equal(progressText(null), '');
});

test('an action line and a status change body', async () => {
  const { actionLine, statusChangeBody } = await import('../src/problems/actions-view.js');
  assert.equal(actionLine({ organisation: { name: 'Police' }, due: '2026-12-01' }), 'Police · due 2026-12-01');
  assert.equal(
    actionLine({ organisation: { code: 'wardens' }, due: '2026-12-01', startsOn: '2026-11-01', endsOn: '2026-11-30', assignee: { username: 'ann' } }),
    'wardens · due 2026-12-01 · operation 2026-11-01 to 2026-11-30 · ann',
  );
  assert.deepEqual(statusChangeBody({ status: 'done', note: '' }), { status: 'done' });
  assert.deepEqual(statusChangeBody({ status: 'done', note: 'fixed' }), { status: 'done', note: 'fixed' });
});

test('the list filter: open stages by default, one stage, or all; ordered by stage then title', async () => {
  const { filterProblems } = await import('../src/problems/list-panel.js');
  const f = (id, stage, title) => ({ properties: { id, stage, title } });
  const all = [f(1, 'closed', 'A'), f(2, 'response', 'B'), f(3, 'objective', 'Z'), f(4, 'objective', 'C')];
  assert.deepEqual(filterProblems(all, '').map((x) => x.properties.id), [4, 3, 2]);
  assert.deepEqual(filterProblems(all, 'closed').map((x) => x.properties.id), [1]);
  assert.deepEqual(filterProblems(all, 'all').map((x) => x.properties.id), [4, 3, 2, 1]);
});

test('history entries in words', async () => {
  const { historyText } = await import('../src/problems/detail-panel.js');
  assert.equal(
    historyText({ at: '2026-11-03T10:00:00Z', by: { name: 'Ann', organisation: null }, kind: 'changed', changes: { stage: { from: 'analysis', to: 'response' } } }),
    '2026-11-03 · Ann · changed · stage: analysis → response',
  );
  assert.equal(historyText({ at: '2026-11-04T10:00:00Z', by: { name: null, organisation: 'police' }, kind: 'decision', note: 'Patrols agreed' }), '2026-11-04 · (police) · decision · Patrols agreed');
});

test('the actions page hides finished actions unless asked', async () => {
  const { shownActions } = await import('../src/problems/workflow.js');
  const all = [{ id: 1, status: 'done', due: '2026-01-01' }, { id: 2, status: 'open', due: '2026-12-01', overdue: false }, { id: 3, status: 'open', due: '2026-11-01', overdue: true }];
  assert.deepEqual(shownActions(all, false).map((a) => a.id), [3, 2]);
  assert.deepEqual(shownActions(all, true).map((a) => a.id), [3, 2, 1]);
});
