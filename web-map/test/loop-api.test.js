import assert from 'node:assert/strict';
import { test } from 'node:test';
import { briefingUrl, createApi, queryOf } from '../src/api.js';

function recorder(status = 200, body = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { api: createApi(fetch), calls };
}

test('creating calls send the Idempotency-Key; changes send If-Match with the revision', async () => {
  const { api, calls } = recorder(201, { id: 1 });
  await api.createProblem({ title: 't' }, 'key-1');
  await api.addAction(7, { title: 'a' }, 'key-2');
  await api.createMeeting({ title: 'm' }, 'key-3');
  await api.addDecision(3, { text: 'd' }, 'key-4');
  await api.updateProblem(7, { stage: 'scanning' }, 4);
  await api.updateAction(9, { status: 'done' });
  assert.deepEqual(calls.map((c) => `${c.init.method} ${c.url}`), [
    'POST /api/problems',
    'POST /api/problems/7/actions',
    'POST /api/meetings',
    'POST /api/meetings/3/decisions',
    'PATCH /api/problems/7',
    'PATCH /api/actions/9',
  ]);
  assert.deepEqual(calls.slice(0, 4).map((c) => c.init.headers['Idempotency-Key']), ['key-1', 'key-2', 'key-3', 'key-4']);
  assert.equal(calls[4].init.headers['If-Match'], '"4"');
  assert.equal(calls[5].init.headers['If-Match'], undefined);
  assert.deepEqual(JSON.parse(calls[4].init.body), { stage: 'scanning' });
});

test('lists pass only the filters that are set; a failure names its field', async () => {
  const { api, calls } = recorder();
  await api.getActions({ organisation: 'mine', status: '', overdue: null });
  await api.getProblems({ stage: 'response' });
  await api.getProblems();
  assert.deepEqual(calls.map((c) => c.url), ['/api/actions?organisation=mine', '/api/problems?stage=response', '/api/problems']);
  const failing = recorder(422, { title: 'Invalid', detail: 'outside the council area', field: 'area' });
  await assert.rejects(failing.api.createProblem({}, 'k'), (error) => error.status === 422 && error.problem.field === 'area' && error.message === 'outside the council area');
});

test('queryOf and briefingUrl', () => {
  assert.equal(queryOf({}), '');
  assert.equal(queryOf({ a: 1, b: '', c: 'x y' }), '?a=1&c=x+y');
  assert.equal(briefingUrl(5, 'pdf'), '/api/meetings/5/briefing?format=pdf');
  assert.equal(briefingUrl(5), '/api/meetings/5/briefing?format=html');
});
