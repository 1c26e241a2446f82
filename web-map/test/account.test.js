import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountLinks } from '../src/panels/account.js';

test('signed out: a Sign in link that comes back here', () => {
  assert.deepEqual(accountLinks(null), { text: '', links: [{ id: 'aim-signin', href: '/login/', label: 'Sign in' }] });
  assert.equal(accountLinks(null, '/report/').links[0].href, '/login/?next=%2Freport%2F');
});

test('signed in: the name and role, and a sign-out link; roles that report also get the report page', () => {
  const planner = accountLinks({ username: 'pat', displayName: 'Pat Planner', role: 'planner' });
  assert.equal(planner.text, 'Pat Planner (planner)');
  assert.deepEqual(planner.links.map((l) => l.id), ['aim-meetings-link', 'aim-signout']);
  assert.deepEqual(accountLinks({ username: 'ann', role: 'analyst' }).links.map((l) => l.id), ['aim-report-link', 'aim-meetings-link', 'aim-signout']);
  const warden = accountLinks({ username: 'wes', displayName: '', role: 'warden' });
  assert.equal(warden.text, 'wes (warden)');
  assert.deepEqual(warden.links.map((l) => [l.id, l.href]), [['aim-report-link', '/report/'], ['aim-meetings-link', '/meetings/'], ['aim-signout', '/']]);
});

test('a member of a partner organisation gets "My actions"', () => {
  const partner = accountLinks({ username: 'pc', role: 'partner', organisation: { id: 1, code: 'police', name: 'Police' } });
  assert.deepEqual(partner.links.map((l) => [l.id, l.href]), [['aim-actions-link', '/actions/'], ['aim-meetings-link', '/meetings/'], ['aim-signout', '/']]);
});
