import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  currentVersion,
  neighbourhoodVersionFor,
  versionLabel,
  versionOptions,
  versionsOfLevel,
} from '../src/panels/version.js';

const versions = [
  { level: 'ward', version: '2018', validFrom: '2018-05-01', validTo: '2024-04-30', current: false, demo: false, basedOn: null },
  { level: 'ward', version: 'demo', validFrom: '2024-05-01', validTo: null, current: true, demo: true, basedOn: null },
  { level: 'ward', version: 'draft-2026', validFrom: '2026-05-01', validTo: null, current: false, demo: false, basedOn: null },
  { level: 'neighbourhood', version: 'nh-demo', validFrom: '2024-05-01', validTo: null, current: true, demo: true, basedOn: 'demo' },
  { level: 'neighbourhood', version: 'nh-2018', validFrom: '2018-05-01', validTo: '2024-04-30', current: false, demo: false, basedOn: '2018' },
  { level: 'zone', version: 'pilot-localities', validFrom: '2025-01-01', validTo: null, current: true, demo: true, basedOn: null },
];

test('versionsOfLevel keeps one level, newest first', () => {
  assert.deepEqual(versionsOfLevel(versions, 'ward').map((v) => v.version), ['draft-2026', 'demo', '2018']);
  assert.deepEqual(versionsOfLevel(versions, 'zone').map((v) => v.version), ['pilot-localities']);
  assert.deepEqual(versionsOfLevel(null, 'ward'), []);
});

test('the current version is the default, even when a newer one exists', () => {
  assert.equal(currentVersion(versions, 'ward'), 'demo');
  assert.equal(currentVersion(versions, 'neighbourhood'), 'nh-demo');
  assert.equal(currentVersion(versions, 'zone'), 'pilot-localities');
});

test('without a current version the newest is the default; with none at all, undefined', () => {
  const none = versions.map((v) => ({ ...v, current: false }));
  assert.equal(currentVersion(none, 'ward'), 'draft-2026');
  assert.equal(currentVersion([], 'ward'), undefined);
  assert.equal(currentVersion(null, 'ward'), undefined);
});

test('the neighbourhood set based on the chosen ward set goes with it', () => {
  assert.equal(neighbourhoodVersionFor(versions, 'demo'), 'nh-demo');
  assert.equal(neighbourhoodVersionFor(versions, '2018'), 'nh-2018');
});

test('with no neighbourhood set based on the ward set, no neighbourhoods are shown', () => {
  assert.equal(neighbourhoodVersionFor(versions, 'draft-2026'), null);
  assert.equal(neighbourhoodVersionFor(versions.filter((v) => v.level !== 'neighbourhood'), 'demo'), null);
});

test('of several neighbourhood sets on one ward set, the current one wins', () => {
  const more = [
    ...versions,
    { level: 'neighbourhood', version: 'nh-2018-b', validFrom: '2020-01-01', current: false, basedOn: '2018' },
    { level: 'neighbourhood', version: 'nh-demo-old', validFrom: '2025-01-01', current: false, basedOn: 'demo' },
  ];
  assert.equal(neighbourhoodVersionFor(more, 'demo'), 'nh-demo');
  assert.equal(neighbourhoodVersionFor(more, '2018'), 'nh-2018-b'); // none current: the newest
});

test('labels show the version, its dates and whether it is current', () => {
  assert.equal(versionLabel(versions[1]), 'demo — from 2024-05-01 (current)');
  assert.equal(versionLabel(versions[0]), '2018 — from 2018-05-01 to 2024-04-30');
  assert.equal(versionLabel({ version: 'x' }), 'x');
});

test('the picker lists the ward versions with the chosen one selected', () => {
  const options = versionOptions(versions, 'ward', 'demo');
  assert.deepEqual(options.map((o) => o.value), ['draft-2026', 'demo', '2018']);
  assert.deepEqual(options.map((o) => o.selected), [false, true, false]);
});
