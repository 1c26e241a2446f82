import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionBody, areaText, cellsArea, fieldOfError, meetingBody, polygonArea, problemBody, wardArea } from '../src/problems/form.js';

test('selected cells become {cell, cells} without duplicates, from [i, j] pairs or {i, j} cells', () => {
  assert.deepEqual(cellsArea(250, [[1802, 2071], { i: 1801, j: 2071 }, [1802, 2071], [1.5, 2]]), { cell: 250, cells: [[1801, 2071], [1802, 2071]] });
  assert.equal(areaText(cellsArea(250, [[1, 2]])), '1 cell of 250 m');
});

test('a ward is ward:CODE and a drawn shape a closed GeoJSON polygon in lon, lat', () => {
  assert.equal(wardArea('E05000001'), 'ward:E05000001');
  const shape = { type: 'polygon', latlngs: [{ lat: 54.5, lng: -1.2 }, { lat: 54.51, lng: -1.2 }, { lat: 54.51, lng: -1.19 }] };
  assert.deepEqual(polygonArea(shape), { type: 'Polygon', coordinates: [[[-1.2, 54.5], [-1.2, 54.51], [-1.19, 54.51], [-1.2, 54.5]]] });
  assert.equal(polygonArea({ type: 'polygon', latlngs: shape.latlngs.slice(0, 2) }), null);
  assert.equal(areaText(polygonArea(shape)), 'a drawn shape (3 corners)');
  assert.equal(areaText('ward:E1', { wardName: () => 'Central' }), 'ward Central');
});

const good = {
  title: ' ASB around the shops ',
  categories: ['anti-social-behaviour', 'anti-social-behaviour'],
  area: { cell: 250, cells: [[1, 2]] },
  owner: 'nap:NH01',
  leadOrganisation: 'police',
  objective: 'Fewer incidents',
  targetPercent: '-20',
  targetMonths: '3',
  targetBaseline: 'same-period-last-year',
  targetStart: '2026-10',
  startDate: '2026-09-15',
  reviewDate: '',
};

test('the problem form becomes the contract body', () => {
  assert.deepEqual(problemBody(good), {
    body: {
      title: 'ASB around the shops',
      categories: ['anti-social-behaviour'],
      area: { cell: 250, cells: [[1, 2]] },
      owner: 'nap:NH01',
      leadOrganisation: 'police',
      objective: 'Fewer incidents',
      startDate: '2026-09-15',
      target: { percent: -20, months: 3, baseline: 'same-period-last-year', start: '2026-10-01' },
    },
  });
  const plain = problemBody({ ...good, targetPercent: '', leadOrganisation: '', owner: '', startDate: '' }).body;
  assert.equal(plain.target, undefined);
  assert.equal(plain.leadOrganisation, undefined);
  assert.equal(plain.owner, 'aim');
  assert.equal(plain.startDate, undefined);
});

test('missing or bad fields are named like the server names them', () => {
  const { errors } = problemBody({ ...good, title: ' ', categories: [], area: null, targetPercent: 'x', reviewDate: '2026-13-01' });
  assert.deepEqual(Object.keys(errors).sort(), ['area', 'categories', 'reviewDate', 'target', 'title']);
  assert.ok(problemBody({ ...good, area: { cell: 250, cells: [] } }).errors.area);
  assert.ok(problemBody({ ...good, targetStart: '2026-13' }).errors.target);
  assert.ok(problemBody({ ...good, objective: '  ' }).errors.objective, 'the server requires an objective too');
});

test('an action needs title, organisation and due; an operation needs both dates in order', () => {
  assert.deepEqual(actionBody({ title: 'Patrols', organisation: 'police', due: '2026-12-01', note: ' ' }), {
    body: { title: 'Patrols', organisation: 'police', due: '2026-12-01' },
  });
  assert.deepEqual(actionBody({ title: 'Op', organisation: 'police', due: '2026-12-01', startsOn: '2026-11-01', endsOn: '2026-11-30', meeting: '7' }).body, {
    title: 'Op', organisation: 'police', due: '2026-12-01', startsOn: '2026-11-01', endsOn: '2026-11-30', meeting: 7,
  });
  assert.deepEqual(Object.keys(actionBody({}).errors).sort(), ['due', 'organisation', 'title']);
  assert.ok(actionBody({ title: 'Op', organisation: 'p', due: '2026-12-01', startsOn: '2026-11-01' }).errors.endsOn);
  assert.ok(actionBody({ title: 'Op', organisation: 'p', due: '2026-12-01', startsOn: '2026-11-02', endsOn: '2026-11-01' }).errors.endsOn);
});

test('a meeting needs a date and title; server failures go to the field they name', () => {
  assert.deepEqual(meetingBody({ heldOn: '2026-12-10', title: ' AIM ', attendees: ['police', 'police'], agenda: ['3', 4] }).body, {
    heldOn: '2026-12-10', title: 'AIM', attendees: ['police'], agenda: [3, 4],
  });
  assert.deepEqual(Object.keys(meetingBody({}).errors).sort(), ['heldOn', 'title']);
  const fields = ['title', 'area', 'target'];
  assert.equal(fieldOfError({ problem: { field: 'area' } }, fields), 'area');
  assert.equal(fieldOfError({ problem: { field: 'target.percent' } }, fields), 'target');
  assert.equal(fieldOfError({ problem: { field: 'id' } }, fields), '');
  assert.equal(fieldOfError(new Error('x'), fields), '');
});
