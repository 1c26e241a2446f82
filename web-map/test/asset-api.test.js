import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApi } from '../src/api.js';

function fakeFetch(respond) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  return { fetch, calls };
}
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

test('asset reads go to their endpoints with the query given', async () => {
  const { fetch, calls } = fakeFetch(() => json({ ok: true }));
  const api = createApi(fetch);
  await api.getAssetCategories();
  await api.getAssets('cursor=5');
  await api.searchAssets('q=library&near=-1.2,54.5');
  await api.getNearestAssets('lon=-1.2&lat=54.5');
  await api.getAssetCoverage('category=youth-provision');
  await api.getAssetGaps('category=youth-provision&distance=800');
  assert.deepEqual(calls.map((c) => c.url), [
    '/api/assets/categories',
    '/api/assets?cursor=5',
    '/api/assets/search?q=library&near=-1.2,54.5',
    '/api/assets/nearest?lon=-1.2&lat=54.5',
    '/api/assets/coverage?category=youth-provision',
    '/api/assets/gaps?category=youth-provision&distance=800',
  ]);
  assert.ok(calls.every((c) => c.init.method === 'GET' && c.init.cache === 'no-store'));
});

test('create, update and retire send JSON with the right method', async () => {
  const { fetch, calls } = fakeFetch((url, init) => (init.method === 'DELETE' ? new Response(null, { status: 204 }) : json({ type: 'Feature' }, 201)));
  const api = createApi(fetch);
  const body = { kind: 'place', category: 'library', name: 'L', geometry: { type: 'Point', coordinates: [-1.2, 54.5] } };
  assert.deepEqual(await api.createAsset(body), { type: 'Feature' });
  await api.updateAsset(7, body);
  assert.equal(await api.retireAsset(7), null);
  assert.deepEqual(calls.map((c) => `${c.init.method} ${c.url}`), ['POST /api/assets', 'PUT /api/assets/7', 'DELETE /api/assets/7']);
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].init.body), body);
});

test('a refused save carries the problem, with the field at fault', async () => {
  const { fetch } = fakeFetch(() =>
    json({ title: 'Unprocessable Content', status: 422, detail: 'the geometry is outside the council area (the demo wards)', field: 'geometry' }, 422));
  const api = createApi(fetch);
  await assert.rejects(api.createAsset({}), (error) => {
    assert.equal(error.status, 422);
    assert.equal(error.problem.field, 'geometry');
    assert.match(error.message, /outside the council area/);
    return true;
  });
});

test('the import posts the file as the multipart part "file" with format and category', async () => {
  const { fetch, calls } = fakeFetch(() => json({ read: 2, imported: 2, rejected: 0, issues: [] }));
  const api = createApi(fetch);
  const file = new File(['name,wkt\n'], 'libraries.csv', { type: 'text/csv' });
  const report = await api.importAssets(file, { format: 'csv', category: 'library' });
  assert.equal(report.imported, 2);
  assert.equal(calls[0].url, '/api/assets/import?format=csv&category=library');
  assert.equal(calls[0].init.method, 'POST');
  assert.ok(calls[0].init.body instanceof FormData);
  assert.equal(calls[0].init.body.get('file').name, 'libraries.csv');
  await api.importAssets(file, { format: 'openreferral' });
  assert.equal(calls[1].url, '/api/assets/import?format=openreferral');
});
