import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createLayerChoice, firstLayers, oneThematic, roleIncidentFilters, roleLayers, rolePreset, storageKey, storedLayers, storeLayers,
} from '../src/panels/layer-choice.js';

/** A Storage stand-in: getItem/setItem over a Map; `broken` throws like a blocked storage. */
function memoryStorage({ broken = false } = {}) {
  const items = new Map();
  return {
    items,
    getItem: (k) => {
      if (broken) throw new Error('SecurityError');
      return items.has(k) ? items.get(k) : null;
    },
    setItem: (k, v) => {
      if (broken) throw new Error('QuotaExceededError');
      items.set(k, String(v));
    },
  };
}

test('each role has its own first view', () => {
  assert.deepEqual(roleLayers('analyst'), ['hotspots', 'wards', 'problems']);
  assert.deepEqual(roleLayers('planner'), ['assets', 'gaps']);
  assert.deepEqual(roleLayers('warden'), ['incidents']);
  assert.deepEqual(roleLayers('viewer'), ['wards']);
  assert.deepEqual(roleLayers(null), ['wards', 'neighbourhoods'], 'signed out');
  assert.deepEqual(roleLayers('nobody'), ['wards', 'neighbourhoods']);
  for (const role of ['analyst', 'admin', 'planner', 'warden', 'viewer', 'partner']) {
    assert.ok(oneThematic(roleLayers(role)).length === roleLayers(role).length, `${role}: at most one thematic layer`);
  }
  assert.deepEqual(roleIncidentFilters('warden'), { sources: ['warden'] }, 'a warden: the wardens\' reports');
  assert.deepEqual(roleIncidentFilters('analyst'), {});
  assert.equal(rolePreset('warden'), 'this-fy', 'a warden\'s period runs to today');
  assert.equal(rolePreset('analyst'), null, 'the panel default: the last complete quarter');
});

test('one thematic layer at a time: the one kept, else the first', () => {
  assert.deepEqual(oneThematic(['hotspots', 'wards', 'rates']), ['hotspots', 'wards']);
  assert.deepEqual(oneThematic(['hotspots', 'wards', 'rates'], 'rates'), ['wards', 'rates']);
  assert.deepEqual(oneThematic(['wards', 'incidents']), ['wards', 'incidents'], 'boundaries and points are not thematic');
});

test('the remembered choice: per role, validated, and never an error', () => {
  const storage = memoryStorage();
  assert.equal(storedLayers(storage, 'analyst'), null);
  storeLayers(storage, 'analyst', ['rates', 'wards']);
  assert.equal(storage.items.get(storageKey('analyst')), '["rates","wards"]');
  assert.deepEqual(storedLayers(storage, 'analyst'), ['rates', 'wards']);
  assert.equal(storedLayers(storage, 'viewer'), null, 'another role keeps its own');
  storage.setItem(storageKey('viewer'), '{"not": "a list"}');
  assert.equal(storedLayers(storage, 'viewer'), null);
  storage.setItem(storageKey('viewer'), '["wards", "<script>", 3]');
  assert.deepEqual(storedLayers(storage, 'viewer'), ['wards'], 'unknown names dropped');
  storage.setItem(storageKey('viewer'), 'not json');
  assert.equal(storedLayers(storage, 'viewer'), null);
  assert.equal(storedLayers(memoryStorage({ broken: true }), 'analyst'), null, 'blocked storage: the role default');
  storeLayers(memoryStorage({ broken: true }), 'analyst', ['wards']); // no throw
  assert.equal(storedLayers(null, 'analyst'), null);
  storeLayers(storage, 'analyst', []);
  assert.deepEqual(storedLayers(storage, 'analyst'), [], 'an empty choice (everything off) is a choice');
});

test('first layers: a shared link wins, then the remembered choice, then the role default', () => {
  assert.deepEqual(firstLayers({ role: 'analyst' }), { names: ['hotspots', 'wards', 'problems'], from: 'role' });
  assert.deepEqual(firstLayers({ role: 'analyst', stored: ['rates', 'wards'] }), { names: ['rates', 'wards'], from: 'stored' });
  assert.deepEqual(firstLayers({ role: 'analyst', stored: ['rates'], viewLayers: ['incidents'] }), { names: ['incidents'], from: 'link' });
  assert.deepEqual(firstLayers({ role: 'analyst', viewLayers: ['rates', 'hotspots'] }).names, ['rates'], 'one thematic layer even from a link: the first named');
});

test('createLayerChoice reads the storage of its role', () => {
  const storage = memoryStorage();
  storeLayers(storage, 'planner', ['assets', 'wards']);
  const choice = createLayerChoice({ role: 'planner', view: { layers: null }, storage });
  assert.equal(choice.from, 'stored');
  assert.ok(choice.wants('wards') && !choice.wants('gaps'));
  const linked = createLayerChoice({ role: 'planner', view: { layers: ['hotspots'] }, storage });
  assert.ok(linked.wants('hotspots') && !linked.wants('assets'));
});
