// The profile of one ward (or one grid cell) under the ranking table: its figures for the period,
// a bar chart of incident counts per UK financial-year quarter (GET /api/areas/{level}/{code}/series,
// Chart.js on a <canvas>) and its top categories.
//
// Chart.js is passed in (main wiring imports src/charts.js), so the pure functions here
// (seriesChartData, profileSummary, topCategoriesHtml) are unit-tested under Node without it.

import { escapeHtml, formatInteger } from '../html.js';
import { formatDateRange } from '../periods.js';
import { formatChange, formatRate } from './rankings.js';
import { el } from '../dom.js';

export const BAR_COLOUR = '#6a51a3';
export const BAR_OUTSIDE_COLOUR = '#bcbddc';

/**
 * Chart data of a series answer: {labels, ticks, titles, counts, colours, partial}. Every quarter has its
 * label ("Q1 24/25"); a quarter clipped by the window is "(part)" ("Q4 25/26 (part)": its count is for part
 * of it only), and its tooltip title gives the dates covered. `ticks` are the axis labels on two lines
 * (["Q1", "24/25"]) so that every quarter fits. Quarters that overlap the analysis period ({from, to})
 * are dark, the others light.
 */
export function seriesChartData(series, period = null) {
  const periods = Array.isArray(series?.periods) ? series.periods : [];
  const inPeriod = (p) => !period || (p.from <= period.to && p.to >= period.from);
  const label = (p) => (p.partial ? `${p.label} (part)` : String(p.label));
  return {
    labels: periods.map(label),
    ticks: periods.map((p) => {
      const [quarter, ...year] = String(p.label).split(' ');
      return [quarter, [...year, ...(p.partial ? ['(part)'] : [])].join(' ')];
    }),
    titles: periods.map((p) => (p.partial ? `${p.label}: part only, ${formatDateRange(p.from, p.to)}` : String(p.label))),
    counts: periods.map((p) => (typeof p.count === 'number' ? p.count : 0)),
    colours: periods.map((p) => (inPeriod(p) ? BAR_COLOUR : BAR_OUTSIDE_COLOUR)),
    partial: periods.map((p) => p.partial === true),
  };
}

/** A diagonal hatch of `colour` on white (a canvas pattern) for the bar of a partial quarter; the colour itself without a canvas. */
function hatch(colour) {
  const tile = typeof document !== 'undefined' ? document.createElement('canvas') : null;
  const g = tile?.getContext?.('2d');
  if (!g) return colour;
  tile.width = 8;
  tile.height = 8;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = colour;
  g.lineWidth = 2.5;
  g.beginPath();
  g.moveTo(-2, 10);
  g.lineTo(10, -2);
  g.moveTo(-2, 2);
  g.lineTo(2, -2);
  g.moveTo(6, 10);
  g.lineTo(10, 6);
  g.stroke();
  return g.createPattern(tile, 'repeat');
}

/**
 * Text lines about a ward for the period, from its stats row and the stats meta:
 * ['Rank 1 of 20', '124 incidents, 20.3 per 1,000 residents (population 6,100 in 2021)',
 *  'Previous period: 8 (1.3 per 1,000) ▲ +1450.0%, significant']. Plain text (set with textContent).
 */
export function profileSummary(row, meta, compare = true) {
  if (!row) return [];
  const lines = [];
  if (Number.isInteger(row.rank)) lines.push(`Rank ${row.rank}${Number.isInteger(meta?.rankedAmong) ? ` of ${meta.rankedAmong}` : ''} by rate`);
  const count = `${formatInteger(row.count) ?? 0} incident${row.count === 1 ? '' : 's'}`;
  const rate = formatRate(row.rate);
  if (rate !== null) {
    const population = formatInteger(row.population);
    lines.push(`${count}, ${rate} per 1,000 residents${population ? ` (population ${population}${row.populationYear ? ` in ${row.populationYear}` : ''})` : ''}`);
  } else {
    lines.push(`${count}; ${row.rateNote || 'no population'}, so no rate`);
  }
  if (compare && row.previous) {
    const change = formatChange(row);
    const before = formatRate(row.previous.rate);
    lines.push(
      `Previous period: ${formatInteger(row.previous.count) ?? 0}${before !== null ? ` (${before} per 1,000)` : ''} ` +
        `${change.arrow} ${change.text}, ${change.significant ? 'a significant change' : 'not significant'}`,
    );
  }
  return lines;
}

/** One category as a list item ('ASB: noise' and its count); every value escaped. */
function categoryItemHtml(c, inner = '') {
  return (
    `<li data-category="${escapeHtml(c.category)}"><span class="profile-category">${escapeHtml(c.label ?? c.category)}</span> ` +
    `<span class="profile-category-count">${escapeHtml(formatInteger(c.count) ?? '0')}</span>${inner}</li>`
  );
}

/**
 * The top categories as list items: the answer's topGroups (a group such as "Anti-social behaviour",
 * police.uk's and the council's ASB together, with its parts in a nested list) or plain topCategories
 * entries ('ASB: noise' and its count). Every value escaped.
 */
export function topCategoriesHtml(top) {
  const items = (Array.isArray(top) ? top : []).map((entry) => {
    if (!entry?.group) return categoryItemHtml(entry?.category ? entry : { ...entry, category: entry?.category ?? '' });
    const parts = (entry.parts ?? []).map((part) => categoryItemHtml(part)).join('');
    return (
      `<li data-group="${escapeHtml(entry.group)}"><span class="profile-category">${escapeHtml(entry.label ?? entry.group)}</span> ` +
      `<span class="profile-category-count">${escapeHtml(formatInteger(entry.count) ?? '0')}</span>` +
      `<ul class="profile-category-parts">${parts}</ul></li>`
    );
  });
  return items.length ? items.join('') : '<li class="profile-none">No incidents in this window</li>';
}

/**
 * The profile section (#ward-profile) in `container`, hidden until show() is called:
 * #ward-profile-name, #ward-profile-summary, canvas#ward-profile-chart, #ward-profile-categories,
 * #ward-profile-close. `Chart` is Chart.js's Chart with the bar chart registered.
 */
export function createWardProfile(container, { Chart, onClose = () => {} } = {}) {
  const section = el('section', 'aim-analysis-section ward-profile');
  section.id = 'ward-profile';
  section.hidden = true;
  section.setAttribute('aria-labelledby', 'ward-profile-name');
  const heading = el('div', 'aim-analysis-heading');
  const name = el('h2');
  name.id = 'ward-profile-name';
  const close = el('button', 'aim-link-button', 'Close');
  close.type = 'button';
  close.id = 'ward-profile-close';
  heading.append(name, close);
  const summary = el('ul', 'profile-summary');
  summary.id = 'ward-profile-summary';
  const chartTitle = el('h3', '', 'Incidents per quarter (financial year)');
  const chartBox = el('div', 'profile-chart');
  const canvas = el('canvas');
  canvas.id = 'ward-profile-chart';
  canvas.setAttribute('role', 'img');
  chartBox.append(canvas);
  const chartNote = el('p', 'aim-analysis-note');
  const categoriesTitle = el('h3', '', 'Top categories');
  const categories = el('ol', 'profile-categories');
  categories.id = 'ward-profile-categories';
  const status = el('p', 'aim-analysis-status');
  status.id = 'ward-profile-status';
  section.append(heading, summary, status, chartTitle, chartBox, chartNote, categoriesTitle, categories);
  container.append(section);

  let chart = null;
  let shown = null; // the chart data drawn (its ticks and tooltip titles)
  let request = 0;
  let current = null;
  close.addEventListener('click', () => {
    hide();
    onClose();
  });

  function hide() {
    request++;
    current = null;
    section.hidden = true;
    chart?.destroy();
    chart = null;
  }

  function drawChart(series, period) {
    const data = seriesChartData(series, period);
    canvas.setAttribute('aria-label', `Incidents per quarter: ${data.labels.map((l, k) => `${l} ${data.counts[k]}`).join(', ')}`);
    section.dataset.quarters = data.labels.join('|'); // every quarter's label, "(part)" marked (browser tests read it)
    if (!Chart) return;
    // a partial quarter's bar is hatched in its colour, with the same colour as its border
    const fills = data.colours.map((colour, k) => (data.partial[k] ? hatch(colour) : colour));
    shown = data;
    if (chart) {
      chart.data.labels = data.labels;
      chart.data.datasets[0].data = data.counts;
      chart.data.datasets[0].backgroundColor = fills;
      chart.data.datasets[0].borderColor = data.colours;
      chart.update();
      return;
    }
    chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: data.labels, datasets: [{ label: 'Incidents', data: data.counts, backgroundColor: fills, borderColor: data.colours, borderWidth: 1 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => shown.titles[items[0]?.dataIndex] ?? '' } },
        },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          // every quarter labelled, on two lines ("Q1" over "24/25"), never skipped
          x: { ticks: { autoSkip: false, maxRotation: 0, font: { size: 10 }, callback: (value, index) => shown.ticks[index] ?? '' } },
        },
      },
    });
    // test build only (build.mjs): the browser tests read the drawn axis labels and tooltip titles
    if (typeof AIM_TEST_HOOKS !== 'undefined' && AIM_TEST_HOOKS) {
      window.aimProfileChart = {
        ticks: () => chart?.scales?.x?.ticks?.map((t) => t.label) ?? [],
        titles: () => shown?.titles ?? [],
      };
    }
  }

  return {
    /** What is shown: {kind: 'ward'|'cell', code?, cell?} or null. */
    get current() {
      return current;
    },
    get chart() {
      return chart;
    },
    /**
     * Shows an area: `title`, summary `lines`, and the series from `loadSeries()` (a Promise of the
     * series answer); `period` ({from, to}) is highlighted in the chart.
     */
    async show({ kind, key, title, lines = [], period, loadSeries }) {
      const mine = ++request;
      current = { kind, key };
      section.hidden = false;
      name.textContent = title;
      summary.replaceChildren(...lines.map((line) => el('li', '', line)));
      delete section.dataset.ready;
      status.textContent = 'Loading the quarterly series…';
      status.classList.remove('aim-error');
      try {
        const series = await loadSeries();
        if (mine !== request) return false;
        status.textContent = '';
        drawChart(series, period);
        const partial = series?.periods?.some((p) => p.partial);
        chartNote.textContent =
          `${formatDateRange(series?.meta?.from, series?.meta?.to)}; dark bars overlap the analysis period.` +
          (partial ? ' Hatched bars, "(part)": part of the quarter only (hover for the dates).' : '');
        categories.innerHTML = topCategoriesHtml(series?.topGroups ?? series?.topCategories); // every value escaped
        section.dataset.ready = 'true';
        return true;
      } catch (error) {
        if (mine !== request) return false;
        status.textContent = `Series not loaded: ${error.message}`;
        status.classList.add('aim-error');
        return false;
      }
    },
    /** Updates the summary lines of what is shown (e.g. new stats) without reloading the chart. */
    setLines(lines) {
      summary.replaceChildren(...lines.map((line) => el('li', '', line)));
    },
    hide,
  };
}
