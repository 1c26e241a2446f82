// A folding side panel: a bar with the fold toggle ("Label ▾" open, "Label ▸" folded) and a short
// status, and the body the panel's sections go in. Used by the analysis, community-assets and
// problems panels. Three layouts (panels/layout.css):
//   wide (over 1199 px)    columns beside the map; a folded panel keeps its bar (problems: nothing)
//   compact (701–1199 px)  a projector or small laptop: panels overlay the map's left or right edge,
//                          folded to a tab, and one is open at a time, so the map keeps most of the width
//   narrow (up to 700 px)  a phone: bottom sheets with three heights (panel-layout.js SHEET_HEIGHTS),
//                          folded to a peek bar, one open at a time; the handle changes the height (tap,
//                          or drag up or down); the open popup is kept above the sheet
// Folded at first on a phone; in the compact layout only the first panel made starts open.

import { el, isNarrow } from '../dom.js';
import { fitPadding, nextSheet, panOffset, sheetAfterDrag, visibleArea } from './panel-layout.js';

/** The toggle's text for the panel open or folded. */
export const foldText = (label, expanded) => `${label} ${expanded ? '▾' : '▸'}`;

/** Whether one panel at a time (a phone or a projector's 1024 px): the media query of layout.css. */
export const isCompact = () => typeof window !== 'undefined' && Boolean(window.matchMedia?.('(max-width: 1199px)').matches);

const panels = []; // every side panel of the page, in the order made: {aside, bar, setExpanded, expanded}
const followed = new WeakSet(); // maps whose popups are kept clear of the panels

/** An element's {top, bottom, left, right} in viewport px (a plain object: a DOMRect's fields do not spread). */
function rectOf(element) {
  const r = element.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
}

/** The part of the map (viewport px) that no panel covers. */
export function visibleMapArea(map) {
  const shown = panels.filter((p) => p.aside.isConnected && !p.aside.hidden).map((p) => rectOf(p.aside));
  return visibleArea(rectOf(map.getContainer()), shown);
}

/** fitBounds padding that keeps what is fitted clear of the panels (a phone's sheet, a projector's overlay), plus `margin` px. */
export function panelPadding(map, margin = 0) {
  return fitPadding(rectOf(map.getContainer()), visibleMapArea(map), margin);
}

/**
 * Pans the map (if needed) so that `latlng` lies in the part no panel covers, with room `above` it
 * and `beside` it (a popup's size, px). Used for the open popup and a selected feature.
 */
export function keepInView(map, latlng, { above = 0, beside = 0 } = {}) {
  if (!latlng) return;
  const box = rectOf(map.getContainer());
  const point = map.latLngToContainerPoint(latlng);
  const { dx, dy } = panOffset({ x: box.left + point.x, y: box.top + point.y }, visibleMapArea(map), { above, beside });
  if (dx !== 0 || dy !== 0) map.panBy([dx, dy], { animate: false });
}

/** Keeps every popup of `map` out from under the panels: when it opens and when a panel changes size. */
function followPopups(map) {
  if (followed.has(map)) return;
  followed.add(map);
  let popup = null;
  const fit = () => {
    const box = popup?.getElement?.();
    if (!popup || !box || !map.hasLayer(popup)) return;
    // Leaflet's own autoPan keeps the popup in the map; this keeps it out from under the panels too
    map.stop();
    keepInView(map, popup.getLatLng(), { above: box.offsetHeight + 20, beside: box.offsetWidth / 2 });
  };
  map.on('popupopen', (event) => {
    popup = event.popup;
    setTimeout(fit); // after Leaflet has laid the popup out
  });
  map.on('popupclose', (event) => {
    if (event.popup === popup) popup = null;
  });
  map.aimKeepPopupInView = fit;
}

/**
 * Phone: the folded sheets' peek bars stacked from the bottom, and the open sheet above them (so every
 * panel's bar stays in reach); the workspace learns the bars' height (--aim-sheet-peek) for Leaflet's
 * bottom controls. Elsewhere the CSS alone places the panels.
 */
function layoutSheets() {
  const narrow = isNarrow();
  let offset = 0;
  for (const p of panels) {
    if (!narrow || p.expanded()) continue;
    p.aside.style.bottom = `${offset}px`;
    if (p.aside.isConnected && !p.aside.hidden && p.aside.offsetHeight > 0) offset += p.aside.offsetHeight;
  }
  for (const p of panels) {
    if (!narrow) p.aside.style.bottom = '';
    else if (p.expanded()) p.aside.style.bottom = `${offset}px`;
  }
  const workspace = panels[0]?.aside.parentElement;
  workspace?.style.setProperty('--aim-sheet-peek', narrow ? `${offset}px` : '0px');
}

if (typeof window !== 'undefined') {
  window.matchMedia?.('(max-width: 700px)').addEventListener?.('change', () => layoutSheets());
}

/**
 * Fills `aside` with the bar and an empty body. `prefix` names the classes (`${prefix}-bar`, -toggle,
 * -short, -body); `ids` gives the toggle's, the short status's and the body's element ids; the panel lies
 * on the map's left if `aside` comes before the map in the page, else on its right; `onToggle(expanded)`
 * is called after every fold or unfold (e.g. to load what the opened panel shows).
 * Returns {body, setExpanded(expanded), expanded(), setShortStatus(text), sheet(), setSheet(height)}.
 */
export function createSidePanel(aside, { map, label, prefix, ids, onToggle = () => {} }) {
  aside.classList.add('aim-side-panel');
  const beforeMap = aside.compareDocumentPosition(map.getContainer()) & Node.DOCUMENT_POSITION_FOLLOWING;
  aside.dataset.side = beforeMap ? 'left' : 'right';
  const bar = el('div', `${prefix}-bar aim-side-bar`);
  // the sheet's handle (shown on a phone only): tap for the next height, drag for taller or shorter
  const handle = el('button', 'aim-sheet-handle');
  handle.type = 'button';
  handle.id = `${ids.body}-handle`;
  handle.setAttribute('aria-controls', ids.body);
  const toggle = el('button', `${prefix}-toggle`, label);
  toggle.type = 'button';
  toggle.id = ids.toggle;
  toggle.setAttribute('aria-controls', ids.body);
  const shortStatus = el('span', `${prefix}-short`);
  shortStatus.id = ids.short;
  bar.append(handle, toggle, shortStatus);
  const body = el('div', `${prefix}-body`);
  body.id = ids.body;
  aside.append(bar, body);
  const expanded = () => !aside.classList.contains('collapsed');
  function setSheet(height) {
    const open = height !== 'peek';
    aside.dataset.sheet = height;
    handle.setAttribute('aria-label', `${label}: ${height === 'peek' ? 'folded' : height === 'half' ? 'half height' : 'full height'}; change the height`);
    aside.classList.toggle('collapsed', !open);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = foldText(label, open);
    // one panel open at a time on a phone or a projector
    if (open && isCompact()) panels.filter((p) => p.aside !== aside && p.expanded()).forEach((p) => p.setExpanded(false));
    layoutSheets();
    map.invalidateSize({ pan: false });
    map.aimKeepPopupInView?.();
    onToggle(open);
  }
  /** Opens (at half height, or as it is if open) or folds the panel. */
  function setExpanded(open) {
    setSheet(open ? (expanded() ? aside.dataset.sheet : 'half') : 'peek');
  }
  toggle.addEventListener('click', () => setExpanded(!expanded()));
  let dragFrom = null;
  handle.addEventListener('pointerdown', (event) => {
    dragFrom = event.clientY;
  });
  handle.addEventListener('pointerup', (event) => {
    if (dragFrom === null) return;
    const dy = event.clientY - dragFrom;
    dragFrom = null;
    setSheet(sheetAfterDrag(aside.dataset.sheet, dy));
  });
  handle.addEventListener('pointercancel', () => {
    dragFrom = null;
  });
  handle.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    setSheet(nextSheet(aside.dataset.sheet));
  });
  const panel = { aside, setExpanded, expanded };
  panels.push(panel);
  followPopups(map);
  // folded on a phone; on a projector open only if no other panel is
  setExpanded(!isNarrow() && !(isCompact() && panels.some((p) => p !== panel && p.expanded())));
  return {
    body,
    setExpanded,
    expanded,
    setShortStatus(text) {
      shortStatus.textContent = text;
    },
    sheet: () => aside.dataset.sheet,
    setSheet,
  };
}
