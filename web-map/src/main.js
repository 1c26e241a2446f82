// Wiring: fetch the settings and boundary versions, create the map, add the layers
// and panels, load the boundaries. Logic worth testing lives in the other modules.
//
// Browser tests rely on: window.aimMap (the L.Map), window.aimReady (true once the
// first ward layer is drawn), window.aimError (message if that failed), CSS classes
// aim-ward / aim-neighbourhood on the polygons, .ward-name in the popup.

import * as L from 'leaflet/dist/leaflet-src.esm.js';
import 'leaflet/dist/leaflet.css';
import './app.css';
import * as api from './api.js';
import { simplifyForZoom } from './simplify.js';
import { createBasemap } from './layers/basemap.js';
import { setLayerData } from './layers/common.js';
import { createNeighbourhoodLayer } from './layers/neighbourhoods.js';
import { createWardLayer } from './layers/wards.js';
import { createZoneLayer } from './layers/zones.js';
import { createBanner } from './panels/banner.js';
import { createVersionControl, currentVersion, neighbourhoodVersionFor, versionsOfLevel } from './panels/version.js';

const MIDDLESBROUGH = [54.555, -1.235]; // shown until the wards are loaded
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
    element = document.createElement('span');
    element.id = 'aim-message';
    element.setAttribute('role', 'alert');
    header.appendChild(element);
  }
  element.textContent = text;
}

async function start() {
  const map = L.map('map', { center: MIDDLESBROUGH, zoom: START_ZOOM, maxZoom: 19 });
  window.aimMap = map;
  L.control.scale({ imperial: false }).addTo(map);

  // One pane per level fixes the drawing order whatever order the data arrives in:
  // neighbourhood fills, then ward outlines, then zone outlines (overlayPane is 400).
  map.createPane('aim-neighbourhood').style.zIndex = '410';
  map.createPane('aim-ward').style.zIndex = '420';
  map.createPane('aim-zone').style.zIndex = '430';
  const layers = {
    neighbourhood: createNeighbourhoodLayer(L, { pane: 'aim-neighbourhood' }),
    ward: createWardLayer(L, { pane: 'aim-ward' }),
    zone: createZoneLayer(L, { pane: 'aim-zone' }),
  };
  const banner = createBanner(map, header);

  const [config, versions] = await Promise.all([
    api.getConfig().catch((error) => {
      errors.settings = `Map settings not loaded: ${error.message}`;
      return null;
    }),
    api.getBoundaryVersions().catch((error) => {
      errors.versions = `Boundary versions not loaded: ${error.message}`;
      return null;
    }),
  ]);
  showErrors();

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
    try {
      const data = await api.getBoundaries(level, { version: state.version[level], simplify: state.simplify });
      if (request !== state.requests[level]) return false;
      setLayerData(layers[level], data);
      state.metas[level] = data.meta;
      updateBanner();
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
  L.control.layers(baseLayers, overlays).addTo(map);

  // First load: everything at once; then fit the map to the wards.
  levels.filter((level) => level !== 'ward').forEach(load);
  if (!(await load('ward'))) {
    window.aimError = errors.ward;
    return;
  }
  const bounds = layers.ward.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { animate: false, padding: [8, 8] });

  // Finer or coarser geometry when the zoom crosses a simplification step.
  const reloadForZoom = () => {
    const tolerance = simplifyForZoom(map.getZoom());
    if (tolerance === state.simplify) return null;
    state.simplify = tolerance;
    return Promise.all(levels.map(load));
  };
  await reloadForZoom(); // the fit may have changed the zoom: redraw before declaring ready
  map.on('zoomend', reloadForZoom);
  window.aimReady = true;
}

start().catch((error) => {
  window.aimError = error.message;
  errors.start = `The map failed to start: ${error.message}`;
  showErrors();
});
