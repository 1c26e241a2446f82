// The hotspot panel's categories and sources (#hotspot-filters, folded in a <details>): a box per
// category under its group's box (which ticks the whole group), and a box per source. The choice is
// reported as onChange({categories}) / onChange({sources}), null meaning all (incident-filters.js
// selection). The rules are pure functions; createHotspotFilters() is the DOM.

import { el } from '../dom.js';
import { filterGroups, filterSummary, selection, SOURCE_LABELS } from './incident-filters.js';

/** The sources offered: the taxonomy's, or every source the map knows when it has none. */
export function sourcesOffered(taxonomy) {
  return Array.isArray(taxonomy?.sources) && taxonomy.sources.length ? taxonomy.sources : Object.keys(SOURCE_LABELS);
}

/** A group's box from how many of its `total` categories are ticked: {checked, indeterminate}. */
export function groupBoxState(ticked, total) {
  return { checked: ticked === total, indeterminate: ticked > 0 && ticked < total };
}

/** The folded filters' summary line: 'Categories and sources: All categories · 2 sources'. */
export function filtersSummaryText(state) {
  return `Categories and sources: ${filterSummary({ categories: state.categories, sources: state.sources })}`;
}

/**
 * The <details id="hotspot-filters"> in `parent`. Returns {show(state)} (its summary line) and
 * {build(taxonomy, state)}: fills it once the categories are known (null: sources only).
 */
export function createHotspotFilters(parent, { onChange }) {
  const details = el('details', 'hotspot-filters');
  details.id = 'hotspot-filters';
  const summary = el('summary');
  details.append(summary);
  parent.append(details);

  function build(taxonomy, state) {
    const all = (taxonomy?.categories ?? []).map((c) => c.code);
    const sources = sourcesOffered(taxonomy);
    const form = el('form', 'aim-filter-panel');
    const categories = el('fieldset', 'aim-filter-categories');
    categories.append(el('legend', '', 'Categories'));
    const ticked = () => [...form.querySelectorAll('input[name=hotspot-category]:checked')].map((i) => i.value);
    for (const group of filterGroups(taxonomy)) {
      const wrapper = el('div', `aim-filter-group aim-incident-${group.group}`);
      const head = el('label', 'aim-filter-group-title');
      const groupBox = el('input');
      groupBox.type = 'checkbox';
      groupBox.name = 'hotspot-group';
      groupBox.value = group.group;
      head.append(groupBox, ` ${group.title}`);
      wrapper.append(head);
      const boxes = group.categories.map((category) => {
        const label = el('label', 'aim-filter-category');
        const input = el('input');
        input.type = 'checkbox';
        input.name = 'hotspot-category';
        input.value = category.code;
        input.checked = state.categories === null || state.categories.includes(category.code);
        label.append(input, ` ${category.label}`);
        wrapper.append(label);
        return input;
      });
      const sync = () => Object.assign(groupBox, groupBoxState(boxes.filter((b) => b.checked).length, boxes.length));
      sync();
      groupBox.addEventListener('change', () => {
        boxes.forEach((b) => (b.checked = groupBox.checked));
        sync();
        onChange({ categories: selection(ticked(), all) });
      });
      boxes.forEach((b) =>
        b.addEventListener('change', () => {
          sync();
          onChange({ categories: selection(ticked(), all) });
        }),
      );
      categories.append(wrapper);
    }
    const sourceSet = el('fieldset', 'aim-filter-sources');
    sourceSet.append(el('legend', '', 'Sources'));
    for (const source of sources) {
      const label = el('label');
      const input = el('input');
      input.type = 'checkbox';
      input.name = 'hotspot-source';
      input.value = source;
      input.checked = state.sources === null || state.sources.includes(source);
      input.addEventListener('change', () => {
        const chosen = [...form.querySelectorAll('input[name=hotspot-source]:checked')].map((i) => i.value);
        onChange({ sources: selection(chosen, sources) });
      });
      label.append(input, ` ${SOURCE_LABELS[source] ?? source}`);
      sourceSet.append(label);
    }
    form.append(categories, sourceSet);
    details.append(form);
  }

  return {
    show(state) {
      summary.textContent = filtersSummaryText(state);
    },
    build,
  };
}
