// The planner's asset form: what it sends (POST /api/assets, PUT /api/assets/{id}), the GeoJSON
// geometry of a shape drawn on the map, what blocks sending, and where the server's problem is
// shown. Pure: no DOM, no Leaflet (a drawn shape is plain {lat, lng} objects).
//
// form  = {kind, category, name, description, organisation, phone, email, url, last_checked}
//         (strings from the inputs; blank means "not given")
// shape = {type: 'point', latlng: {lat, lng}} | {type: 'polygon', latlngs: [{lat, lng}, …]} | null

/** The fields the form shows an error against; anything else goes to the form as a whole ('form'). */
export const FORM_FIELDS = ['kind', 'category', 'name', 'description', 'organisation', 'phone', 'email', 'url', 'last_checked', 'geometry'];

/** What each role may create: planners places and services; admins people assets too (personal data). */
export function kindsFor(role) {
  if (role === 'admin') return ['place', 'service', 'people'];
  if (role === 'planner') return ['place', 'service'];
  return [];
}

/** Whether the role has the planner tools (add, edit, retire, import). */
export function canPlan(role) {
  return role === 'planner' || role === 'admin';
}

const round6 = (v) => Math.round(v * 1e6) / 1e6; // ~0.1 m: as precise as the server keeps WGS84

function position(latlng) {
  const lat = Number(latlng?.lat);
  const lng = Number(latlng?.lng ?? latlng?.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  return [round6(lng), round6(lat)];
}

/** GeoJSON Point [lon, lat] (6 decimals) of {lat, lng}; null if it is not a position. */
export function pointGeometry(latlng) {
  const p = position(latlng);
  return p ? { type: 'Point', coordinates: p } : null;
}

/** Twice the signed area of a ring of [x, y] (positive = anticlockwise). */
function signedArea(ring) {
  let sum = 0;
  for (let k = 0; k < ring.length - 1; k++) sum += ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1];
  return sum;
}

/**
 * GeoJSON Polygon from the vertices clicked on the map: positions rounded to 6 decimals, repeated
 * consecutive vertices dropped, the ring closed (first position repeated at the end) and wound
 * anticlockwise (RFC 7946's right-hand rule). null when fewer than 3 distinct vertices remain.
 */
export function polygonGeometry(latlngs) {
  const ring = [];
  for (const latlng of Array.isArray(latlngs) ? latlngs : []) {
    const p = position(latlng);
    if (!p) continue;
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  // a ring already closed by the caller: drop the repeated end, it is added back below
  while (ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) ring.pop();
  const distinct = new Set(ring.map((p) => p.join(',')));
  if (distinct.size < 3) return null;
  ring.push([...ring[0]]);
  if (signedArea(ring) < 0) ring.reverse();
  return { type: 'Polygon', coordinates: [ring] };
}

/** The GeoJSON geometry of a drawn shape, or null. */
export function shapeGeometry(shape) {
  if (shape?.type === 'point') return pointGeometry(shape.latlng);
  if (shape?.type === 'polygon') return polygonGeometry(shape.latlngs);
  return null;
}

const text = (value) => (typeof value === 'string' ? value.trim() : value === null || value === undefined ? '' : String(value).trim());
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const URL = /^https?:\/\/\S+$/i;

/**
 * What blocks sending, as {field: message} (empty when the form can be sent). `shape` is the drawn
 * shape (a new asset) or null; `hasGeometry` says the asset keeps a geometry it already has (edit).
 * A place needs a geometry; a service may have a point; people need none. `today` (YYYY-MM-DD)
 * catches a last-checked date in the future.
 */
export function validateAssetForm(form, shape, { hasGeometry = false, today = null } = {}) {
  const f = form || {};
  const errors = {};
  if (!text(f.kind)) errors.kind = 'Choose what it is: a place, a service or people.';
  if (!text(f.category)) errors.category = 'Choose a category.';
  if (!text(f.name)) errors.name = 'Give it a name.';
  else if (text(f.name).length > 300) errors.name = 'The name is longer than 300 characters.';
  const geometry = shapeGeometry(shape);
  if (shape && !geometry) {
    errors.geometry = shape.type === 'polygon' ? 'A shape needs at least 3 corners: click the map to add more.' : 'Click the map to place it.';
  } else if (!geometry && !hasGeometry && text(f.kind) === 'place') {
    errors.geometry = 'Draw it on the map first: a point, or a shape for a building or open space.';
  } else if (text(f.kind) === 'service' && (geometry ? geometry.type !== 'Point' : shape?.type === 'polygon')) {
    errors.geometry = 'A service is a point: the place where it is delivered.';
  }
  if (text(f.email) && !EMAIL.test(text(f.email))) errors.email = 'This is not an e-mail address.';
  if (text(f.url) && !URL.test(text(f.url))) errors.url = 'A web address starts with http:// or https://.';
  if (text(f.last_checked)) {
    if (!DATE.test(text(f.last_checked))) errors.last_checked = 'A date like 2024-10-05.';
    else if (today && text(f.last_checked) > today) errors.last_checked = 'Last checked cannot be in the future.';
  }
  return errors;
}

/** The body of POST /api/assets for a new asset (blank fields left out). */
export function assetBody(form, shape) {
  const f = form || {};
  const body = { kind: text(f.kind), category: text(f.category), name: text(f.name) };
  const geometry = shapeGeometry(shape);
  if (geometry) body.geometry = geometry;
  for (const key of ['description', 'phone', 'email', 'url', 'last_checked']) {
    if (text(f[key])) body[key] = text(f[key]);
  }
  if (text(f.organisation)) body.organisation = { name: text(f.organisation) };
  return body;
}

/** Members of a feature's properties the server writes itself (PUT accepts and ignores them; we leave them out). */
const READ_ONLY = ['id', 'uid', 'category_label', 'stale', 'demo', 'source', 'created_at', 'updated_at', 'retired_at', 'distance_m', 'ward', 'ward_name'];

/**
 * The body of PUT /api/assets/{id}: the asset as read (so what the form does not show — address,
 * schedules, contacts, eligibility… — is kept), with the form's values and, when a new shape was
 * drawn, its geometry. Clearing a field in the form clears it on the server. The organisation is kept
 * as it was (by its id) unless its name was changed.
 */
export function editBody(feature, form, shape) {
  const original = feature?.properties ?? {};
  const f = form || {};
  const body = {};
  for (const [key, value] of Object.entries(original)) {
    if (!READ_ONLY.includes(key) && value !== null && value !== undefined) body[key] = value;
  }
  body.kind = text(f.kind);
  body.category = text(f.category);
  body.name = text(f.name);
  for (const key of ['description', 'phone', 'email', 'url', 'last_checked']) {
    if (text(f[key])) body[key] = text(f[key]);
    else delete body[key];
  }
  const organisation = text(f.organisation);
  if (!organisation) delete body.organisation;
  else if (organisation !== text(original.organisation?.name)) body.organisation = { name: organisation };
  const geometry = shapeGeometry(shape) ?? feature?.geometry ?? null;
  if (geometry) body.geometry = geometry;
  else delete body.geometry;
  return body;
}

/** The form's values for an existing asset (edit). */
export function formFromFeature(feature) {
  const p = feature?.properties ?? {};
  return {
    kind: p.kind ?? '',
    category: p.category ?? '',
    name: p.name ?? '',
    description: p.description ?? '',
    organisation: p.organisation?.name ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    url: p.url ?? '',
    last_checked: p.last_checked ?? '',
  };
}

/**
 * Where to show a failed save: {field: message}. The server's problem names the field at fault
 * (`field`, e.g. "geometry", "geometry.coordinates[0][2]", "organisation.name", "category"); its
 * `detail` is shown against the form field it belongs to, or against the whole form ('form') when
 * it names none the form shows (or no problem came back: no signal, 500…).
 */
export function problemFieldErrors(error) {
  const message = error?.problem?.detail || error?.message || 'The asset was not saved.';
  const field = typeof error?.problem?.field === 'string' ? error.problem.field : '';
  const head = field.replace(/^\[\d+\]\./, '').split(/[.[]/)[0];
  return { [FORM_FIELDS.includes(head) ? head : 'form']: message };
}
