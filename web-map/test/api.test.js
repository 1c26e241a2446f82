import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaStatsCsvUrl, boundariesUrl, createApi, problemToError } from '../src/api.js';

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

test('a network failure is marked .network and has no status', async () => {
  const api = createApi(async () => {
    throw new TypeError('Failed to fetch');
  });
  await assert.rejects(api.postReport({}, 'k'), (error) => error.network === true && error.status === undefined);
});

test('getMe returns the user, or null when signed out; other failures are errors', async () => {
  const user = { id: 1, username: 'ann', displayName: 'Ann', role: 'warden' };
  assert.deepEqual(await createApi(fakeFetch(() => json(user)).fetch).getMe(), user);
  const signedOut = fakeFetch(() => json({ status: 401, detail: 'sign in first' }, 401, 'application/problem+json'));
  assert.equal(await createApi(signedOut.fetch).getMe(), null);
  assert.equal(signedOut.calls[0].url, '/api/me');
  await assert.rejects(createApi(fakeFetch(() => json({ detail: 'down' }, 503)).fetch).getMe(), { status: 503 });
});

test('logIn posts the credentials as JSON; a refusal carries the problem detail', async () => {
  const { fetch, calls } = fakeFetch(() => json({ status: 401, detail: 'wrong username or password' }, 401));
  await assert.rejects(createApi(fetch).logIn('ann', 'pw'), { message: 'wrong username or password', status: 401 });
  assert.equal(calls[0].url, '/api/login');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].init.body), { username: 'ann', password: 'pw' });
});

test('logOut accepts an empty 204 answer', async () => {
  const { fetch, calls } = fakeFetch(() => new Response(null, { status: 204 }));
  assert.equal(await createApi(fetch).logOut(), null);
  assert.equal(calls[0].init.method, 'POST');
});

test('postReport sends the JSON body with the Idempotency-Key header', async () => {
  const { fetch, calls } = fakeFetch(() => json({ id: 7 }, 201));
  const report = { category: 'fly-tipping', lon: -1.2, lat: 54.5 };
  assert.deepEqual(await createApi(fetch).postReport(report, 'key-1'), { id: 7 });
  assert.equal(calls[0].url, '/api/reports');
  assert.equal(calls[0].init.headers['Idempotency-Key'], 'key-1');
  assert.deepEqual(JSON.parse(calls[0].init.body), report);
});

test('postPhoto sends a multipart part "photo" with the file name', async () => {
  const { fetch, calls } = fakeFetch(() => json({ id: 3 }, 201));
  const blob = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
  await createApi(fetch).postPhoto(7, blob, 'bins.jpg');
  assert.equal(calls[0].url, '/api/reports/7/photos');
  const body = calls[0].init.body;
  assert.ok(body instanceof FormData);
  assert.equal(body.get('photo').name, 'bins.jpg');
  assert.equal(body.get('photo').size, 3);
  assert.equal(calls[0].init.headers['Content-Type'], undefined, 'the browser sets the multipart boundary');
});

test('getIncidents, getCategories and getMyReports ask for the right URLs', async () => {
  const { fetch, calls } = fakeFetch(() => json({}));
  const api = createApi(fetch);
  await api.getIncidents('bbox=1,2,3,4&limit=10');
  await api.getCategories();
  await api.getMyReports('2024-05-02');
  assert.deepEqual(calls.map((c) => c.url), [
    '/api/incidents?bbox=1,2,3,4&limit=10',
    '/api/incidents/categories',
    '/api/reports/mine?date=2024-05-02',
  ]);
  assert.equal(calls[0].init.cache, 'no-store');
});

test('analysis endpoints: hotspots, area stats, series (level and code encoded), CSV link', async () => {
  const { fetch, calls } = fakeFetch(() => json({ ok: true }));
  const api = createApi(fetch);
  await api.getHotspots('method=gistar&cell=250');
  await api.getEmergingHotspots('interval=month&cell=250');
  await api.getHotspotAccuracy('method=grid&cell=250&share=3&from=2026-07-01&to=2026-09-30');
  await api.getAreaStats('level=ward&from=2026-07-01&to=2026-09-30');
  await api.getAreaSeries('ward', 'E05/01 x', 'interval=quarter');
  assert.deepEqual(calls.map((c) => c.url), [
    '/api/hotspots?method=gistar&cell=250',
    '/api/hotspots/emerging?interval=month&cell=250',
    '/api/hotspots/accuracy?method=grid&cell=250&share=3&from=2026-07-01&to=2026-09-30',
    '/api/areas/stats?level=ward&from=2026-07-01&to=2026-09-30',
    '/api/areas/ward/E05%2F01%20x/series?interval=quarter',
  ]);
  assert.equal(areaStatsCsvUrl('level=ward&format=csv'), '/api/areas/stats?level=ward&format=csv');
});
