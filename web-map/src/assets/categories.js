// The asset taxonomy (GET /api/assets/categories: a flat list of {code, label, parent, sort}) as a
// tree, the category filter of the asset layer, and the colour and letter of each category group.
// Pure: no DOM, no Leaflet.
//
// The filter is a set of ticked codes. Ticking a category ticks everything below it ("a parent
// covers its children"); unticking one unticks everything below it and every category above it (a
// ticked parent would still cover it). An asset is shown when its category, or any category above
// it, is ticked, so the rule holds even for a set built some other way.

/** Colour and letter of each top-level group (letters: colour is not the only cue). */
export const GROUP_STYLES = {
  community: { colour: '#1f78b4', letter: 'C' },
  education: { colour: '#6a3d9a', letter: 'E' },
  health: { colour: '#e31a1c', letter: 'H' },
  'children-young-people': { colour: '#ff7f00', letter: 'Y' },
  leisure: { colour: '#33a02c', letter: 'L' },
  safety: { colour: '#404040', letter: 'S' },
  'advice-support': { colour: '#b15928', letter: 'A' },
  people: { colour: '#c51b7d', letter: 'P' },
};
const OTHER_STYLE = { colour: '#737373', letter: '?' };

/** code -> category, for the other functions. */
export function categoryIndex(categories) {
  const index = new Map();
  for (const c of Array.isArray(categories) ? categories : []) {
    if (c && typeof c.code === 'string') index.set(c.code, c);
  }
  return index;
}

/** The codes above `code`, nearest first (a cycle or unknown parent stops the walk). */
export function ancestorsOf(index, code) {
  const out = [];
  const seen = new Set([code]);
  let parent = index.get(code)?.parent ?? null;
  while (parent && !seen.has(parent)) {
    out.push(parent);
    seen.add(parent);
    parent = index.get(parent)?.parent ?? null;
  }
  return out;
}

/** `code` and every code below it. */
export function descendantsOf(index, code) {
  const children = new Map();
  for (const c of index.values()) {
    if (!c.parent) continue;
    if (!children.has(c.parent)) children.set(c.parent, []);
    children.get(c.parent).push(c.code);
  }
  const out = new Set();
  const stack = [code];
  while (stack.length) {
    const next = stack.pop();
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

/** The top-level category of `code` (itself when it has no parent). */
export function groupOf(index, code) {
  const above = ancestorsOf(index, code);
  return above.length ? above[above.length - 1] : code;
}

export function groupStyle(group) {
  return GROUP_STYLES[group] ?? OTHER_STYLE;
}

/**
 * The taxonomy as a tree in display order (sort, then code): [{code, label, depth, children}].
 * A category whose parent is unknown is shown at the top level.
 */
export function categoryTree(categories) {
  const index = categoryIndex(categories);
  const nodes = new Map([...index.values()].map((c) => [c.code, { code: c.code, label: c.label ?? c.code, sort: c.sort ?? 0, children: [] }]));
  const roots = [];
  for (const c of index.values()) {
    const node = nodes.get(c.code);
    const parent = c.parent && c.parent !== c.code ? nodes.get(c.parent) : null;
    (parent ? parent.children : roots).push(node);
  }
  const order = (a, b) => a.sort - b.sort || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const finish = (list, depth) => {
    list.sort(order);
    for (const node of list) {
      node.depth = depth;
      finish(node.children, depth + 1);
    }
    return list;
  };
  return finish(roots, 0);
}

/** The tree flattened in display order: [{code, label, depth}] (for a <select> with indented options). */
export function flatCategories(categories) {
  const out = [];
  const walk = (nodes) => {
    for (const n of nodes) {
      out.push({ code: n.code, label: n.label, depth: n.depth });
      walk(n.children);
    }
  };
  walk(categoryTree(categories));
  return out;
}

/** Every code ticked: the default filter. */
export function allCodes(categories) {
  return new Set(categoryIndex(categories).keys());
}

/**
 * The ticked set after ticking (on) or unticking (off) `code`: ticking adds the category and every
 * category below it; unticking removes those and every category above it. `ticked` is not changed.
 */
export function toggleCategory(categories, ticked, code, on) {
  const index = categoryIndex(categories);
  const next = new Set(ticked);
  const below = descendantsOf(index, code);
  if (on) {
    below.forEach((c) => next.add(c));
  } else {
    below.forEach((c) => next.delete(c));
    ancestorsOf(index, code).forEach((c) => next.delete(c));
  }
  return next;
}

/** How a category's box looks: 'checked' (ticked), 'mixed' (something below it ticked) or 'unchecked'. */
export function boxState(categories, ticked, code) {
  if (ticked.has(code)) return 'checked';
  const index = categoryIndex(categories);
  for (const c of descendantsOf(index, code)) if (c !== code && ticked.has(c)) return 'mixed';
  return 'unchecked';
}

/**
 * A predicate on category codes: true when the code or a category above it is ticked. A code the
 * taxonomy does not know is shown only when everything is ticked.
 */
export function categoryMatcher(categories, ticked) {
  const index = categoryIndex(categories);
  const all = index.size > 0 && [...index.keys()].every((c) => ticked.has(c));
  const cache = new Map();
  return (code) => {
    if (!cache.has(code)) {
      cache.set(code, index.has(code) ? ticked.has(code) || ancestorsOf(index, code).some((c) => ticked.has(c)) : all);
    }
    return cache.get(code);
  };
}

/**
 * The fewest codes that describe the ticked set to the server (a ticked category whose parent is
 * ticked is implied): null when everything is ticked (no parameter), [] when nothing is.
 */
export function categoryParam(categories, ticked) {
  const index = categoryIndex(categories);
  if (index.size > 0 && [...index.keys()].every((c) => ticked.has(c))) return null;
  return [...index.keys()].filter((c) => ticked.has(c) && !ancestorsOf(index, c).some((a) => ticked.has(a)));
}

/** The top-level category of people assets (personal data: only admins and analysts are sent any). */
export const PEOPLE_GROUP = 'people';

/** Whether a role is sent people assets (the server's AssetKind.peopleVisibleTo: roles that see personal data). */
export function seesPeople(role) {
  return role === 'admin' || role === 'analyst';
}

/**
 * The categories a user with `role` is offered: without the "People and groups" branch for a role
 * that is sent no people assets (it could only ever filter an empty set).
 */
export function categoriesForRole(categories, role) {
  const list = Array.isArray(categories) ? categories : [];
  if (seesPeople(role)) return list;
  const index = categoryIndex(list);
  const people = index.has(PEOPLE_GROUP) ? descendantsOf(index, PEOPLE_GROUP) : new Set();
  return list.filter((c) => !people.has(c?.code));
}

/** The label of a code, else the code itself. */
export function categoryLabel(categories, code) {
  return categoryIndex(categories).get(code)?.label ?? code ?? '';
}
