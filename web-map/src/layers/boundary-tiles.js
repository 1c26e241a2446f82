// A large boundary set (a national ward set: 7,600 wards) drawn from the server's vector tiles
// (GET /tiles/wards|neighbourhoods/{z}/{x}/{y}.mvt?version=, Mapbox Vector Tiles simplified per zoom), so the
// map never downloads every outline (England's wards are 15–18 MB of GeoJSON). Each 256 px tile is
// decoded by @mapbox/vector-tile and drawn on a canvas; a click finds the area under the pointer in the
// tile's own features (even-odd rule on its rings) and the layer fires 'click' with {latlng, layer:
// {feature: {properties: {code, name, version}}}}, as an L.GeoJSON layer does, so the ward profile opens.
// Boundary tiles are public and kept by the browser for five minutes: each is fetched once.
//
// The rule (wardsAsTiles), paths, decoding and the hit test are pure and unit-tested.

import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { escapeHtml } from '../html.js';

/** A ward set with more areas than this is drawn from tiles (a borough or a city has a few dozen to 150). */
export const LARGE_SET = 500;
/** Tile extent in MVT units (aim.tiles.TileRepository.EXTENT). */
const EXTENT = 4096;
const LAYER_IDS = { ward: 'wards', neighbourhood: 'neighbourhoods' };

/**
 * Whether the map draws its boundaries from tiles: the ward set shown (`wardVersion`, else the current
 * one) has more than LARGE_SET areas by /api/boundaries/versions (its featureCount).
 */
export function wardsAsTiles(versions, wardVersion) {
  const wards = (versions ?? []).filter((v) => v?.level === 'ward');
  const shown = wardVersion ? wards.find((v) => v.version === wardVersion) : wards.find((v) => v.current);
  return Number.isFinite(shown?.featureCount) && shown.featureCount > LARGE_SET;
}

/** The path of a boundary tile of `level` (ward or neighbourhood) and `version` (undefined: the current set). */
export function boundaryTilePath(level, version, { z, x, y }) {
  const id = LAYER_IDS[level];
  if (!id) throw new Error(`No boundary tiles for level ${level}`);
  return `/tiles/${id}/${z}/${x}/${y}.mvt${version ? `?${new URLSearchParams({ version })}` : ''}`;
}

/**
 * The areas of a boundary tile: [{properties: {code, name, version}, rings: [[[x, y], …], …]}] with the
 * rings in pixels of a `size` px tile; none for an empty tile.
 */
export function decodeBoundaryTile(buffer, level, size = 256) {
  if (!buffer || buffer.byteLength === 0) return [];
  const layer = new VectorTile(new PbfReader(new Uint8Array(buffer))).layers[LAYER_IDS[level]];
  if (!layer) return [];
  const scale = size / (layer.extent || EXTENT);
  const areas = [];
  for (let k = 0; k < layer.length; k += 1) {
    const feature = layer.feature(k);
    const rings = feature.loadGeometry().map((ring) => ring.map((p) => [p.x * scale, p.y * scale]));
    areas.push({ properties: { ...feature.properties }, rings });
  }
  return areas;
}

/** Whether the point (x, y) is inside the rings by the even-odd rule (holes are rings too). */
export function insideRings(rings, x, y) {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The area of `areas` (decodeBoundaryTile) holding the tile pixel (x, y), or null. */
export function areaAt(areas, x, y) {
  return areas.find((a) => insideRings(a.rings, x, y)) ?? null;
}

/** Popup HTML of a tiled area (its name and code; every value HTML-escaped). */
export function tiledAreaPopupHtml(properties) {
  const p = properties || {};
  return `<div class="aim-popup"><h3 class="ward-name">${escapeHtml(p.name ?? 'Unnamed area')}</h3>`
    + `<table><tr><th>Code</th><td>${escapeHtml(p.code ?? '—')}</td></tr></table></div>`;
}

/**
 * A Leaflet layer drawing `level`'s boundaries of `version` from tiles. style(properties) -> {color,
 * weight, opacity, fillColor, fillOpacity}. getTile(path) -> ArrayBuffer | null (api.getBoundaryTile).
 * With `held`, no tile is asked for until release(). Besides the GridLayer's methods: release(), setVersion(version),
 * setBounds(latLngBounds), getBounds(), eachLayer()
 * (no area layers: lists built from a GeoJSON layer's areas stay empty), tiled: true.
 */
export function createBoundaryTileLayer(L, { level, version, getTile, style, pane, popup = true, held = false }) {
  const Layer = L.GridLayer.extend({
    // held: no tile is asked for until release() (main.js releases the layers once the map is fitted to the wards)
    _update(centre) {
      if (this.options.held) return;
      L.GridLayer.prototype._update.call(this, centre);
    },
    createTile(coords, done) {
      const size = this.getTileSize();
      const canvas = L.DomUtil.create('canvas', 'aim-boundary-tile');
      canvas.width = size.x;
      canvas.height = size.y;
      const key = this._tileCoordsToKey(coords);
      getTile(boundaryTilePath(level, this.options.version, coords))
        .then((buffer) => {
          const areas = decodeBoundaryTile(buffer, level, size.x);
          this._areas.set(key, areas);
          draw(canvas.getContext('2d'), areas, style);
          done(null, canvas);
        })
        .catch((error) => done(error, canvas));
      return canvas;
    },
  });
  const layer = new Layer({ pane, version, held, updateWhenZooming: false, keepBuffer: 1 });
  layer._areas = new Map(); // tile key -> areas
  layer.tiled = true;
  let bounds = null;
  layer.on('tileunload', (event) => layer._areas.delete(layer._tileCoordsToKey(event.coords)));

  function onClick(event) {
    const map = layer._map;
    if (!map) return;
    const size = layer.getTileSize();
    const zoom = layer._tileZoom ?? Math.round(map.getZoom());
    const p = map.project(event.latlng, zoom);
    const coords = L.point(Math.floor(p.x / size.x), Math.floor(p.y / size.y));
    coords.z = zoom;
    const areas = layer._areas.get(layer._tileCoordsToKey(coords));
    const area = areas && areaAt(areas, p.x - coords.x * size.x, p.y - coords.y * size.y);
    if (!area) return;
    const feature = { type: 'Feature', properties: area.properties };
    if (popup) L.popup({ maxWidth: 260 }).setLatLng(event.latlng).setContent(tiledAreaPopupHtml(area.properties)).openOn(map);
    layer.fire('click', { latlng: event.latlng, layer: { feature } });
  }
  layer.on('add', () => layer._map.on('click', onClick));
  layer.onRemove = function onRemove(map) {
    map.off('click', onClick);
    L.GridLayer.prototype.onRemove.call(this, map);
  };
  layer.setVersion = (next) => {
    if (next === layer.options.version) return layer;
    layer.options.version = next;
    layer._areas.clear();
    return layer.redraw();
  };
  layer.release = () => {
    if (!layer.options.held) return layer;
    layer.options.held = false;
    if (layer._map) layer._update();
    return layer;
  };
  layer.setBounds = (next) => {
    bounds = next;
    return layer;
  };
  layer.getBounds = () => bounds ?? L.latLngBounds([]);
  layer.eachLayer = () => layer;
  return layer;
}

/** Draws the areas (pixel rings) on a tile's canvas: each filled, then outlined. */
function draw(context, areas, style) {
  for (const area of areas) {
    const s = style(area.properties);
    context.beginPath();
    for (const ring of area.rings) {
      ring.forEach(([x, y], k) => (k === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
      context.closePath();
    }
    if (s.fillOpacity > 0) {
      context.globalAlpha = s.fillOpacity;
      context.fillStyle = s.fillColor ?? s.color;
      context.fill('evenodd');
    }
    context.globalAlpha = s.opacity ?? 1;
    context.strokeStyle = s.color;
    context.lineWidth = s.weight ?? 1;
    context.stroke();
  }
  context.globalAlpha = 1;
}
