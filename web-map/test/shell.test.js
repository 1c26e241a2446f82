import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_PREFIX, SHELL_FILES, dataCacheKey, shellCacheKey, staleCaches } from '../src/offline/shell.js';

const origin = 'https://aim.example';
const get = (path, mode = 'no-cors') => shellCacheKey({ url: origin + path, method: 'GET', mode }, origin);

test('navigations to the report page, with any query, get the cached page', () => {
  assert.equal(get('/report/', 'navigate'), '/report/');
  assert.equal(get('/report', 'navigate'), '/report/');
  assert.equal(get('/report/index.html?x=1#y', 'navigate'), '/report/');
});

test('the shell files are served from the cache', () => {
  assert.equal(get('/report/report.js'), '/report/report.js');
  assert.equal(get('/report/report.css?v=2'), '/report/report.css');
  assert.equal(get('/images/marker-icon-2x.png'), '/images/marker-icon-2x.png');
});

test('the API is never served from the cache, whatever the request', () => {
  for (const path of ['/api/me', '/api/reports/mine?date=2024-05-02', '/api/incidents/categories', '/api/config', '/api']) {
    assert.equal(get(path), null, path);
    assert.equal(get(path, 'navigate'), null, path);
    assert.equal(get(path, 'cors'), null, path);
  }
});

test('the map page and its bundle are shell files too', () => {
  assert.equal(get('/', 'navigate'), '/');
  assert.equal(get('/?z=14&lat=54.5&lon=-1.2', 'navigate'), '/', 'a shared view opens from the cached page');
  assert.equal(get('/index.html', 'navigate'), '/');
  assert.equal(get('/app.js'), '/app.js');
  assert.equal(get('/app.css'), '/app.css');
  assert.equal(get('/', 'no-cors'), null, 'the page itself only as a navigation');
});

test('other pages, other origins and non-GET requests are left alone', () => {
  assert.equal(get('/login/', 'navigate'), null);
  assert.equal(get('/login/login.js'), null);
  assert.equal(get('/report/', 'no-cors'), null, 'the page itself only as a navigation');
  assert.equal(shellCacheKey({ url: 'https://tile.example/1/2/3.png', method: 'GET' }, origin), null);
  assert.equal(shellCacheKey({ url: `${origin}/report/report.js`, method: 'POST' }, origin), null);
  assert.equal(shellCacheKey({ url: 'not a url', method: 'GET' }, origin), null);
});

test('only the map settings and boundaries are kept from the API, each URL on its own', () => {
  const data = (path, method = 'GET') => dataCacheKey({ url: origin + path, method }, origin);
  assert.equal(data('/api/config'), `${origin}/api/config`);
  assert.equal(data('/api/boundaries?level=ward&simplify=5'), `${origin}/api/boundaries?level=ward&simplify=5`);
  assert.equal(data('/api/boundaries?level=ward&simplify=5#x'), `${origin}/api/boundaries?level=ward&simplify=5`);
  assert.equal(data('/api/boundaries/versions'), `${origin}/api/boundaries/versions`);
  for (const path of ['/api/me', '/api/reports/mine', '/api/incidents?bbox=1,2,3,4', '/api/incidents/categories', '/api/boundaries/import',
    '/api/assets', '/api/health', '/', '/app.js']) {
    assert.equal(data(path), null, path);
  }
  assert.equal(data('/api/config', 'POST'), null);
  assert.equal(dataCacheKey({ url: 'https://elsewhere.example/api/config', method: 'GET' }, origin), null);
});

test('the shell holds both pages, their bundles and the Leaflet images, and nothing of the API', () => {
  assert.ok(SHELL_FILES.includes('/'));
  assert.ok(SHELL_FILES.includes('/app.js'));
  assert.ok(SHELL_FILES.includes('/report/'));
  assert.ok(SHELL_FILES.includes('/report/report.js'));
  assert.ok(SHELL_FILES.includes('/report/report.css'));
  assert.ok(SHELL_FILES.every((p) => !p.startsWith('/api')));
});

test('caches of older builds are deleted, others are not', () => {
  const current = `${CACHE_PREFIX}abc`;
  assert.deepEqual(staleCaches([`${CACHE_PREFIX}old`, current, 'someone-else'], current), [`${CACHE_PREFIX}old`]);
});

test('the actions and meetings pages are not cached by the worker: they always show the server’s data', () => {
  for (const path of ['/actions/', '/actions/actions.js', '/meetings/', '/meetings/?id=3', '/meetings/meetings.js']) {
    assert.equal(get(path, 'navigate'), null, path);
    assert.equal(get(path), null, path);
  }
});

test('the worker matches the shell as built: bundles by their hashed names', () => {
  const built = ['/', '/app-EADO7R2U.js', '/app-EQFZVKUQ.css', '/report/', '/report/report-QCGILZGM.js'];
  const key = (path) => shellCacheKey({ url: origin + path, method: 'GET', mode: 'no-cors' }, origin, built);
  assert.equal(key('/app-EADO7R2U.js'), '/app-EADO7R2U.js');
  assert.equal(key('/report/report-QCGILZGM.js'), '/report/report-QCGILZGM.js');
  assert.equal(key('/app.js'), null, 'an unhashed name is not in the built shell');
  assert.equal(key('/app-AAAAAAAA.js'), null, 'nor a bundle of another build');
  assert.equal(shellCacheKey({ url: `${origin}/report/`, method: 'GET', mode: 'navigate' }, origin, built), '/report/');
});
