// Wiring of the warden report page (/report/). The logic lives in form.js (what the form
// offers and sends), queue.js (the outbox and its sender) and store.js (IndexedDB); this
// module connects them to the page, the GPS and the small map.
//
// Offline: the page itself comes from the service worker (sw.js), and so do the map settings, the
// ward outlines and the tiles viewed before (offline/shell.js, offline/tiles.js); the header says
// "Offline" (offline/status.js). The signed-in user and the categories are kept in localStorage
// from the last time there was signal; reports wait in IndexedDB until they can be sent.
//
// The form asks where first (the GPS fix starts when the page opens, while the warden chooses the
// category). Errors are shown at Send and each one goes as soon as its field is fixed
// (remainingProblems). After Send the form gives way to #report-done at the top: the reference
// (the report's id, or the queued reference while it waits) and a "New report" button.
//
// Browser tests rely on: #report-done (#report-reference, #send-status, #new-report),
// .aim-field-error[data-field], #queue-count (data-count = reports waiting), #my-reports li
// (data-state waiting | failed | sent), button[data-category=CODE], #fly-size, #fly-waste,
// #photo-input, #send-report, and (test build only: AIM_TEST_HOOKS) window.aimReport
// {ready, flush(), counts(), location(), map (the pin map)}.

import * as L from 'leaflet/dist/leaflet-src.esm.js';
import 'leaflet/dist/leaflet.css';
import '../pages.css';
import './report.css';
import * as api from '../api.js';
import { el } from '../dom.js';
import { escapeHtml } from '../html.js';
import { createBasemap } from '../layers/basemap.js';
import { loginUrl } from '../next-path.js';
import { REPORTING_ROLES } from '../panels/account.js';
import { forgetUser, savedUser, saveUser } from '../session-hint.js';
import {
  FLY_TIPPING,
  ROUGH_ACCURACY_M,
  buildReport,
  localIsoDate,
  localTime,
  photoProblem,
  remainingProblems,
  reportCategoryGroups,
  reportLocation,
  reportReference,
  sendOutcome,
  uuid,
  validateReport,
  vocabularyOptions,
} from './form.js';
import { createLocationMap } from './location-map.js';
import { createOfflineStatus, registerOfflineCopy } from '../offline/status.js';
import { RETRY_INTERVAL_MS, createQueue, queueCounts, todayItems } from './queue.js';
import { openReportStore } from './store.js';

const SAVED_CATEGORIES = 'aim.categories';
/** Simplification of the ward outlines on the pin map, in metres (street-level zoom: fine detail). */
const WARD_SIMPLIFY = 5;
const HERE = '/report/';

const $ = (id) => document.getElementById(id);
const form = $('report-form');
const state = {
  user: null,
  taxonomy: null,
  labels: {},
  category: null,
  photos: [], // [{name, type, blob, url}]
  serverReports: [],
  entries: [],
  queue: null,
  shownProblems: [], // the errors on the form now (from the last Send, less those fixed since)
};
if (AIM_TEST_HOOKS) window.aimReport = { ready: false };

// --- small helpers ---

function savedCategories() {
  try {
    return JSON.parse(localStorage.getItem(SAVED_CATEGORIES) ?? 'null');
  } catch {
    return null;
  }
}

function saveCategories(value) {
  try {
    localStorage.setItem(SAVED_CATEGORIES, JSON.stringify(value));
  } catch {
    // private mode or full: the page still works while it is open
  }
}

function pageMessage(text) {
  const element = $('page-message');
  element.textContent = text ?? '';
  element.hidden = !text;
}

function fieldErrors(problems) {
  state.shownProblems = problems;
  for (const element of form.querySelectorAll('.aim-field-error')) {
    const problem = problems.find((p) => p.field === element.dataset.field);
    element.textContent = problem ? problem.message : '';
    element.hidden = !problem;
  }
}

// --- who is signed in ---

function showAccount() {
  const box = $('aim-account');
  box.replaceChildren();
  if (!state.user) return;
  const name = el('span', '', state.user.displayName || state.user.username);
  const out = el('a', '', 'Sign out');
  out.href = loginUrl(HERE);
  out.id = 'aim-signout';
  out.addEventListener('click', async (event) => {
    event.preventDefault();
    const { waiting } = queueCounts(state.entries);
    if (waiting > 0 && !window.confirm(`${waiting} report(s) are still waiting to send. They will be sent after you sign in again. Sign out?`)) return;
    try {
      await api.logOut();
    } catch {
      // offline: the session ends on the server when it expires
    }
    forgetUser();
    window.location.assign(loginUrl(HERE));
  });
  box.append(name, ' · ', out);
}

/** true when the page may go on (signed in, or offline with a remembered user). */
async function loadUser() {
  try {
    const user = await api.getMe();
    if (!user) {
      forgetUser();
      window.location.replace(loginUrl(HERE));
      return false;
    }
    state.user = user;
    saveUser(user);
  } catch (error) {
    state.user = savedUser(); // no signal: the last user signed in on this phone
    if (!error.network) pageMessage(`Could not check who is signed in: ${error.message}`);
  }
  showAccount();
  return true;
}

// --- categories and fly-tipping details ---

async function loadCategories() {
  try {
    state.taxonomy = await api.getCategories();
    saveCategories(state.taxonomy);
  } catch (error) {
    state.taxonomy = savedCategories();
    if (!state.taxonomy) {
      $('categories').innerHTML = `<p class="aim-error">The categories could not be loaded (${escapeHtml(error.message)}). Open this page once with signal.</p>`;
      return;
    }
  }
  state.labels = Object.fromEntries((state.taxonomy.categories ?? []).map((c) => [c.code, c.label]));
  renderCategories();
  fillSelect($('fly-size'), state.taxonomy.flyTipping?.sizes);
  fillSelect($('fly-waste'), state.taxonomy.flyTipping?.wasteTypes);
  fillSelect($('fly-land'), state.taxonomy.flyTipping?.landTypes);
  renderList();
}

function fillSelect(select, vocabulary) {
  select.length = 1; // keep the "Choose…" option
  for (const option of vocabularyOptions(vocabulary)) select.add(new Option(option.label, option.value));
}

function renderCategories() {
  const container = $('categories');
  container.replaceChildren();
  for (const group of reportCategoryGroups(state.taxonomy)) {
    const box = el('div', `aim-category-group aim-group-${group.group}`);
    if (group.categories.length > 1 || group.title !== group.categories[0].short) {
      box.append(el('h3', '', group.title));
    }
    const buttons = el('div', 'aim-category-buttons');
    for (const category of group.categories) {
      const button = el('button', 'aim-category', category.short);
      button.type = 'button';
      button.dataset.category = category.code;
      button.title = category.label;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => chooseCategory(category.code));
      buttons.append(button);
    }
    box.append(buttons);
    container.append(box);
  }
}

function chooseCategory(code) {
  state.category = code;
  for (const button of document.querySelectorAll('.aim-category')) {
    button.setAttribute('aria-pressed', String(button.dataset.category === code));
  }
  $('fly-details').hidden = code !== FLY_TIPPING;
  recheck();
}

/** The form as validateReport() and buildReport() take it. */
function formState() {
  return {
    category: state.category,
    location: locationMap ? reportLocation(locationMap.gps, locationMap.pin) : null,
    flySize: $('fly-size').value,
    flyWasteType: $('fly-waste').value,
    flyLandType: $('fly-land').value,
    description: $('description').value,
    locationText: $('location-text').value,
    photos: state.photos,
  };
}

/** After any change: drop the errors of the fields now fixed (none are added before the next Send). */
function recheck() {
  if (state.shownProblems.length === 0) return;
  fieldErrors(remainingProblems(state.shownProblems, validateReport(formState())));
}

for (const id of ['fly-size', 'fly-waste']) $(id).addEventListener('change', recheck);

// --- location ---

let locationMap = null;

function showGpsStatus() {
  const location = reportLocation(locationMap.gps, locationMap.pin);
  const status = $('gps-status');
  $('use-gps').hidden = !(locationMap.pin && locationMap.gps);
  recheck();
  if (!location) return;
  if (location.source === 'pin') {
    status.textContent = 'Pin placed by hand (drag it or tap the map to move it).';
  } else {
    const metres = Math.round(location.accuracyM ?? 0);
    status.textContent = metres > ROUGH_ACCURACY_M
      ? `GPS is rough (±${metres} m): drag the pin to the right place.`
      : `GPS position, ±${metres} m. Drag the pin if it is not quite right.`;
  }
}

function startLocation() {
  locationMap = createLocationMap(L, $('report-map'), { onChange: showGpsStatus });
  $('use-gps').addEventListener('click', () => locationMap.useGps());
  api.getConfig().then((config) => {
    const basemap = createBasemap(L, config?.tiles);
    if (basemap) basemap.addTo(locationMap.map);
  }).catch(() => {
    // no signal and no kept copy: no base map, the pin and circle still show
  });
  // the ward outlines, for orientation (not clickable: a tap places the pin)
  api.getBoundaries('ward', { simplify: WARD_SIMPLIFY }).then((wards) => {
    L.geoJSON(wards, { interactive: false, style: { color: '#1d3557', weight: 1.5, opacity: 0.7, fill: false, className: 'aim-report-ward' } })
      .addTo(locationMap.map);
  }).catch(() => {
    // no signal and no kept copy: the map works without them
  });
  if (!navigator.geolocation) {
    $('gps-status').textContent = 'This phone gives no GPS position: tap the map where it is.';
    return;
  }
  navigator.geolocation.watchPosition(
    (position) => locationMap.setGps({
      lat: position.coords.latitude,
      lon: position.coords.longitude,
      accuracy: position.coords.accuracy,
    }),
    (error) => {
      if (locationMap.gps) return; // keep the last fix
      $('gps-status').textContent = error.code === error.PERMISSION_DENIED
        ? 'Location is turned off for this page: allow it, or tap the map where it is.'
        : 'No GPS position yet: tap the map where it is, or wait.';
    },
    { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 },
  );
}

// --- photos ---

function renderPhotos() {
  const list = $('photo-previews');
  list.replaceChildren();
  state.photos.forEach((photo, index) => {
    const item = el('li');
    const img = el('img');
    img.src = photo.url;
    img.alt = `Photo ${index + 1}`;
    const remove = el('button', 'aim-button aim-small', 'Remove');
    remove.type = 'button';
    remove.addEventListener('click', () => {
      URL.revokeObjectURL(photo.url);
      state.photos.splice(index, 1);
      renderPhotos();
    });
    item.append(img, remove);
    list.append(item);
  });
  $('photo-add').hidden = photoProblem({ type: 'image/jpeg', size: 1 }, state.photos.length) !== null;
}

$('photo-input').addEventListener('change', (event) => {
  const input = event.target;
  const problems = state.shownProblems.filter((p) => p.field !== 'photos'); // the other errors stay
  for (const file of input.files) {
    const problem = photoProblem(file, state.photos.length);
    if (problem) {
      problems.push({ field: 'photos', message: problem });
      continue;
    }
    state.photos.push({ name: file.name || 'photo.jpg', type: file.type, blob: file, url: URL.createObjectURL(file) });
  }
  input.value = ''; // the same file may be chosen again
  fieldErrors(problems);
  renderPhotos();
});

// --- sending ---

function resetForm() {
  form.reset();
  chooseCategory(null);
  state.photos.forEach((photo) => URL.revokeObjectURL(photo.url));
  state.photos = [];
  renderPhotos();
  locationMap.reset();
}

/** The form gives way to the reference and "New report", at the top of the page. */
function showDone({ state: outcome, reference, message }) {
  const done = $('report-done');
  done.dataset.state = outcome;
  $('done-heading').textContent = outcome === 'sent' ? 'Report sent' : outcome === 'failed' ? 'Report not sent' : 'Report saved on this phone';
  $('report-reference').textContent = reference;
  $('send-status').textContent = message;
  form.hidden = true;
  done.hidden = false;
  window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
  $('done-heading').focus({ preventScroll: true });
}

$('new-report').addEventListener('click', () => {
  $('report-done').hidden = true;
  form.hidden = false;
  locationMap?.map.invalidateSize(); // the map was hidden with the form
  window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
  $('where-heading').scrollIntoView({ block: 'start' });
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const current = formState();
  const problems = validateReport(current);
  fieldErrors(problems);
  if (problems.length > 0) {
    form.querySelector(`.aim-field-error[data-field="${problems[0].field}"]`)?.scrollIntoView({ block: 'center' });
    return;
  }
  if (!state.queue) {
    $('form-status').textContent = 'This phone cannot keep reports (storage unavailable), so nothing was saved.';
    return;
  }
  const send = $('send-report');
  send.disabled = true;
  $('form-status').textContent = '';
  try {
    const key = uuid();
    await state.queue.add({
      key,
      report: buildReport(current, new Date()),
      photos: state.photos.map(({ name, type, blob }) => ({ name, type, blob })),
    });
    resetForm();
    showDone({ state: 'waiting', reference: reportReference({ key }), message: 'Saved on this phone. Sending…' });
    const summary = await flush();
    const entry = (await state.queue.entries()).find((e) => e.key === key) ?? null;
    showDone(sendOutcome({ key, sent: summary?.sent ?? [], entry, needsSignIn: summary?.needsSignIn ?? false }));
  } catch (error) {
    $('form-status').textContent = `The report could not be saved on this phone: ${error.message}`;
  } finally {
    send.disabled = false;
  }
});

async function flush() {
  if (!state.queue) return null;
  let summary;
  try {
    summary = await state.queue.flush();
  } catch (error) {
    pageMessage(`Reports could not be read from this phone's storage: ${error.message}`);
    return null;
  }
  $('sign-in-message').hidden = !summary.needsSignIn;
  if (summary.sent.length > 0 || state.serverReports.length === 0) loadMyReports();
  return summary;
}

async function loadMyReports() {
  if (!state.user) return;
  try {
    state.serverReports = await api.getMyReports(localIsoDate(new Date()));
    renderList();
  } catch {
    // offline or not yet available: the queued ones are still listed
  }
}

// --- the counter and the list ---

async function refreshQueue() {
  state.entries = await state.queue.entries();
  renderList();
}

function renderList() {
  const { waiting, failed } = queueCounts(state.entries);
  const counter = $('queue-count');
  counter.dataset.count = String(waiting);
  counter.dataset.failed = String(failed);
  counter.textContent = `${waiting} waiting to send${failed ? ` · ${failed} not sent` : ''}`;
  counter.classList.toggle('aim-has-waiting', waiting > 0);

  const list = $('my-reports');
  list.replaceChildren();
  const items = todayItems(state.serverReports, state.entries, state.labels);
  if (items.length === 0) {
    list.append(el('li', 'aim-muted', 'None yet.'));
  }
  for (const item of items) {
    const li = el('li');
    li.dataset.state = item.state;
    if (item.reportId) li.dataset.reportId = String(item.reportId);
    const badge = item.state === 'sent' ? (item.status ?? 'sent') : item.state === 'failed' ? 'not sent' : 'waiting';
    li.innerHTML =
      `<span class="aim-report-what">${escapeHtml(item.categoryLabel)}</span>` +
      `<span class="aim-report-when">${escapeHtml(localTime(item.time))}</span>` +
      `<span class="aim-report-ref">${escapeHtml(reportReference(item))}</span>` +
      (item.photos ? `<span class="aim-report-photos">${item.photos} photo${item.photos === 1 ? '' : 's'}</span>` : '') +
      `<span class="aim-badge aim-badge-${escapeHtml(item.state)}">${escapeHtml(badge)}</span>` +
      (item.error ? `<p class="aim-error">${escapeHtml(item.error)}</p>` : '');
    if (item.state === 'failed') {
      for (const [label, action] of [['Try again', 'retry'], ['Discard', 'discard']]) {
        const button = el('button', 'aim-button aim-small', label);
        button.type = 'button';
        button.addEventListener('click', async () => {
          if (action === 'discard' && !window.confirm('Discard this report? It has not been sent.')) return;
          await state.queue[action](item.key);
          if (action === 'retry') flush();
        });
        li.append(button);
      }
    }
    list.append(li);
  }
}

// --- start ---

async function start() {
  registerOfflineCopy();
  createOfflineStatus(document.querySelector('.aim-header'));
  if (!(await loadUser())) return;
  if (state.user && !REPORTING_ROLES.includes(state.user.role)) {
    pageMessage(`The ${state.user.role} role cannot record reports. Sign in as a warden to report.`);
    $('send-report').disabled = true;
  }
  startLocation();
  renderPhotos();
  await loadCategories();
  try {
    const storage = await openReportStore();
    state.queue = createQueue({
      storage,
      api,
      currentUser: () => state.user?.username ?? null,
      onChange: () => refreshQueue(),
    });
    await refreshQueue();
  } catch (error) {
    pageMessage(`Reports cannot be kept on this phone: ${error.message}`);
  }
  if (AIM_TEST_HOOKS) {
    window.aimReport = {
      ready: true,
      flush,
      counts: () => queueCounts(state.entries),
      location: () => reportLocation(locationMap.gps, locationMap.pin),
      map: locationMap.map,
    };
  }
  // Send what is waiting: now, when the signal comes back, and every 20 s in between. (A session
  // that ended meanwhile shows as a "sign in again" message, not as a redirect that would lose
  // a half-filled form; the redirect to log-in happens when the page is opened.)
  // (Not while the phone knows it has no signal: the 'online' event sends them when it comes back.)
  const flushWhenOnline = () => (navigator.onLine === false ? null : flush());
  window.addEventListener('online', () => flush());
  setInterval(flushWhenOnline, RETRY_INTERVAL_MS);
  await flushWhenOnline();
  loadMyReports();
}

start().catch((error) => {
  pageMessage(`The report page failed to start: ${error.message}`);
  if (AIM_TEST_HOOKS) window.aimReport = { ready: false, error: error.message };
});
