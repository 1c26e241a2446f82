import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildReport,
  localIsoDate,
  localTime,
  photoProblem,
  remainingProblems,
  reportCategoryGroups,
  reportReference,
  sendOutcome,
  reportLocation,
  shortLabel,
  uuid,
  validateReport,
  vocabularyOptions,
} from '../src/report/form.js';

const taxonomy = {
  categories: [
    { code: 'burglary', label: 'Burglary', group: 'police', sensitive: false },
    { code: 'asb-noise', label: 'ASB: noise', group: 'asb', sensitive: false },
    { code: 'asb-neighbour-dispute', label: 'ASB: neighbour dispute', group: 'asb', sensitive: true },
    { code: 'env-graffiti', label: 'Environmental: graffiti', group: 'environmental', sensitive: false },
    { code: 'racially-motivated', label: 'Racially motivated incident', group: 'hate', sensitive: true },
    { code: 'fly-tipping', label: 'Fly-tipping', group: 'fly-tipping', sensitive: false },
  ],
  flyTipping: { sizes: { 'car-boot': 'Car boot or less', 'small-van': 'Small van load' } },
};

test('the form offers fly-tipping, ASB and environmental categories, grouped, fly-tipping first', () => {
  const groups = reportCategoryGroups(taxonomy);
  assert.deepEqual(groups.map((g) => g.group), ['fly-tipping', 'asb', 'environmental']);
  assert.deepEqual(groups[1].categories.map((c) => c.code), ['asb-noise', 'asb-neighbour-dispute']);
  assert.deepEqual(groups[1].categories.map((c) => c.short), ['Noise', 'Neighbour dispute']);
  assert.equal(groups[2].categories[0].label, 'Environmental: graffiti');
  assert.deepEqual(reportCategoryGroups(null), []);
  assert.deepEqual(reportCategoryGroups({ categories: [taxonomy.categories[0]] }), [], 'empty groups are left out');
});

test('shortLabel drops the group prefix', () => {
  assert.equal(shortLabel('ASB: youths congregating'), 'Youths congregating');
  assert.equal(shortLabel('Fly-tipping'), 'Fly-tipping');
  assert.equal(shortLabel(undefined), '');
});

test('vocabularyOptions keeps the server order', () => {
  assert.deepEqual(vocabularyOptions(taxonomy.flyTipping.sizes), [
    { value: 'car-boot', label: 'Car boot or less' },
    { value: 'small-van', label: 'Small van load' },
  ]);
  assert.deepEqual(vocabularyOptions(undefined), []);
});

test('a placed pin wins over GPS and has no accuracy; GPS keeps its accuracy', () => {
  const gps = { lat: 54.5, lon: -1.2, accuracy: 12 };
  assert.deepEqual(reportLocation(gps, null), { lat: 54.5, lon: -1.2, accuracyM: 12, source: 'gps' });
  assert.deepEqual(reportLocation(gps, { lat: 54.6, lon: -1.3 }), { lat: 54.6, lon: -1.3, accuracyM: null, source: 'pin' });
  assert.deepEqual(reportLocation(null, { lat: 54.6, lon: -1.3 }).source, 'pin');
  assert.equal(reportLocation({ lat: 54.5, lon: -1.2, accuracy: NaN }, null).accuracyM, null);
  assert.equal(reportLocation(null, null), null);
  assert.equal(reportLocation({ lat: NaN, lon: 1 }, undefined), null);
});

test('validation, in page order: location, category, and size + waste type for fly-tipping', () => {
  const at = { lat: 54.5, lon: -1.2, accuracyM: 5 };
  assert.deepEqual(validateReport({}).map((p) => p.field), ['location', 'category']);
  assert.deepEqual(validateReport({ category: 'fly-tipping', location: at }).map((p) => p.field), ['flySize', 'flyWasteType']);
  assert.deepEqual(validateReport({ category: 'fly-tipping', location: at, flySize: 'car-boot', flyWasteType: 'household' }), []);
  assert.deepEqual(validateReport({ category: 'asb-noise', location: at }), []);
  assert.deepEqual(validateReport({ category: 'asb-noise', location: at, photos: [1, 2, 3, 4] }).map((p) => p.field), ['photos']);
});

test('photos must be JPEG or PNG, non-empty, at most 10 MB, at most 3', () => {
  assert.equal(photoProblem({ type: 'image/jpeg', size: 1000 }), null);
  assert.equal(photoProblem({ type: 'image/png', size: 10 * 1024 * 1024 }), null);
  assert.match(photoProblem({ type: 'image/heic', size: 1000 }), /JPEG or PNG/);
  assert.match(photoProblem({ type: 'image/jpeg', size: 10 * 1024 * 1024 + 1 }), /10 MB/);
  assert.match(photoProblem({ type: 'image/jpeg', size: 0 }), /empty/);
  assert.match(photoProblem({ type: 'image/jpeg', size: 5 }, 3), /At most 3/);
});

test('the report body: rounded coordinates, the time Send was pressed, fly-tipping details only for fly-tipping', () => {
  const sentAt = new Date('2024-05-02T09:15:30.000Z');
  const body = buildReport({
    category: 'fly-tipping',
    location: { lat: 54.56789123, lon: -1.23456789, accuracyM: 8.04 },
    flySize: 'car-boot',
    flyWasteType: 'household',
    flyLandType: '',
    description: '  bags by the bins  ',
    locationText: '',
  }, sentAt);
  assert.deepEqual(body, {
    category: 'fly-tipping',
    lon: -1.234568,
    lat: 54.567891,
    accuracyM: 8,
    occurredAt: '2024-05-02T09:15:30.000Z',
    description: 'bags by the bins',
    flyTipping: { size: 'car-boot', wasteType: 'household' },
  });
  const noise = buildReport({
    category: 'asb-noise', location: { lat: 54.5, lon: -1.2, accuracyM: null }, flySize: 'car-boot', locationText: 'Park Rd',
  }, sentAt);
  assert.deepEqual(noise, { category: 'asb-noise', lon: -1.2, lat: 54.5, occurredAt: '2024-05-02T09:15:30.000Z', locationText: 'Park Rd' });
  assert.equal(buildReport({ category: 'fly-tipping', location: { lat: 1, lon: 1 }, flySize: 'a', flyWasteType: 'b', flyLandType: 'highway' }, sentAt)
    .flyTipping.landType, 'highway');
});

test('uuid gives version-4 UUIDs, also without crypto.randomUUID', () => {
  const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(uuid(), pattern);
  const fallback = uuid({ getRandomValues: (a) => a.fill(255) });
  assert.equal(fallback, 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  assert.notEqual(uuid(), uuid());
});

test('local date and time for the list', () => {
  assert.equal(localIsoDate(new Date(2024, 0, 5, 23, 59)), '2024-01-05');
  assert.equal(localTime(new Date(2024, 0, 5, 7, 3).toISOString()), '07:03');
  assert.equal(localTime('nonsense'), '');
  assert.equal(localTime(null), '');
});

test('an error goes as soon as its field is fixed, and no new one appears before the next Send', () => {
  const atSend = validateReport({ category: 'fly-tipping', location: null, flySize: '', flyWasteType: '' });
  assert.deepEqual(atSend.map((p) => p.field), ['location', 'flySize', 'flyWasteType']);
  const photo = { field: 'photos', message: 'Photos must be JPEG or PNG.' };
  const shown = [...atSend, photo];
  // the size chosen: its error goes, the others stay
  const now = validateReport({ category: 'fly-tipping', location: null, flySize: 'car-boot', flyWasteType: '' });
  assert.deepEqual(remainingProblems(shown, now).map((p) => p.field), ['location', 'flyWasteType', 'photos']);
  // another category: the fly-tipping errors go; the location still missing keeps its error
  const other = validateReport({ category: 'asb-noise', location: null });
  assert.deepEqual(remainingProblems(shown, other).map((p) => p.field), ['location', 'photos']);
  // a field that was fine at Send gets no error from a later change (category cleared)
  const cleared = validateReport({ category: null, location: { lat: 1, lon: 1 } });
  assert.deepEqual(remainingProblems([atSend[1]], cleared), []);
  assert.deepEqual(remainingProblems([], now), []);
  assert.deepEqual(remainingProblems(undefined, undefined), []);
});

test('the reference: the report id once sent, else the queued reference from its key', () => {
  assert.equal(reportReference({ key: '1a2b3c4d-5e6f-4a0b-8c9d-0e1f2a3b4c5d', reportId: 1234 }), 'Report 1234');
  assert.equal(reportReference({ key: '1a2b3c4d-5e6f-4a0b-8c9d-0e1f2a3b4c5d', reportId: null }), 'Q-1A2B3C4D');
  assert.equal(reportReference({ key: 'report-77', reportId: 77 }), 'Report 77');
});

test('after Send: sent with its id, waiting with its queued reference, or refused', () => {
  const key = 'abcdef01-0000-4000-8000-000000000000';
  assert.deepEqual(sendOutcome({ key, sent: [{ key, reportId: 9 }], entry: null }), { state: 'sent', reference: 'Report 9', message: 'Sent.' });
  assert.deepEqual(sendOutcome({ key, entry: { key, state: 'waiting', reportId: null } }),
    { state: 'waiting', reference: 'Q-ABCDEF01', message: 'Saved on this phone: it will be sent when there is signal.' });
  assert.equal(sendOutcome({ key, entry: { key, state: 'waiting', reportId: null }, needsSignIn: true }).message,
    'Saved on this phone: sign in again to send it.');
  assert.deepEqual(sendOutcome({ key, entry: { key, state: 'waiting', reportId: 5 } }).reference, 'Report 5');
  const failed = sendOutcome({ key, entry: { key, state: 'failed', reportId: null, error: { message: 'outside the borough' } } });
  assert.equal(failed.state, 'failed');
  assert.match(failed.message, /outside the borough/);
});
