// `L` with L.markerClusterGroup (see leaflet.js for why it goes through a global).
import L from './leaflet.js';
import 'leaflet.markercluster';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';

if (typeof L.markerClusterGroup !== 'function') throw new Error('leaflet.markercluster did not load');

export default L;
