import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allCodes,
  ancestorsOf,
  boxState,
  categoriesForRole,
  categoryIndex,
  categoryLabel,
  categoryMatcher,
  categoryParam,
  categoryTree,
  descendantsOf,
  flatCategories,
  groupOf,
  groupStyle,
  toggleCategory,
} from '../src/assets/categories.js';

// a slice of migrations/V6__assets.sql, shuffled: the tree must not depend on the order
const categories = [
  { code: 'youth-club', label: 'Youth club', parent: 'youth-provision', sort: 42 },
  { code: 'community', label: 'Community facilities', parent: null, sort: 10 },
  { code: 'library', label: 'Library', parent: 'community', sort: 13 },
  { code: 'children-young-people', label: 'Children and young people', parent: null, sort: 40 },
  { code: 'youth-provision', label: 'Youth provision', parent: 'children-young-people', sort: 41 },
  { code: 'youth-outreach', label: 'Detached and outreach youth work', parent: 'youth-provision', sort: 43 },
  { code: 'play-area', label: 'Play area', parent: 'children-young-people', sort: 44 },
  { code: 'community-hub', label: 'Community hub', parent: 'community', sort: 11 },
];
const index = categoryIndex(categories);

test('ancestors, descendants and the group of a category', () => {
  assert.deepEqual(ancestorsOf(index, 'youth-club'), ['youth-provision', 'children-young-people']);
  assert.deepEqual(ancestorsOf(index, 'community'), []);
  assert.deepEqual([...descendantsOf(index, 'children-young-people')].sort(), [
    'children-young-people', 'play-area', 'youth-club', 'youth-outreach', 'youth-provision',
  ]);
  assert.deepEqual([...descendantsOf(index, 'library')], ['library']);
  assert.equal(groupOf(index, 'youth-club'), 'children-young-people');
  assert.equal(groupOf(index, 'community'), 'community');
  assert.equal(groupOf(index, 'unknown'), 'unknown');
  assert.equal(groupStyle('children-young-people').letter, 'Y');
  assert.equal(groupStyle('nothing').letter, '?');
});

test('a parent cycle in bad data does not loop for ever', () => {
  const cyclic = categoryIndex([
    { code: 'a', parent: 'b' },
    { code: 'b', parent: 'a' },
  ]);
  assert.deepEqual(ancestorsOf(cyclic, 'a'), ['b']);
  assert.deepEqual([...descendantsOf(cyclic, 'a')].sort(), ['a', 'b']);
});

test('the tree is in sort order with depths, and flattens for a select', () => {
  const tree = categoryTree(categories);
  assert.deepEqual(tree.map((n) => n.code), ['community', 'children-young-people']);
  assert.deepEqual(tree[0].children.map((n) => n.code), ['community-hub', 'library']);
  assert.deepEqual(flatCategories(categories).map((c) => `${c.depth}:${c.code}`), [
    '0:community', '1:community-hub', '1:library',
    '0:children-young-people', '1:youth-provision', '2:youth-club', '2:youth-outreach', '1:play-area',
  ]);
  // an unknown parent puts the category at the top level
  assert.deepEqual(categoryTree([{ code: 'x', label: 'X', parent: 'gone', sort: 1 }]).map((n) => n.code), ['x']);
});

test('ticking a parent covers its children; unticking a child unticks its parents', () => {
  let ticked = new Set();
  ticked = toggleCategory(categories, ticked, 'youth-provision', true);
  assert.deepEqual([...ticked].sort(), ['youth-club', 'youth-outreach', 'youth-provision']);
  assert.equal(boxState(categories, ticked, 'youth-provision'), 'checked');
  assert.equal(boxState(categories, ticked, 'children-young-people'), 'mixed');
  assert.equal(boxState(categories, ticked, 'community'), 'unchecked');

  const all = allCodes(categories);
  const withoutClubs = toggleCategory(categories, all, 'youth-club', false);
  assert.ok(!withoutClubs.has('youth-club'));
  assert.ok(!withoutClubs.has('youth-provision'), 'the parent no longer covers everything below it');
  assert.ok(!withoutClubs.has('children-young-people'));
  assert.ok(withoutClubs.has('youth-outreach') && withoutClubs.has('play-area') && withoutClubs.has('library'));
  assert.equal(boxState(categories, withoutClubs, 'youth-provision'), 'mixed');
  assert.ok(all.has('youth-club'), 'the given set is not changed');
});

test('the matcher shows a category when it or a category above it is ticked', () => {
  const matches = categoryMatcher(categories, new Set(['children-young-people']));
  assert.equal(matches('youth-club'), true, 'a ticked grandparent covers it');
  assert.equal(matches('play-area'), true);
  assert.equal(matches('library'), false);
  assert.equal(matches('not-in-taxonomy'), false, 'unknown codes only when everything is ticked');
  assert.equal(categoryMatcher(categories, allCodes(categories))('not-in-taxonomy'), true);
  assert.equal(categoryMatcher(categories, new Set())('library'), false);
});

test('categoryParam sends the fewest codes: null for all, [] for none', () => {
  assert.equal(categoryParam(categories, allCodes(categories)), null);
  assert.deepEqual(categoryParam(categories, new Set()), []);
  const ticked = toggleCategory(categories, new Set(['library']), 'youth-provision', true);
  assert.deepEqual(categoryParam(categories, ticked).sort(), ['library', 'youth-provision']);
});

test('labels fall back to the code', () => {
  assert.equal(categoryLabel(categories, 'library'), 'Library');
  assert.equal(categoryLabel(categories, 'gone'), 'gone');
});

test('the People branch is offered only to roles that are sent people assets', () => {
  const withPeople = [
    ...categories,
    { code: 'people', label: 'People and groups', parent: null, sort: 90 },
    { code: 'community-champion', label: 'Community champion', parent: 'people', sort: 91 },
    { code: 'residents-group', label: "Residents' group", parent: 'people', sort: 92 },
    { code: 'street-champion', label: 'Street champion', parent: 'community-champion', sort: 95 },
  ];
  const codes = (list) => flatCategories(list).map((c) => c.code);
  for (const role of ['viewer', 'planner', 'warden', 'partner', undefined]) {
    const offered = codes(categoriesForRole(withPeople, role));
    assert.deepEqual(offered, codes(categories), `${role}: no People categories, the rest unchanged`);
  }
  for (const role of ['admin', 'analyst']) {
    assert.deepEqual(codes(categoriesForRole(withPeople, role)), codes(withPeople), role);
  }
  assert.deepEqual(categoriesForRole(categories, 'viewer'), categories, 'a taxonomy without People is unchanged');
  assert.deepEqual(categoriesForRole(null, 'viewer'), []);
});
