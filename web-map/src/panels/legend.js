// The map legend (a Leaflet control, bottom right): one section per layer on the map, each
// {title, items: [{colour, label, outline?, hatch?, letter?, round?, dashed?}], notes: [text], compact?} as made
// by the layer modules (hotspotLegend, rateLegend, countsLegend, incidentLegend, assetLegend, gapLegend,
// boundaryLegend, problemLegend …). Classes are explained in words ("hot spot, 99% confidence"; "3–5"
// incidents) and name their scheme. Folds away behind its summary (closed at first on small screens).
//
// createMapLegend keeps the sections of every layer (functions that return a section, or null while
// their layer is off the map) and redraws the legend whenever a layer is added or removed, so every
// visible layer has its entry and a hidden one has none.

import { escapeHtml } from '../html.js';

const COLOUR = /^(#[0-9a-f]{3,8}|transparent)$/i;

/** One legend swatch: a filled box (or circle), its border (solid or dashed), a letter inside. */
function swatchHtml(item) {
  const colour = COLOUR.test(item.colour ?? '') ? item.colour : '#ffffff';
  const border = item.outline && COLOUR.test(item.outline) ? `border:2px ${item.dashed ? 'dashed' : 'solid'} ${item.outline};` : '';
  const classes = ['legend-swatch', item.hatch && 'legend-hatch', item.round && 'legend-round', item.letter && 'legend-letter'].filter(Boolean).join(' ');
  const letter = item.letter ? escapeHtml(String(item.letter)) : '';
  return `<span class="${classes}" style="background-color:${colour};${border}">${letter}</span>`;
}

/** The legend's inner HTML for its sections (null sections are skipped). Every text is escaped. */
export function legendHtml(sections) {
  return (sections ?? [])
    .filter(Boolean)
    .map((section) => {
      const items = (section.items ?? [])
        .map((item) => `<li class="legend-item">${swatchHtml(item)}<span class="legend-label">${escapeHtml(item.label)}</span></li>`)
        .join('');
      const notes = (section.notes ?? []).map((n) => `<p class="legend-note">${escapeHtml(n)}</p>`).join('');
      const key = section.key ? ` data-legend="${escapeHtml(section.key)}"` : '';
      const list = section.compact ? '<ul class="legend-compact">' : '<ul>'; // compact: short items side by side
      return `<section class="legend-section"${key}><h4>${escapeHtml(section.title)}</h4>${list}${items}</ul>${notes}</section>`;
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

/**
 * The sections in drawing order: thematic layers first (lower rank), boundaries last. `entries` are
 * [{rank, section}] with section() -> section | null; each section gets its entry's key.
 */
export function legendSections(entries) {
  return [...entries]
    .sort((a, b) => a.rank - b.rank)
    .map(({ key, section }) => {
      const s = section();
      return s ? { ...s, key: s.key ?? key } : null;
    })
    .filter(Boolean);
}

/**
 * The map's one legend: {control, add(key, section, rank), update()}. `section()` returns the layer's
 * section or null (its layer is off the map); the legend is redrawn after every layer added to or
 * removed from the map (and on update()), so it always matches what is visible.
 */
export function createMapLegend(L, map, { open = true } = {}) {
  const legend = createLegendControl(L, { open });
  const entries = [];
  let queued = false;
  function update() {
    legend.update(legendSections(entries));
  }
  // many layers come and go at once (a cluster of markers, a view restored): redraw once after them
  function later() {
    if (queued) return;
    queued = true;
    Promise.resolve().then(() => {
      queued = false;
      update();
    });
  }
  map.on('overlayadd overlayremove layeradd layerremove', later);
  legend.control.addTo(map);
  return {
    control: legend.control,
    /** Adds a layer's section (`key` names it in data-legend; lower `rank` first). */
    add(key, section, rank = 50) {
      entries.push({ key, section, rank });
      update();
    },
    update,
  };
}
