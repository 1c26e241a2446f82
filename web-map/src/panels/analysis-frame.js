// The frame of the analysis side panel (#aim-analysis): a folding side panel with the toggle
// #analysis-toggle ("Analysis ▾" / "Analysis ▸"), the short status #hotspot-status-short, and the body
// the sections go in.

import { createSidePanel, foldText } from './side-panel.js';

/** The toggle's text for the panel open or folded. */
export const toggleText = (expanded) => foldText('Analysis', expanded);

/**
 * Fills `aside` (emptied and shown). `onToggle(expanded)` after every fold or unfold.
 * Returns {body, setExpanded(expanded), expanded(), setShortStatus(text)}.
 */
export function createAnalysisFrame(aside, { map, onToggle }) {
  aside.hidden = false;
  aside.replaceChildren();
  return createSidePanel(aside, {
    map,
    label: 'Analysis',
    prefix: 'aim-analysis',
    onToggle,
    ids: { toggle: 'analysis-toggle', short: 'hotspot-status-short', body: 'aim-analysis-body' },
  });
}
