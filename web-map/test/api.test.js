import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundariesUrl, createApi, problemToError } from '../src/api.js';

/** A fake fetch that records the URLs asked for and answers with `respond(url)`. */
function fakeFetch(respond) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return respond(url);
  };
  return { fetch, calls };
}

const json = (body, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

test('getConfig and getBoundaryVersions ask for the right URLs and return the JSON', async () => {
  const { fetch, calls } = fakeFetch((url) => json({ url }));
  const api = createApi(fetch);
  assert.deepEqual(await api.getConfig(), { url: '/api/config' });
  assert.deepEqual(await api.getBoundaryVersions(), { url: '/api/boundaries/versions' });
  assert.deepEqual(calls.map((c) => c.url), ['/api/config', '/api/boundaries/versions']);
});

test('getBoundaries passes level, version and simplify as query parameters', async () => {
  const featureCollection = { type: 'FeatureCollection', features: [], meta: { level: 'ward' } };
  const { fetch, calls } = fakeFetch(() => json(featureCollection));
  const api = createApi(fetch);
  assert.deepEqual(await api.getBoundaries('ward', { version: 'demo', simplify: 10 }), featureCollection);
  await api.getBoundaries('neighbourhood');
  assert.deepEqual(calls.map((c) => c.url), [
    '/api/boundaries?level=ward&version=demo&simplify=10',
    '/api/boundaries?level=neighbourhood',
  ]);
});

test('boundariesUrl encodes the version, keeps simplify within 0..2000 and rejects unknown levels', () => {
  assert.equal(boundariesUrl('zone', { version: 'a b&c' }), '/api/boundaries?level=zone&version=a+b%26c');
  assert.equal(boundariesUrl('ward', { simplify: 0 }), '/api/boundaries?level=ward&simplify=0');
  assert.equal(boundariesUrl('ward', { simplify: 12.6 }), '/api/boundaries?level=ward&simplify=13');
  assert.equal(boundariesUrl('ward', { simplify: 99999 }), '/api/boundaries?level=ward&simplify=2000');
  assert.equal(boundariesUrl('ward', { simplify: -5 }), '/api/boundaries?level=ward&simplify=0');
  assert.equal(boundariesUrl('ward', { version: '', simplify: null }), '/api/boundaries?level=ward');
  assert.throws(() => boundariesUrl('county'), /Unknown boundary level: county/);
  assert.throws(() => boundariesUrl('ward', { simplify: 'lots' }), /Bad simplify tolerance/);
});

test('a problem response becomes an Error with the problem detail', async () => {
  const problem = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Unknown version: 1999', field: 'version' };
  const { fetch } = fakeFetch(() => json(problem, 400, 'application/problem+json'));
  const api = createApi(fetch);
  await assert.rejects(api.getBoundaries('ward', { version: '1999' }), (error) => {
    assert.ok(error instanceof Error);
    assert.equal(error.message, 'Unknown version: 1999');
    assert.equal(error.status, 400);
    assert.deepEqual(error.problem, problem);
    return true;
  });
});

test('problemToError falls back to the title, then to the HTTP status', () => {
  assert.equal(problemToError(404, 'Not Found', { title: 'Not Found', status: 404 }).message, 'Not Found');
  assert.equal(problemToError(404, 'Not Found', { title: 'Not Found', detail: '' }).message, 'Not Found');
  assert.equal(problemToError(502, 'Bad Gateway', null).message, 'HTTP 502 Bad Gateway');
  assert.equal(problemToError(500, '', ['not', 'a', 'problem']).message, 'HTTP 500');
  assert.equal(problemToError(500, '', 'text').problem, null);
});

test('a non-JSON error body gives "HTTP <status>"', async () => {
  const { fetch } = fakeFetch(() => new Response('<html>oops</html>', { status: 503, statusText: 'Service Unavailable' }));
  await assert.rejects(createApi(fetch).getConfig(), { message: 'HTTP 503 Service Unavailable', status: 503 });
});

test('invalid JSON in a successful response is an error', async () => {
  const { fetch } = fakeFetch(() => new Response('{not json', { status: 200 }));
  await assert.rejects(createApi(fetch).getConfig(), /invalid JSON for \/api\/config/);
});

test('a network failure is an error that says the server cannot be reached', async () => {
  const api = createApi(async () => {
    throw new TypeError('fetch failed');
  });
  await assert.rejects(api.getBoundaryVersions(), /Cannot reach the AIM server \(fetch failed\)/);
});
