// The map's one statement of its period (#aim-period, a Leaflet control bottom left): e.g.
// "Period: Q2 26/27: 1 Jul – 30 Sep 2026". The hotspot panel's period control sets it, and that one
// period drives every layer (incidents, counts, hotspot cells, ward rates), so no layer states a
// window of its own. The one exception, emerging hot spots, needs a run of 12 complete months or
// quarters whatever the period: the label then says so too, in the same place.

import { emergingWindow } from '../periods.js';
import { periodText } from './hotspot-state.js';

/** The label's text for a period in words (hotspot-state.js periodText); '' hides it. */
export function periodLabelText(words) {
  return words ? `Period: ${words}` : '';
}

/** The map's period in words for the panel's state: the period, and the emerging window when that method is drawn. */
export function mapPeriodWords(state, today) {
  const words = periodText(state, today);
  if (state.method !== 'emerging') return words;
  return `${words} · emerging hot spots: ${emergingWindow(state.interval, today).label}`;
}

/** {control, set(words)}: the element is <div id="aim-period" role="status">. */
export function createPeriodLabel(L, { position = 'bottomleft' } = {}) {
  const control = L.control({ position });
  let element = null;
  let text = '';
  control.onAdd = () => {
    element = L.DomUtil.create('div', 'leaflet-bar aim-period');
    element.id = 'aim-period';
    element.setAttribute('role', 'status');
    element.textContent = text;
    element.hidden = !text;
    return element;
  };
  return {
    control,
    set(words) {
      text = periodLabelText(words);
      if (!element) return;
      element.textContent = text;
      element.hidden = !text;
    },
  };
}
