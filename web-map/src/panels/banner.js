// The "Demo geography" label and the boundary attribution.
//
// After each boundary load, and when an overlay is switched on or off, main.js calls
// banner.update(metas) with the `meta` objects of the boundary sets on the map. The
// label (#demo-banner, in the page header) is shown while any of them is demo data;
// each set's attribution text is added to Leaflet's attribution control, and removed
// when no set on the map has it.

import { escapeHtml } from '../html.js';
import { el } from '../dom.js';

export const DEMO_TEXT = 'Demo geography — not real boundaries';

/** {demo, attributions}: whether any set is demo data, and the distinct attribution texts (HTML-escaped). */
export function bannerState(metas) {
  const loaded = (metas || []).filter(Boolean);
  const attributions = [];
  for (const meta of loaded) {
    const text = typeof meta.attribution === 'string' ? meta.attribution.trim() : '';
    const html = escapeHtml(text);
    if (html && !attributions.includes(html)) attributions.push(html);
  }
  return { demo: loaded.some((meta) => meta.demo === true), attributions };
}

/** What to add to and remove from the attribution control to go from `before` to `after`. */
export function attributionChanges(before, after) {
  return {
    add: after.filter((a) => !before.includes(a)),
    remove: before.filter((a) => !after.includes(a)),
  };
}

/** The banner: put the label into `container`, attributions into map.attributionControl. */
export function createBanner(map, container) {
  let shown = [];
  return {
    update(metas) {
      const state = bannerState(metas);

      let label = document.getElementById('demo-banner');
      if (state.demo && !label) {
        label = el('span', '', DEMO_TEXT);
        label.id = 'demo-banner';
        label.setAttribute('role', 'status');
        container.appendChild(label);
      } else if (!state.demo && label) {
        label.remove();
      }

      const control = map.attributionControl;
      if (control) {
        const { add, remove } = attributionChanges(shown, state.attributions);
        remove.forEach((a) => control.removeAttribution(a));
        add.forEach((a) => control.addAttribution(a));
      }
      shown = state.attributions;
    },
  };
}
