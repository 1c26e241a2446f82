import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assetBody,
  canPlan,
  editBody,
  formFromFeature,
  kindsFor,
  pointGeometry,
  polygonGeometry,
  problemFieldErrors,
  shapeGeometry,
  validateAssetForm,
} from '../src/assets/form.js';
import { problemToError } from '../src/api.js';

const form = {
  kind: 'place',
  category: 'youth-provision',
  name: '  Hemlington Youth Club ',
  description: '',
  organisation: 'Demo Youth Trust',
  phone: '01642 111111',
  email: '',
  url: 'https://youth.example.org',
  last_checked: '2024-10-01',
};
const point = { type: 'point', latlng: { lat: 54.5412345678, lng: -1.2398765432 } };

test('roles: planners and admins plan; only admins may add people', () => {
  assert.deepEqual(kindsFor('planner'), ['place', 'service']);
  assert.deepEqual(kindsFor('admin'), ['place', 'service', 'people']);
  assert.deepEqual(kindsFor('viewer'), []);
  assert.equal(canPlan('planner'), true);
  assert.equal(canPlan('admin'), true);
  assert.equal(canPlan('analyst'), false);
  assert.equal(canPlan(undefined), false);
});

test('a point becomes a GeoJSON Point [lon, lat] to 6 decimals', () => {
  assert.deepEqual(pointGeometry({ lat: 54.5412345678, lng: -1.2398765432 }), { type: 'Point', coordinates: [-1.239877, 54.541235] });
  assert.equal(pointGeometry({ lat: 'x', lng: 1 }), null);
  assert.deepEqual(shapeGeometry(point), { type: 'Point', coordinates: [-1.239877, 54.541235] });
  assert.equal(shapeGeometry(null), null);
});

test('a drawn polygon is closed, anticlockwise and without repeated corners', () => {
  // clockwise on the map (north-east, south-east, south-west), with a double click on one corner
  const clockwise = [
    { lat: 54.55, lng: -1.24 },
    { lat: 54.55, lng: -1.23 },
    { lat: 54.55, lng: -1.23 },
    { lat: 54.54, lng: -1.23 },
    { lat: 54.54, lng: -1.24 },
  ];
  const polygon = polygonGeometry(clockwise);
  assert.equal(polygon.type, 'Polygon');
  const ring = polygon.coordinates[0];
  assert.equal(ring.length, 5, 'four corners and the closing position');
  assert.deepEqual(ring[0], ring[ring.length - 1], 'the ring is closed');
  let area = 0;
  for (let k = 0; k < ring.length - 1; k++) area += ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1];
  assert.ok(area > 0, 'anticlockwise (right-hand rule)');
  // already closed by the caller: not closed twice
  const closed = polygonGeometry([...clockwise, clockwise[0]]);
  assert.equal(closed.coordinates[0].length, 5);
  // fewer than 3 distinct corners
  assert.equal(polygonGeometry([{ lat: 1, lng: 1 }, { lat: 2, lng: 2 }, { lat: 1, lng: 1 }]), null);
  assert.equal(polygonGeometry([]), null);
});

test('the request body: trimmed, blanks left out, organisation by name, geometry from the shape', () => {
  assert.deepEqual(assetBody(form, point), {
    kind: 'place',
    category: 'youth-provision',
    name: 'Hemlington Youth Club',
    geometry: { type: 'Point', coordinates: [-1.239877, 54.541235] },
    phone: '01642 111111',
    url: 'https://youth.example.org',
    last_checked: '2024-10-01',
    organisation: { name: 'Demo Youth Trust' },
  });
  const square = { type: 'polygon', latlngs: [{ lat: 0, lng: 0 }, { lat: 0, lng: 1 }, { lat: 1, lng: 1 }] };
  assert.deepEqual(assetBody({ kind: 'place', category: 'park-green-space', name: 'Park' }, square).geometry, {
    type: 'Polygon',
    coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]],
  });
});

test('what blocks sending', () => {
  assert.deepEqual(validateAssetForm(form, point, { today: '2024-10-02' }), {});
  const empty = validateAssetForm({ kind: 'place' }, null);
  assert.deepEqual(Object.keys(empty).sort(), ['category', 'geometry', 'name']);
  assert.match(validateAssetForm({ ...form, kind: 'service' }, { type: 'polygon', latlngs: [{ lat: 0, lng: 0 }, { lat: 0, lng: 1 }, { lat: 1, lng: 1 }] }).geometry, /service is a point/);
  assert.match(validateAssetForm(form, { type: 'polygon', latlngs: [{ lat: 0, lng: 0 }] }).geometry, /at least 3 corners/);
  assert.deepEqual(validateAssetForm({ ...form, kind: 'people' }, null), {}, 'people need no place');
  assert.deepEqual(validateAssetForm(form, null, { hasGeometry: true }), {}, 'an edit keeps its geometry');
  const bad = validateAssetForm({ ...form, email: 'nope', url: 'www.example.org', last_checked: '2030-01-01' }, point, { today: '2024-10-02' });
  assert.deepEqual(Object.keys(bad).sort(), ['email', 'last_checked', 'url']);
  assert.match(validateAssetForm({ ...form, last_checked: '1/10/2024' }, point).last_checked, /2024-10-05/);
});

test('an edit keeps what the form does not show and changes the rest', () => {
  const feature = {
    type: 'Feature',
    id: 9,
    geometry: { type: 'Point', coordinates: [-1.2, 54.5] },
    properties: {
      id: 9, uid: 'u', kind: 'service', category: 'youth-club', category_label: 'Youth club', name: 'Old', description: 'd',
      organisation: { id: 'org-uid', name: 'Trust' }, email: 'a@b.org', phone: null, url: null,
      schedules: [{ byday: 'MO' }], address: { city: 'M' }, ward: 'W', ward_name: 'Ward', stale: true, demo: false,
      last_checked: '2023-01-01', created_at: 'x', updated_at: 'y', retired_at: null, source: 'demo', distance_m: 3,
    },
  };
  const values = formFromFeature(feature);
  assert.equal(values.organisation, 'Trust');
  assert.equal(values.phone, '');
  const body = editBody(feature, { ...values, name: 'New', email: '', last_checked: '2024-10-01' }, null);
  assert.deepEqual(body, {
    kind: 'service',
    category: 'youth-club',
    name: 'New',
    description: 'd',
    organisation: { id: 'org-uid', name: 'Trust' },
    schedules: [{ byday: 'MO' }],
    address: { city: 'M' },
    last_checked: '2024-10-01',
    geometry: { type: 'Point', coordinates: [-1.2, 54.5] },
  });
  const renamed = editBody(feature, { ...values, organisation: 'Other Trust' }, point);
  assert.deepEqual(renamed.organisation, { name: 'Other Trust' });
  assert.deepEqual(renamed.geometry, { type: 'Point', coordinates: [-1.239877, 54.541235] });
  assert.equal('organisation' in editBody(feature, { ...values, organisation: ' ' }, null), false);
});

test("a problem's detail goes against the field it names", () => {
  const problem = (status, field, detail) => problemToError(status, '', { status, title: 't', detail, field });
  assert.deepEqual(problemFieldErrors(problem(400, 'category', "unknown category 'x'")), { category: "unknown category 'x'" });
  assert.deepEqual(problemFieldErrors(problem(422, 'geometry', 'the geometry is outside the council area')), {
    geometry: 'the geometry is outside the council area',
  });
  assert.deepEqual(problemFieldErrors(problem(400, 'geometry.coordinates[0][2]', 'bad position')), { geometry: 'bad position' });
  assert.deepEqual(problemFieldErrors(problem(400, 'organisation.name', 'too long')), { organisation: 'too long' });
  assert.deepEqual(problemFieldErrors(problem(400, 'last_checked', 'in the future')), { last_checked: 'in the future' });
  assert.deepEqual(problemFieldErrors(problem(400, 'schedules[0].byday', 'bad days')), { form: 'bad days' });
  assert.deepEqual(problemFieldErrors(problem(403, undefined, 'Forbidden')), { form: 'Forbidden' });
  const offline = new Error('Cannot reach the AIM server');
  assert.deepEqual(problemFieldErrors(offline), { form: 'Cannot reach the AIM server' });
});
