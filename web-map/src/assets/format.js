// Words for asset values: distances, opening times (Open Referral regular_schedule) and dates.
// Pure: no DOM.

/**
 * A distance in metres for people: "0 m", "350 m" (to 10 m), "1.2 km" (to 100 m below 10 km),
 * "12 km" from 10 km. Not a finite number, or negative -> "".
 */
export function formatDistance(metres) {
  if (typeof metres !== 'number' || !Number.isFinite(metres) || metres < 0) return '';
  const tens = Math.round(metres / 10) * 10;
  if (tens < 1000) return `${tens} m`;
  const km = metres / 1000;
  return km < 9.95 ? `${km.toFixed(1)} km` : `${Math.round(km)} km`;
}

const DAY_NAMES = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };
const DAY_ORDER = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const ORDINALS = { 1: '1st', 2: '2nd', 3: '3rd', 4: '4th', 5: '5th', '-1': 'last', '-2': 'second to last' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "16:00:00" or "16:00" -> "16:00"; anything else as given (trimmed); empty -> "". */
export function formatTime(value) {
  if (typeof value !== 'string') return '';
  const m = /^(\d{1,2}):(\d{2})(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$/.exec(value.trim());
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : value.trim();
}

/** "2024-10-05" -> "5 Oct 2024"; anything else as given; empty -> "". */
export function formatDate(value) {
  if (typeof value !== 'string') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return value;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/**
 * iCal days in words: "MO,WE" -> "Mon, Wed"; "MO,TU,WE,TH,FR" -> "Mon–Fri" (three or more
 * consecutive days as a range); "1MO" -> "1st Mon"; "-1FR" -> "last Fri". Unknown parts as given.
 */
export function formatDays(byday) {
  if (typeof byday !== 'string' || !byday.trim()) return '';
  const parts = byday.split(',').map((p) => p.trim().toUpperCase()).filter(Boolean);
  const plain = [];
  const other = [];
  for (const part of parts) {
    const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(part);
    if (m && DAY_NAMES[m[2]] && !m[1]) plain.push(m[2]);
    else if (m && DAY_NAMES[m[2]]) {
      const n = String(Number(m[1]));
      other.push(`${ORDINALS[n] ?? `${n}.`} ${DAY_NAMES[m[2]]}`);
    } else other.push(part);
  }
  // runs of consecutive plain days, in week order
  const days = [...new Set(plain)].sort((a, b) => DAY_ORDER.indexOf(a) - DAY_ORDER.indexOf(b));
  const words = [];
  for (let k = 0; k < days.length; ) {
    let end = k;
    while (end + 1 < days.length && DAY_ORDER.indexOf(days[end + 1]) === DAY_ORDER.indexOf(days[end]) + 1) end++;
    if (end - k >= 2) words.push(`${DAY_NAMES[days[k]]}–${DAY_NAMES[days[end]]}`);
    else for (let d = k; d <= end; d++) words.push(DAY_NAMES[days[d]]);
    k = end + 1;
  }
  return [...words, ...other].join(', ');
}

/**
 * One Open Referral regular_schedule in words, e.g. "Mon, Wed 16:00–18:00",
 * "Every 2 weeks: Tue 10:00–12:00", "1st Mon of the month 18:30–20:00", "Monthly on day 1, 15",
 * with its description in brackets and ", from 1 Sep 2024 until 31 Jul 2025" when it is limited. Nothing usable -> "".
 */
export function formatSchedule(schedule) {
  const s = schedule && typeof schedule === 'object' ? schedule : {};
  const freq = typeof s.freq === 'string' ? s.freq.toUpperCase() : '';
  const interval = Number.isInteger(s.interval) && s.interval > 1 ? s.interval : 1;
  const days = formatDays(s.byday);
  const ordinalDays = typeof s.byday === 'string' && /(^|,)\s*[+-]?\d/.test(s.byday);
  const parts = [];
  if (freq === 'WEEKLY' && interval > 1) parts.push(`Every ${interval} weeks:`);
  else if (freq === 'MONTHLY' && interval > 1) parts.push(`Every ${interval} months:`);
  else if (freq === 'DAILY') parts.push(interval > 1 ? `Every ${interval} days` : 'Daily');
  else if (freq === 'YEARLY') parts.push(interval > 1 ? `Every ${interval} years` : 'Yearly');
  if (days) parts.push(ordinalDays ? `${days} of the month` : days);
  if (typeof s.bymonthday === 'string' && s.bymonthday.trim()) {
    const list = s.bymonthday.split(',').map((d) => d.trim()).filter(Boolean).join(', ');
    parts.push(freq === 'MONTHLY' && interval === 1 && !days ? `Monthly on day ${list}` : `on day ${list}`);
  } else if (freq === 'MONTHLY' && interval === 1 && !days) {
    parts.push('Monthly');
  }
  const opens = formatTime(s.opens_at);
  const closes = formatTime(s.closes_at);
  if (opens && closes) parts.push(`${opens}–${closes}`);
  else if (opens) parts.push(`from ${opens}`);
  else if (closes) parts.push(`until ${closes}`);
  let text = parts.join(' ');
  const description = typeof s.description === 'string' ? s.description.trim() : '';
  if (description) text = text ? `${text} (${description})` : description;
  const from = typeof s.valid_from === 'string' && s.valid_from ? `from ${formatDate(s.valid_from)}` : '';
  const until = typeof s.valid_to === 'string' && s.valid_to ? `until ${formatDate(s.valid_to)}` : '';
  if (text && (from || until)) text += `, ${[from, until].filter(Boolean).join(' ')}`;
  return text;
}

/** Each schedule in words, the empty ones left out. */
export function formatSchedules(schedules) {
  return (Array.isArray(schedules) ? schedules : []).map(formatSchedule).filter(Boolean);
}

/** A share 0..1 as "42%" (whole percent; below 1% but above 0 -> "<1%"). Not a number -> "—". */
export function formatShare(share) {
  if (typeof share !== 'number' || !Number.isFinite(share)) return '—';
  const percent = share * 100;
  if (percent > 0 && percent < 1) return '<1%';
  return `${Math.round(percent)}%`;
}
