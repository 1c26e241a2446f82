// Leaflet with the marker-cluster plugin, for the map page. leaflet.markercluster is a UMD
// script that extends the global `L`; Leaflet's ES-module namespace cannot be extended, so a
// plain copy of it is made global first, and the plugin adds L.markerClusterGroup to that copy
// (the classes are Leaflet's own). Import `L` from here, not from leaflet, where clusters are needed.

import * as Leaflet from 'leaflet/dist/leaflet-src.esm.js';

const L = { ...Leaflet };
globalThis.L = L;

export default L;
