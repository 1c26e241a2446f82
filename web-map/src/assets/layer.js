// Community assets on the map: a point as a disc in its category group's colour with the group's
// letter (or a result number), a footprint (building, park) as a polygon filled in that colour, each
// with a popup (assets/popup.js). Signed-in users only; the server leaves people assets out for
// roles that may not see them, and this layer shows whatever it was sent.
//
// The filter is a predicate on a feature's properties (the panel combines the category tree,
// assets/categories.js categoryMatcher, with "stale only"): the features it rejects are taken off
// the map but kept, so changing the filter needs no request.
// main.js passes `L`; the module does not import Leaflet, so its pure parts can be tested in Node.

import { groupStyle } from './categories.js';
import { assetPopupHtml } from './popup.js';
import { escapeHtml } from '../html.js';

/** The stale marker's dashed border colour (assets.css .aim-asset-stale). */
export const STALE_BORDER = '#ffd166';

/**
 * The legend section of the asset layer: each top-level category's colour and letter (`groups`:
 * [{code, label}]), a footprint, and the dashed border of a record that needs checking.
 */
export function assetLegend(groups = []) {
  const items = (groups ?? []).map((g) => {
    const style = groupStyle(g.code);
    return { colour: style.colour, letter: style.letter, label: g.label ?? g.code };
  });
  const any = groupStyle(groups?.[0]?.code ?? 'community');
  items.push({ colour: any.colour, label: 'footprint (building, park), in its group colour' });
  items.push({ colour: any.colour, letter: any.letter, outline: STALE_BORDER, dashed: true, label: 'dashed yellow border: stale, needs checking' });
  return { title: 'Community assets', items, notes: [], compact: true };
}

/** The id of an asset feature (feature.id, else properties.id), or null. */
export function assetId(feature) {
  const id = feature?.id ?? feature?.properties?.id;
  return id === undefined || id === null ? null : id;
}

/** Whether a feature can be drawn: a Point, Polygon or MultiPolygon with coordinates. */
export function drawable(feature) {
  const g = feature?.geometry;
  return Boolean(g && ['Point', 'Polygon', 'MultiPolygon'].includes(g.type) && Array.isArray(g.coordinates) && g.coordinates.length > 0);
}

/** The ids of `features` the filter (a predicate on properties) keeps, in order. */
export function visibleIds(features, matches) {
  return (features ?? []).filter((f) => matches(f?.properties ?? {})).map(assetId);
}

/**
 * The asset layer: {layer, setFeatures(features), setFilter(matches), ids(), shownIds(), feature(id),
 * open(id) -> boolean, bounds()}. Options:
 *   groupOf(code)   the top-level category of a code (colour and letter)
 *   canEdit         popups get Edit and Retire buttons (planners and admins)
 *   pane            the pane of the footprints (markers stay in Leaflet's marker pane)
 *   className       extra class of every marker and footprint (e.g. search results)
 *   numbered        markers show their position in the list (1, 2 …) instead of the group's letter
 */
export function createAssetLayer(L, { groupOf = () => null, canEdit = false, pane, className = '', numbered = false } = {}) {
  const layer = L.featureGroup();
  const entries = new Map(); // id -> {feature, layer}
  let matches = () => true;

  const AssetIcon = L.DivIcon.extend({
    createIcon(oldIcon) {
      const element = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      element.dataset.assetId = String(this.options.assetId);
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', this.options.label);
      return element;
    },
  });

  function make(feature, index) {
    const id = assetId(feature);
    const p = feature.properties ?? {};
    const group = groupOf(p.category);
    const style = groupStyle(group);
    const classes = `aim-asset aim-asset-${group ?? 'other'}${p.stale ? ' aim-asset-stale' : ''}${className ? ` ${className}` : ''}`;
    const popup = () => assetPopupHtml(feature.properties, { canEdit });
    const popupOptions = { maxWidth: 320, autoPanPaddingTopLeft: [16, 60], autoPanPaddingBottomRight: [16, 24] };
    let child;
    if (feature.geometry.type === 'Point') {
      const [lon, lat] = feature.geometry.coordinates;
      const letter = numbered ? String(index + 1) : style.letter;
      child = L.marker([lat, lon], {
        icon: new AssetIcon({
          className: classes,
          html: `<span style="background:${style.colour}">${escapeHtml(letter)}</span>`,
          iconSize: [24, 24],
          iconAnchor: [12, 12],
          popupAnchor: [0, -11],
          assetId: id,
          label: `${p.name ?? 'Asset'} (${p.category_label ?? p.category ?? 'asset'})`,
        }),
        keyboard: true,
        riseOnHover: true,
      });
    } else {
      child = L.geoJSON(feature, {
        pane,
        className: `${classes} aim-asset-area`, // given to the path when it is created
        style: () => ({ color: style.colour, weight: 2, fillColor: style.colour, fillOpacity: 0.25 }),
      });
    }
    child.feature = feature;
    child.bindPopup(popup, popupOptions);
    return child;
  }

  function redraw() {
    layer.clearLayers();
    for (const entry of entries.values()) {
      if (matches(entry.feature.properties ?? {})) layer.addLayer(entry.layer);
    }
  }

  return {
    layer,
    /** Replaces every feature (those without a drawable geometry are kept for the list but not drawn). */
    setFeatures(features) {
      entries.clear();
      (features ?? []).forEach((feature, index) => {
        const id = assetId(feature);
        if (id === null || entries.has(id) || !drawable(feature)) return;
        entries.set(id, { feature, layer: make(feature, index) });
      });
      redraw();
    },
    setFilter(predicate) {
      matches = predicate ?? (() => true);
      redraw();
    },
    /** ids of every feature loaded, shown or not */
    ids: () => [...entries.keys()],
    /** ids of the features on the layer now (the filter's choice) */
    shownIds: () => [...entries.values()].filter((e) => layer.hasLayer(e.layer)).map((e) => assetId(e.feature)),
    feature: (id) => entries.get(id)?.feature ?? null,
    /** Opens an asset's popup (panning to it); false if it is not shown. */
    open(id) {
      const entry = entries.get(id);
      if (!entry || !layer.hasLayer(entry.layer)) return false;
      if (entry.layer.getLatLng) entry.layer.openPopup();
      else entry.layer.openPopup(entry.layer.getBounds().getCenter());
      return true;
    },
    bounds: () => layer.getBounds(),
  };
}
