// The incident filter panel: categories (grouped, several at once) and sources. The dates are not
// here: the map's one period (the hotspot panel's period control, stated once on the map by
// period-label.js) drives the incidents as every other layer; main.js adds it to the filters.
// A Leaflet control that folds away behind a "Filters" button (phones); onChange(filters) is
// called after every change. The pure functions build the GET /api/incidents query.
//
// filters = {categories: null | [code], sources: null | [source], from: 'YYYY-MM-DD' | '', to: ...}
// null means "all" (the parameter is left out); an empty list means "none" (nothing to ask for).

export const FILTER_GROUPS = [
  { group: 'police', title: 'Police (police.uk)' },
  { group: 'asb', title: 'Anti-social behaviour' },
  { group: 'environmental', title: 'Environmental' },
  { group: 'fly-tipping', title: 'Fly-tipping' },
  { group: 'hate', title: 'Hate incidents' },
];
export const SOURCE_LABELS = { police: 'Police', council: 'Council', warden: 'Wardens', public: 'Public' };
const pad = (n) => String(n).padStart(2, '0');
/** YYYY-MM-DD of a Date in local time. */
export function isoDate(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Every category and source; `sources` (e.g. a warden's ['warden']) narrows the sources. No dates: the period adds them. */
export function defaultFilters({ sources = null } = {}) {
  return { categories: null, sources: Array.isArray(sources) ? [...sources] : null };
}

/** "minLon,minLat,maxLon,maxLat" from [[south, west], [north, east]], 5 decimals, clamped to the world. */
export function bboxParam([[south, west], [north, east]]) {
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const r = (v) => Number(v.toFixed(5));
  return [r(clamp(west, -180, 180)), r(clamp(south, -90, 90)), r(clamp(east, -180, 180)), r(clamp(north, -90, 90))].join(',');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The query string of GET /api/incidents (without "?"), or null when the filters can match
 * nothing (no category or no source ticked). `bbox` is [[south, west], [north, east]] or a
 * ready "minLon,…" string; limit / cursor page through the answer, `order: 'newest'` pages from
 * the newest incident backwards, and `after` keeps only incidents with a larger id.
 */
export function incidentQuery(filters, { bbox, limit, cursor, after, order } = {}) {
  const f = filters || {};
  if (Array.isArray(f.categories) && f.categories.length === 0) return null;
  if (Array.isArray(f.sources) && f.sources.length === 0) return null;
  const params = new URLSearchParams();
  if (bbox) params.set('bbox', typeof bbox === 'string' ? bbox : bboxParam(bbox));
  let { from, to } = f;
  if (from && to && DATE.test(from) && DATE.test(to) && to < from) [from, to] = [to, from];
  if (from && DATE.test(from)) params.set('from', from);
  if (to && DATE.test(to)) params.set('to', to);
  if (Array.isArray(f.categories)) params.set('category', [...f.categories].sort().join(','));
  if (Array.isArray(f.sources)) params.set('source', [...f.sources].sort().join(','));
  if (limit) params.set('limit', String(limit));
  if (order) params.set('order', order);
  if (cursor) params.set('cursor', cursor);
  if (after) params.set('after', String(after));
  // URLSearchParams encodes "," as %2C; the server reads both, the plain form is easier to read.
  return params.toString().replace(/%2C/g, ',');
}

/** The category checkboxes: [{group, title, categories: [{code, label}]}], groups without categories left out. */
export function filterGroups(taxonomy) {
  const categories = Array.isArray(taxonomy?.categories) ? taxonomy.categories : [];
  const known = new Set(FILTER_GROUPS.map((g) => g.group));
  const groups = [...FILTER_GROUPS];
  for (const c of categories) {
    if (c && !known.has(c.group)) {
      known.add(c.group);
      groups.push({ group: c.group, title: c.group });
    }
  }
  return groups
    .map(({ group, title }) => ({
      group,
      title,
      categories: categories.filter((c) => c.group === group).map((c) => ({ code: c.code, label: c.label ?? c.code })),
    }))
    .filter((g) => g.categories.length > 0);
}

/** The ticked values as a filter: null when every one is ticked ("all"), else the list. */
export function selection(ticked, all) {
  return ticked.length === all.length && all.every((v) => ticked.includes(v)) ? null : [...ticked];
}

/**
 * A one-line summary for the folded panel: "All categories · 3 sources". No dates: the map states
 * its one period elsewhere (a "from" with no end here was a second, different window).
 */
export function filterSummary(filters) {
  const f = filters || {};
  const parts = [
    f.categories === null || f.categories === undefined ? 'All categories' : `${f.categories.length} categor${f.categories.length === 1 ? 'y' : 'ies'}`,
  ];
  if (Array.isArray(f.sources)) parts.push(`${f.sources.length} source${f.sources.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/**
 * The panel (a Leaflet control, top left under the zoom buttons). Ids for tests and labels:
 * #incident-filters, #incident-filter-toggle, inputs name=category / name=source (value = code),
 * #incident-status (count or error).
 */
export function createIncidentFilterControl(L, { taxonomy, filters, onChange }) {
  const control = L.control({ position: 'topleft' });
  const current = { ...filters };
  const allCategories = (taxonomy?.categories ?? []).map((c) => c.code);
  const allSources = Array.isArray(taxonomy?.sources) && taxonomy.sources.length ? taxonomy.sources : Object.keys(SOURCE_LABELS);
  let statusElement = null;

  control.onAdd = () => {
    const box = L.DomUtil.create('div', 'leaflet-bar aim-incident-filters');
    box.id = 'incident-filters';
    const toggle = L.DomUtil.create('button', 'aim-filter-toggle', box);
    toggle.type = 'button';
    toggle.id = 'incident-filter-toggle';
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', 'incident-filter-panel');
    const panel = L.DomUtil.create('form', 'aim-filter-panel', box);
    panel.id = 'incident-filter-panel';
    panel.hidden = true;
    statusElement = L.DomUtil.create('div', 'aim-incident-status', box);
    statusElement.id = 'incident-status';
    statusElement.setAttribute('role', 'status');

    const showSummary = () => {
      toggle.textContent = `Incidents: ${filterSummary(current)}`;
    };
    toggle.addEventListener('click', () => {
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
    });

    // Categories, grouped; a group's box ticks or unticks the whole group.
    const categories = L.DomUtil.create('fieldset', 'aim-filter-categories', panel);
    L.DomUtil.create('legend', '', categories).textContent = 'Categories';
    const tickedCategories = () => [...panel.querySelectorAll('input[name=category]:checked')].map((i) => i.value);
    for (const group of filterGroups(taxonomy)) {
      const wrapper = L.DomUtil.create('div', `aim-filter-group aim-incident-${group.group}`, categories);
      const head = L.DomUtil.create('label', 'aim-filter-group-title', wrapper);
      const all = L.DomUtil.create('input', '', head);
      all.type = 'checkbox';
      all.name = 'group';
      all.value = group.group;
      head.append(` ${group.title}`);
      const boxes = group.categories.map((category) => {
        const label = L.DomUtil.create('label', 'aim-filter-category', wrapper);
        const input = L.DomUtil.create('input', '', label);
        input.type = 'checkbox';
        input.name = 'category';
        input.value = category.code;
        input.checked = current.categories === null || current.categories === undefined || current.categories.includes(category.code);
        label.append(` ${category.label}`);
        return input;
      });
      const syncGroup = () => {
        const ticked = boxes.filter((b) => b.checked).length;
        all.checked = ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      };
      syncGroup();
      all.addEventListener('change', () => {
        boxes.forEach((b) => (b.checked = all.checked));
        syncGroup();
        current.categories = selection(tickedCategories(), allCategories);
        changed();
      });
      boxes.forEach((b) => b.addEventListener('change', () => {
        syncGroup();
        current.categories = selection(tickedCategories(), allCategories);
        changed();
      }));
    }

    const sources = L.DomUtil.create('fieldset', 'aim-filter-sources', panel);
    L.DomUtil.create('legend', '', sources).textContent = 'Sources';
    for (const source of allSources) {
      const label = L.DomUtil.create('label', '', sources);
      const input = L.DomUtil.create('input', '', label);
      input.type = 'checkbox';
      input.name = 'source';
      input.value = source;
      input.checked = current.sources === null || current.sources === undefined || current.sources.includes(source);
      label.append(` ${SOURCE_LABELS[source] ?? source}`);
      input.addEventListener('change', () => {
        current.sources = selection([...panel.querySelectorAll('input[name=source]:checked')].map((i) => i.value), allSources);
        changed();
      });
    }

    function changed() {
      showSummary();
      onChange({ ...current });
    }

    showSummary();
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };

  return {
    control,
    get filters() {
      return { ...current };
    },
    /** Shows `text` if given, else "N incidents", a truncation note or an error under the button. */
    status({ count, truncated, error, text }) {
      if (!statusElement) return;
      statusElement.classList.toggle('aim-error', Boolean(error));
      statusElement.textContent = error
        ? `Incidents not loaded: ${error}`
        : text ?? `${count} incident${count === 1 ? '' : 's'}${truncated ? ' (the first ones only: zoom in or narrow the filters)' : ''}`;
    },
  };
}
