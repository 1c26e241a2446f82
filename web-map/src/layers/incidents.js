// Incidents (police.uk, council, warden and public reports) as clustered markers
// (leaflet.markercluster), coloured and lettered by category group, with a popup per incident.
// Signed-in users only: the server answers GET /api/incidents with personal fields (description,
// reporter) only for roles allowed to see them, and the popup shows whatever it was given.
//
// The pure functions (date formatting, popup HTML, merging new features) are unit-tested; the
// feed (createIncidentFeed) takes the api function and the layer as arguments, so it is tested
// with fakes too. main.js passes `L` (with the cluster plugin) to createIncidentLayer.

import { escapeHtml } from '../html.js';
import { incidentQuery } from '../panels/incident-filters.js';

/** Marker colour and letter of each category group (letters: colour is not the only cue). */
export const GROUP_STYLES = {
  police: { colour: '#4e79a7', letter: 'P', title: 'Police' },
  asb: { colour: '#f28e2b', letter: 'A', title: 'Anti-social behaviour' },
  environmental: { colour: '#59a14f', letter: 'E', title: 'Environmental' },
  'fly-tipping': { colour: '#9c755f', letter: 'F', title: 'Fly-tipping' },
  hate: { colour: '#e15759', letter: 'H', title: 'Hate incident' },
};
const OTHER_STYLE = { colour: '#6b6b6b', letter: '?', title: 'Other' };
/** A cluster badge (leaflet.markercluster's colour for 10–99; green below, orange from 100). */
export const CLUSTER_BADGE = { colour: '#f0c20c', letter: '25', label: 'cluster: that many incidents close together (click to zoom in)' };

/**
 * The legend section of the incident markers: each category group's colour and letter (those of
 * `groups`, the taxonomy's groups, when given) and a cluster badge; compact (items side by side).
 */
export function incidentLegend(groups = null) {
  const shown = Array.isArray(groups) && groups.length ? groups : Object.keys(GROUP_STYLES);
  const items = shown.map((group) => {
    const style = groupStyle(group);
    return { colour: style.colour, letter: style.letter, label: style === OTHER_STYLE ? `${group}` : style.title };
  });
  items.push({ ...CLUSTER_BADGE, round: true });
  return { title: 'Incidents (one marker each, lettered by group)', items, notes: [], compact: true };
}

export function groupStyle(group) {
  return GROUP_STYLES[group] ?? OTHER_STYLE;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

/**
 * When an incident happened, no more precisely than it is known, in UK time:
 * month -> "Oct 2018" (police.uk gives only the month), day -> "5 Oct 2018",
 * minute -> "5 Oct 2018 14:05". A missing or bad date -> "—".
 */
export function formatOccurred(iso, precision) {
  const date = new Date(iso ?? NaN);
  if (typeof iso !== 'string' || Number.isNaN(date.getTime())) return '—';
  const part = Object.fromEntries(LONDON.formatToParts(date).map((p) => [p.type, p.value]));
  const month = MONTHS[Number(part.month) - 1];
  if (precision === 'month') return `${month} ${part.year}`;
  if (precision === 'day') return `${Number(part.day)} ${month} ${part.year}`;
  return `${Number(part.day)} ${month} ${part.year} ${part.hour.padStart(2, '0')}:${part.minute.padStart(2, '0')}`;
}

/** How exact the point is, in words. */
export function precisionText(precision, accuracyM) {
  switch (precision) {
    case 'gps':
      return Number.isFinite(accuracyM) ? `GPS, ±${Math.round(accuracyM)} m` : 'GPS';
    case 'exact':
      return 'Exact';
    case 'snapped':
      return 'Approximate (snapped to a nearby point)';
    case 'generalised':
      return 'Generalised (sensitive category)';
    case 'area':
      return 'Area only';
    default:
      return precision ? String(precision) : '—';
  }
}

const SOURCE_NAMES = { police: 'Police (police.uk)', council: 'Council', warden: 'Street warden', public: 'Public' };
/** Personal data: present only when the server sent it (roles allowed to see it). */
const PERSONAL = [
  ['description', 'Description'],
  ['reporter_name', 'Reporter'],
  ['reporter_contact', 'Contact'],
  ['recorded_by', 'Recorded by'],
];

const present = (value) => value !== null && value !== undefined && value !== '';

/**
 * Popup HTML for an incident's properties. `taxonomy` (GET /api/incidents/categories) gives
 * the fly-tipping labels; without it the codes are shown. Every value is HTML-escaped.
 */
export function incidentPopupHtml(properties, taxonomy) {
  const p = properties || {};
  const fly = taxonomy?.flyTipping ?? {};
  const rows = [
    ['Date', formatOccurred(p.occurred_at, p.occurred_precision)],
    ['Where', p.location_text],
    ['Location', precisionText(p.location_precision, p.accuracy_m)],
    ['Ward', p.ward_name ?? p.ward],
    ['Status', p.status],
    ['Outcome', p.outcome],
    ['Source', SOURCE_NAMES[p.source] ?? p.source],
  ];
  if (present(p.fly_size) || present(p.fly_waste_type) || present(p.fly_land_type)) {
    rows.push(
      ['Size', present(p.fly_size) ? fly.sizes?.[p.fly_size] ?? p.fly_size : null],
      ['Waste type', present(p.fly_waste_type) ? fly.wasteTypes?.[p.fly_waste_type] ?? p.fly_waste_type : null],
      ['Land type', present(p.fly_land_type) ? fly.landTypes?.[p.fly_land_type] ?? p.fly_land_type : null],
    );
  }
  if (Number.isFinite(p.photo_count) && p.photo_count > 0) rows.push(['Photos', String(p.photo_count)]);
  for (const [key, label] of PERSONAL) {
    if (key in p) rows.push([label, p[key]]);
  }
  const body = rows
    .filter(([, value]) => present(value))
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  return (
    `<div class="aim-popup aim-incident-popup" data-incident-id="${escapeHtml(p.id)}">` +
    `<h3 class="incident-category">${escapeHtml(p.category_label ?? p.category ?? 'Incident')}</h3>` +
    `<table>${body}<tr><th>Reference</th><td>${escapeHtml(p.id)}</td></tr></table></div>`
  );
}

/** The id of a GeoJSON incident feature (feature.id, else properties.id), or null. */
export function featureId(feature) {
  const id = feature?.id ?? feature?.properties?.id;
  return id === undefined || id === null ? null : id;
}

/**
 * The features of `features` not yet in `known` (a Set of ids), each once, in order; those with
 * no id or no point are skipped. `known` is not changed.
 */
export function newFeatures(known, features) {
  const seen = new Set(known);
  const result = [];
  for (const feature of Array.isArray(features) ? features : []) {
    const id = featureId(feature);
    const coordinates = feature?.geometry?.coordinates;
    if (id === null || seen.has(id) || !Array.isArray(coordinates) || coordinates.length < 2) continue;
    seen.add(id);
    result.push(feature);
  }
  return result;
}

/**
 * The clustered incident layer: {layer, setFeatures(features), addFeatures(features) -> added,
 * ids(), maxId()}. Each marker's element has class aim-incident (and aim-incident-GROUP) and
 * data-incident-id. `groupOf(code)` maps a category code to its group. `details(id)`, when given,
 * resolves to the incident's full Feature (GET /api/incidents/{id}), shown in the popup once it arrives
 * (features from vector tiles carry only a few fields).
 */
export function createIncidentLayer(L, { groupOf = () => null, taxonomy = null, details = null } = {}) {
  const layer = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    spiderfyOnMaxZoom: true,
  });
  const markers = new Map(); // id -> marker

  const IncidentIcon = L.DivIcon.extend({
    createIcon(oldIcon) {
      const element = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      element.dataset.incidentId = String(this.options.incidentId);
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', this.options.label);
      return element;
    },
  });

  function marker(feature) {
    const id = featureId(feature);
    const p = feature.properties ?? {};
    const group = groupOf(p.category);
    const style = groupStyle(group);
    const [lon, lat] = feature.geometry.coordinates;
    const icon = new IncidentIcon({
      className: `aim-incident aim-incident-${group ?? 'other'}`,
      html: `<span style="background:${style.colour}">${style.letter}</span>`,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
      incidentId: id,
      label: `${p.category_label ?? p.category ?? 'Incident'} ${id}`,
    });
    const m = L.marker([lat, lon], { icon, keyboard: true });
    m.feature = feature;
    // pan the popup clear of the controls (filters top left, version picker and layers top right)
    m.bindPopup(() => incidentPopupHtml(feature.properties, taxonomy), {
      maxWidth: 300,
      autoPanPaddingTopLeft: [16, 140],
      autoPanPaddingBottomRight: [16, 24],
    });
    if (details) {
      m.on('popupopen', async () => {
        try {
          const full = await details(id);
          if (full?.properties && m.isPopupOpen()) m.setPopupContent(incidentPopupHtml(full.properties, taxonomy));
        } catch {
          // the popup keeps what the tile said
        }
      });
    }
    return m;
  }

  function add(features) {
    const added = newFeatures(new Set(markers.keys()), features);
    const created = added.map((feature) => {
      const m = marker(feature);
      markers.set(featureId(feature), m);
      return m;
    });
    if (created.length > 0) layer.addLayers(created);
    return added.length;
  }

  return {
    layer,
    setFeatures(features) {
      layer.clearLayers();
      markers.clear();
      return add(features);
    },
    addFeatures: add,
    ids: () => [...markers.keys()],
    maxId: () => maxId(markers.keys()),
    /** Opens the popup of an incident (zooming into its cluster if needed); false if not loaded. */
    open(id) {
      const m = markers.get(id);
      if (!m) return false;
      layer.zoomToShowLayer(m, () => m.openPopup());
      return true;
    },
  };
}

/** The largest numeric id, or 0 when there is none. */
export function maxId(ids) {
  let max = 0;
  for (const id of ids) if (typeof id === 'number' && id > max) max = id;
  return max;
}

/**
 * Loads incidents into the layer and keeps them current.
 *   reload(filters, bbox): every page of the current filters within bbox (following
 *     meta.next_cursor, at most maxPages), replacing what is shown; an answer overtaken by a
 *     newer reload is dropped.
 *   poll(): only incidents newer than the highest id shown (after=ID), with the same filters
 *     and bbox, added without duplicates (new warden reports appear without a reload).
 * onStatus({count, truncated, error}) after each load.
 */
export function createIncidentFeed({ getIncidents, layer, pageLimit = null, maxPages = 20, onStatus = () => {} }) {
  // pageLimit null: the server's own page size (its configured maximum may be below 1000)
  let request = 0;
  let current = null; // {filters, bbox} of the last reload
  let truncated = false;

  async function pages(filters, bbox, { after } = {}) {
    const features = [];
    let cursor = null;
    let count = 0;
    do {
      // a full load pages from the newest backwards, so a cut-off drops the oldest; a poll asks
      // only for what is newer than the highest id shown
      const query = incidentQuery(filters, { bbox, limit: pageLimit, cursor, after, order: after ? undefined : 'newest' });
      const page = await getIncidents(query);
      features.push(...(page?.features ?? []));
      cursor = page?.meta?.next_cursor ?? null;
      count += 1;
    } while (cursor && count < maxPages);
    return { features, more: Boolean(cursor) };
  }

  return {
    get truncated() {
      return truncated;
    },
    async reload(filters, bbox) {
      const mine = ++request;
      current = { filters, bbox };
      if (incidentQuery(filters, { bbox }) === null) {
        layer.setFeatures([]);
        truncated = false;
        onStatus({ count: 0, truncated: false, error: null });
        return true;
      }
      try {
        const { features, more } = await pages(filters, bbox);
        if (mine !== request) return false;
        layer.setFeatures(features);
        truncated = more;
        onStatus({ count: layer.ids().length, truncated, error: null });
        return true;
      } catch (error) {
        if (mine !== request) return false;
        onStatus({ count: layer.ids().length, truncated, error: error.message });
        return false;
      }
    },
    /** Empties the layer and drops any load under way (the counts are shown instead). */
    clear() {
      request += 1;
      current = null;
      truncated = false;
      layer.setFeatures([]);
    },
    /** Adds incidents newer than those shown; resolves to how many were added. */
    async poll() {
      if (!current || truncated || incidentQuery(current.filters, { bbox: current.bbox }) === null) return 0;
      const mine = request;
      try {
        const { features } = await pages(current.filters, current.bbox, { after: layer.maxId() });
        if (mine !== request) return 0;
        const added = layer.addFeatures(features);
        if (added > 0) onStatus({ count: layer.ids().length, truncated, error: null });
        return added;
      } catch {
        return 0; // a missed poll is caught up by the next one
      }
    },
  };
}
