import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_PREFIX, SHELL_FILES, shellCacheKey, staleCaches } from '../src/offline/shell.js';

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

test('other pages, other origins and non-GET requests are left alone', () => {
  assert.equal(get('/', 'navigate'), null, 'the main map');
  assert.equal(get('/login/', 'navigate'), null);
  assert.equal(get('/app.js'), null);
  assert.equal(get('/report/', 'no-cors'), null, 'the page itself only as a navigation');
  assert.equal(shellCacheKey({ url: 'https://tile.example/1/2/3.png', method: 'GET' }, origin), null);
  assert.equal(shellCacheKey({ url: `${origin}/report/report.js`, method: 'POST' }, origin), null);
  assert.equal(shellCacheKey({ url: 'not a url', method: 'GET' }, origin), null);
});

test('the shell holds the report page, its bundle and the Leaflet images, and nothing of the API', () => {
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
