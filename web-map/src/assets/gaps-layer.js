// The coverage view on the map (GET /api/assets/gaps): gaps — hotspot grid cells with no provision
// of the chosen category within the distance — as squares with a thick dashed dark-teal outline and a
// pale teal fill (a hue no other layer uses: the hotspot grid is red/yellow or red/blue, the counts and
// ward rates purple), and overlaps — clusters of that provision close together — as dashed purple rings
// round their members; plus
// the "nearest" answer for a point (the point, its walking circle). Clicking a gap calls
// onGap(feature). The text helpers and the legend section are pure and unit-tested.

import { formatDistance } from './format.js';
import { escapeHtml, formatInteger } from '../html.js';

const plural = (n, word) => `${formatInteger(n) ?? n} ${word}${n === 1 ? '' : 's'}`;

/** The gap's ward name from the API's `ward` ({code, name} or null): 'Outside the wards' without one. */
export function gapWard(properties) {
  const ward = properties?.ward;
  return ward && typeof ward === 'object' ? String(ward.name ?? ward.code ?? '') : 'Outside the wards';
}

/** A gap cell in words: {title: '14 incidents', detail: 'nearest: Acklam Youth Club, 1.2 km' | 'no provision at all'}. */
export function gapText(properties) {
  const p = properties || {};
  const title = Number.isFinite(p.incidents) ? plural(p.incidents, 'incident') : 'Hotspot cell';
  const z = Number.isFinite(p.z) ? ` (Gi* z ${p.z.toFixed(2)})` : '';
  const nearest = p.nearest && typeof p.nearest === 'object'
    ? `nearest: ${p.nearest.name ?? 'unnamed'}, ${formatDistance(p.nearest.distance_m)}`
    : 'no provision of this category at all';
  return { title: title + z, detail: nearest };
}

/** An overlap cluster in words: '3 within 420 m: A, B, C'. */
export function overlapText(properties) {
  const p = properties || {};
  const members = Array.isArray(p.members) ? p.members.map((m) => m?.name).filter(Boolean) : [];
  const count = Number.isFinite(p.count) ? p.count : members.length;
  const spread = Number.isFinite(p.spread_m) ? ` within ${formatDistance(p.spread_m)}` : '';
  return `${count}${spread}: ${members.join(', ')}`;
}

export const GAP_STYLE = { colour: '#01665e', fill: '#c7eae5', dash: '6 4' };
export const OVERLAP_COLOUR = '#762a83';
const REACH_COLOUR = '#2166ac';

/**
 * The legend section of the gaps view (panels/legend.js shape): the gap cells and overlap rings
 * shown (with their numbers) and a picked point's walking circle. With nothing shown: null, or, once
 * the gaps have been worked out (`answered`), the gap swatch saying there are none.
 */
export function gapLegend({ gaps = 0, overlaps = 0, reach = false, answered = false } = {}) {
  if (!gaps && !overlaps && !reach && !answered) return null;
  const items = [];
  if (gaps || (answered && !overlaps)) items.push({ colour: GAP_STYLE.fill, outline: GAP_STYLE.colour, dashed: true, label: `Gap: hotspot cell with no provision within the distance (${gaps || 'none'})` });
  if (overlaps) items.push({ colour: 'transparent', outline: OVERLAP_COLOUR, dashed: true, round: true, label: `Overlap: provision close together (${overlaps})` });
  if (reach) items.push({ colour: 'transparent', outline: REACH_COLOUR, dashed: true, round: true, label: 'Walking distance of the point picked' });
  return { title: 'Gaps in provision', items, notes: [] };
}

/**
 * {layer, setData(answer), clear(), select(id), gapIds(), showPoint(latlng, walkMetres)}:
 * `answer` is the gaps endpoint's JSON ({gaps, overlaps}). Gap cell paths have class aim-asset-gap
 * and data-gap-id (the feature id, "cell:i:j").
 */
export function createGapLayer(L, { pane, onGap = () => {} } = {}) {
  const layer = L.featureGroup();
  const cells = new Map(); // id -> path layer
  const reach = L.layerGroup().addTo(layer);
  let selected = null;

  let shown = { gaps: 0, overlaps: 0, answered: false };
  let onMap = false;
  layer.on('add', () => { onMap = true; });
  layer.on('remove', () => { onMap = false; });
  const gapStyle = (isSelected) => ({
    color: GAP_STYLE.colour,
    weight: isSelected ? 4 : 3,
    dashArray: isSelected ? null : GAP_STYLE.dash,
    fillColor: GAP_STYLE.fill,
    fillOpacity: isSelected ? 0.6 : 0.3,
  });

  function clear() {
    shown = { gaps: 0, overlaps: 0, answered: false };
    cells.clear();
    selected = null;
    layer.clearLayers();
    reach.clearLayers();
    layer.addLayer(reach);
  }

  return {
    layer,
    clear,
    setData(answer) {
      clear();
      for (const feature of answer?.gaps?.features ?? []) {
        const id = String(feature.id ?? `cell:${feature.properties?.i}:${feature.properties?.j}`);
        const group = L.geoJSON(feature, { pane, className: 'aim-asset-gap', style: () => gapStyle(false) });
        const { title, detail } = gapText(feature.properties);
        group.bindTooltip(escapeHtml(`Gap in ${gapWard(feature.properties)}: ${title}; ${detail}`), { sticky: true }); // a string tooltip is HTML: escaped
        group.on('click', () => onGap(feature));
        group.eachLayer((path) => path.getElement?.()?.setAttribute('data-gap-id', id));
        group.on('add', () => group.eachLayer((path) => path.getElement?.()?.setAttribute('data-gap-id', id)));
        cells.set(id, group);
        layer.addLayer(group);
      }
      for (const feature of answer?.overlaps?.features ?? []) {
        const group = L.geoJSON(feature, {
          pane,
          pointToLayer: (_, latlng) =>
            L.circleMarker(latlng, { pane, radius: 14, color: OVERLAP_COLOUR, weight: 3, fill: false, dashArray: '4 3', className: 'aim-asset-overlap' }),
          style: () => ({ color: OVERLAP_COLOUR, weight: 3, fill: false, dashArray: '4 3' }),
        });
        layer.addLayer(group);
      }
      shown = { gaps: cells.size, overlaps: answer?.overlaps?.features?.length ?? 0, answered: true };
    },
    /** The legend section while the layer is on a map, else null. */
    legend: () => (onMap ? gapLegend({ ...shown, reach: reach.getLayers().length > 0 }) : null),
    /** Highlights a gap cell (id "cell:i:j"), unhighlighting the previous one. */
    select(id) {
      if (selected) cells.get(selected)?.setStyle(gapStyle(false));
      selected = id && cells.has(id) ? id : null;
      if (selected) cells.get(selected).setStyle(gapStyle(true));
    },
    gapIds: () => [...cells.keys()],
    bounds: (id) => cells.get(id)?.getBounds() ?? null,
    /** The point asked about and its walking circle (null clears them). */
    showPoint(latlng, walkMetres) {
      reach.clearLayers();
      if (!latlng) return;
      reach.addLayer(L.circle(latlng, { pane, radius: walkMetres, color: REACH_COLOUR, weight: 2, dashArray: '6 4', fillOpacity: 0.05, interactive: false }));
      reach.addLayer(L.circleMarker(latlng, { pane, radius: 6, color: REACH_COLOUR, weight: 2, fillColor: '#fff', fillOpacity: 1, interactive: false, className: 'aim-asset-reach-point' }));
    },
  };
}
