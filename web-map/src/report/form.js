// Pure logic of the warden report form: which categories it offers and how, where the
// report is, what it sends, and what must be fixed before it can be sent. No DOM here.

/** The category groups a warden reports, in the order shown (police.uk and hate-crime categories are not reported from the street page). */
export const REPORT_GROUPS = [
  { group: 'fly-tipping', title: 'Fly-tipping' },
  { group: 'asb', title: 'Anti-social behaviour' },
  { group: 'environmental', title: 'Environmental' },
];

export const FLY_TIPPING = 'fly-tipping';
export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024; // the server's limit
export const PHOTO_TYPES = ['image/jpeg', 'image/png'];
/** GPS fixes less precise than this get a warning asking the warden to check the pin. */
export const ROUGH_ACCURACY_M = 50;

/** "ASB: noise" in the ASB group -> "Noise": the group heading already says ASB. */
export function shortLabel(label) {
  const text = String(label ?? '');
  const colon = text.indexOf(': ');
  const rest = colon >= 0 ? text.slice(colon + 2) : text;
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : text;
}

/**
 * The buttons of the form, from GET /api/incidents/categories:
 * [{group, title, categories: [{code, label, short}]}] in REPORT_GROUPS order, server order within
 * a group; groups with no category are left out.
 */
export function reportCategoryGroups(taxonomy) {
  const categories = Array.isArray(taxonomy?.categories) ? taxonomy.categories : [];
  return REPORT_GROUPS.map(({ group, title }) => ({
    group,
    title,
    categories: categories
      .filter((c) => c && c.group === group && typeof c.code === 'string')
      .map((c) => ({ code: c.code, label: c.label ?? c.code, short: shortLabel(c.label ?? c.code) })),
  })).filter((g) => g.categories.length > 0);
}

/** [{value, label}] for a select, from a {code: label} vocabulary (server order). */
export function vocabularyOptions(vocabulary) {
  if (!vocabulary || typeof vocabulary !== 'object') return [];
  return Object.entries(vocabulary).map(([value, label]) => ({ value, label: String(label) }));
}

/**
 * Where the report is. A pin the warden placed (dragged or tapped) wins over GPS and has no
 * accuracy: the GPS circle describes the phone's fix, not the spot the warden chose, and how far
 * off a hand-placed pin is cannot be known, so accuracyM is null (not sent). Otherwise the latest
 * GPS fix with its accuracy radius. null while there is neither.
 */
export function reportLocation(gps, pin) {
  if (pin && Number.isFinite(pin.lat) && Number.isFinite(pin.lon)) {
    return { lon: pin.lon, lat: pin.lat, accuracyM: null, source: 'pin' };
  }
  if (gps && Number.isFinite(gps.lat) && Number.isFinite(gps.lon)) {
    const accuracy = Number.isFinite(gps.accuracy) && gps.accuracy >= 0 ? gps.accuracy : null;
    return { lon: gps.lon, lat: gps.lat, accuracyM: accuracy, source: 'gps' };
  }
  return null;
}

/** What is wrong with the form, as [{field, message}] in page order; empty when it can be sent. */
export function validateReport(state) {
  const problems = []; // in the order of the page: where, then what
  if (!state.location) {
    problems.push({ field: 'location', message: 'No location yet: wait for GPS or tap the map where it is.' });
  }
  if (!state.category) problems.push({ field: 'category', message: 'Choose what you are reporting.' });
  if (state.category === FLY_TIPPING) {
    if (!state.flySize) problems.push({ field: 'flySize', message: 'Choose the size of the fly-tip.' });
    if (!state.flyWasteType) problems.push({ field: 'flyWasteType', message: 'Choose the type of waste.' });
  }
  if ((state.photos?.length ?? 0) > MAX_PHOTOS) {
    problems.push({ field: 'photos', message: `At most ${MAX_PHOTOS} photos.` });
  }
  return problems;
}

/** Why a chosen file cannot be attached (a message), or null when it can. */
export function photoProblem(file, count = 0) {
  if (count >= MAX_PHOTOS) return `At most ${MAX_PHOTOS} photos per report.`;
  if (!file) return 'No photo chosen.';
  if (!PHOTO_TYPES.includes(file.type)) return 'Photos must be JPEG or PNG.';
  if (file.size > MAX_PHOTO_BYTES) return 'That photo is larger than 10 MB.';
  if (file.size === 0) return 'That photo is empty.';
  return null;
}

const round = (value, decimals) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/**
 * The body of POST /api/reports. occurredAt is when the warden pressed Send (the report may
 * reach the server much later); coordinates are rounded to 6 decimals (~0.1 m); empty text
 * fields and a null accuracy are left out; flyTipping only for fly-tipping.
 */
export function buildReport(state, sentAt) {
  const { location } = state;
  const report = {
    category: state.category,
    lon: round(location.lon, 6),
    lat: round(location.lat, 6),
  };
  if (location.accuracyM !== null && location.accuracyM !== undefined) {
    report.accuracyM = Math.max(0, round(location.accuracyM, 1));
  }
  report.occurredAt = sentAt.toISOString();
  const description = (state.description ?? '').trim();
  if (description) report.description = description;
  const locationText = (state.locationText ?? '').trim();
  if (locationText) report.locationText = locationText;
  if (state.category === FLY_TIPPING) {
    report.flyTipping = { size: state.flySize, wasteType: state.flyWasteType };
    if (state.flyLandType) report.flyTipping.landType = state.flyLandType;
  }
  return report;
}

/** A random (version 4) UUID, for a report's Idempotency-Key. */
export function uuid(crypto = globalThis.crypto) {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The phone's local calendar date, YYYY-MM-DD (for "My reports today"). */
export function localIsoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "14:05" in the phone's local time, for a list entry; "" for a missing or bad time. */
export function localTime(iso) {
  const date = new Date(iso ?? NaN);
  if (Number.isNaN(date.getTime())) return '';
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** The fields validateReport() checks: their errors clear as soon as the field is fixed. */
export const CHECKED_FIELDS = ['category', 'location', 'flySize', 'flyWasteType'];

/**
 * The errors still to show after the warden changed something: of the errors shown (`shown`, from
 * the last Send), those of a checked field that is still wrong (`current`, validateReport() now; its
 * message wins), and those of other fields (a refused photo) unchanged. Fields that were fine at Send
 * get no new error until the next Send: errors only ever go away while the warden is fixing them.
 */
export function remainingProblems(shown, current) {
  return (shown ?? []).flatMap((problem) => {
    if (!CHECKED_FIELDS.includes(problem.field)) return [problem];
    const still = (current ?? []).find((p) => p.field === problem.field);
    return still ? [still] : [];
  });
}

/**
 * The reference a warden quotes for a report: 'Report 1234' once the server has its id, else the
 * queued reference 'Q-' and the first 8 characters of its Idempotency-Key (the same on the phone's
 * list while it waits).
 */
export function reportReference({ key, reportId } = {}) {
  if (reportId !== null && reportId !== undefined) return `Report ${reportId}`;
  return `Q-${String(key ?? '').replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

/**
 * What the page says after Send, from the queue after the send round: {state, reference, message}.
 * `sent` is the flush summary's sent entries, `entry` the report's queue entry if it is still queued
 * (waiting or failed), `needsSignIn` from the summary. state is 'sent' | 'waiting' | 'failed'.
 */
export function sendOutcome({ key, sent = [], entry = null, needsSignIn = false }) {
  const done = sent.find((e) => e.key === key);
  if (!entry) {
    return done?.reportId
      ? { state: 'sent', reference: reportReference(done), message: 'Sent.' }
      : { state: 'sent', reference: reportReference({ key }), message: 'Sent.' };
  }
  const reference = reportReference(entry);
  if (entry.state === 'failed') {
    return { state: 'failed', reference, message: `Not sent: ${entry.error?.message ?? 'refused'} (see My reports today).` };
  }
  if (entry.reportId) return { state: 'sent', reference, message: 'Sent; its photos will follow when there is signal.' };
  if (needsSignIn) return { state: 'waiting', reference, message: 'Saved on this phone: sign in again to send it.' };
  return { state: 'waiting', reference, message: 'Saved on this phone: it will be sent when there is signal.' };
}
