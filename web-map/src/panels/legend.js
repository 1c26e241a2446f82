// The map legend (a Leaflet control, bottom right): one section per analysis layer on the map,
// each {title, items: [{colour, label, outline?, dashed?, hatch?}], notes: [text]} as made by
// layers/hotspots.js hotspotLegend() and layers/ward-rates.js rateLegend(). Classes are explained
// in words ("hot spot, 99% confidence"; "3–5" incidents). Folds away behind its summary (closed at
// first on small screens).

import { escapeHtml } from '../html.js';

const COLOUR = /^(#[0-9a-f]{3,8}|transparent)$/i;

/** The legend's inner HTML for its sections (null sections are skipped). Every text is escaped. */
export function legendHtml(sections) {
  return (sections ?? [])
    .filter(Boolean)
    .map((section) => {
      const items = (section.items ?? [])
        .map((item) => {
          const colour = COLOUR.test(item.colour ?? '') ? item.colour : '#ffffff';
          const line = item.dashed ? 'dashed' : 'solid';
          const border = item.outline && COLOUR.test(item.outline) ? `border:2px ${line} ${item.outline};` : '';
          return (
            `<li class="legend-item"><span class="legend-swatch${item.hatch ? ' legend-hatch' : ''}" style="background-color:${colour};${border}"></span>` +
            `<span class="legend-label">${escapeHtml(item.label)}</span></li>`
          );
        })
        .join('');
      const notes = (section.notes ?? []).map((n) => `<p class="legend-note">${escapeHtml(n)}</p>`).join('');
      return `<section class="legend-section"><h4>${escapeHtml(section.title)}</h4><ul>${items}</ul>${notes}</section>`;
    })
    .join('');
}

/** {control, update(sections)}; the element is <details id="hotspot-legend">. */
export function createLegendControl(L, { position = 'bottomright', open = true } = {}) {
  const control = L.control({ position });
  let body = null;
  let pending = [];
  control.onAdd = () => {
    const box = L.DomUtil.create('details', 'leaflet-bar aim-legend');
    box.id = 'hotspot-legend';
    box.open = open;
    const summary = L.DomUtil.create('summary', '', box);
    summary.textContent = 'Legend';
    body = L.DomUtil.create('div', 'aim-legend-body', box);
    body.innerHTML = legendHtml(pending); // every text escaped
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  return {
    control,
    update(sections) {
      pending = sections;
      if (body) body.innerHTML = legendHtml(sections);
    },
  };
}
