// Base map tiles from /api/config. The map must stay usable without tiles (an offline
// machine): the map background is a light neutral colour (app.css), and a tile that
// fails to load is hidden without any message.

import { escapeHtml } from '../html.js';

/**
 * Tile layer settings from the config's `tiles` object, or null for "no base map"
 * (no tiles object, or an empty url). The attribution is treated as plain text.
 */
export function basemapSettings(tiles) {
  if (!tiles || typeof tiles.url !== 'string' || tiles.url.trim() === '') return null;
  const maxZoom = Number.isInteger(tiles.maxZoom) && tiles.maxZoom > 0 ? tiles.maxZoom : 19;
  return {
    url: tiles.url,
    options: { attribution: escapeHtml(tiles.attribution ?? ''), maxZoom },
  };
}

/** An L.TileLayer, or null when there is no base map. */
export function createBasemap(L, tiles) {
  const settings = basemapSettings(tiles);
  if (!settings) return null;
  const layer = L.tileLayer(settings.url, settings.options);
  layer.on('tileerror', (event) => {
    event.tile.style.visibility = 'hidden';
  });
  return layer;
}
