// Wiring of the warden report page (/report/). The logic lives in form.js (what the form
// offers and sends), queue.js (the outbox and its sender) and store.js (IndexedDB); this
// module connects them to the page, the GPS and the small map.
//
// Offline: the page itself comes from the service worker (sw.js); the signed-in user and the
// categories are kept in localStorage from the last time there was signal (the service worker
// never caches API answers); reports wait in IndexedDB until they can be sent.
//
// Browser tests rely on: #queue-count (data-count = reports waiting), #my-reports li
// (data-state waiting | failed | sent), button[data-category=CODE], #fly-size, #fly-waste,
// #photo-input, #send-report, and (test build only: AIM_TEST_HOOKS) window.aimReport
// {ready, flush(), counts(), location()}.

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
  reportCategoryGroups,
  reportLocation,
  uuid,
  validateReport,
  vocabularyOptions,
} from './form.js';
import { createLocationMap } from './location-map.js';
import { RETRY_INTERVAL_MS, createQueue, queueCounts, todayItems } from './queue.js';
import { openReportStore } from './store.js';

const SAVED_CATEGORIES = 'aim.categories';
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
  fieldErrors([]);
}

// --- location ---

let locationMap = null;

function showGpsStatus() {
  const location = reportLocation(locationMap.gps, locationMap.pin);
  const status = $('gps-status');
  $('use-gps').hidden = !(locationMap.pin && locationMap.gps);
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
    // no signal: no base map, the pin and circle still show
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
  const problems = [];
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

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const formState = {
    category: state.category,
    location: reportLocation(locationMap.gps, locationMap.pin),
    flySize: $('fly-size').value,
    flyWasteType: $('fly-waste').value,
    flyLandType: $('fly-land').value,
    description: $('description').value,
    locationText: $('location-text').value,
    photos: state.photos,
  };
  const problems = validateReport(formState);
  fieldErrors(problems);
  if (problems.length > 0) {
    form.querySelector(`.aim-field-error[data-field="${problems[0].field}"]`)?.scrollIntoView({ block: 'center' });
    return;
  }
  if (!state.queue) {
    $('send-status').textContent = 'This phone cannot keep reports (storage unavailable), so nothing was saved.';
    return;
  }
  const send = $('send-report');
  send.disabled = true;
  try {
    const key = uuid();
    await state.queue.add({
      key,
      report: buildReport(formState, new Date()),
      photos: state.photos.map(({ name, type, blob }) => ({ name, type, blob })),
    });
    resetForm();
    $('send-status').textContent = 'Saved on this phone. Sending…';
    const summary = await flush();
    const entry = (await state.queue.entries()).find((e) => e.key === key);
    let status = 'Saved on this phone: it will be sent when there is signal.';
    if (!entry) status = 'Sent.';
    else if (entry.state === 'failed') status = `Not sent: ${entry.error?.message ?? 'refused'} (see My reports today).`;
    else if (entry.reportId) status = 'Sent; its photos will follow when there is signal.';
    else if (summary?.needsSignIn) status = 'Saved on this phone: sign in again to send it.';
    $('send-status').textContent = status;
  } catch (error) {
    $('send-status').textContent = `The report could not be saved on this phone: ${error.message}`;
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
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error) => {
      console.warn('The offline copy of this page could not be set up:', error.message);
    });
  }
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
