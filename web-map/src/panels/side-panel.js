// A folding side panel: a bar with the fold toggle ("Label ▾" open, "Label ▸" folded) and a short
// status, and the body the panel's sections go in. Folded at first on a phone, where the panel is a
// bottom sheet over the map. Used by the analysis panel and the community-assets panel.

import { el, isNarrow } from '../dom.js';

/** The toggle's text for the panel open or folded. */
export const foldText = (label, expanded) => `${label} ${expanded ? '▾' : '▸'}`;

/**
 * Fills `aside` with the bar and an empty body. `prefix` names the classes (`${prefix}-bar`, -toggle,
 * -short, -body); `ids` gives the toggle's, the short status's and the body's element ids; `onToggle(expanded)`
 * is called after every fold or unfold (e.g. to load what the opened panel shows).
 * Returns {body, setExpanded(expanded), expanded(), setShortStatus(text)}.
 */
export function createSidePanel(aside, { map, label, prefix, ids, onToggle = () => {} }) {
  const bar = el('div', `${prefix}-bar`);
  const toggle = el('button', `${prefix}-toggle`, label);
  toggle.type = 'button';
  toggle.id = ids.toggle;
  toggle.setAttribute('aria-controls', ids.body);
  const shortStatus = el('span', `${prefix}-short`);
  shortStatus.id = ids.short;
  bar.append(toggle, shortStatus);
  const body = el('div', `${prefix}-body`);
  body.id = ids.body;
  aside.append(bar, body);
  function setExpanded(expanded) {
    aside.classList.toggle('collapsed', !expanded);
    toggle.setAttribute('aria-expanded', String(expanded));
    toggle.textContent = foldText(label, expanded);
    map.invalidateSize({ pan: false });
    onToggle(expanded);
  }
  toggle.addEventListener('click', () => setExpanded(aside.classList.contains('collapsed')));
  setExpanded(!isNarrow());
  return {
    body,
    setExpanded,
    expanded: () => !aside.classList.contains('collapsed'),
    setShortStatus(text) {
      shortStatus.textContent = text;
    },
  };
}
