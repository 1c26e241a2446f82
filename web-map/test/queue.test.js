import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApi } from '../src/api.js';
import { classify, createQueue, queueCounts, todayItems } from '../src/report/queue.js';

/** Storage like IndexedDB's: entries are copied in and out (structured clone keeps Blobs). */
function memoryStorage() {
  const map = new Map();
  return {
    map,
    all: async () => [...map.values()].map((e) => structuredClone(e)),
    put: async (entry) => void map.set(entry.key, structuredClone(entry)),
    delete: async (key) => void map.delete(key),
  };
}

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const problem = (status, detail, field) =>
  new Response(JSON.stringify({ status, title: 'x', detail, field }), { status, headers: { 'Content-Type': 'application/problem+json' } });

/**
 * A fake server behind a fake fetch: `online` switches the network; reports are kept by
 * Idempotency-Key like the real one (a retry gets the same report back); `reply` can override.
 */
function fakeServer() {
  const server = { online: true, calls: [], reports: new Map(), photos: [], nextId: 100, reply: null };
  server.fetch = async (url, init = {}) => {
    if (!server.online) throw new TypeError('Failed to fetch');
    const call = { url, method: init.method ?? 'GET', headers: init.headers ?? {}, body: init.body };
    server.calls.push(call);
    const override = server.reply?.(call);
    if (override) return override;
    if (url === '/api/reports' && call.method === 'POST') {
      const key = call.headers['Idempotency-Key'];
      if (server.reports.has(key)) return json(server.reports.get(key), 200);
      const report = { id: server.nextId++, ...JSON.parse(call.body), photos: [] };
      server.reports.set(key, report);
      return json(report, 201);
    }
    const photo = url.match(/^\/api\/reports\/(\d+)\/photos$/);
    if (photo) {
      server.photos.push({ reportId: Number(photo[1]), name: init.body.get('photo').name });
      return json({ id: server.photos.length }, 201);
    }
    return problem(404, 'no such endpoint');
  };
  return server;
}

const report = { category: 'fly-tipping', lon: -1.23, lat: 54.56, accuracyM: 8, flyTipping: { size: 'car-boot', wasteType: 'household' } };
const jpeg = (name) => ({ name, type: 'image/jpeg', blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: 'image/jpeg' }) });

function setUp(options = {}) {
  const storage = memoryStorage();
  const server = fakeServer();
  let changes = 0;
  const queue = createQueue({ storage, api: createApi(server.fetch), onChange: () => changes++, ...options });
  return { storage, server, queue, changes: () => changes };
}

const postsOf = (server) => server.calls.filter((c) => c.url === '/api/reports');

test('a report made offline is stored and stays queued; nothing reaches the server', async () => {
  const { storage, server, queue, changes } = setUp();
  server.online = false;
  await queue.add({ key: 'k1', report, photos: [jpeg('a.jpg')] });
  assert.equal(storage.map.size, 1, 'written to storage before any sending');
  assert.ok(changes() >= 1);

  const summary = await queue.flush();
  assert.deepEqual({ sent: summary.sent.length, waiting: summary.waiting, failed: summary.failed }, { sent: 0, waiting: 1, failed: 0 });
  const [entry] = await queue.entries();
  assert.equal(entry.state, 'waiting');
  assert.equal(entry.attempts, 1);
  assert.match(entry.error.message, /Cannot reach the AIM server/);
  assert.equal(server.reports.size, 0);
  assert.ok(entry.photos[0].blob instanceof Blob, 'the photo Blob is kept');
});

test('back online, a queued report is sent once, with the same key on every try, then its photos', async () => {
  const { storage, server, queue } = setUp();
  server.online = false;
  await queue.add({ key: 'key-123', report, photos: [jpeg('a.jpg'), jpeg('b.jpg')] });
  await queue.flush();
  await queue.flush();

  server.online = true;
  const summary = await queue.flush();
  assert.equal(summary.sent.length, 1);
  assert.equal(summary.waiting, 0);
  assert.equal(storage.map.size, 0, 'the entry leaves the queue once everything is sent');

  assert.equal(postsOf(server).length, 1, 'one POST /api/reports');
  assert.equal(postsOf(server)[0].headers['Idempotency-Key'], 'key-123');
  assert.deepEqual(JSON.parse(postsOf(server)[0].body), report, 'the body as stored');
  assert.deepEqual(server.photos, [{ reportId: 100, name: 'a.jpg' }, { reportId: 100, name: 'b.jpg' }]);
  const order = server.calls.map((c) => c.url);
  assert.deepEqual(order, ['/api/reports', '/api/reports/100/photos', '/api/reports/100/photos'], 'photos after the report');

  await queue.flush();
  assert.equal(server.calls.length, 3, 'nothing is sent twice');
});

test('a lost answer is retried with the SAME key and the server returns the same report', async () => {
  const { server, queue } = setUp();
  let first = true;
  // The server stores the report, but the answer never arrives (connection drops).
  server.reply = (call) => {
    if (call.url === '/api/reports' && first) {
      first = false;
      const key = call.headers['Idempotency-Key'];
      server.reports.set(key, { id: server.nextId++, ...JSON.parse(call.body) });
      throw new TypeError('network connection was lost');
    }
    return null;
  };
  await queue.add({ key: 'same-key', report });
  assert.equal((await queue.flush()).waiting, 1);
  const summary = await queue.flush();
  assert.equal(summary.sent.length, 1);
  const keys = postsOf(server).map((c) => c.headers['Idempotency-Key']);
  assert.deepEqual(keys, ['same-key', 'same-key']);
  assert.equal(server.reports.size, 1, 'one report on the server');
  assert.equal(summary.sent[0].reportId, 100);
});

test('a 5xx keeps the report queued (retried later) and the next reports are still tried', async () => {
  const { server, queue } = setUp({ now: (() => { let t = 0; return () => new Date(Date.UTC(2024, 4, 2, 9, 0, t++)); })() });
  server.reply = (call) => (call.url === '/api/reports' && JSON.parse(call.body).category === 'asb-noise' ? problem(503, 'database busy') : null);
  await queue.add({ key: 'a', report: { ...report, category: 'asb-noise' } });
  await queue.add({ key: 'b', report });
  const summary = await queue.flush();
  assert.equal(summary.sent.length, 1);
  assert.equal(summary.sent[0].key, 'b');
  const [left] = await queue.entries();
  assert.equal(left.key, 'a');
  assert.equal(left.state, 'waiting');
  assert.equal(left.error.status, 503);

  server.reply = null;
  assert.equal((await queue.flush()).sent[0].key, 'a');
});

test('a 4xx problem marks the report failed with the detail, and it is not retried by itself', async () => {
  const { server, queue } = setUp();
  server.reply = (call) => (call.url === '/api/reports' ? problem(422, 'the location is outside the council area', 'location') : null);
  await queue.add({ key: 'far', report });
  const summary = await queue.flush();
  assert.deepEqual([summary.waiting, summary.failed], [0, 1]);
  const [entry] = await queue.entries();
  assert.equal(entry.state, 'failed');
  assert.deepEqual(entry.error, { message: 'the location is outside the council area', status: 422, field: 'location', photo: null });

  await queue.flush();
  await queue.flush();
  assert.equal(postsOf(server).length, 1, 'not retried blindly');

  await queue.retry('far'); // the user asks again
  await queue.flush();
  assert.equal(postsOf(server).length, 2);
  await queue.discard('far');
  assert.deepEqual(await queue.entries(), []);
});

test('a report accepted before its photo failed is not posted again: only the photos left are sent', async () => {
  const { server, queue } = setUp();
  let photoCalls = 0;
  server.reply = (call) => {
    if (call.url.endsWith('/photos') && ++photoCalls === 2) throw new TypeError('Failed to fetch');
    return null;
  };
  await queue.add({ key: 'p', report, photos: [jpeg('1.jpg'), jpeg('2.jpg')] });
  let summary = await queue.flush();
  assert.equal(summary.waiting, 1);
  const [entry] = await queue.entries();
  assert.equal(entry.reportId, 100);
  assert.deepEqual(entry.photos.map((p) => p.sent), [true, false]);

  summary = await queue.flush();
  assert.equal(summary.sent.length, 1);
  assert.equal(postsOf(server).length, 1, 'the report was posted once');
  assert.deepEqual(server.photos.map((p) => p.name), ['1.jpg', '2.jpg']);
});

test('a photo refused with a 4xx marks the entry failed and names the photo', async () => {
  const { server, queue } = setUp();
  server.reply = (call) => (call.url.endsWith('/photos') ? problem(415, 'photos must be JPEG or PNG', 'photo') : null);
  await queue.add({ key: 'x', report, photos: [jpeg('odd.jpg')] });
  const summary = await queue.flush();
  assert.equal(summary.failed, 1);
  const [entry] = await queue.entries();
  assert.equal(entry.error.photo, 'odd.jpg');
  assert.equal(entry.reportId, 100, 'the report itself is on the server');
});

test('401 keeps everything queued and asks the user to sign in', async () => {
  const { server, queue } = setUp();
  server.reply = () => problem(401, 'sign in first');
  await queue.add({ key: 'a', report });
  const summary = await queue.flush();
  assert.equal(summary.needsSignIn, true);
  assert.equal(queue.needsSignIn, true);
  assert.equal(summary.waiting, 1);
  assert.equal((await queue.entries())[0].state, 'waiting');
  server.reply = null;
  assert.equal((await queue.flush()).needsSignIn, false);
});

test('two flushes at once make one pass each, never two POSTs of the same report', async () => {
  const { server, queue } = setUp();
  await queue.add({ key: 'a', report });
  const [one, two] = await Promise.all([queue.flush(), queue.flush()]);
  assert.equal(postsOf(server).length, 1);
  assert.equal(one, two, 'the second call shares the running pass');
  assert.equal(one.sent.length, 1);
});

test('a report added during a pass is sent by the follow-up pass', async () => {
  const { server, queue } = setUp();
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const inner = server.fetch;
  server.fetch = async (...args) => {
    await gate;
    return inner(...args);
  };
  const q = createQueue({ storage: memoryStorage(), api: createApi((...a) => server.fetch(...a)) });
  await q.add({ key: 'first', report });
  const running = q.flush();
  await q.add({ key: 'second', report });
  q.flush();
  release();
  const summary = await running;
  assert.deepEqual(summary.sent.map((e) => e.key).sort(), ['first', 'second']);
  assert.equal(summary.waiting, 0);
});

test("another user's queued reports wait for them", async () => {
  let user = 'ann';
  const { server, queue } = setUp({ currentUser: () => user });
  server.online = false;
  await queue.add({ key: 'ann-1', report });
  server.online = true;
  user = 'bob';
  assert.equal((await queue.flush()).waiting, 1);
  assert.equal(server.calls.length, 0);
  user = 'ann';
  assert.equal((await queue.flush()).sent.length, 1);
});

test('classify: no answer, 5xx, 408, 429 retry; 401 sign in; other 4xx fail', () => {
  assert.equal(classify({ network: true }), 'retry');
  assert.equal(classify(new Error('x')), 'retry');
  for (const status of [500, 502, 503, 408, 425, 429]) assert.equal(classify({ status }), 'retry', String(status));
  assert.equal(classify({ status: 401 }), 'sign-in');
  for (const status of [400, 403, 404, 409, 413, 415, 422]) assert.equal(classify({ status }), 'failed', String(status));
});

test('queueCounts and todayItems: queued first, then the server reports, without duplicates', () => {
  const entries = [
    { key: 'w', state: 'waiting', report: { category: 'fly-tipping', occurredAt: '2024-05-02T09:00:00Z' }, photos: [{}], reportId: null, createdAt: 'a' },
    { key: 'f', state: 'failed', report: { category: 'asb-noise' }, photos: [], reportId: null, error: { message: 'outside' }, createdAt: 'b' },
    { key: 'p', state: 'waiting', report: { category: 'env-graffiti' }, photos: [{}], reportId: 7, createdAt: 'c' },
  ];
  assert.deepEqual(queueCounts(entries), { waiting: 2, failed: 1 });
  const server = [
    { id: 5, category: 'asb-noise', categoryLabel: 'ASB: noise', status: 'open', recordedAt: '2024-05-02T08:00:00Z', photos: [] },
    { id: 7, category: 'env-graffiti', status: 'open', recordedAt: '2024-05-02T10:00:00Z', photos: [] },
    { id: 6, category: 'fly-tipping', status: 'cleared', recordedAt: '2024-05-02T08:30:00Z', photos: [{ id: 1 }] },
  ];
  const items = todayItems(server, entries, { 'fly-tipping': 'Fly-tipping', 'asb-noise': 'ASB: noise' });
  assert.deepEqual(items.map((i) => [i.key, i.state]), [
    ['w', 'waiting'], ['f', 'failed'], ['p', 'waiting'], ['report-6', 'sent'], ['report-5', 'sent'],
  ]);
  assert.equal(items[0].categoryLabel, 'Fly-tipping');
  assert.equal(items[1].error, 'outside');
  assert.equal(items[2].status, 'photos waiting');
  assert.equal(items[3].photos, 1);
  assert.deepEqual(todayItems(null, []), []);
});
