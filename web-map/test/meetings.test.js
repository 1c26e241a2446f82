import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agendaCandidates, decisionsByProblem, meetingIdOf, meetingLine, problemMapLink } from '../src/meetings/agenda.js';
import { decodeView } from '../src/view-url.js';

test('the page shows a meeting for ?id=N and the list otherwise', () => {
  assert.equal(meetingIdOf('?id=12'), 12);
  assert.equal(meetingIdOf('?id=0'), null);
  assert.equal(meetingIdOf('?id=abc'), null);
  assert.equal(meetingIdOf(''), null);
});

test('decisions are grouped by agenda item; problems not yet on the agenda are offered', () => {
  const groups = decisionsByProblem([{ id: 1, problemId: 3 }, { id: 2, problemId: null }, { id: 3, problemId: 3 }]);
  assert.deepEqual(groups[3].map((d) => d.id), [1, 3]);
  assert.deepEqual(groups.general.map((d) => d.id), [2]);
  const features = [{ properties: { id: 3, title: 'B', stage: 'response' } }, { properties: { id: 4, title: 'A', stage: 'analysis' } }, { properties: { id: 5, title: 'C', stage: 'closed' } }];
  assert.deepEqual(agendaCandidates(features, [{ problemId: 3 }]).map((p) => p.id), [4]);
});

test('a meeting in one line; the problem map link is a valid view URL', () => {
  assert.equal(meetingLine({ heldOn: '2026-12-10', title: 'AIM', agendaCount: 4, decisionCount: 1 }), '2026-12-10 · AIM · 4 on the agenda · 1 decision');
  const view = decodeView(problemMapLink(7).slice(1));
  assert.equal(view.problem, 7);
  assert.deepEqual(view.layers, ['problems', 'wards']);
});
