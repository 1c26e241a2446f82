// The analyst's incidents from the server's vector tiles (GET /tiles/incidents/{z}/{x}/{y}.mvt, Mapbox
// Vector Tiles decoded by @mapbox/vector-tile and pbf), so the browser never downloads every incident of
// a large area: below zoom POINTS_ZOOM each tile holds counts per square cell (kind=cell: i, j, count,
// cell_m), from it one point per incident (kind=point: id, category, source, occurred_at, …), the
// caller's redaction applied by the server. The tiles of the view are merged (a cell at a tile's edge
// is in both tiles with its whole count; a point in a tile's buffer likewise) and handed to the same
// layers the JSON feed used: counts (layers/incident-counts.js) or the clustered markers
// (layers/incidents.js, whose popups read the incident's details from GET /api/incidents/{id}).
//
// Pure parts (tile ranges, paths, decoding, merging, the reload rule) are unit-tested; createTileFeed
// takes the api function and the layers as arguments, so it is tested with fakes too.

import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { incidentQuery } from '../panels/incident-filters.js';
import { countsStatus, pointsStatus } from './incident-scale.js';

/** From this zoom on the server's tiles hold points (aim.tiles.TileRepository.POINTS_ZOOM). */
export const POINTS_ZOOM = 14;
/** Most tiles one view loads (a padded view of a large screen is about 60 at one zoom). */
export const MAX_TILES = 120;

/** The square (metres) the server counts incidents on at a zoom below POINTS_ZOOM (aim.tiles.TileRepository.cellForZoom). */
export function tileCell(zoom) {
  const z = Math.round(zoom);
  if (z <= 9) return 2000;
  if (z <= 11) return 1000;
  if (z === 12) return 500;
  return 250;
}

/** The tiles {z, x, y} at integer `zoom` covering the box [[south, west], [north, east]] (degrees). */
export function tileRange(bbox, zoom) {
  const z = Math.max(0, Math.round(zoom));
  const n = 2 ** z;
  const [[south, west], [north, east]] = bbox;
  const column = (lon) => Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
  const row = (lat) => {
    const r = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
    return Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)));
  };
  const tiles = [];
  for (let x = column(west); x <= column(east); x += 1) {
    for (let y = row(north); y <= row(south); y += 1) tiles.push({ z, x, y });
  }
  return tiles;
}

/** The path of an incident tile with the filters' query (period, categories, sources), or null when they match nothing. */
export function tilePath(filters, { z, x, y }) {
  const query = incidentQuery(filters);
  if (query === null) return null;
  return `/tiles/incidents/${z}/${x}/${y}.mvt${query ? `?${query}` : ''}`;
}

/** The GeoJSON features (WGS84) of the tile's `incidents` layer; none for an empty tile (null or no bytes). */
export function decodeTile(buffer, { z, x, y }) {
  if (!buffer || buffer.byteLength === 0) return [];
  const layer = new VectorTile(new PbfReader(new Uint8Array(buffer))).layers.incidents;
  if (!layer) return [];
  const features = [];
  for (let k = 0; k < layer.length; k += 1) features.push(layer.feature(k).toGeoJSON(x, y, z));
  return features;
}

/**
 * The tiles' features merged: {mode: 'points', features} (each incident once, by id, as a GeoJSON Point
 * with `id`) or {mode: 'counts', collection, cell, count} (each cell once, by i and j).
 */
export function mergeTiles(featureLists, zoom) {
  if (zoom >= POINTS_ZOOM) {
    const byId = new Map();
    for (const list of featureLists) {
      for (const f of list) {
        const id = f?.properties?.id;
        if (f?.properties?.kind !== 'point' || !Number.isFinite(id) || byId.has(id)) continue;
        byId.set(id, { type: 'Feature', id, geometry: f.geometry, properties: { ...f.properties } });
      }
    }
    return { mode: 'points', features: [...byId.values()] };
  }
  const byCell = new Map();
  let cell = tileCell(zoom); // also for a view without any incident: the legend still names the square
  for (const list of featureLists) {
    for (const f of list) {
      const p = f?.properties ?? {};
      if (p.kind !== 'cell' || !Number.isFinite(p.count)) continue;
      cell = p.cell_m ?? cell;
      const key = `${p.i},${p.j}`;
      if (!byCell.has(key)) byCell.set(key, { type: 'Feature', geometry: f.geometry, properties: { i: p.i, j: p.j, count: p.count } });
    }
  }
  const features = [...byCell.values()];
  const count = features.reduce((sum, f) => sum + f.properties.count, 0);
  return { mode: 'counts', collection: { type: 'FeatureCollection', features }, cell, count };
}

/**
 * Whether what is loaded no longer serves the view: it left the loaded box, the zoom changed while
 * counts are shown, or the map zoomed out below POINTS_ZOOM from points (points of the box serve any
 * zoom from POINTS_ZOOM on).
 */
export function needsTileReload(loaded, { zoom, inside }) {
  if (!loaded || !inside) return true;
  if (loaded.mode === 'points') return zoom < POINTS_ZOOM;
  return Math.round(zoom) !== loaded.zoom;
}

/**
 * Loads the view's tiles into the layers. reload(filters, bbox, zoom): every tile of the box at the
 * zoom (getTile(path) -> ArrayBuffer | null for an empty tile), then either counts.set(collection, cell)
 * and the points cleared, or layer.setFeatures(points) and the counts cleared; an answer overtaken by a
 * newer reload is dropped. poll(): the same tiles again (the browser revalidates them with their ETag,
 * so unchanged tiles cost a 304). onStatus({mode, text, count, truncated, error}); mode() and loaded()
 * as layers/incident-scale.js createScaledFeed.
 */
export function createTileFeed({ getTile, layer, counts, onStatus = () => {}, maxTiles = MAX_TILES }) {
  let request = 0;
  let mode = null;
  let loaded = null; // {zoom, filters, bbox, mode}

  async function reload(filters, bbox, zoom) {
    const mine = ++request;
    const z = Math.round(zoom);
    loaded = { zoom: z, filters, bbox, mode: z >= POINTS_ZOOM ? 'points' : 'counts' };
    const tiles = tileRange(bbox, z);
    if (tilePath(filters, tiles[0] ?? { z, x: 0, y: 0 }) === null) {
      counts.clear();
      layer.setFeatures([]);
      mode = loaded.mode;
      onStatus({ mode, count: 0, truncated: false, error: null, text: pointsStatus({ count: 0, truncated: false }) });
      return true;
    }
    const truncated = tiles.length > maxTiles;
    let lists;
    try {
      lists = await Promise.all(tiles.slice(0, maxTiles).map(async (t) => decodeTile(await getTile(tilePath(filters, t)), t)));
    } catch (error) {
      if (mine !== request) return false;
      onStatus({ mode, count: null, truncated: false, error: error.message });
      return false;
    }
    if (mine !== request) return false;
    const merged = mergeTiles(lists, z);
    // no incident in view: the points' legend and status (as for a view of few incidents), not an empty scale
    mode = merged.mode === 'counts' && merged.count === 0 ? 'points' : merged.mode;
    if (mode === 'points') {
      if (merged.mode === 'counts') merged.features = [];
      counts.clear();
      layer.setFeatures(merged.features);
      const count = merged.features.length;
      onStatus({ mode, count, truncated, error: null, text: pointsStatus({ count, truncated }) });
    } else {
      layer.setFeatures([]);
      counts.set(merged.collection, merged.cell);
      onStatus({ mode, count: merged.count, truncated, error: null, text: countsStatus({ count: merged.count, cell: merged.cell, zoom: z }) });
    }
    return true;
  }

  return {
    reload,
    mode: () => mode,
    loaded: () => loaded && { ...loaded },
    /** The view's tiles again: new incidents appear, unchanged tiles answer 304. */
    async poll() {
      if (!loaded) return 0;
      const before = layer.ids().length;
      await reload(loaded.filters, loaded.bbox, loaded.zoom);
      return Math.max(0, layer.ids().length - before);
    },
  };
}
