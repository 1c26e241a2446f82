import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgetUser, savedUser, saveUser } from '../src/session-hint.js';

function fakeStorage() {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)), removeItem: (k) => map.delete(k), map };
}

test('the user is remembered and forgotten', () => {
  const storage = fakeStorage();
  assert.equal(savedUser(storage), null);
  saveUser({ id: 1, username: 'ann', role: 'warden' }, storage);
  assert.deepEqual(savedUser(storage), { id: 1, username: 'ann', role: 'warden' });
  forgetUser(storage);
  assert.equal(savedUser(storage), null);
});

test('garbage or a missing storage gives no user and no error', () => {
  const storage = fakeStorage();
  storage.setItem('aim.user', '{oops');
  assert.equal(savedUser(storage), null);
  storage.setItem('aim.user', '"ann"');
  assert.equal(savedUser(storage), null);
  assert.equal(savedUser(undefined), null);
  const throwing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('full'); } };
  assert.equal(savedUser(throwing), null);
  saveUser({ username: 'x' }, throwing);
});
