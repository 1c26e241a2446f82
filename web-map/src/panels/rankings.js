// The ward ranking table beside the map (GET /api/areas/stats): rank, ward, count, rate per
// 1,000 residents and, when comparing with the previous period, the change with an arrow and a
// significance marker. A click (or Enter) on a row calls onSelect(code): main wiring zooms to the
// ward and opens its profile. A link downloads the same table as CSV.
//
// rankingRow() and rankingTableHtml() are pure (unit-tested); createRankingPanel() draws them.

import { escapeHtml, formatInteger } from '../html.js';
import { formatP } from '../layers/hotspots.js';
import { el } from '../dom.js';

const MINUS = '\u2212';

/** Rate per 1,000 with 1 decimal ('20.3'), or null without one. */
export function formatRate(rate) {
  return typeof rate === 'number' && Number.isFinite(rate) ? rate.toFixed(1) : null;
}

/**
 * The change column of a row: {direction: 'up'|'down'|'same', arrow, text, significant, marker, title}.
 * text is the percentage change of the count ('+60.0%', '−12.5%', '0.0%'); 'new' when there were
 * none before and some now; '–' when there were none in either period.
 */
export function formatChange(row) {
  const change = row?.change ?? {};
  const now = Number(row?.count ?? 0);
  const before = Number(row?.previous?.count ?? 0);
  const delta = typeof change.count === 'number' ? change.count : now - before;
  const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'same';
  const arrow = { up: '▲', down: '▼', same: '▬' }[direction];
  let text;
  if (typeof change.percent === 'number' && Number.isFinite(change.percent)) {
    const sign = change.percent > 0 ? '+' : change.percent < 0 ? MINUS : '';
    text = `${sign}${Math.abs(change.percent).toFixed(1)}%`;
  } else {
    text = before === 0 && now > 0 ? 'new' : '–';
  }
  const significant = change.significant === true;
  const p = formatP(change.pValue);
  const counts = `${formatInteger(before) ?? 0} → ${formatInteger(now) ?? 0}`;
  const title = `${counts}; ${significant ? 'significant change' : 'not a significant change'}${p ? ` (${p})` : ''}`;
  return { direction, arrow, text, significant, marker: significant ? '*' : '', title };
}

/** The display values of one area row of the stats answer. */
export function rankingRow(area) {
  const a = area || {};
  const rate = formatRate(a.rate);
  return {
    code: a.code ?? '',
    rank: Number.isInteger(a.rank) ? String(a.rank) : '–',
    name: a.name ?? a.code ?? '',
    count: formatInteger(a.count) ?? '0',
    rate: rate ?? (a.rateNote || 'no population'),
    hasRate: rate !== null,
    change: formatChange(a),
  };
}

/** The table's HTML. `compare` adds the change column; `selected` marks a row. Every value is escaped. */
export function rankingTableHtml(areas, { compare = true, selected = null } = {}) {
  const head =
    '<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Ward</th><th scope="col" class="num">Count</th>' +
    '<th scope="col" class="num" title="incidents per 1,000 residents">Rate</th>' +
    (compare ? '<th scope="col" class="num">Change</th>' : '') +
    '</tr></thead>';
  const rows = (areas ?? []).map((area) => {
    const r = rankingRow(area);
    const change = compare
      ? `<td class="num ranking-change ranking-${r.change.direction}" title="${escapeHtml(r.change.title)}">` +
        `<span class="ranking-arrow" aria-hidden="true">${r.change.arrow}</span> ${escapeHtml(r.change.text)}` +
        (r.change.significant ? '<span class="ranking-significant" aria-label="significant">*</span>' : '') +
        '</td>'
      : '';
    return (
      `<tr data-code="${escapeHtml(r.code)}" tabindex="0"${r.code === selected ? ' class="selected" aria-selected="true"' : ''}>` +
      `<td class="num ranking-rank">${escapeHtml(r.rank)}</td>` +
      `<td class="ranking-name">${escapeHtml(r.name)}</td>` +
      `<td class="num ranking-count">${escapeHtml(r.count)}</td>` +
      `<td class="num ranking-rate${r.hasRate ? '' : ' ranking-no-rate'}">${escapeHtml(r.rate)}</td>` +
      change +
      '</tr>'
    );
  });
  return `<table class="ranking-table">${head}<tbody>${rows.join('')}</tbody></table>`;
}

/** The note under the table: what the period is compared with and what the marker means. */
export function rankingNote(meta, compare) {
  if (!compare || !meta) return 'Rate: incidents per 1,000 residents. Click a ward to zoom to it and see its profile.';
  return (
    `Change: against ${meta.previousFrom} to ${meta.previousTo}. * significant (p < ${meta.alpha ?? 0.05}, ` +
    'exact test for two Poisson counts). Click a ward to zoom to it and see its profile.'
  );
}

/**
 * The panel inside `container`: #ward-ranking (the table), #ward-ranking-csv (CSV link),
 * #ward-ranking-note. onSelect(code) on a row's click or Enter.
 */
export function createRankingPanel(container, { onSelect = () => {} } = {}) {
  const section = el('section', 'aim-analysis-section');
  section.setAttribute('aria-labelledby', 'ward-ranking-title');
  const heading = el('div', 'aim-analysis-heading');
  const title = el('h2', '', 'Wards by rate');
  title.id = 'ward-ranking-title';
  const csv = el('a', '', 'CSV');
  csv.id = 'ward-ranking-csv';
  csv.title = 'Download the table as CSV';
  csv.setAttribute('download', '');
  csv.hidden = true;
  heading.append(title, csv);
  const table = el('div', 'ranking');
  table.id = 'ward-ranking';
  const note = el('p', 'aim-analysis-note');
  note.id = 'ward-ranking-note';
  section.append(heading, table, note);
  container.append(section);

  let selected = null;
  let last = null;
  const pick = (row) => {
    if (!row) return;
    onSelect(row.dataset.code);
  };
  table.addEventListener('click', (event) => pick(event.target.closest('tr[data-code]')));
  table.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      const row = event.target.closest('tr[data-code]');
      if (row) {
        event.preventDefault();
        pick(row);
      }
    }
  });

  function draw() {
    if (!last) return;
    table.innerHTML = rankingTableHtml(last.areas, { compare: last.compare, selected }); // every value escaped
    note.textContent = rankingNote(last.meta, last.compare);
  }

  return {
    /** Shows the stats answer; csvUrl for the download link (null hides it). */
    show(stats, { compare, csvUrl }) {
      last = { areas: stats?.areas ?? [], meta: stats?.meta ?? null, compare };
      csv.hidden = !csvUrl;
      if (csvUrl) csv.href = csvUrl;
      draw();
    },
    showMessage(text) {
      last = null;
      table.textContent = text;
      note.textContent = '';
      csv.hidden = true;
    },
    select(code) {
      selected = code;
      draw();
    },
  };
}
