// Place and postcode search (top left, under the zoom buttons), like police.uk's: one box that finds the
// current wards, neighbourhoods, zones and LSOAs by name or code, and the gazetteer's postcodes, streets
// and places (GET /api/places). Choosing a result zooms the map to it; the view link follows the map
// (view-link.js listens to moveend), so the URL stays right.
//
// The pure parts (placeQueryReady, placeLabel, placeView) are unit-tested; createPlaceSearch is the DOM.

import { el } from '../dom.js';

const KIND_NAMES = {
  ward: 'Ward',
  neighbourhood: 'Neighbourhood',
  zone: 'Zone',
  lsoa: 'LSOA',
  postcode: 'Postcode',
  'postcode-district': 'Postcode district',
  street: 'Street',
  place: 'Place',
};
/** Zoom for a result that is a point (a postcode): street level. */
export const POINT_ZOOM = 17;
/** Never closer than this when fitting a result's box (a small street or LSOA). */
export const MAX_FIT_ZOOM = 17;
const WAIT_MS = 250; // typing pause before asking

/** Whether the text is worth a search: 2 to 100 characters once trimmed. */
export function placeQueryReady(text) {
  const t = String(text ?? '').trim();
  return t.length >= 2 && t.length <= 100;
}

/** {title, detail} of a result: 'Linthorpe', 'Ward · E05001234'; 'TS1 2AB', 'Postcode · Middlesbrough'. */
export function placeLabel(place) {
  const kind = KIND_NAMES[place?.kind] ?? 'Place';
  const extra = [place?.code && place.code !== place?.name ? place.code : null, place?.context].filter(Boolean);
  return { title: String(place?.name ?? ''), detail: [kind, ...extra].join(' · ') };
}

/**
 * How the map shows a result: {bounds: [[south, west], [north, east]], maxZoom} for a box, or
 * {centre: [lat, lon], zoom} for a point (a postcode, or a box of no size). null without coordinates.
 */
export function placeView(place) {
  const b = place?.bbox;
  if (Array.isArray(b) && b.length === 4 && b.every(Number.isFinite) && (b[2] > b[0] || b[3] > b[1])) {
    return { bounds: [[b[1], b[0]], [b[3], b[2]]], maxZoom: MAX_FIT_ZOOM };
  }
  const c = place?.centre;
  if (Array.isArray(c) && c.length === 2 && c.every(Number.isFinite)) return { centre: [c[1], c[0]], zoom: POINT_ZOOM };
  return null;
}

/**
 * The search box as a Leaflet control: form#place-search with input#place-search-input and a list
 * #place-search-results of buttons (.place-result). Enter picks the first result. `getPlaces(q)` is the
 * API call; `onChosen(place)` after the map has moved to a chosen place.
 */
export function createPlaceSearch(L, { map, getPlaces, onChosen = () => {}, position = 'topleft' }) {
  const control = L.control({ position });
  let results = [];
  let request = 0;
  let timer = null;
  control.onAdd = () => {
    const form = el('form', 'leaflet-bar aim-place-search');
    form.id = 'place-search';
    form.setAttribute('role', 'search');
    const label = el('label', 'aim-visually-hidden', 'Search for a place or postcode');
    label.htmlFor = 'place-search-input';
    const input = el('input');
    input.id = 'place-search-input';
    input.type = 'search';
    input.placeholder = 'Place or postcode';
    input.autocomplete = 'off';
    input.setAttribute('aria-controls', 'place-search-results');
    const list = el('ul', 'aim-place-results');
    list.id = 'place-search-results';
    list.hidden = true;
    const status = el('p', 'aim-place-status');
    status.setAttribute('role', 'status');
    form.append(label, input, list, status);

    function choose(place) {
      const view = placeView(place);
      if (!view) return;
      if (view.bounds) map.fitBounds(view.bounds, { maxZoom: view.maxZoom, animate: false });
      else map.setView(view.centre, view.zoom, { animate: false });
      list.hidden = true;
      input.value = place.name;
      status.textContent = `Showing ${placeLabel(place).detail.split(' · ')[0].toLowerCase()} ${place.name}`;
      onChosen(place);
    }

    function show(answer) {
      results = answer?.places ?? [];
      list.replaceChildren(
        ...results.map((place, k) => {
          const { title, detail } = placeLabel(place);
          const item = el('li');
          const button = el('button', 'place-result');
          button.type = 'button';
          button.dataset.kind = place.kind;
          button.dataset.index = String(k);
          button.append(el('span', 'place-result-name', title), el('span', 'place-result-detail', detail));
          if (place.licence) button.title = place.licence;
          button.addEventListener('click', () => choose(place));
          item.append(button);
          return item;
        }),
      );
      list.hidden = results.length === 0;
      status.textContent = results.length === 0 ? 'No place found'
        : answer?.meta?.suggestions ? 'Nothing matched exactly: places spelt alike' : '';
    }

    async function search(text) {
      const mine = ++request;
      if (!placeQueryReady(text)) {
        results = [];
        list.hidden = true;
        status.textContent = '';
        return;
      }
      try {
        const answer = await getPlaces(text.trim());
        if (mine === request) show(answer);
      } catch (error) {
        if (mine === request) status.textContent = `Search failed: ${error.message}`;
      }
    }

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(input.value), WAIT_MS);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') list.hidden = true;
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearTimeout(timer);
      await search(input.value);
      if (results.length > 0) choose(results[0]);
    });
    L.DomEvent.disableClickPropagation(form);
    L.DomEvent.disableScrollPropagation(form);
    return form;
  };
  return { control };
}
