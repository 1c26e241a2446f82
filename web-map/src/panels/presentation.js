// Presentation mode and print: what a meeting room's projector or a printed page shows.
//   Presentation  the header's "Presentation" button (#aim-presentation) or the P key: the header, the
//                 side panels and the map's tool controls go; the map, its legend (opened), the
//                 caption (title and period) and the attribution stay, in larger type
//                 (panels/presentation.css). Esc or the "Exit presentation" button (#aim-presentation-exit) ends it.
//   Print         print.css lays the page out; here the caption is brought up to date, the legend
//                 opened and Leaflet told the map's new size (beforeprint and the print media query:
//                 Chromium fires the latter for print emulation too), and put back after.
// The caption (#aim-map-caption, over the map's top) says what is shown and for which period, once.

import { el } from '../dom.js';
import { formatDateRange } from '../periods.js';

/** The words of each hotspot method in the caption. */
const METHOD_TITLES = {
  forecast: 'Forecast hotspots',
  grid: 'Incident counts per cell',
  gistar: 'Hot spots (Gi*)',
  kde: 'Incident density',
  emerging: 'Emerging hot spots',
};

/**
 * The caption's title for a map view (view-url.js's fields: layers, method): the thematic layers shown
 * (hotspot cells, ward rates), else the point layers, else the boundaries, e.g. "Hot spots (Gi*) · Ward rates".
 */
export function captionTitle(view = {}) {
  const layers = view.layers ?? [];
  const thematic = [];
  if (layers.includes('hotspots')) thematic.push(METHOD_TITLES[view.method] ?? 'Hot spots');
  if (layers.includes('rates')) thematic.push('Ward rates');
  if (thematic.length > 0) return thematic.join(' · ');
  const points = [['incidents', 'Incidents'], ['problems', 'Problems'], ['assets', 'Community assets']]
    .filter(([name]) => layers.includes(name))
    .map(([, title]) => title);
  if (points.length > 0) return points.join(' · ');
  return layers.includes('wards') || layers.length === 0 ? 'Wards' : 'Boundaries';
}

/** The caption's period line: 'Period: 1 Jul – 30 Sep 2026', or '' without a whole period. */
export function captionPeriod(view = {}) {
  const range = formatDateRange(view.from, view.to);
  return range ? `Period: ${range}` : '';
}

/**
 * What a key press does: 'toggle' (P, not typed into a field, no modifier), 'exit' (Escape) or null.
 * `event` is a KeyboardEvent (or {key, ctrlKey, metaKey, altKey, target}).
 */
export function presentationKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === 'Escape') return 'exit';
  if (event.key !== 'p' && event.key !== 'P') return null;
  const target = event.target;
  const typing = target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
  return typing ? null : 'toggle';
}

/**
 * deps: {map, header (the button goes in it), view() (the map view as view-url.js has it), title}.
 * `title` is the page's name before the view's words (default 'AIM'). Returns {enter(), exit(), toggle(),
 * active(), update()} (update: the caption after the view changed).
 */
export function createPresentation({ map, header, view, title = 'AIM' }) {
  const body = document.body;
  const caption = el('div', 'aim-map-caption');
  caption.id = 'aim-map-caption';
  const heading = el('h2', 'aim-caption-title');
  heading.id = 'aim-caption-title';
  const period = el('p', 'aim-caption-period');
  period.id = 'aim-caption-period';
  caption.append(heading, period);
  const exitButton = el('button', 'aim-presentation-exit', 'Exit presentation');
  exitButton.type = 'button';
  exitButton.id = 'aim-presentation-exit';
  exitButton.title = 'Back to the full map (Esc)';
  map.getContainer().append(caption, exitButton);
  for (const part of [caption, exitButton]) {
    part.addEventListener('click', (event) => event.stopPropagation());
    part.addEventListener('dblclick', (event) => event.stopPropagation());
  }

  const button = el('button', 'aim-presentation-open', 'Presentation');
  button.type = 'button';
  button.id = 'aim-presentation';
  button.title = 'Show only the map, its legend and period, in large type (P)';
  button.setAttribute('aria-pressed', 'false');
  header.append(button);

  function update() {
    const shown = view();
    heading.textContent = `${title}: ${captionTitle(shown)}`;
    period.textContent = captionPeriod(shown);
    period.hidden = !period.textContent;
  }

  // the legend is opened while presenting or printing, then put back as the user had it
  let legendWasOpen = null;
  function openLegend() {
    const legend = document.getElementById('hotspot-legend');
    if (!legend || legendWasOpen !== null) return;
    legendWasOpen = legend.open;
    legend.open = true;
  }
  function restoreLegend() {
    const legend = document.getElementById('hotspot-legend');
    if (legend && legendWasOpen !== null && !active()) legend.open = legendWasOpen;
    if (!active()) legendWasOpen = null;
  }

  const active = () => body.classList.contains('aim-presenting');
  function set(on) {
    if (on === active()) return;
    update();
    if (on) openLegend();
    body.classList.toggle('aim-presenting', on);
    button.setAttribute('aria-pressed', String(on));
    if (!on) restoreLegend();
    map.invalidateSize({ pan: false });
    (on ? exitButton : button).focus({ preventScroll: true });
  }

  button.addEventListener('click', () => set(true));
  exitButton.addEventListener('click', () => set(false));
  document.addEventListener('keydown', (event) => {
    const action = presentationKey(event);
    if (action === 'toggle') set(!active());
    else if (action === 'exit' && active()) set(false);
  });

  // print: the same caption and legend, and the map laid out again at the page's size
  function beforePrint() {
    update();
    openLegend();
    map.invalidateSize({ pan: false });
  }
  function afterPrint() {
    restoreLegend();
    map.invalidateSize({ pan: false });
  }
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);
  window.matchMedia?.('print').addEventListener?.('change', (event) => (event.matches ? beforePrint() : afterPrint()));
  map.on('overlayadd overlayremove', update);
  update();

  return { enter: () => set(true), exit: () => set(false), toggle: () => set(!active()), active, update };
}
