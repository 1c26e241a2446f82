// The meeting loop's rules as the server states them (loop contract), pure and unit-tested:
// OSARA stages and their colours, the stage and action-status workflows (which next steps to offer),
// who may change what, overdue-first sorting and counts in words. The server checks every request;
// offering only valid steps keeps people from meeting its refusals.

/** OSARA stages in order (closed last), with the colour of a problem place on the map. */
export const STAGES = [
  { id: 'objective', label: 'Objective', colour: '#6a3d9a' },
  { id: 'scanning', label: 'Scanning', colour: '#1f78b4' },
  { id: 'analysis', label: 'Analysis', colour: '#33a02c' },
  { id: 'response', label: 'Response', colour: '#ff7f00' },
  { id: 'assessment', label: 'Assessment', colour: '#e31a1c' },
  { id: 'closed', label: 'Closed', colour: '#7f7f7f' },
];

const stageIndex = (id) => STAGES.findIndex((s) => s.id === id);

export const stageLabel = (id) => STAGES[stageIndex(id)]?.label ?? String(id ?? '');
export const stageColour = (id) => STAGES[stageIndex(id)]?.colour ?? '#444444';

/** The stage a problem may advance to (exactly one step forward), or null when closed or unknown. */
export function nextStage(stage) {
  const i = stageIndex(stage);
  return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1].id : null;
}

/** The stages a problem may go back to (any earlier one). */
export function earlierStages(stage) {
  const i = stageIndex(stage);
  return i > 0 ? STAGES.slice(0, i).map((s) => s.id) : [];
}

/** Roles that create and change problems, add actions, escalate and decide escalations, run meetings. */
export const MANAGING_ROLES = ['analyst', 'admin'];
export const canManage = (user) => Boolean(user && MANAGING_ROLES.includes(user.role));

export const ACTION_STATUSES = [
  { id: 'open', label: 'Open' },
  { id: 'in-progress', label: 'In progress' },
  { id: 'on-hold', label: 'On hold' },
  { id: 'done', label: 'Done' },
  { id: 'cancelled', label: 'Cancelled' },
];
export const statusLabel = (id) => ACTION_STATUSES.find((s) => s.id === id)?.label ?? String(id ?? '');

const ACTION_NEXT = {
  open: ['in-progress', 'on-hold', 'cancelled'],
  'in-progress': ['done', 'on-hold', 'cancelled'],
  'on-hold': ['in-progress', 'cancelled'],
  done: ['in-progress'], // reopen: analysts and admins only
  cancelled: ['open'], // analysts and admins only
};
const MANAGER_ONLY_FROM = ['done', 'cancelled'];

/**
 * The statuses an action may move to from `status`, for `user` ({role, organisation}) and the
 * action's organisation: analysts and admins any valid step; members of the action's organisation
 * the steps from open, in-progress and on-hold; anyone else none.
 */
export function nextStatuses(status, user, action = null) {
  const steps = ACTION_NEXT[status] ?? [];
  if (canManage(user)) return steps;
  if (!ownsAction(user, action)) return [];
  return MANAGER_ONLY_FROM.includes(status) ? [] : steps;
}

/** Whether `user` belongs to the action's organisation (by id or code). */
export function ownsAction(user, action) {
  const mine = user?.organisation;
  const theirs = action?.organisation;
  if (!mine || !theirs) return false;
  return (mine.id !== undefined && mine.id === theirs.id) || (mine.code !== undefined && mine.code === theirs.code);
}

/** Overdue first (earliest due first), then open ones by due date, then finished ones; ties by id. */
export function sortActions(actions) {
  const rank = (a) => (a.overdue ? 0 : ['done', 'cancelled'].includes(a.status) ? 2 : 1);
  return [...(actions ?? [])].sort(
    (a, b) => rank(a) - rank(b) || String(a.due ?? '').localeCompare(String(b.due ?? '')) || (a.id ?? 0) - (b.id ?? 0),
  );
}

/** The actions shown on a list: sorted overdue first; done and cancelled ones only when `finished`. */
export function shownActions(all, finished) {
  return sortActions(all).filter((a) => finished || !['done', 'cancelled'].includes(a.status));
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** '3 open actions, 1 overdue' | 'no open actions'. */
export function actionCountsText(open, overdue) {
  const o = Number(open) || 0;
  const late = Number(overdue) || 0;
  if (o === 0 && late === 0) return 'no open actions';
  return `${plural(o, 'open action')}${late > 0 ? `, ${late} overdue` : ''}`;
}

/** 'aim' -> 'AIM group'; 'nap:NH01' -> 'NAP NH01' (a neighbourhood's own name when `names` knows it). */
export function ownerText(owner, names = {}) {
  if (owner === 'aim') return 'AIM group';
  if (typeof owner === 'string' && owner.startsWith('nap:')) {
    const code = owner.slice(4);
    return `NAP ${names[code] ?? code}`;
  }
  return String(owner ?? '');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Oct 2026' of '2026-10-01' or '2026-10'. */
export function monthText(value) {
  const m = /^(\d{4})-(\d{2})/.exec(String(value ?? ''));
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : '';
}

/**
 * The target in words: 'Reduce by 20 % over 3 months from Oct 2026 against the same months last year'
 * (or 'Increase…' for a positive percent); '' without a target.
 */
export function targetText(target) {
  if (!target || !Number.isFinite(Number(target.percent))) return '';
  const percent = Number(target.percent);
  const verb = percent <= 0 ? 'Reduce' : 'Increase';
  const against = target.baseline === 'previous-period' ? 'the months before' : 'the same months last year';
  const from = monthText(target.start);
  return `${verb} by ${Math.abs(percent)} % over ${plural(Number(target.months) || 0, 'month')}${from ? ` from ${from}` : ''} against ${against}`;
}

const PROGRESS_STATUS = {
  'not-started': 'not started',
  'on-track': 'on track',
  'off-track': 'off track',
  met: 'met',
  missed: 'missed',
};

/** The progress line: the server's description, else one made from the figures; '' without progress. */
export function progressText(progress) {
  if (!progress) return '';
  if (typeof progress.description === 'string' && progress.description) return progress.description;
  const status = PROGRESS_STATUS[progress.status] ?? progress.status ?? '';
  if (progress.status === 'not-started') return 'Target period not started yet';
  const change = progress.changePercent === null || progress.changePercent === undefined ? 'no baseline' : `${progress.changePercent > 0 ? '+' : ''}${Math.round(progress.changePercent)} %`;
  return `${progress.current ?? 0} so far vs ${progress.baseline ?? 0} (${change}), ${status}`;
}

/** 'on-track' -> CSS class suffix and short word for a badge. */
export const progressStatusWord = (status) => PROGRESS_STATUS[status] ?? '';
