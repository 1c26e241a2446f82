import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginUrl, safeNextPath } from '../src/next-path.js';

test('same-origin paths are kept, with their query and fragment', () => {
  assert.equal(safeNextPath('/'), '/');
  assert.equal(safeNextPath('/report/'), '/report/');
  assert.equal(safeNextPath('/report/?a=1&b=2#top'), '/report/?a=1&b=2#top');
  assert.equal(safeNextPath('  /report/  '), '/report/');
});

test('anything that could leave the site goes to "/"', () => {
  for (const bad of [
    'https://evil.example/',
    'http://localhost:7070/report/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'report/',
    '/\t/evil.example',
    '/\n/evil.example',
    '/..//evil.example',
    '/a/../..//evil.example',
    '',
    null,
    undefined,
    42,
  ]) {
    assert.equal(safeNextPath(bad), '/', String(bad));
  }
});

test('loginUrl carries the path to come back to', () => {
  assert.equal(loginUrl('/report/'), '/login/?next=%2Freport%2F');
  assert.equal(loginUrl('/'), '/login/');
  assert.equal(loginUrl('https://evil.example'), '/login/');
});
