// Coverage and gaps: for a category of provision (default youth provision) and a distance (default
// 800 m), the hotspot cells with no such provision within the distance — gaps, red on the map — and
// clusters of provision close together — overlaps (GET /api/assets/gaps); for a gap or a point
// picked on the map, the nearest community hub and the services within walking distance
// (GET /api/assets/nearest); and the wards with their assets per 1,000 residents and the share of
// their land within the distance (GET /api/assets/coverage), least covered first. Gaps come first in
// the panel: they are what a planner acts on; the ward table is long. Gaps are grouped by the ward
// they lie in, neediest first (coverage.js gapGroups); a selected gap shows its nearest hub and
// services right under it in the list (a point picked on the map shows them in the Nearest section).
//
// Ids for tests: #asset-coverage-form, #asset-coverage-category, #asset-coverage-distance,
// #asset-gaps-method, #asset-gaps-from, #asset-gaps-to, #asset-coverage-submit, #asset-coverage-clear,
// #asset-coverage-status, #asset-gaps-list li.asset-gap-ward[data-ward] (h4, then li[data-gap-id]; the
// selected one has class asset-gap-selected and holds #asset-nearest), #asset-overlaps-list li, #asset-nearest-pick,
// #asset-nearest (.asset-nearest-hub, li of services), #asset-coverage-wards (tbody tr[data-ward]).

import { coverageRows, gapGroups, gapGroupTitle, gapSummary, nearestSummary } from './coverage.js';
import { categoryOptions, el, field } from '../dom.js';
import { formatDistance } from './format.js';
import { coverageQuery, DEFAULT_DISTANCE, distanceValue, gapsQuery, nearestQuery, ringCentre } from './query.js';
import { gapText, overlapText } from './gaps-layer.js';

export const DEFAULT_COVERAGE_CATEGORY = 'youth-provision';

/**
 * The section in `parent`. `gaps` is the gap layer (assets/gaps-layer.js), `nearest` an asset layer
 * for the hub and services found, `draw` the drawing tool (to pick a point).
 * Returns {state(), show(), nearestTo(latlng), onGap(feature)}.
 */
export function createAssetCoverage(L, parent, { api, map, flat, gaps, nearest, draw, categoryLabel }) {
  const requests = { coverage: 0, nearest: 0 };
  const current = { wards: [], gaps: [], groups: [], selectedGap: null, overlaps: 0, nearest: null, loading: false, error: null, distance: DEFAULT_DISTANCE };

  const form = el('form', 'asset-section asset-coverage');
  form.id = 'asset-coverage-form';
  const category = field('Provision', 'select', 'asset-coverage-category');
  categoryOptions(category.control, flat, {
    selected: flat.some((c) => c.code === DEFAULT_COVERAGE_CATEGORY) ? DEFAULT_COVERAGE_CATEGORY : flat[0]?.code ?? '',
  });
  const distance = field('Within (metres)', 'input', 'asset-coverage-distance', { type: 'number' });
  Object.assign(distance.control, { min: '50', max: '10000', step: '50', value: String(DEFAULT_DISTANCE), required: true });
  const method = field('Hotspots', 'select', 'asset-gaps-method');
  method.control.add(new Option('Top 5% of grid cells by incidents', 'grid'));
  method.control.add(new Option('Gi* hot spots (95% confidence)', 'gistar'));
  const dates = el('div', 'asset-inline asset-dates');
  const from = field('Incidents from', 'input', 'asset-gaps-from', { type: 'date' });
  const to = field('to', 'input', 'asset-gaps-to', { type: 'date' });
  dates.append(from.label, to.label);
  const submit = el('button', 'asset-primary', 'Show coverage and gaps');
  submit.type = 'submit';
  submit.id = 'asset-coverage-submit';
  const clear = el('button', 'aim-link-button', 'Clear the map');
  clear.type = 'button';
  clear.id = 'asset-coverage-clear';
  const buttons = el('p', 'asset-buttons');
  buttons.append(submit, ' ', clear);
  const status = el('p', 'asset-status');
  status.id = 'asset-coverage-status';
  status.setAttribute('role', 'status');

  const wardsBox = el('div', 'asset-subsection');
  const wardsTitle = el('h3', '', 'Wards');
  const table = el('table', 'asset-table');
  table.id = 'asset-coverage-wards';
  const head = el('thead');
  const headRow = el('tr');
  for (const [text, cls] of [['Ward', ''], ['Assets', 'num'], ['per 1,000', 'num'], ['Covered', 'num']]) headRow.append(el('th', cls, text));
  head.append(headRow);
  const body = el('tbody');
  table.append(head, body);
  const wardsNote = el('p', 'asset-note');
  wardsBox.append(wardsTitle, wardsNote, table);

  const gapsBox = el('div', 'asset-subsection');
  const gapsNote = el('p', 'asset-note');
  const gapList = el('ul', 'asset-list');
  gapList.id = 'asset-gaps-list';
  const overlapList = el('ul', 'asset-list');
  overlapList.id = 'asset-overlaps-list';
  gapsBox.append(el('h3', '', 'Gaps under hotspots'), gapsNote, gapList, el('h3', '', 'Overlaps'), overlapList);

  const nearestBox = el('div', 'asset-subsection');
  const pick = el('button', '', 'Pick a point on the map');
  pick.type = 'button';
  pick.id = 'asset-nearest-pick';
  const nearestOut = el('div', 'asset-nearest');
  nearestOut.id = 'asset-nearest';
  nearestBox.append(el('h3', '', 'Nearest hub and services'), el('p', 'asset-note', 'For a gap (click it) or any point:'), pick, nearestOut);

  wardsBox.hidden = true;
  gapsBox.hidden = true;
  form.append(category.label, distance.label, method.label, dates, buttons, status, gapsBox, nearestBox, wardsBox);
  parent.append(form);

  const chosenDistance = () => distanceValue(distance.control.value) ?? DEFAULT_DISTANCE;

  function showWards(answer) {
    current.wards = answer?.areas ?? [];
    body.replaceChildren();
    for (const row of coverageRows(current.wards)) {
      const tr = el('tr');
      tr.dataset.ward = row.code;
      tr.append(el('td', '', row.name), el('td', 'num', row.assets), el('td', 'num', row.perThousand), el('td', 'num', row.covered));
      body.append(tr);
    }
    wardsNote.textContent = `${categoryLabel(answer?.category?.[0] ?? category.control.value)}; covered = share of the ward's land within ${formatDistance(answer?.distance_m ?? chosenDistance())} (straight line). Least covered first.`;
    wardsBox.hidden = false;
  }

  function showGaps(answer) {
    gaps.setData(answer);
    gaps.layer.addTo(map);
    const groups = gapGroups(answer?.gaps?.features);
    current.groups = groups.map((g) => ({ ward: g.code, name: g.name, gaps: g.gaps.map((f) => String(f.id)) }));
    current.gaps = current.groups.flatMap((g) => g.gaps);
    current.selectedGap = null;
    current.overlaps = answer?.overlaps?.features?.length ?? 0;
    gapsNote.textContent = `${gapSummary(answer)}. By ward, most incidents first.`;
    nearestBox.append(nearestOut); // out of the list before it is rebuilt
    gapList.replaceChildren();
    for (const group of groups) {
      const wardItem = el('li', 'asset-gap-ward');
      if (group.code) wardItem.dataset.ward = group.code;
      const cellList = el('ul', 'asset-list asset-gap-cells');
      for (const feature of group.gaps) {
        const { title, detail } = gapText(feature.properties);
        const item = el('li');
        item.dataset.gapId = String(feature.id);
        const button = el('button', 'asset-result');
        button.type = 'button';
        button.append(el('span', 'asset-result-name', title), el('span', 'asset-result-detail', detail));
        button.addEventListener('click', () => onGap(feature, { zoom: true }));
        item.append(button);
        cellList.append(item);
      }
      wardItem.append(el('h4', 'asset-gap-ward-name', gapGroupTitle(group)), cellList);
      gapList.append(wardItem);
    }
    if (!gapList.children.length) gapList.append(el('li', 'asset-note', 'No gaps: every hotspot cell has this provision within the distance.'));
    overlapList.replaceChildren();
    for (const feature of answer?.overlaps?.features ?? []) {
      overlapList.append(el('li', '', `${categoryLabel(feature.properties?.category)}: ${overlapText(feature.properties)}`));
    }
    if (!overlapList.children.length) overlapList.append(el('li', 'asset-note', 'No overlapping provision.'));
    gapsBox.hidden = false;
  }

  async function show() {
    const mine = ++requests.coverage;
    const params = { category: category.control.value, distance: chosenDistance() };
    current.distance = params.distance;
    current.loading = true;
    current.error = null;
    status.textContent = 'Working out coverage and gaps…';
    status.classList.remove('aim-error');
    const [coverage, gapAnswer] = await Promise.allSettled([
      api.getAssetCoverage(coverageQuery(params)),
      api.getAssetGaps(gapsQuery({ ...params, method: method.control.value, from: from.control.value, to: to.control.value })),
    ]);
    if (mine !== requests.coverage) return;
    const problems = [];
    if (coverage.status === 'fulfilled') showWards(coverage.value);
    else problems.push(`Coverage not loaded: ${coverage.reason.message}`);
    if (gapAnswer.status === 'fulfilled') showGaps(gapAnswer.value);
    else problems.push(`Gaps not loaded: ${gapAnswer.reason.message}`);
    current.loading = false;
    current.error = problems.join(' ') || null;
    status.textContent = current.error ?? '';
    status.classList.toggle('aim-error', Boolean(current.error));
  }

  /** The list item of gap `id`, or null. */
  const gapItem = (id) => [...gapList.querySelectorAll('li[data-gap-id]')].find((li) => li.dataset.gapId === id) ?? null;

  /** Shows the nearest answer under the selected gap's entry (`beside`), or in the Nearest section. */
  function placeNearest(beside) {
    for (const li of gapList.querySelectorAll('li.asset-gap-selected')) {
      li.classList.remove('asset-gap-selected');
      li.removeAttribute('aria-current');
    }
    if (beside) {
      beside.classList.add('asset-gap-selected');
      beside.setAttribute('aria-current', 'true');
      beside.append(nearestOut);
    } else {
      nearestBox.append(nearestOut);
    }
  }

  async function nearestTo(latlng, { beside = null } = {}) {
    const mine = ++requests.nearest;
    if (!beside) current.selectedGap = null;
    placeNearest(beside);
    const walk = chosenDistance();
    gaps.showPoint(latlng, walk);
    gaps.layer.addTo(map);
    nearestOut.replaceChildren(el('p', 'asset-note', 'Looking for the nearest hub and services…'));
    try {
      const answer = await api.getNearestAssets(nearestQuery({ lon: latlng.lng, lat: latlng.lat, walk }));
      if (mine !== requests.nearest) return;
      const features = [...(answer?.nearest ?? []), ...(answer?.services_within_walk?.features ?? [])];
      nearest.setFeatures(features);
      nearest.layer.addTo(map);
      const summary = nearestSummary(answer);
      current.nearest = summary;
      const hub = el('p', 'asset-nearest-hub', summary.hub ? `Nearest community hub: ${summary.hub}` : 'No community hub on the register.');
      const services = el('ul', 'asset-list');
      for (const line of summary.services) services.append(el('li', '', line));
      const servicesTitle = el('p', 'asset-note', summary.services.length
        ? `Services within ${formatDistance(walk)} (straight line):`
        : `No services within ${formatDistance(walk)}.`);
      nearestOut.replaceChildren(hub, servicesTitle, services);
    } catch (error) {
      if (mine !== requests.nearest) return;
      nearestOut.replaceChildren(el('p', 'asset-status aim-error', `Nearest not loaded: ${error.message}`));
    }
  }

  function onGap(feature, { zoom = false } = {}) {
    const id = String(feature.id);
    gaps.select(id);
    current.selectedGap = id;
    const item = gapItem(id);
    if (!zoom) item?.scrollIntoView({ block: 'nearest' }); // picked on the map: bring its entry into view
    const centre = ringCentre(feature.geometry);
    const bounds = gaps.bounds(id);
    if (zoom && bounds) map.fitBounds(bounds.pad(4), { maxZoom: 16 });
    if (centre) nearestTo(L.latLng(centre[1], centre[0]), { beside: item });
  }

  pick.addEventListener('click', () => {
    placeNearest(null);
    nearestOut.replaceChildren(el('p', 'asset-note', 'Click the map at the point.'));
    draw.pick((latlng) => nearestTo(latlng));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  clear.addEventListener('click', () => {
    requests.coverage += 1; // drop answers still on their way
    requests.nearest += 1;
    gaps.clear();
    gaps.layer.remove();
    nearest.setFeatures([]);
    nearest.layer.remove();
    nearestOut.replaceChildren();
    placeNearest(null);
    wardsBox.hidden = true;
    gapsBox.hidden = true;
    Object.assign(current, { wards: [], gaps: [], groups: [], selectedGap: null, overlaps: 0, nearest: null, loading: false, error: null });
    status.textContent = '';
  });

  return {
    state: () => ({ ...current, wards: current.wards.map((a) => a.code), gaps: [...current.gaps], groups: current.groups.map((g) => ({ ...g })) }),
    show,
    nearestTo,
    onGap,
  };
}
