// The map view in the address bar and the "Copy link" button (#aim-copy-link, in the header): the
// view (centre, zoom, the overlays on the map, the hotspot method, cell, period and categories, the
// ward profile and the problem shown; view-url.js) is written with history.replaceState whenever it
// changes, so the address is always a link to what is on the screen.

import { el } from '../dom.js';
import { LAYER_TITLES, encodeView, viewLink } from '../view-url.js';

/**
 * deps: {map, header, overlays (title -> layer), hotspots (panel or null), problems (panel or null)}.
 * Returns {update(), restoreLayers(view), collect()}.
 */
export function createViewLink({ map, header, overlays, hotspots, problems }) {
  function collect() {
    const centre = map.getCenter();
    const layers = Object.entries(LAYER_TITLES)
      .filter(([, title]) => overlays[title] && map.hasLayer(overlays[title]))
      .map(([name]) => name);
    return {
      lat: centre.lat,
      lon: centre.lng,
      z: map.getZoom(),
      layers,
      ...(hotspots?.view() ?? {}),
      ward: hotspots?.shownWard() ?? null,
      problem: problems?.shownId() ?? null,
      evaluate: problems?.evaluating?.() ?? null,
    };
  }

  let enabled = false; // not before the view is restored (the first fit would overwrite a shared link)
  function update() {
    if (!enabled) return;
    const query = encodeView(collect());
    const next = `${window.location.pathname}${query}`;
    if (`${window.location.pathname}${window.location.search}` !== next) window.history.replaceState(window.history.state, '', next);
  }

  /** Puts the overlays named in view.layers on the map and takes the others off (no layers key: as they are). */
  function restoreLayers(view) {
    if (!view.layers) return;
    for (const [name, title] of Object.entries(LAYER_TITLES)) {
      const layer = overlays[title];
      if (!layer) continue;
      if (view.layers.includes(name)) layer.addTo(map);
      else map.removeLayer(layer);
    }
  }

  const copy = el('button', 'aim-copy-link', 'Copy link');
  copy.type = 'button';
  copy.id = 'aim-copy-link';
  copy.title = 'Copy a link to this map view';
  copy.addEventListener('click', async () => {
    const link = viewLink(window.location.origin, collect());
    copy.dataset.link = link;
    try {
      await navigator.clipboard.writeText(link);
      copy.textContent = 'Link copied';
    } catch {
      window.prompt('Copy this link:', link);
    }
    setTimeout(() => {
      copy.textContent = 'Copy link';
    }, 2000);
  });
  header.append(copy);

  map.on('moveend overlayadd overlayremove', update);
  hotspots?.onChange(() => update());
  return {
    collect,
    restoreLayers,
    update,
    /** Starts writing the address (after the view from the link has been applied). */
    start() {
      enabled = true;
      update();
    },
  };
}
