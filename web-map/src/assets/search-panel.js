// Directory search (GET /api/assets/search): free text, a category (with everything below it), and
// anywhere / near a point (picked on the map, or the map centre; optionally within a radius) / in a
// ward. The results are numbered on the map (their own layer) and listed with their distance
// ("350 m", "1.2 km") when searched near a point; a list entry opens the asset's popup.
//
// Ids for tests: #asset-search-form, #asset-search-q, #asset-search-category,
// input[name=asset-search-where][value=any|near|ward], #asset-search-pick, #asset-search-centre,
// #asset-search-point, #asset-search-radius, #asset-search-ward, #asset-search-submit,
// #asset-search-clear, #asset-search-status, #asset-search-results li[data-asset-id] with .asset-result-distance.

import { panelPadding } from '../panels/side-panel.js';
import { categoryOptions, el, field } from '../dom.js';
import { resultLine } from './popup.js';
import { searchQuery, searchStatus } from './query.js';
import { assetId } from './layer.js';

const RADII = [
  ['', 'any distance'],
  ['400', '400 m'],
  ['800', '800 m'],
  ['1600', '1.6 km'],
  ['5000', '5 km'],
];

/**
 * The search section in `parent`. `results` is an asset layer (assets/layer.js, numbered) for the
 * results; `draw` the drawing tool (for picking the point); `wards()` the wards on the map
 * [{code, name}]. Returns {ids(), search(), setPoint(latlng)}.
 */
export function createAssetSearch(L, parent, { api, map, flat, results, draw, wards, pane }) {
  let point = null; // L.LatLng
  let request = 0;
  let shown = [];
  const pointLayer = L.layerGroup();

  const form = el('form', 'asset-section asset-search');
  form.id = 'asset-search-form';
  const q = field('Search for', 'input', 'asset-search-q', { type: 'search' });
  q.control.placeholder = 'e.g. library, youth club, food bank';
  const category = field('Category', 'select', 'asset-search-category');
  categoryOptions(category.control, flat, { empty: 'Any category' });

  const where = el('fieldset', 'asset-where');
  where.append(el('legend', '', 'Where'));
  const radios = {};
  for (const [value, text] of [['any', 'Anywhere'], ['near', 'Near a point'], ['ward', 'In a ward']]) {
    const label = el('label', 'asset-check');
    const radio = el('input');
    radio.type = 'radio';
    radio.name = 'asset-search-where';
    radio.value = value;
    radio.checked = value === 'any';
    label.append(radio, ` ${text}`);
    where.append(label);
    radios[value] = radio;
  }
  const nearBox = el('div', 'asset-near');
  const pick = el('button', '', 'Pick on the map');
  pick.type = 'button';
  pick.id = 'asset-search-pick';
  const centre = el('button', '', 'Use the map centre');
  centre.type = 'button';
  centre.id = 'asset-search-centre';
  const pointText = el('span', 'asset-note');
  pointText.id = 'asset-search-point';
  const radius = field('Within', 'select', 'asset-search-radius');
  for (const [value, text] of RADII) radius.control.add(new Option(text, value));
  nearBox.append(pick, ' ', centre, ' ', pointText, radius.label);
  const wardField = field('Ward', 'select', 'asset-search-ward');
  where.append(nearBox, wardField.label);

  const submit = el('button', 'asset-primary', 'Search');
  submit.type = 'submit';
  submit.id = 'asset-search-submit';
  const clear = el('button', 'aim-link-button', 'Clear');
  clear.type = 'button';
  clear.id = 'asset-search-clear';
  const status = el('p', 'asset-status');
  status.id = 'asset-search-status';
  status.setAttribute('role', 'status');
  const list = el('ol', 'asset-results');
  list.id = 'asset-search-results';
  const buttons = el('p', 'asset-buttons');
  buttons.append(submit, ' ', clear);
  form.append(q.label, category.label, where, buttons, status, list);
  parent.append(form);

  function fillWards() {
    const chosen = wardField.control.value;
    wardField.control.replaceChildren(new Option('Choose a ward', ''));
    for (const w of wards()) wardField.control.add(new Option(w.name ?? w.code, w.code));
    wardField.control.value = chosen;
  }

  function showWhere() {
    const mode = Object.keys(radios).find((k) => radios[k].checked);
    nearBox.hidden = mode !== 'near';
    wardField.label.hidden = mode !== 'ward';
    if (mode === 'ward') fillWards();
  }
  Object.values(radios).forEach((r) => r.addEventListener('change', showWhere));
  wardField.control.addEventListener('focus', fillWards);
  showWhere();

  function setPoint(latlng) {
    point = L.latLng(latlng);
    pointText.textContent = `${point.lat.toFixed(5)}, ${point.lng.toFixed(5)}`;
    pointLayer.clearLayers();
    pointLayer.addLayer(L.circleMarker(point, { pane, radius: 7, color: '#2166ac', weight: 3, fillColor: '#fff', fillOpacity: 1, interactive: false, className: 'aim-asset-search-point' }));
    pointLayer.addTo(map);
    radios.near.checked = true;
    showWhere();
  }
  pick.addEventListener('click', () => {
    status.textContent = 'Click the map at the point to search near.';
    draw.pick((latlng) => {
      status.textContent = '';
      setPoint(latlng);
    });
  });
  centre.addEventListener('click', () => setPoint(map.getCenter()));

  function showResults(collection) {
    const features = collection?.features ?? [];
    shown = features.map(assetId);
    results.setFeatures(features);
    results.layer.addTo(map);
    list.replaceChildren();
    features.forEach((feature) => {
      const line = resultLine(feature.properties);
      const item = el('li');
      item.dataset.assetId = String(assetId(feature));
      const button = el('button', 'asset-result');
      button.type = 'button';
      const name = el('span', 'asset-result-name', line.name);
      const distance = el('span', 'asset-result-distance', line.distance);
      const detail = el('span', 'asset-result-detail', line.detail);
      button.append(name, distance, detail);
      if (line.stale) button.append(el('span', 'asset-stale', 'needs checking'));
      button.addEventListener('click', () => {
        if (!results.open(assetId(feature))) status.textContent = `${line.name} has no place on the map.`;
      });
      item.append(button);
      list.append(item);
    });
    const meta = collection?.meta ?? {};
    status.textContent = searchStatus(features.length, meta);
    const bounds = results.bounds();
    if (point && meta.order === 'distance' && bounds.isValid()) bounds.extend(point);
    if (bounds.isValid()) map.fitBounds(bounds, { ...panelPadding(map, 30), maxZoom: 16 }); // clear of a phone's sheet
  }

  async function search() {
    const mode = Object.keys(radios).find((k) => radios[k].checked);
    if (mode === 'near' && !point) setPoint(map.getCenter());
    if (mode === 'ward' && !wardField.control.value) {
      status.textContent = 'Choose a ward.';
      return;
    }
    const query = searchQuery({
      q: q.control.value,
      category: category.control.value,
      near: mode === 'near' ? [point.lng, point.lat] : null,
      radius: mode === 'near' ? radius.control.value : null,
      ward: mode === 'ward' ? wardField.control.value : '',
    });
    if (mode !== 'near') pointLayer.remove();
    const mine = ++request;
    status.textContent = 'Searching…';
    status.classList.remove('aim-error');
    try {
      const answer = await api.searchAssets(query);
      if (mine !== request) return;
      showResults(answer);
    } catch (error) {
      if (mine !== request) return;
      status.textContent = `Search failed: ${error.message}`;
      status.classList.add('aim-error');
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  clear.addEventListener('click', () => {
    request += 1; // drops an answer still on its way
    shown = [];
    results.setFeatures([]);
    results.layer.remove();
    pointLayer.remove();
    list.replaceChildren();
    status.textContent = '';
  });

  return {
    ids: () => [...shown],
    search,
    setPoint,
    /** Removes the results and the point from the map (the list stays). */
    hide() {
      results.layer.remove();
      pointLayer.remove();
    },
  };
}
