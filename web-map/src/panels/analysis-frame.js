// The frame of the analysis side panel (#aim-analysis): a bar with the fold toggle
// (#analysis-toggle, "Analysis ▾" / "Analysis ▸") and a short status (#hotspot-status-short), and the
// body the sections go in. Folded at first on a phone, where it is a bottom sheet over the map.

import { el, isNarrow } from '../dom.js';

/** The toggle's text for the panel open or folded. */
export const toggleText = (expanded) => (expanded ? 'Analysis ▾' : 'Analysis ▸');

/** Fills `aside` (emptied and shown). Returns {body, setExpanded(expanded), setShortStatus(text)}. */
export function createAnalysisFrame(aside, { map }) {
  aside.hidden = false;
  aside.replaceChildren();
  const bar = el('div', 'aim-analysis-bar');
  const toggle = el('button', 'aim-analysis-toggle', 'Analysis');
  toggle.type = 'button';
  toggle.id = 'analysis-toggle';
  toggle.setAttribute('aria-controls', 'aim-analysis-body');
  const shortStatus = el('span', 'aim-analysis-short');
  shortStatus.id = 'hotspot-status-short';
  bar.append(toggle, shortStatus);
  const body = el('div', 'aim-analysis-body');
  body.id = 'aim-analysis-body';
  aside.append(bar, body);
  function setExpanded(expanded) {
    aside.classList.toggle('collapsed', !expanded);
    toggle.setAttribute('aria-expanded', String(expanded));
    toggle.textContent = toggleText(expanded);
    map.invalidateSize({ pan: false });
  }
  toggle.addEventListener('click', () => setExpanded(aside.classList.contains('collapsed')));
  setExpanded(!isNarrow());
  return {
    body,
    setExpanded,
    setShortStatus(text) {
      shortStatus.textContent = text;
    },
  };
}
