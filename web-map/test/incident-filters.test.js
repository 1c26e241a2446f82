import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bboxParam, defaultFilters, filterGroups, filterSummary, incidentQuery, isoDate, selection } from '../src/panels/incident-filters.js';

test('all categories and sources leave the parameters out', () => {
  assert.equal(incidentQuery({ categories: null, sources: null, from: '', to: '' }, { bbox: '1,2,3,4' }), 'bbox=1,2,3,4');
  assert.equal(incidentQuery(undefined), '');
});

test('chosen categories, sources and dates become parameters (sorted, commas kept)', () => {
  assert.equal(
    incidentQuery({ categories: ['asb-noise', 'anti-social-behaviour'], sources: ['warden', 'council'], from: '2024-01-01', to: '2024-03-31' }),
    'from=2024-01-01&to=2024-03-31&category=anti-social-behaviour,asb-noise&source=council,warden',
  );
});

test('no category or no source ticked means nothing to ask for', () => {
  assert.equal(incidentQuery({ categories: [] }), null);
  assert.equal(incidentQuery({ sources: [] }), null);
});

test('dates: bad ones are ignored, a reversed range is put right', () => {
  assert.equal(incidentQuery({ from: '2024-13', to: 'x' }), '');
  assert.equal(incidentQuery({ from: '2024-05-01', to: '2024-04-01' }), 'from=2024-04-01&to=2024-05-01');
});

test('paging: limit, order, cursor, and after as a filter', () => {
  assert.equal(incidentQuery({}, { limit: 500, cursor: 'abc=' }), 'limit=500&cursor=abc%3D');
  assert.equal(incidentQuery({}, { after: 77 }), 'after=77');
  assert.equal(incidentQuery({}, { cursor: 'c', after: 77 }), 'cursor=c&after=77', 'after narrows every page');
  assert.equal(incidentQuery({}, { limit: 5, order: 'newest' }), 'limit=5&order=newest');
});

test('bbox from Leaflet-style bounds: lon/lat order, 5 decimals, clamped', () => {
  assert.equal(bboxParam([[54.5, -1.3], [54.6, -1.1]]), '-1.3,54.5,-1.1,54.6');
  assert.equal(bboxParam([[54.1234567, -1.2345678], [54.2, -1.1]]), '-1.23457,54.12346,-1.1,54.2');
  assert.equal(bboxParam([[-95, -200], [95, 200]]), '-180,-90,180,90');
  assert.equal(incidentQuery({}, { bbox: [[54.5, -1.3], [54.6, -1.1]] }), 'bbox=-1.3,54.5,-1.1,54.6');
});

test('the default filters: every category and source (a warden: wardens), no dates of their own', () => {
  assert.deepEqual(defaultFilters(), { categories: null, sources: null }, 'no dates: the map period adds them');
  assert.deepEqual(defaultFilters({ sources: ['warden'] }), { categories: null, sources: ['warden'] });
  assert.equal(isoDate(new Date(2024, 0, 5)), '2024-01-05');
});

test('selection: everything ticked is "all" (null), else the list', () => {
  assert.equal(selection(['a', 'b'], ['b', 'a']), null);
  assert.deepEqual(selection(['a'], ['a', 'b']), ['a']);
  assert.deepEqual(selection([], ['a']), []);
});

test('filter groups follow the taxonomy, police first, unknown groups last', () => {
  const groups = filterGroups({
    categories: [
      { code: 'asb-noise', label: 'ASB: noise', group: 'asb' },
      { code: 'burglary', label: 'Burglary', group: 'police' },
      { code: 'x', label: 'X', group: 'new-group' },
    ],
  });
  assert.deepEqual(groups.map((g) => g.group), ['police', 'asb', 'new-group']);
  assert.deepEqual(groups[1].categories, [{ code: 'asb-noise', label: 'ASB: noise' }]);
  assert.deepEqual(filterGroups(null), []);
});

test('the folded panel summarises the filters', () => {
  assert.equal(filterSummary({ categories: null, sources: null, from: '2024-01-01', to: '' }), 'All categories', 'never "from X" with no end');
  assert.equal(filterSummary({ categories: ['a'], sources: ['warden', 'council'], from: '', to: '2024-02-01' }), '1 category · 2 sources');
});
