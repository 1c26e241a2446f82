// The asset layer's category filter: the taxonomy as a tree of checkboxes (a parent's box ticks or
// unticks everything below it and shows "mixed" when only some of it is ticked), with the group
// colours, and "only records that need checking". onChange({ticked, staleOnly}) after every change.
// The rules are in assets/categories.js (toggleCategory, boxState).
//
// Ids for tests: #asset-categories, input[name=asset-category][value=CODE], #asset-stale-only,
// #asset-layer-status.

import { allCodes, boxState, categoryIndex, categoryTree, groupOf, groupStyle, toggleCategory } from './categories.js';
import { el } from '../dom.js';

export function createAssetFilters(parent, { categories, onChange }) {
  let ticked = allCodes(categories);
  let staleOnly = false;
  const index = categoryIndex(categories);
  const boxes = new Map(); // code -> input

  const section = el('section', 'asset-section asset-layer-section');
  section.id = 'asset-layer-section';
  const status = el('p', 'asset-status');
  status.id = 'asset-layer-status';
  status.setAttribute('role', 'status');
  const actions = el('p', 'asset-inline');
  const all = el('button', 'aim-link-button', 'All');
  all.type = 'button';
  const none = el('button', 'aim-link-button', 'None');
  none.type = 'button';
  actions.append('Categories: ', all, ' · ', none);
  const stale = el('label', 'asset-check');
  const staleBox = el('input');
  staleBox.type = 'checkbox';
  staleBox.id = 'asset-stale-only';
  stale.append(staleBox, ' Only records that need checking (stale)');
  const tree = el('div', 'asset-category-tree');
  tree.id = 'asset-categories';
  section.append(status, actions, tree, stale);
  parent.append(section);

  function build(nodes, into) {
    const list = el('ul', 'asset-tree');
    for (const node of nodes) {
      const item = el('li');
      const label = el('label', 'asset-check');
      const box = el('input');
      box.type = 'checkbox';
      box.name = 'asset-category';
      box.value = node.code;
      const swatch = el('span', 'asset-swatch');
      swatch.style.background = groupStyle(groupOf(index, node.code)).colour;
      label.append(box, swatch, ` ${node.label}`);
      box.addEventListener('change', () => {
        ticked = toggleCategory(categories, ticked, node.code, box.checked);
        sync();
        changed();
      });
      boxes.set(node.code, box);
      item.append(label);
      if (node.children.length) build(node.children, item);
      list.append(item);
    }
    into.append(list);
  }
  build(categoryTree(categories), tree);

  function sync() {
    for (const [code, box] of boxes) {
      const state = boxState(categories, ticked, code);
      box.checked = state === 'checked';
      box.indeterminate = state === 'mixed';
    }
  }
  const changed = () => onChange({ ticked: new Set(ticked), staleOnly });

  all.addEventListener('click', () => {
    ticked = allCodes(categories);
    sync();
    changed();
  });
  none.addEventListener('click', () => {
    ticked = new Set();
    sync();
    changed();
  });
  staleBox.addEventListener('change', () => {
    staleOnly = staleBox.checked;
    changed();
  });
  sync();

  return {
    state: () => ({ ticked: new Set(ticked), staleOnly }),
    status(text, isError = false) {
      status.textContent = text;
      status.classList.toggle('aim-error', isError);
    },
  };
}
