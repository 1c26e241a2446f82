// Which layers the map shows: a default per role, one thematic layer at a time, and the user's own
// choice remembered in this browser.
//
//   - Defaults per role (ROLE_LAYERS): an analyst (and an admin) starts with the hotspot cells and the
//     ward outlines (and the group's problems, few outlines), a planner with the community assets and the gaps in their coverage, a warden with
//     the incidents (wardens' reports: WARDEN_SOURCES), a viewer or partner with the wards; signed out:
//     wards and neighbourhoods (a warden's period runs to today: rolePreset). The other overlays stay one click away in the layer control.
//   - One thematic layer at a time (THEMATIC): the hotspot cells, the ward rates and the indicator
//     choropleth colour the same ground, so turning one on turns the others off.
//   - The layers on the map are remembered per role in localStorage (key `aim.layers.<role>`) after each
//     change and used on the next visit instead of the role's default; a shared link's `layers` (view-url.js)
//     still wins for that visit.
//
// The rules are pure functions; createLayerChoice wires them to the map and the layer control's overlays.

import { LAYER_TITLES, VIEW_LAYERS } from '../view-url.js';

/** The layers each role sees first (view-url.js names). */
export const ROLE_LAYERS = {
  analyst: ['hotspots', 'wards', 'problems'],
  admin: ['hotspots', 'wards', 'problems'],
  planner: ['assets', 'gaps'],
  warden: ['incidents'],
  viewer: ['wards'],
  partner: ['wards'],
};
/** Signed out (or an unknown role): the boundaries only. */
export const SIGNED_OUT_LAYERS = ['wards', 'neighbourhoods'];
/** A warden's incidents: the wardens' reports (the server shows a warden their own in full). */
export const WARDEN_SOURCES = ['warden'];
/** Layers that colour the ground by a measure: at most one on the map (layer control titles). */
export const THEMATIC = ['Hotspots', 'Ward rates', 'Indicator'];
/** The hotspot panel's own layers: it puts them on the map itself when it is first shown. */
export const PANEL_LAYERS = ['hotspots', 'rates'];

/** The layer names a choice may hold: the view's layers and the gaps. */
const KNOWN = new Set([...VIEW_LAYERS, 'gaps']);
/** The layer control title of each name. */
export const TITLES = { ...LAYER_TITLES, gaps: 'Gaps' };

/** The default layers of a role (null: signed out). */
export function roleLayers(role) {
  return [...(ROLE_LAYERS[role] ?? SIGNED_OUT_LAYERS)];
}

/**
 * The period preset a role starts with, or null for the panel's default (the last complete quarter):
 * a warden's reports are today's and this week's, so theirs runs to today (this financial year).
 */
export function rolePreset(role) {
  return role === 'warden' ? 'this-fy' : null;
}

/** The incident filter defaults of a role: a warden's are the wardens' reports. */
export function roleIncidentFilters(role) {
  return role === 'warden' ? { sources: WARDEN_SOURCES } : {};
}

/** The names with at most one thematic layer: `keep` (a name) if it is one of them, else the first. */
export function oneThematic(names, keep = null) {
  const thematic = names.filter((name) => THEMATIC.includes(TITLES[name]));
  const winner = thematic.includes(keep) ? keep : thematic[0];
  return names.filter((name) => !THEMATIC.includes(TITLES[name]) || name === winner);
}

export function storageKey(role) {
  return `aim.layers.${role ?? 'signed-out'}`;
}

/** The remembered layers of a role, or null (none, or not readable: storage off, bad JSON, not a list). */
export function storedLayers(storage, role) {
  try {
    const value = JSON.parse(storage?.getItem(storageKey(role)) ?? 'null');
    if (!Array.isArray(value)) return null;
    return value.filter((name) => typeof name === 'string' && KNOWN.has(name));
  } catch {
    return null;
  }
}

export function storeLayers(storage, role, names) {
  try {
    storage?.setItem(storageKey(role), JSON.stringify(names));
  } catch {
    // private mode or full: the choice is simply not remembered
  }
}

/**
 * The layers to show first: a shared link's (viewLayers, when it has a `layers` key), else the
 * remembered ones, else the role's default; then one thematic layer at most. {names, from: 'link'|'stored'|'role'}.
 */
export function firstLayers({ role, viewLayers = null, stored = null }) {
  if (Array.isArray(viewLayers)) return { names: oneThematic(viewLayers), from: 'link' };
  if (Array.isArray(stored)) return { names: oneThematic(stored), from: 'stored' };
  return { names: roleLayers(role), from: 'role' };
}

/**
 * The choice for this visit: {names, from, wants(name), attach({map, overlays, panelShown})}.
 * attach puts the overlays (title -> layer) on the map or takes them off as chosen, except the
 * hotspot panel's (it adds them when first shown, asking wants()) unless a link named them; then keeps
 * one thematic layer at a time and remembers every later change.
 */
export function createLayerChoice({ role, view, storage }) {
  const first = firstLayers({ role, viewLayers: view?.layers ?? null, stored: storedLayers(storage, role) });
  const names = first.names;
  return {
    names,
    from: first.from,
    wants: (name) => names.includes(name),
    attach({ map, overlays, panelShown = () => true }) {
      const nameOf = new Map(Object.entries(TITLES).map(([name, title]) => [overlays[title], name]));
      for (const [name, title] of Object.entries(TITLES)) {
        const layer = overlays[title];
        if (!layer) continue;
        if (PANEL_LAYERS.includes(name) && first.from !== 'link') continue; // the panel adds these when shown
        if (names.includes(name)) layer.addTo(map);
        else map.removeLayer(layer);
      }
      const thematic = THEMATIC.map((title) => overlays[title]).filter(Boolean);
      map.on('overlayadd', (event) => {
        if (!thematic.includes(event.layer)) return;
        // after the layer control has finished its click (it redraws its boxes only then)
        Promise.resolve().then(() => {
          if (!map.hasLayer(event.layer)) return;
          for (const other of thematic) if (other !== event.layer && map.hasLayer(other)) map.removeLayer(other);
        });
      });
      map.on('overlayadd overlayremove', () => {
        const shown = [...nameOf.entries()].filter(([layer]) => map.hasLayer(layer)).map(([, name]) => name);
        // the panel's layers not shown yet (a folded panel on a phone) are still chosen
        const pending = panelShown() ? [] : names.filter((name) => PANEL_LAYERS.includes(name) && !shown.includes(name));
        storeLayers(storage, role, [...shown, ...pending]);
      });
    },
  };
}

/** window.localStorage, or null where it is unavailable (reading it can throw when storage is blocked). */
export function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
