// Analysis periods: the date presets of the hotspot panel and the UK financial year.
//
// The UK financial year runs from 1 April to 31 March; its quarters are Q1 April–June, Q2
// July–September, Q3 October–December and Q4 January–March (of the next calendar year), written
// "Q1 24/25" like the server's series labels (aim.hotspots.FinancialQuarter). Dates are plain
// 'YYYY-MM-DD' strings, inclusive at both ends, as the API takes them; arithmetic is done on
// calendar dates (UTC), so no time zone or clock change can shift a day. "Today" is the date in
// the UK (Europe/London), where the council is, whatever the device's time zone.
//
// Pure: no DOM.

const pad = (n) => String(n).padStart(2, '0');
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The presets offered, in order: [{id, label}]. */
export const PRESETS = [
  { id: 'last-month', label: 'Last month' },
  { id: 'last-quarter', label: 'Last quarter' },
  { id: 'this-fy', label: 'This financial year' },
  { id: 'custom', label: 'Custom dates' },
];

/** {year, month (1-12), day} of 'YYYY-MM-DD', or null when it is not a real date. */
export function parseDate(text) {
  const match = typeof text === 'string' ? DATE.exec(text) : null;
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** 'YYYY-MM-DD' of a calendar date; month and day may overflow (month 13, day 0) and are normalised. */
export function formatDate(year, month, day) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0-99 are not read as 19xx
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The date `days` after (or before, when negative) an ISO date. */
export function addDays(iso, days) {
  const d = parseDate(iso);
  if (!d) throw new Error(`Not a date: ${iso}`);
  return formatDate(d.year, d.month, d.day + days);
}

/** Today's date in the UK ('YYYY-MM-DD'), for a Date (default now). */
export function ukToday(now = new Date()) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(now);
  const part = Object.fromEntries(parts.map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}`;
}

/** The financial quarter containing a date: {startYear (2024 for 24/25), quarter 1-4}. */
export function financialQuarter(iso) {
  const d = parseDate(iso);
  if (!d) throw new Error(`Not a date: ${iso}`);
  const sinceApril = d.month - 4; // January to March belong to the year that started the April before
  return { startYear: sinceApril < 0 ? d.year - 1 : d.year, quarter: Math.floor((((sinceApril % 12) + 12) % 12) / 3) + 1 };
}

/** First day of a financial quarter. */
export function quarterStart({ startYear, quarter }) {
  return formatDate(startYear, 4 + 3 * (quarter - 1), 1);
}

/** Last day of a financial quarter (inclusive). */
export function quarterEnd({ startYear, quarter }) {
  return formatDate(startYear, 4 + 3 * quarter, 0); // day 0 of the next month
}

/** The quarter before. */
export function previousQuarter({ startYear, quarter }) {
  return quarter === 1 ? { startYear: startYear - 1, quarter: 4 } : { startYear, quarter: quarter - 1 };
}

/** '24/25' for the year starting in 2024; 1999 -> '99/00'. */
export function financialYearLabel(startYear) {
  const two = (y) => pad(((y % 100) + 100) % 100);
  return `${two(startYear)}/${two(startYear + 1)}`;
}

/** 'Q1 24/25' */
export function quarterLabel(q) {
  return `Q${q.quarter} ${financialYearLabel(q.startYear)}`;
}

/**
 * The dates of a preset relative to `today` (UK date): {from, to, label}, or null for 'custom'
 * (and unknown presets).
 *   last-month:   the previous calendar month, whole;
 *   last-quarter: the last complete financial quarter (the one before the quarter containing today);
 *   this-fy:      1 April of the financial year containing today, to today.
 */
export function presetPeriod(preset, today) {
  const d = parseDate(today);
  if (!d) throw new Error(`Not a date: ${today}`);
  switch (preset) {
    case 'last-month': {
      const from = formatDate(d.year, d.month - 1, 1);
      const to = formatDate(d.year, d.month, 0);
      const m = parseDate(from);
      return { from, to, label: `${MONTHS[m.month - 1]} ${m.year}` };
    }
    case 'last-quarter': {
      const q = previousQuarter(financialQuarter(today));
      return { from: quarterStart(q), to: quarterEnd(q), label: quarterLabel(q) };
    }
    case 'this-fy': {
      const { startYear } = financialQuarter(today);
      return { from: formatDate(startYear, 4, 1), to: today, label: `${startYear}/${financialYearLabel(startYear).slice(3)} to date` };
    }
    default:
      return null;
  }
}

/**
 * The window of the quarterly chart for a period ending on `to`: the `quarters` financial quarters
 * up to and including the one containing `to` (the last one clipped at `to`).
 */
export function seriesWindow(to, quarters = 8) {
  let q = financialQuarter(to);
  for (let k = 1; k < quarters; k++) q = previousQuarter(q);
  return { from: quarterStart(q), to };
}

/** '1 Jul – 30 Sep 2026', '3 Dec 2025 – 2 Jan 2026', '5 May 2026' (one day). Bad dates -> ''. */
export function formatDateRange(from, to) {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) return '';
  const day = (x) => `${x.day} ${MONTHS[x.month - 1]}`;
  if (from === to) return `${day(a)} ${a.year}`;
  return a.year === b.year ? `${day(a)} – ${day(b)} ${b.year}` : `${day(a)} ${a.year} – ${day(b)} ${b.year}`;
}

/**
 * The period after `from`–`to` that a hotspot map of it is tested against (as the server's
 * HotspotAccuracy.windows does by default): the same length straight after; in whole months when the
 * period is whole calendar months (January–March → April–June), else in days. {from, to}.
 */
export function nextPeriod(from, to) {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) throw new Error(`Not a period: ${from} – ${to}`);
  const start = addDays(to, 1);
  if (a.day === 1 && start.endsWith('-01')) {
    const months = (b.year - a.year) * 12 + (b.month - a.month) + 1;
    const s = parseDate(start);
    return { from: start, to: formatDate(s.year, s.month + months, 0) };
  }
  const days = Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86400000);
  return { from: start, to: addDays(start, days) };
}

/** How many complete slices the emerging-hotspot analysis takes (the server needs at least 10). */
export const EMERGING_SLICES = 12;

/**
 * The window of the emerging-hotspot analysis, whatever the panel's period: the last `slices`
 * complete calendar months (interval 'month') or financial quarters ('quarter') before the one
 * containing `today`. {from, to, label} — label e.g. '12 months, Nov 2025 – Oct 2026' or
 * '12 quarters, Q3 23/24 – Q2 26/27'.
 */
export function emergingWindow(interval, today, slices = EMERGING_SLICES) {
  const d = parseDate(today);
  if (!d) throw new Error(`Not a date: ${today}`);
  if (interval === 'quarter') {
    const last = previousQuarter(financialQuarter(today));
    let first = last;
    for (let k = 1; k < slices; k++) first = previousQuarter(first);
    return { from: quarterStart(first), to: quarterEnd(last), label: `${slices} quarters, ${quarterLabel(first)} – ${quarterLabel(last)}` };
  }
  const from = formatDate(d.year, d.month - slices, 1);
  const to = formatDate(d.year, d.month, 0);
  const a = parseDate(from);
  const b = parseDate(to);
  return { from, to, label: `${slices} months, ${MONTHS[a.month - 1]} ${a.year} – ${MONTHS[b.month - 1]} ${b.year}` };
}
