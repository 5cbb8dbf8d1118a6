/**
 * Recordings kept in the phone's browser (IndexedDB) until the server confirms it stored them.
 * A `draft` is the take being reviewed; `kept` / `superseded` are waiting to be sent.
 */
export interface OutboxItem {
  /** The idempotency key: chosen once per recording, so a retried upload is the same message. */
  readonly key: string;
  readonly token: string;
  readonly session: string;
  readonly status: 'draft' | 'kept' | 'superseded';
  readonly name: string;
  readonly blob: Blob;
  readonly createdAt: number;
}

const DB = 'shukuden-guest';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB unavailable'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      // Resolved when the transaction is durable, not merely when the request ran.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
  } finally {
    db.close();
  }
}

export function putItem(item: OutboxItem): Promise<unknown> {
  return run('readwrite', (store) => store.put(item));
}

export function removeItem(key: string): Promise<unknown> {
  return run('readwrite', (store) => store.delete(key));
}

/** This link's items, oldest first. */
export async function listItems(token: string): Promise<OutboxItem[]> {
  const all = await run('readonly', (store) => store.getAll() as IDBRequest<OutboxItem[]>);
  return all.filter((item) => item.token === token).sort((a, b) => a.createdAt - b.createdAt);
}
