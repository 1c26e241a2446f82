// The public map (/public/, no sign-in): counts per ward or neighbourhood for a month range and one
// non-sensitive category (or all of them), the grid of 500 m or larger squares, a legend with the "<5"
// class, the open data links and the licence. Everything comes from /api/public/* (aim.publicdata), where
// small counts are already suppressed; this page only draws what it is given (public-view.js).
//
// Ids: #public-level, #public-from, #public-to, #public-category, #public-cell, #public-status, #public-map,
// #public-legend, #public-downloads, #public-licence, #public-table. The view is kept in the address
// (?level=&from=&to=&category=&cell=). Test build only: window.aimPublic = {ready, error, areas, cells, texts()}.

import * as L from 'leaflet/dist/leaflet-src.esm.js';
import 'leaflet/dist/leaflet.css';
import '../pages.css';
import './public.css';
import * as api from '../api.js';
import { el } from '../dom.js';
import { createBasemap } from '../layers/basemap.js';
import { areasQuery, CLASSES, colourOf, downloadLinks, hotspotsQuery, searchOf, shown, viewFromSearch } from './public-view.js';

const $ = (id) => document.getElementById(id);
const status = $('public-status');
const form = $('public-form');
const inputs = { level: $('public-level'), from: $('public-from'), to: $('public-to'), category: $('public-category'), cell: $('public-cell') };
const state = { ready: false, error: null, areas: 0, cells: 0 };
if (AIM_TEST_HOOKS) {
  window.aimPublic = {
    get ready() {
      return state.ready;
    },
    get error() {
      return state.error;
    },
    get areas() {
      return state.areas;
    },
    get cells() {
      return state.cells;
    },
    /** Every count shown: the table's cells, the map's popups' texts and the grid's counts. */
    texts: () => [...document.querySelectorAll('#public-table td.aim-public-count')].map((td) => td.textContent).concat(gridTexts),
  };
}

const map = L.map('public-map', { center: [54.555, -1.235], zoom: 11, maxZoom: 18 });
const areaLayer = L.geoJSON(null, { style: (f) => areaStyle(f), onEachFeature: (f, layer) => layer.bindPopup(() => popup(f)) }).addTo(map);
const gridLayer = L.geoJSON(null, {
  style: (f) => ({ color: '#333', weight: 0.5, fillColor: colourOf(f.properties.count), fillOpacity: 0.6 }),
  onEachFeature: (f, layer) => layer.bindPopup(() => el('p', '', `${f.properties.cell}: ${shown(f.properties.count)}`)),
});
let gridTexts = [];
let fitted = false;

function areaStyle(feature) {
  return { color: '#1d3557', weight: 1, fillColor: colourOf(feature.properties.total), fillOpacity: 0.55 };
}

function popup(feature) {
  const p = feature.properties;
  const box = el('div');
  box.append(el('strong', '', `${p.name} (${p.code})`), el('p', '', `Total: ${shown(p.total)}`));
  return box;
}

function readView() {
  return { level: inputs.level.value, from: inputs.from.value, to: inputs.to.value, category: inputs.category.value, cell: inputs.cell.value };
}

function showView(view) {
  inputs.level.value = view.level;
  inputs.from.value = view.from;
  inputs.to.value = view.to;
  inputs.cell.value = view.cell;
  inputs.category.value = view.category;
}

function legend(rule) {
  $('public-legend').replaceChildren(
    ...CLASSES.map(([key, label, colour]) => {
      const li = el('li');
      li.dataset.class = key;
      const swatch = el('span', 'aim-public-swatch');
      swatch.style.background = colour;
      li.append(swatch, document.createTextNode(label));
      return li;
    }),
  );
  $('public-rule').textContent = rule ?? '';
}

function categories(list, chosen) {
  const select = inputs.category;
  select.replaceChildren(el('option', '', 'All published categories'));
  select.firstChild.value = 'all';
  for (const c of list) {
    const option = el('option', '', c.label);
    option.value = c.code;
    select.append(option);
  }
  select.value = list.some((c) => c.code === chosen) ? chosen : 'all';
}

function table(body) {
  const head = el('tr');
  head.append(el('th', '', 'Area'), el('th', '', 'Total'));
  const rows = body.areas.map((a) => {
    const tr = el('tr');
    tr.append(el('td', '', a.name), el('td', 'aim-public-count', shown(a.total)));
    return tr;
  });
  const all = el('tr');
  all.append(el('th', '', 'All areas'), el('td', 'aim-public-count', shown(body.total)));
  $('public-table').replaceChildren(head, ...rows, all);
}

function links(view, body) {
  $('public-downloads').replaceChildren(
    ...downloadLinks(view).map(({ label, href }) => {
      const a = el('a', '', label);
      a.href = href;
      a.setAttribute('download', '');
      const li = el('li');
      li.append(a);
      return li;
    }),
  );
  const licence = $('public-licence');
  const a = el('a', '', body.licence.name);
  a.href = body.licence.url;
  a.rel = 'license';
  licence.replaceChildren(document.createTextNode('Published under the '), a, document.createTextNode('. '),
    ...body.attribution.map((text) => el('span', 'aim-public-attribution', `${text}. `)));
}

async function load(view) {
  state.ready = false;
  status.textContent = 'Loading…';
  status.classList.remove('aim-error');
  try {
    const body = await api.getPublicAreas(areasQuery(view));
    categories(body.categories, view.category);
    legend(body.suppression?.rule);
    table(body);
    links(view, body);
    const shapes = await api.getPublicAreas(areasQuery(view, 'geojson'));
    areaLayer.clearLayers();
    areaLayer.addData(shapes);
    state.areas = shapes.features.length;
    gridLayer.clearLayers();
    gridTexts = [];
    state.cells = 0;
    if (view.cell) {
      const grid = await api.getPublicHotspots(hotspotsQuery(view));
      gridLayer.addData(grid);
      gridTexts = grid.features.map((f) => shown(f.properties.count));
      state.cells = grid.features.length;
      if (!map.hasLayer(gridLayer)) gridLayer.addTo(map);
    } else if (map.hasLayer(gridLayer)) {
      map.removeLayer(gridLayer);
    }
    if (!fitted && state.areas) {
      map.fitBounds(areaLayer.getBounds());
      fitted = true;
    }
    const what = view.category === 'all' ? 'all published categories' : inputs.category.selectedOptions[0]?.textContent;
    status.textContent = `${body.areas.length} ${view.level}s, ${view.from} to ${view.to}, ${what}.`;
    state.error = null;
  } catch (error) {
    state.error = error.message;
    status.textContent = error.message;
    status.classList.add('aim-error');
  }
  state.ready = true;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const view = readView();
  history.replaceState(null, '', `/public/${searchOf(view)}`);
  load(view);
});

async function start() {
  const view = viewFromSearch(location.search, new Date());
  showView(view);
  try {
    const config = await api.getConfig();
    const basemap = createBasemap(L, config?.tiles);
    if (basemap) basemap.addTo(map);
  } catch {
    // the map works without a base map
  }
  await load(view);
}

start();
