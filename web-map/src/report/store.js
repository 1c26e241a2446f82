// The report queue's storage on the phone: IndexedDB database "aim-reports", object store
// "queue" keyed by the report's Idempotency-Key. IndexedDB (not localStorage) because it keeps
// photo Blobs as they are, survives the page and the browser being closed, and is reachable
// from a service worker. The interface is the one queue.js expects: all, put, delete.

export const DB_NAME = 'aim-reports';
export const STORE = 'queue';

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Opens (creating on first use) the queue store. */
export async function openReportStore(indexedDB = globalThis.indexedDB) {
  if (!indexedDB) throw new Error('This browser cannot store reports offline (no IndexedDB).');
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(STORE, { keyPath: 'key' });
  };
  const db = await promised(open);

  async function run(mode, work) {
    const tx = db.transaction(STORE, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('storage transaction aborted'));
    });
    const result = await promised(work(tx.objectStore(STORE)));
    await done; // written to disk before the caller goes on (e.g. to send)
    return result;
  }

  return {
    all: () => run('readonly', (store) => store.getAll()),
    put: async (entry) => {
      await run('readwrite', (store) => store.put(entry));
    },
    delete: async (key) => {
      await run('readwrite', (store) => store.delete(key));
    },
  };
}
