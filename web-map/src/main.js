// Wiring: fetch the settings and boundary versions, create the map, add the layers
// and panels, load the boundaries. Logic worth testing lives in the other modules.
//
// Browser tests rely on CSS classes aim-ward / aim-neighbourhood on the polygons, .ward-name in
// the popup, .aim-incident markers and, in the test build only (AIM_TEST_HOOKS, see build.mjs):
// window.aimMap (the L.Map), window.aimReady (true once the first ward layer is drawn),
// window.aimError (message if that failed), window.aimIncidents (see createIncidents) and
// window.aimHotspots (panels/hotspots.js) for the hotspot panel.

import L from './leaflet-cluster.js';
import 'leaflet/dist/leaflet.css';
import './app.css';
import * as serverApi from './api.js';
import { createIncidentLayer, incidentLegend } from './layers/incidents.js';
import { createTileFeed, needsTileReload } from './layers/incident-tiles.js';
import { createCountLayer } from './layers/incident-counts.js';
import { countsLegend } from './layers/incident-scale.js';
import { showAccount } from './panels/account.js';
import { createIncidentFilterControl, defaultFilters, filterGroups } from './panels/incident-filters.js';
import { forgetUser, savedUser, saveUser } from './session-hint.js';
import { simplifyForZoom } from './simplify.js';
import { createBasemap } from './layers/basemap.js';
import { setLayerData } from './layers/common.js';
import { createNeighbourhoodLayer, neighbourhoodLegend, neighbourhoodStyle, neighbourhoodsOf } from './layers/neighbourhoods.js';
import { createWardLayer, wardLegend, WARD_STYLE } from './layers/wards.js';
import { createBoundaryTileLayer, wardsAsTiles } from './layers/boundary-tiles.js';
import { createWardLabels } from './layers/ward-labels.js';
import { createZoneLayer, zoneLegend } from './layers/zones.js';
import { createBanner } from './panels/banner.js';
import { createVersionControl, currentVersion, neighbourhoodVersionFor, versionsOfLevel } from './panels/version.js';
import { createHotspotPanel } from './panels/hotspots.js';
import { createIndicatorsPanel } from './panels/indicators.js';
import { Chart } from './charts.js';
import { createAssetPanel } from './assets/panel.js';
import { el, isNarrow } from './dom.js';
import { createProblemsPanel } from './problems/panel.js';
import { createViewLink } from './panels/view-link.js';
import { createPresentation } from './panels/presentation.js';
import { panelPadding } from './panels/side-panel.js';
import { decodeView } from './view-url.js';
import { createMapLegend } from './panels/legend.js';
import { browserStorage, createLayerChoice, roleIncidentFilters, rolePreset } from './panels/layer-choice.js';
import { createOfflineStatus, registerOfflineCopy } from './offline/status.js';
import { createPlaceSearch } from './panels/place-search.js';
import './panels/place-search.css';
import './layers/ward-labels.css';

// GET /api/incidents/categories once for the incidents layer, the hotspot panel and the problems panel
// (each asked for it on load); a failure is not kept, so the next caller asks again.
let categories = null;
const api = {
  ...serverApi,
  getCategories() {
    categories ??= serverApi.getCategories().catch((error) => {
      categories = null;
      throw error;
    });
    return categories;
  },
};

const NO_AREAS = { type: 'FeatureCollection', features: [] };
const MIDDLESBROUGH = [54.555, -1.235]; // shown until the wards are loaded
const POLL_MS = 30_000; // new incidents (e.g. warden reports) appear within this time
const START_ZOOM = 12;
const LEVEL_NAMES = { ward: 'Ward', neighbourhood: 'Neighbourhood', zone: 'Zone' };

const header = document.getElementById('aim-header');
const errors = {}; // level (or 'settings') -> message shown in the header

function showErrors() {
  let element = document.getElementById('aim-message');
  const text = Object.values(errors).filter(Boolean).join(' · ');
  if (!text) {
    element?.remove();
    return;
  }
  if (!element) {
    element = el('span');
    element.id = 'aim-message';
    element.setAttribute('role', 'alert');
    header.appendChild(element);
  }
  element.textContent = text;
}

async function start() {
  if (AIM_TEST_HOOKS) countRequests();
  // the offline copy (offline/status.js): the service worker, and "Offline" in the header
  registerOfflineCopy();
  createOfflineStatus(header);
  const view = decodeView(window.location.search); // a shared map view (view-url.js); unknown keys ignored
  const map = L.map('map', { center: MIDDLESBROUGH, zoom: START_ZOOM, maxZoom: 19 });
  if (AIM_TEST_HOOKS) window.aimMap = map;
  L.control.scale({ imperial: false }).addTo(map);

  // One pane per level fixes the drawing order whatever order the data arrives in:
  // neighbourhood fills, then ward outlines, then zone outlines (overlayPane is 400).
  map.createPane('aim-neighbourhood').style.zIndex = '410';
  map.createPane('aim-ward').style.zIndex = '420';
  map.createPane('aim-zone').style.zIndex = '430';
  // signed in: ward rate fills under the ward outlines, hotspot cells over them
  map.createPane('aim-rates').style.zIndex = '415';
  map.createPane('aim-hotspots').style.zIndex = '425';
  const layers = {
    neighbourhood: createNeighbourhoodLayer(L, { pane: 'aim-neighbourhood' }),
    ward: createWardLayer(L, { pane: 'aim-ward' }),
    zone: createZoneLayer(L, { pane: 'aim-zone' }),
  };
  const banner = createBanner(map, header);

  const [config, versions, user] = await Promise.all([
    api.getConfig().catch((error) => {
      errors.settings = `Map settings not loaded: ${error.message}`;
      return null;
    }),
    api.getBoundaryVersions().catch((error) => {
      errors.versions = `Boundary versions not loaded: ${error.message}`;
      return null;
    }),
    signedInUser(),
  ]);
  showErrors();
  showAccount(header, user, { onSignOut: signOut });
  // the first layers: a shared link's, else this role's remembered choice, else its default (layer-choice.js)
  const choice = createLayerChoice({ role: user?.role ?? null, view, storage: browserStorage() });
  // one legend for every layer on the map (legend.js); each layer adds its section below
  const legend = createMapLegend(L, map, { open: !isNarrow() });
  legend.add('wards', () => (map.hasLayer(layers.ward) ? wardLegend() : null), 90);
  legend.add('neighbourhoods', () => (map.hasLayer(layers.neighbourhood) ? neighbourhoodLegend(neighbourhoodsOf(layers.neighbourhood)) : null), 91);
  legend.add('zones', () => (map.hasLayer(layers.zone) ? zoneLegend() : null), 92);

  const basemap = createBasemap(L, config?.tiles);
  if (basemap) {
    basemap.addTo(map);
    map.setMaxZoom(basemap.options.maxZoom);
  }

  // Wards always; neighbourhoods and zones when the versions list has some (or, if
  // the list could not be loaded, the current neighbourhoods).
  const levels = ['ward'];
  if (!versions || versionsOfLevel(versions, 'neighbourhood').length > 0) levels.push('neighbourhood');
  if (versions && versionsOfLevel(versions, 'zone').length > 0) levels.push('zone');

  // undefined version = the server's current set
  const wardVersion = currentVersion(versions, 'ward');
  // A large ward set (a national one) is drawn from vector tiles, its neighbourhoods too (layers/boundary-tiles.js);
  // the borough's few dozen wards come as GeoJSON (labels, the rates choropleth, lists of wards)
  const tiled = wardsAsTiles(versions, wardVersion);
  const tiledLevel = (level) => tiled && (level === 'ward' || level === 'neighbourhood');
  if (tiled) {
    layers.ward = createBoundaryTileLayer(L, { level: 'ward', pane: 'aim-ward', getTile: api.getBoundaryTile, style: () => WARD_STYLE, held: true });
    layers.neighbourhood = createBoundaryTileLayer(L, {
      level: 'neighbourhood', pane: 'aim-neighbourhood', getTile: api.getBoundaryTile, popup: false, held: true,
      style: (p) => neighbourhoodStyle({ properties: p }),
    });
    if (AIM_TEST_HOOKS) window.aimBoundaryTiles = layers;
  }
  const wardLabels = createWardLabels(L, map, layers.ward); // ward names at borough zoom, with the wards overlay
  const state = {
    simplify: simplifyForZoom(map.getZoom()),
    version: {
      ward: wardVersion,
      neighbourhood: versions ? neighbourhoodVersionFor(versions, wardVersion) : undefined,
      zone: currentVersion(versions, 'zone'),
    },
    metas: {}, // level -> meta of the loaded set
    requests: { ward: 0, neighbourhood: 0, zone: 0 }, // to drop answers overtaken by a newer request
  };

  // The banner and boundary attributions follow the boundary layers on the map.
  function updateBanner() {
    banner.update(levels.filter((level) => map.hasLayer(layers[level])).map((level) => state.metas[level]));
  }
  map.on('overlayadd overlayremove', updateBanner);

  let analysis = null; // the hotspot panel (signed in), created with the other layers below
  let indicators = null; // the indicators panel inside it
  let wardNames = new Map();

  /** Loads one level with the current state; true once drawn, false on error or if overtaken. */
  async function load(level) {
    const request = ++state.requests[level];
    if (state.version[level] === null) {
      // nothing of this level goes with the chosen wards
      setLayerData(layers[level], { type: 'FeatureCollection', features: [] });
      delete state.metas[level];
      updateBanner();
      return true;
    }
    if (tiledLevel(level)) {
      // tiles: the layer asks for its version's tiles; its meta (attribution, demo) is the versions list's entry
      layers[level].setVersion(state.version[level]);
      state.metas[level] = versionsOfLevel(versions, level).find((v) => (state.version[level] ? v.version === state.version[level] : v.current));
      if (level === 'ward') {
        analysis?.setWards(NO_AREAS, state.version.ward);
        indicators?.setWards(NO_AREAS);
      }
      updateBanner();
      return true;
    }
    try {
      const data = await api.getBoundaries(level, { version: state.version[level], simplify: state.simplify });
      if (request !== state.requests[level]) return false;
      setLayerData(layers[level], data);
      if (level === 'ward') {
        analysis?.setWards(data, state.version.ward);
        indicators?.setWards(data);
        wardNames = new Map((data?.features ?? []).map((f) => [f.properties?.code, f.properties?.name]));
        wardLabels.refresh();
      }
      state.metas[level] = data.meta;
      updateBanner();
      if (level === 'neighbourhood') legend.update(); // the key names the neighbourhoods loaded
      errors[level] = null;
      showErrors();
      return true;
    } catch (error) {
      if (request !== state.requests[level]) return false;
      errors[level] = `${LEVEL_NAMES[level]} boundaries not loaded: ${error.message}`;
      showErrors();
      return false;
    }
  }

  function selectWardVersion(version) {
    state.version.ward = version;
    load('ward');
    const neighbourhoodVersion = neighbourhoodVersionFor(versions, version);
    if (levels.includes('neighbourhood') && neighbourhoodVersion !== state.version.neighbourhood) {
      state.version.neighbourhood = neighbourhoodVersion;
      load('neighbourhood');
    }
  }

  // Controls, top right: version picker above the layer switcher.
  if (versions) {
    createVersionControl(L, { versions, selected: wardVersion, onChange: selectWardVersion }).addTo(map);
  }
  const baseLayers = basemap ? { 'Base map': basemap, 'No base map': L.layerGroup() } : {};
  const overlays = { Neighbourhoods: layers.neighbourhood, Wards: layers.ward };
  if (levels.includes('zone')) overlays.Zones = layers.zone; // off by default
  layers.neighbourhood.addTo(map);
  layers.ward.addTo(map);
  const incidents = user
    ? await createIncidents(map, { legendChanged: () => legend.update(), period: () => analysis?.view() ?? {}, filters: roleIncidentFilters(user.role) })
    : null;
  if (incidents) {
    overlays.Incidents = incidents.layer;
    legend.add('incidents', incidents.legend, 30);
  }
  // the hotspot panel, rankings and ward profile: signed-in users only
  analysis = user
    ? createHotspotPanel(L, {
      map,
      aside: document.getElementById('aim-analysis'),
      api,
      Chart,
      panes: { rates: 'aim-rates', cells: 'aim-hotspots' },
      version: wardVersion,
      legend,
      firstLayers: () => ({ hotspots: choice.wants('hotspots'), rates: choice.wants('rates') }),
    })
    : null;
  if (analysis) {
    Object.assign(overlays, analysis.overlays);
    analysis.onChange(() => incidents?.periodChanged()); // the one period drives the incidents too
    analysis.applyView({ preset: rolePreset(user.role), method: view.method, cell: view.cell, grid: view.grid, from: view.from, to: view.to, categories: view.categories });
    analysis.start().catch((error) => {
      errors.hotspots = `Hotspots not available: ${error.message}`;
      showErrors();
    });
    layers.ward.on('click', (event) => analysis.showWard(event.layer?.feature?.properties?.code, { zoom: false }));
    // indicators: the performance framework table, its choropleth and the survey waves in the ward profile
    indicators = createIndicatorsPanel(L, {
      map,
      container: document.getElementById('aim-analysis-body'),
      api,
      pane: 'aim-rates',
      shownWard: () => analysis.shownWard(),
      wardNames: () => wardNames,
      versions,
      user,
    });
    Object.assign(overlays, indicators.overlays);
    legend.add('indicator', indicators.legend, 20);
  } else {
    if (AIM_TEST_HOOKS) window.aimHotspots = { enabled: false };
  }
  // community assets: layer, search, coverage and gaps; planner tools for planners and admins (window.aimAssets)
  const assetPanel = createAssetPanel(L, { map, api, user, wards: layers.ward, wants: choice.wants });
  if (assetPanel) {
    Object.assign(overlays, assetPanel.overlays);
    for (const { key, section, rank } of assetPanel.legends) legend.add(key, section, rank);
  }
  // the meeting loop: problem places and the problems panel (window.aimProblems)
  const problems = createProblemsPanel(L, {
    map,
    header,
    api,
    user,
    hotspots: analysis,
    wards: layers.ward,
    neighbourhoods: layers.neighbourhood,
    currentWard: () => analysis?.shownWard() ?? null,
    onView: () => viewLink.update(),
  });
  if (problems) {
    Object.assign(overlays, problems.overlays);
    problems.layer.addTo(map);
    legend.add('problems', problems.legend, 25);
  }
  L.control.layers(baseLayers, overlays).addTo(map);
  const viewLink = createViewLink({ map, header, overlays, hotspots: analysis, problems });
  if (user) createPlaceSearch(L, { map, getPlaces: api.getPlaces, onChosen: () => viewLink.update() }).control.addTo(map);
  choice.attach({ map, overlays, panelShown: () => analysis?.layersShown() ?? true });
  // presentation mode and print: the caption (what is shown, the period) over the map
  const presentation = createPresentation({ map, header, view: viewLink.collect });
  analysis?.onChange(() => presentation.update());
  layers.ward.on('click', () => setTimeout(viewLink.update)); // after the profile has switched

  // First load: everything at once; then fit the map to the wards.
  levels.filter((level) => level !== 'ward').forEach(load);
  if (!(await load('ward'))) {
    if (AIM_TEST_HOOKS) window.aimError = errors.ward;
    return;
  }
  if (tiled) {
    // the extent of the shown ward set, from its TileJSON (one small answer)
    const b = await api.getTileJson('wards', { version: state.version.ward }).then((j) => j.bounds, () => null);
    if (b) layers.ward.setBounds(L.latLngBounds([b[1], b[0]], [b[3], b[2]]));
  }
  const bounds = layers.ward.getBounds();
  if (view.lat !== null) map.setView([view.lat, view.lon], view.z ?? START_ZOOM, { animate: false });
  else if (bounds.isValid()) map.fitBounds(bounds, { animate: false, ...panelPadding(map, 8) }); // clear of overlaid panels
  if (tiled) levels.filter(tiledLevel).forEach((level) => layers[level].release()); // their tiles at the fitted view, once
  if (view.ward) analysis?.showWard(view.ward, { zoom: false });
  if (view.problem) problems?.open(view.problem, { zoom: view.lat === null, evaluate: view.evaluate });
  viewLink.start();

  // Finer or coarser geometry when the zoom crosses a simplification step.
  const reloadForZoom = () => {
    const tolerance = simplifyForZoom(map.getZoom());
    if (tolerance === state.simplify) return null;
    state.simplify = tolerance;
    return Promise.all(levels.filter((level) => !tiledLevel(level)).map(load));
  };
  await reloadForZoom(); // the fit may have changed the zoom: redraw before declaring ready
  map.on('zoomend', reloadForZoom);
  if (AIM_TEST_HOOKS) window.aimReady = true;
  if (incidents) incidents.start();
  else if (AIM_TEST_HOOKS) window.aimIncidents = { enabled: false, ready: true, ids: () => [] };
}

/** GET /api/me, asked only when this browser may be signed in (see session-hint.js). */
async function signedInUser() {
  if (!savedUser()) return null;
  try {
    const user = await api.getMe();
    saveUser(user);
    return user;
  } catch {
    return null; // the map still works signed out
  }
}

async function signOut() {
  try {
    await api.logOut();
  } finally {
    forgetUser();
  }
}

/** Test build only: window.aimRequests lists the path and query of every fetch the page made. */
function countRequests() {
  window.aimRequests = [];
  const fetch = window.fetch;
  window.fetch = (input, init) => {
    window.aimRequests.push(String(input?.url ?? input));
    return fetch(input, init);
  };
}

/**
 * The incidents overlay for a signed-in user, at any scale, from the server's vector tiles
 * (layers/incident-tiles.js): counts per square cell in the view below zoom 14, clustered markers from
 * it (popups read GET /api/incidents/{id}), the filter panel, loading by map view (the tiles of the
 * view padded by half, reloaded when the map leaves it or the zoom changes while counts are shown)
 * and a poll every 30 s (the same tiles, revalidated by ETag).
 * null when the taxonomy cannot be loaded. `legendChanged()` after the legend section changed;
 * `period()` the map's one period ({from, to}: the hotspot panel's), `filters` the role's first filters
 * (layer-choice.js roleIncidentFilters); periodChanged() reloads when that period has changed.
 *
 * Test build only: window.aimIncidents = {enabled, ready (after the first load), mode(), ids(),
 * cells(), reload(), poll(), open(id)}.
 */
async function createIncidents(map, { legendChanged = () => {}, period = () => ({}), filters: first = {} } = {}) {
  let taxonomy;
  try {
    taxonomy = await api.getCategories();
  } catch (error) {
    errors.incidents = `Incidents not available: ${error.message}`;
    showErrors();
    return null;
  }
  const groups = new Map((taxonomy.categories ?? []).map((c) => [c.code, c.group]));
  const incidents = createIncidentLayer(L, { groupOf: (code) => groups.get(code) ?? null, taxonomy, details: api.getIncident });
  const counts = createCountLayer(L, { map });
  const overlay = L.layerGroup([incidents.layer, counts.layer]); // "Incidents" in the layer control
  let loadedBounds = null;
  let filters = defaultFilters(first);
  const periodOf = () => ({ from: period().from ?? '', to: period().to ?? '' });
  let asked = periodOf(); // the period of the last reload
  const panel = createIncidentFilterControl(L, {
    taxonomy,
    filters,
    onChange(next) {
      filters = next;
      reload();
    },
  });
  function onStatus(status) {
    panel.status(status);
    errors.incidents = status.error ? `Incidents not loaded: ${status.error}` : null;
    showErrors();
    legendChanged();
  }
  // from the server's vector tiles (layers/incident-tiles.js): counts per square below zoom 14, points from it
  const scaled = createTileFeed({ getTile: api.getIncidentTile, layer: incidents, counts, onStatus });
  let ready = false; // after the first load
  let started = false;
  if (AIM_TEST_HOOKS) {
    window.aimIncidents = {
      enabled: true,
      get ready() {
        return ready;
      },
      ids: incidents.ids,
      mode: () => scaled.mode(),
      cells: counts.cells,
      poll: () => scaled.poll(),
      open: incidents.open,
      reload: () => reload(),
    };
  }

  async function reload() {
    const bounds = map.getBounds().pad(0.5);
    loadedBounds = bounds;
    asked = periodOf();
    const done = await scaled.reload({ ...filters, ...asked }, [[bounds.getSouth(), bounds.getWest()], [bounds.getNorth(), bounds.getEast()]], map.getZoom());
    if (done) ready = true;
    return done;
  }
  const onMap = () => map.hasLayer(overlay);
  overlay.addTo(map);
  map.on('overlayadd', (event) => {
    if (event.layer !== overlay) return;
    panel.control.addTo(map);
    reload();
  });
  map.on('overlayremove', (event) => {
    if (event.layer === overlay) panel.control.remove();
  });
  return {
    layer: overlay,
    /** The legend section while on the map: the counts' classes, or the markers' letters and cluster badges. */
    legend: () => {
      if (!onMap()) return null;
      if (scaled.mode() === 'counts') return counts.cell() ? countsLegend(counts.cell(), counts.classes()) : null;
      return incidentLegend(filterGroups(taxonomy).map((g) => g.group));
    },
    /** Reloads when the map's period is not the one loaded. */
    periodChanged() {
      const now = periodOf();
      if (started && onMap() && (now.from !== asked.from || now.to !== asked.to)) reload();
    },
    start() {
      started = true;
      // off in this view: loaded when it is turned on (overlayadd)
      if (onMap()) {
        panel.control.addTo(map);
        reload();
      }
      map.on('moveend', () => {
        if (!onMap()) return;
        const inside = Boolean(loadedBounds?.contains(map.getBounds()));
        if (needsTileReload(scaled.loaded(), { zoom: map.getZoom(), inside })) reload();
      });
      setInterval(() => {
        if (onMap() && document.visibilityState === 'visible') scaled.poll();
      }, POLL_MS);
    },
  };
}

start().catch((error) => {
  if (AIM_TEST_HOOKS) window.aimError = error.message;
  errors.start = `The map failed to start: ${error.message}`;
  showErrors();
});
