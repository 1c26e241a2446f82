// The Problems overlay: each problem's place (GET /api/problems, WGS84) outlined in its OSARA stage's
// colour (workflow.js STAGES), dashed while an escalation is pending, with a summary popup (stage,
// owner, target, open and overdue actions) and a "Details" button that opens the problem in the
// panel. Paths: `path.aim-problem.aim-problem-<stage>` with data-problem-id. Like every layer module
// this one does not import Leaflet (the caller passes `L`): the pure parts are unit-tested.

import { escapeHtml } from '../html.js';
import { STAGES, actionCountsText, ownerText, stageColour, stageLabel, targetText } from './workflow.js';

/** Leaflet path style of a problem place. */
export function problemStyle(properties) {
  const p = properties ?? {};
  return {
    color: stageColour(p.stage),
    weight: 3,
    opacity: 0.9,
    fillColor: stageColour(p.stage),
    fillOpacity: p.stage === 'closed' ? 0.05 : 0.12,
    dashArray: p.escalation === 'pending' ? '8 6' : null,
    className: `aim-problem aim-problem-${/^[a-z]+$/.test(p.stage ?? '') ? p.stage : 'unknown'}`,
  };
}

/** The popup's HTML (every text escaped). */
export function problemPopupHtml(properties, { ownerNames = {} } = {}) {
  const p = properties ?? {};
  const lines = [
    `<strong class="problem-popup-title">${escapeHtml(p.title ?? '')}</strong>`,
    `<span class="problem-popup-stage"><span class="problem-stage-dot" style="background-color:${stageColour(p.stage)}"></span>${escapeHtml(stageLabel(p.stage))}</span>`,
    `<span class="problem-popup-owner">Owner: ${escapeHtml(ownerText(p.owner, ownerNames))}${p.leadOrganisation ? ` · lead ${escapeHtml(p.leadOrganisation.name ?? p.leadOrganisation.code ?? '')}` : ''}</span>`,
  ];
  if (p.placeLabel) lines.push(`<span class="problem-popup-place">${escapeHtml(p.placeLabel)}</span>`);
  const target = targetText(p.target);
  if (target) lines.push(`<span class="problem-popup-target">${escapeHtml(target)}</span>`);
  const counts = actionCountsText(p.openActions, p.overdueActions);
  lines.push(`<span class="problem-popup-actions${p.overdueActions > 0 ? ' problem-overdue' : ''}" data-open="${Number(p.openActions) || 0}" data-overdue="${Number(p.overdueActions) || 0}">${escapeHtml(counts)}</span>`);
  if (p.escalation === 'pending') lines.push('<span class="problem-popup-escalation">Escalated to the AIM group: decision pending</span>');
  lines.push(`<button type="button" class="problem-popup-open" data-problem-id="${Number(p.id) || 0}">Details</button>`);
  return `<div class="problem-popup">${lines.join('<br>')}</div>`;
}

/** The legend section of the overlay: one outline colour per stage. */
export function problemLegend() {
  return {
    title: 'Problems (OSARA stage)',
    items: STAGES.map((s) => ({ colour: 'transparent', outline: s.colour, label: s.label })),
    compact: true,
    notes: ['Dashed: escalated, decision pending.'],
  };
}

/** {layer, setData(collection), ids(), open(id), bounds(id)}; onOpen(id) for a popup's Details button. */
export function createProblemLayer(L, { pane, onOpen = () => {} } = {}) {
  const layer = L.geoJSON(null, {
    pane,
    style: (feature) => problemStyle(feature.properties),
    onEachFeature(feature, path) {
      path.bindPopup(() => problemPopupHtml(feature.properties), { className: 'problem-popup-box', maxWidth: 300 });
      path.on('add', () => path.getElement?.()?.setAttribute('data-problem-id', String(feature.properties?.id)));
      path.on('popupopen', (event) => {
        const button = event.popup.getElement()?.querySelector('.problem-popup-open');
        if (button) button.onclick = () => onOpen(feature.properties?.id);
      });
    },
  });
  const find = (id) => {
    let found = null;
    layer.eachLayer((path) => {
      if (!found && String(path.feature?.properties?.id) === String(id)) found = path;
    });
    return found;
  };
  return {
    layer,
    setData(collection) {
      layer.clearLayers();
      layer.addData(collection ?? { type: 'FeatureCollection', features: [] });
    },
    ids: () => {
      const list = [];
      layer.eachLayer((path) => list.push(path.feature?.properties?.id));
      return list;
    },
    features: () => {
      const list = [];
      layer.eachLayer((path) => list.push(path.feature));
      return list;
    },
    open(id) {
      const path = find(id);
      if (path) path.openPopup();
      return Boolean(path);
    },
    bounds: (id) => find(id)?.getBounds() ?? null,
  };
}
