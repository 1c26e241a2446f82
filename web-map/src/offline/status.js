// The "Offline" sign in a page header, and the service worker's registration (sw.js: the pages,
// the map's settings and boundaries and the viewed tiles, kept for use without signal).
//
// Offline = the browser says so (navigator.onLine false), or the last request to the server failed
// or was answered by the worker from its cache (api.js sends an 'aim-network' event for each
// request). The sign goes when a request gets through again or the browser reports 'online'.
//
// Browser tests rely on: #aim-offline (hidden when online).

import './offline.css';
import { fetchAgain } from '../api.js';
import { dataCacheKey } from './shell.js';

export const NETWORK_EVENT = 'aim-network';

/** Whether to show "Offline": {online: navigator.onLine, failed: the last request failed}. */
export function isOffline({ online, failed }) {
  return online === false || failed === true;
}

/**
 * Registers the service worker; a failure only costs the offline copy. On the very first visit the
 * page loads before the worker controls it, so what it showed went past the worker: once the worker
 * takes control, the tiles on the page and the settings and boundaries it loaded are asked for again
 * through it, to be kept (from the browser's HTTP cache where the server allows; nothing that was not
 * shown).
 */
export function registerOfflineCopy() {
  if (!('serviceWorker' in navigator)) return;
  const controlled = Boolean(navigator.serviceWorker.controller);
  if (!controlled) navigator.serviceWorker.addEventListener('controllerchange', keepWhatIsShown, { once: true });
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error) => {
    console.warn('The offline copy of this page could not be set up:', error.message);
  });
}

function keepWhatIsShown() {
  for (const tile of document.querySelectorAll('img.leaflet-tile')) {
    if (tile.src) new Image().src = tile.src; // an image request, as the map's own (sw.js keeps tiles)
  }
  const urls = new Set(performance.getEntriesByType('resource').map((entry) => entry.name));
  for (const url of urls) {
    if (dataCacheKey({ url, method: 'GET' }, window.location.origin)) fetchAgain(url);
  }
}

/** Adds the sign after the header's title and keeps it up to date; returns {offline()}. */
export function createOfflineStatus(header) {
  const sign = document.createElement('span');
  sign.id = 'aim-offline';
  sign.className = 'aim-offline';
  sign.setAttribute('role', 'status');
  sign.textContent = 'Offline';
  sign.title = 'No signal: showing what this device kept from the last visit';
  const title = header.querySelector('h1');
  if (title) title.after(sign);
  else header.prepend(sign);
  const state = { online: navigator.onLine, failed: false };
  const update = () => {
    state.online = navigator.onLine;
    sign.hidden = !isOffline(state);
    document.documentElement.classList.toggle('aim-is-offline', !sign.hidden);
  };
  window.addEventListener('online', () => {
    state.failed = false;
    update();
  });
  window.addEventListener('offline', update);
  window.addEventListener(NETWORK_EVENT, (event) => {
    state.failed = event.detail?.ok === false;
    update();
  });
  update();
  return { offline: () => !sign.hidden };
}
