// Community assets (signed-in users): the side panel #aim-assets, left of the map, with tabs
//   Layer     the asset overlay's category tree filter (assets/filters-panel.js)
//   Search    the directory search (assets/search-panel.js)
//   Coverage  coverage per ward, gaps under hotspots, overlaps, nearest hub (assets/coverage-panel.js)
//   Add       draw and describe a new asset, or edit one from its popup (assets/editor-panel.js)
//   Import    bulk import of a CSV or Open Referral file (assets/import-panel.js)
// Add and Import, and the Edit and Retire buttons of the popups, only for planners and admins (the
// server checks every request; hiding them is a convenience). People assets are shown only when
// the server sends them (admins and analysts).
//
// The assets overlay ("Community assets") sits above the hotspot cells and the boundaries. The panel
// folds away; on a phone it is a sheet over the top of the map, folded at first.
//
// Test build only (AIM_TEST_HOOKS): window.aimAssets = {enabled, ready, canEdit, error, ids() (on the map), loadedIds(), reload(),
//   open(id), results() (search result ids), coverage() (the coverage view's state), tab(name)}.

import { categoriesForRole, categoryIndex, categoryLabel, categoryMatcher, flatCategories, groupOf } from './categories.js';
import { el } from '../dom.js';
import { createSidePanel } from '../panels/side-panel.js';
import { canPlan } from './form.js';
import { assetListQuery } from './query.js';
import { createDrawTool } from './draw-layer.js';
import { createGapLayer } from './gaps-layer.js';
import { assetId, assetLegend, createAssetLayer } from './layer.js';
import { createAssetCoverage } from './coverage-panel.js';
import { createAssetEditor } from './editor-panel.js';
import { createAssetFilters } from './filters-panel.js';
import { createAssetImport } from './import-panel.js';
import { createAssetSearch } from './search-panel.js';
import './assets.css';

const MAX_PAGES = 20; // of the server's page size (1000 by default): far more than a borough's assets

const TABS = [
  { id: 'layer', label: 'Layer' },
  { id: 'search', label: 'Search' },
  { id: 'coverage', label: 'Coverage' },
  { id: 'add', label: 'Add', planner: true },
  { id: 'import', label: 'Import', planner: true },
];

/** YYYY-MM-DD of today in the UK (the server's "future" check for last_checked is by UK date). */
export function ukDate(now = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * Creates the panel and the asset layers for a signed-in `user` ({role}); null (and, in the test
 * build, a disabled window.aimAssets) when signed out. `wards` is the ward boundary layer (names for "in a ward").
 * `wants(name)`: whether the map's first view has the 'assets' layer (panels/layer-choice.js).
 * Returns {overlays, legends: [{key, section, rank}]} for the layer control and the map legend (the
 * assets shown, the gaps view); loading starts at once. The Gaps overlay works the gaps out (the
 * Coverage tab's settings) when it is turned on with none shown.
 */
export function createAssetPanel(L, { map, api, user, wards, wants = () => true }) {
  if (!user) {
    if (AIM_TEST_HOOKS) window.aimAssets = { enabled: false, ready: true, ids: () => [] };
    return null;
  }
  const planner = canPlan(user.role);
  map.createPane('aim-asset-gaps').style.zIndex = '440'; // over the hotspot cells (425) and zones (430)
  map.createPane('aim-assets').style.zIndex = '450'; // footprints; point markers are in the marker pane (600)
  map.createPane('aim-asset-draw').style.zIndex = '650'; // what is being drawn, over the markers

  let categories = [];
  let index = new Map();
  const groupOfCode = (code) => (index.has(code) ? groupOf(index, code) : null);
  const assets = createAssetLayer(L, { groupOf: groupOfCode, canEdit: planner, pane: 'aim-assets' });
  const results = createAssetLayer(L, { groupOf: groupOfCode, canEdit: planner, pane: 'aim-assets', className: 'aim-asset-result', numbered: true });
  const nearest = createAssetLayer(L, { groupOf: groupOfCode, canEdit: false, pane: 'aim-assets', className: 'aim-asset-nearest' });
  let coverage = null;
  const gaps = createGapLayer(L, { pane: 'aim-asset-gaps', onGap: (feature) => coverage?.onGap(feature) });
  let editor = null;
  const draw = createDrawTool(L, map, { pane: 'aim-asset-draw', onMode: () => editor?.refresh() });
  let search = null;
  let filters = null;
  let loading = 0;

  let ready = false; // after the first load, or its failure
  let failure = null; // what failed, as shown
  if (AIM_TEST_HOOKS) {
    window.aimAssets = {
      enabled: true,
      get ready() {
        return ready;
      },
      canEdit: planner,
      get error() {
        return failure;
      },
      ids: () => assets.shownIds(),
      loadedIds: () => assets.ids(),
      reload: () => load(),
      open: (id) => assets.open(id),
      results: () => search?.ids() ?? [],
      coverage: () => coverage?.state() ?? null,
      tab: (id) => showTab(id),
    };
  }

  // --- the side panel ---
  const aside = el('aside', 'aim-assets');
  aside.id = 'aim-assets';
  aside.setAttribute('aria-label', 'Community assets');
  const mapElement = map.getContainer();
  mapElement.parentElement.insertBefore(aside, mapElement);
  const frame = createSidePanel(aside, {
    map,
    label: 'Assets',
    prefix: 'aim-assets',
    ids: { toggle: 'asset-panel-toggle', short: 'asset-status-short', body: 'aim-assets-body' },
  });
  const { body, setExpanded } = frame;
  const tabList = el('div', 'asset-tabs');
  tabList.setAttribute('role', 'tablist');
  body.append(tabList);

  const panes = {};
  const tabs = {};
  for (const tab of TABS) {
    if (tab.planner && !planner) continue;
    const button = el('button', 'asset-tab', tab.label);
    button.type = 'button';
    button.id = `asset-tab-${tab.id}`;
    button.setAttribute('role', 'tab');
    button.setAttribute('aria-controls', `asset-pane-${tab.id}`);
    button.addEventListener('click', () => showTab(tab.id));
    tabList.append(button);
    const pane = el('div', 'asset-pane');
    pane.id = `asset-pane-${tab.id}`;
    pane.setAttribute('role', 'tabpanel');
    body.append(pane);
    tabs[tab.id] = button;
    panes[tab.id] = pane;
  }
  function showTab(id, { expand = true } = {}) {
    if (!panes[id]) return false;
    if (draw.mode() === 'pick') draw.cancel(); // a pick belongs to the tab that asked for it
    for (const key of Object.keys(panes)) {
      panes[key].hidden = key !== id;
      tabs[key].setAttribute('aria-selected', String(key === id));
      tabs[key].classList.toggle('selected', key === id);
    }
    if (expand) setExpanded(true);
    return true;
  }
  showTab('layer', { expand: false });
  const loadingNote = el('p', 'asset-status', 'Loading the asset register…');
  panes.layer.append(loadingNote);

  function showStatus(text, isError = false) {
    filters?.status(text, isError);
    frame.setShortStatus(isError ? 'error' : '');
  }

  function applyFilter() {
    if (!filters) return;
    const { ticked, staleOnly } = filters.state();
    const matches = categoryMatcher(categories, ticked);
    assets.setFilter((p) => matches(p.category) && (!staleOnly || p.stale === true));
    showStatus(`${assets.shownIds().length} of ${assets.ids().length} assets on the map.`);
  }

  /** Every page of GET /api/assets (what this user may see), replacing what is shown. */
  async function load() {
    const mine = ++loading;
    const features = [];
    let cursor = null;
    let pages = 0;
    try {
      do {
        const page = await api.getAssets(assetListQuery({ cursor }));
        features.push(...(page?.features ?? []));
        cursor = page?.meta?.next_cursor ?? null;
        pages += 1;
      } while (cursor && pages < MAX_PAGES);
      if (mine !== loading) return false;
      assets.setFeatures(features);
      failure = null;
      applyFilter();
      if (cursor) showStatus(`Only the first ${features.length} assets are shown.`, true);
      ready = true;
      return true;
    } catch (error) {
      if (mine !== loading) return false;
      failure = `Assets not loaded: ${error.message}`;
      showStatus(failure, true);
      ready = true;
      return false;
    }
  }

  // Edit and Retire in a popup (planners and admins)
  map.on('popupopen', (event) => {
    const root = event.popup.getElement();
    for (const button of root?.querySelectorAll('[data-asset-action]') ?? []) {
      button.onclick = () => popupAction(button.dataset.assetAction, Number(button.dataset.assetId), event.popup);
    }
  });

  async function popupAction(action, id, popup) {
    const feature = assets.feature(id) ?? results.feature(id);
    if (!feature) return;
    if (action === 'edit') {
      map.closePopup(popup);
      showTab('add');
      editor?.edit(feature);
      return;
    }
    if (action === 'retire') {
      const name = feature.properties?.name ?? 'this asset';
      if (!window.confirm(`Retire “${name}”? It is kept on record but no longer shown.`)) return;
      try {
        await api.retireAsset(id);
        map.closePopup(popup);
        await load();
        showStatus(`Retired “${name}”. ${assets.shownIds().length} of ${assets.ids().length} assets on the map.`);
      } catch (error) {
        showStatus(`Not retired: ${error.message}`, true);
      }
    }
  }

  async function start() {
    let taxonomy;
    try {
      taxonomy = await api.getAssetCategories();
    } catch (error) {
      failure = `Asset categories not loaded: ${error.message}`;
      loadingNote.textContent = failure;
      loadingNote.classList.add('aim-error');
      frame.setShortStatus('error');
      ready = true;
      return;
    }
    categories = categoriesForRole(taxonomy?.categories ?? [], user.role); // no People branch for roles sent no people
    index = categoryIndex(categories);
    const flat = flatCategories(categories);
    const label = (code) => categoryLabel(categories, code);
    loadingNote.remove();
    filters = createAssetFilters(panes.layer, { categories, onChange: applyFilter });
    search = createAssetSearch(L, panes.search, {
      api,
      map,
      flat,
      results,
      draw,
      pane: 'aim-asset-draw',
      wards: () => {
        const list = [];
        wards.eachLayer((layer) => {
          const p = layer.feature?.properties;
          if (p?.code) list.push({ code: p.code, name: p.name ?? p.code });
        });
        return list.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
      },
    });
    coverage = createAssetCoverage(L, panes.coverage, { api, map, flat, gaps, nearest, draw, categoryLabel: label });
    if (map.hasLayer(gaps.layer)) showGapsIfNone(); // a first view with the gaps (a planner's)
    if (planner) {
      editor = createAssetEditor(panes.add, {
        api,
        categories,
        flat,
        role: user.role,
        draw,
        today: ukDate(),
        async onSaved(feature) {
          await load();
          const id = assetId(feature);
          if (id !== null && !assets.open(id)) showStatus(`Saved “${feature?.properties?.name ?? ''}”; it is hidden by the category filter.`);
        },
        onClose: () => showTab('layer'),
      });
      createAssetImport(panes.import, { api, flat, onImported: () => load() });
    }
    if (wants('assets')) assets.layer.addTo(map);
    await load();
  }
  function showGapsIfNone() {
    if (coverage && gaps.gapIds().length === 0 && !coverage.state().loading) coverage.show();
  }
  gaps.layer.on('add', showGapsIfNone);
  start().catch((error) => {
    failure = `The asset panel failed: ${error.message}`;
    frame.setShortStatus('error');
    ready = true;
  });

  // the legend lists the groups of the assets shown (a planner is sent no people assets)
  const topGroups = () => {
    const shown = new Set(assets.shownIds().map((id) => groupOfCode(assets.feature(id)?.properties?.category)));
    return categories.filter((c) => !c.parent && shown.has(c.code)).map((c) => ({ code: c.code, label: c.label }));
  };
  return {
    overlays: { 'Community assets': assets.layer, Gaps: gaps.layer },
    legends: [
      { key: 'assets', rank: 40, section: () => (map.hasLayer(assets.layer) ? assetLegend(topGroups()) : null) },
      { key: 'gaps', rank: 35, section: gaps.legend }, // null while the gaps are not on the map
    ],
  };
}
