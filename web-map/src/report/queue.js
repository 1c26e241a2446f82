// The warden's outbox. A report is written to storage (IndexedDB on the phone) the moment Send
// is pressed, with its Idempotency-Key and its photo Blobs, and only then sent; it leaves the
// queue once the server has the report and every photo. No DOM and no fetch here: `storage`
// and `api` are injected, so unit tests drive it with fakes under Node.
//
// storage: { all() -> [entry], put(entry), delete(key) }     (see store.js for IndexedDB)
// api:     { postReport(report, key), postPhoto(reportId, blob, name) } (see api.js)
//
// An entry:
//   { key, owner, createdAt, report, photos: [{name, type, blob, sent}],
//     state: 'waiting' | 'failed', reportId, saved, attempts, lastAttemptAt, error }
// `report` is stored once and sent unchanged with the same key on every try, so the server can
// recognise a retry (same key and body -> the same report, no duplicate). Once the server has
// answered with the report's id, the id is stored and only the photos not yet sent are sent on
// later tries (re-uploading the same bytes is idempotent on the server too).
//
// What a failure does (classify):
//   - no answer (offline, dropped connection): the entry stays waiting; the rest of this pass is
//     skipped, since the others would fail the same way;
//   - 5xx, 408, 425, 429: the entry stays waiting; the next entries are still tried;
//   - 401: the user must sign in again; everything stays waiting (needsSignIn);
//   - any other 4xx (422 outside the council area, 400 invalid...): the entry is marked failed with
//     the server's detail and not retried until the user asks (retry) or drops it (discard).

export const RETRY_INTERVAL_MS = 20_000;

/** 'retry' | 'sign-in' | 'failed' for an error thrown by the api. */
export function classify(error) {
  if (!error || error.network || error.status === undefined) return 'retry';
  const { status } = error;
  if (status >= 500 || status === 408 || status === 425 || status === 429) return 'retry';
  if (status === 401) return 'sign-in';
  return 'failed';
}

/** A new queue entry for a report (the photos are {name, type, blob}). */
export function newEntry({ key, owner = null, report, photos = [], now = new Date() }) {
  return {
    key,
    owner,
    createdAt: now.toISOString(),
    report,
    photos: photos.map((p) => ({ name: p.name, type: p.type, blob: p.blob, sent: false })),
    state: 'waiting',
    reportId: null,
    saved: null,
    attempts: 0,
    lastAttemptAt: null,
    error: null,
  };
}

function errorRecord(error, photo) {
  return {
    message: error?.message ?? String(error),
    status: error?.status ?? null,
    field: error?.problem?.field ?? null,
    photo: photo ?? null,
  };
}

/**
 * The queue. `currentUser()` gives the signed-in username (or null when unknown): entries made
 * by someone else on this phone wait for them instead of being sent under another account.
 * `onChange()` is called after every change of the stored entries.
 */
export function createQueue({ storage, api, currentUser = () => null, onChange = () => {}, now = () => new Date() }) {
  let running = null; // the pass in progress
  let again = false; // a flush was asked for during that pass
  let needsSignIn = false;

  async function entries() {
    const all = await storage.all();
    return all.slice().sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  }

  function mine(entry) {
    const user = currentUser();
    return !entry.owner || !user || entry.owner === user;
  }

  /** Sends one entry; returns 'sent' | 'retry' | 'sign-in' | 'failed' | 'offline'. */
  async function send(entry) {
    entry.attempts += 1;
    entry.lastAttemptAt = now().toISOString();
    let photo = null;
    try {
      if (entry.reportId === null || entry.reportId === undefined) {
        const saved = await api.postReport(entry.report, entry.key);
        entry.reportId = saved?.id ?? null;
        entry.saved = saved ?? null;
        if (entry.reportId === null) throw Object.assign(new Error('The server answered without a report id'), { status: 500 });
        await storage.put(entry);
        onChange();
      }
      for (const p of entry.photos) {
        if (p.sent) continue;
        photo = p.name;
        await api.postPhoto(entry.reportId, p.blob, p.name);
        p.sent = true;
        await storage.put(entry);
      }
      await storage.delete(entry.key);
      onChange();
      return 'sent';
    } catch (error) {
      const kind = classify(error);
      entry.error = errorRecord(error, photo);
      if (kind === 'failed') entry.state = 'failed';
      await storage.put(entry);
      onChange();
      if (kind === 'retry' && (error?.network || error?.status === undefined)) return 'offline';
      return kind;
    }
  }

  async function pass() {
    const summary = { sent: [], waiting: 0, failed: 0, needsSignIn: false };
    needsSignIn = false;
    let stop = false;
    for (const entry of await entries()) {
      if (stop || entry.state !== 'waiting' || !mine(entry)) continue;
      const result = await send(entry);
      if (result === 'sent') summary.sent.push(entry);
      if (result === 'offline') stop = true;
      if (result === 'sign-in') {
        needsSignIn = true;
        stop = true;
      }
    }
    for (const entry of await entries()) {
      if (entry.state === 'failed') summary.failed += 1;
      else summary.waiting += 1;
    }
    summary.needsSignIn = needsSignIn;
    return summary;
  }

  /**
   * Tries to send every waiting entry, oldest first. Only one pass runs at a time: a call
   * during a pass returns that pass's promise and makes one more pass run after it (so a
   * report added meanwhile is not left behind). Resolves to {sent, waiting, failed, needsSignIn}.
   */
  function flush() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let summary;
      const sent = [];
      try {
        do {
          again = false;
          summary = await pass();
          sent.push(...summary.sent);
        } while (again);
      } finally {
        running = null;
      }
      return { ...summary, sent };
    })();
    return running;
  }

  return {
    entries,
    flush,
    get needsSignIn() {
      return needsSignIn;
    },
    /** Stores a new report (before any sending) and returns its entry. */
    async add({ key, report, photos = [] }) {
      const entry = newEntry({ key, owner: currentUser(), report, photos, now: now() });
      await storage.put(entry);
      onChange();
      return entry;
    },
    /** The user asks to try a failed entry again (after fixing what was wrong elsewhere, e.g. a photo). */
    async retry(key) {
      const entry = (await storage.all()).find((e) => e.key === key);
      if (!entry) return;
      entry.state = 'waiting';
      entry.error = null;
      await storage.put(entry);
      onChange();
    },
    /** Drops an entry (a failed report the user gives up on). */
    async discard(key) {
      await storage.delete(key);
      onChange();
    },
  };
}

/** The counts the page shows: waiting (including photos still to send) and failed entries. */
export function queueCounts(entries) {
  let waiting = 0;
  let failed = 0;
  for (const e of entries) {
    if (e.state === 'failed') failed += 1;
    else waiting += 1;
  }
  return { waiting, failed };
}

/**
 * "My reports today": the queued entries first (oldest first, marked waiting or failed),
 * then the server's reports (newest first). A report whose photos are still queued is shown
 * once, as its queue entry. Items: {key, state: 'waiting'|'failed'|'sent', category,
 * categoryLabel, time, status, photos, error, reportId}.
 */
export function todayItems(serverReports, entries, labels = {}) {
  const queuedIds = new Set(entries.map((e) => e.reportId).filter((id) => id !== null && id !== undefined));
  const items = entries.map((e) => ({
    key: e.key,
    state: e.state === 'failed' ? 'failed' : 'waiting',
    category: e.report?.category,
    categoryLabel: labels[e.report?.category] ?? e.report?.category,
    time: e.report?.occurredAt ?? e.createdAt,
    status: e.reportId ? 'photos waiting' : null,
    photos: e.photos.length,
    error: e.error && e.state === 'failed' ? e.error.message : null,
    reportId: e.reportId ?? null,
  }));
  const server = (Array.isArray(serverReports) ? serverReports : [])
    .filter((r) => r && !queuedIds.has(r.id))
    .slice()
    .sort((a, b) => String(b.recordedAt ?? '').localeCompare(String(a.recordedAt ?? '')))
    .map((r) => ({
      key: `report-${r.id}`,
      state: 'sent',
      category: r.category,
      categoryLabel: r.categoryLabel ?? labels[r.category] ?? r.category,
      time: r.occurredAt ?? r.recordedAt,
      status: r.status ?? null,
      photos: Array.isArray(r.photos) ? r.photos.length : 0,
      error: null,
      reportId: r.id,
    }));
  return [...items, ...server];
}
