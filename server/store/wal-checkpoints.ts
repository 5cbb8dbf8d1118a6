import { Worker } from 'node:worker_threads';
import type { Log } from '../log.ts';

/**
 * Checkpoints the database's write-ahead log on a thread of its own, with its own connection.
 * SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL pages: on the event
 * loop, copying pages and syncing the file, while every webhook in flight waits behind it (the
 * p99 of `npm run bench:flow`). The app's connection keeps a far higher automatic threshold as a
 * backstop (`BACKSTOP_PAGES`), should this thread ever stop. PASSIVE never blocks a writer.
 */
export class WalCheckpoints {
  readonly #worker: Worker;
  /** Set to 1 by the thread once its connection is closed. */
  readonly #closed = new Int32Array(new SharedArrayBuffer(4));
  #running = true;

  constructor(options: { readonly file: string; readonly everyMs: number; readonly log: Log }) {
    // Inline (eval) so no bundler needs to know about a second entry file.
    this.#worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { file: options.file, everyMs: options.everyMs, closed: this.#closed } });
    this.#worker.on('message', (error: string) => options.log.warn('A background checkpoint of the database failed (it is tried again)', { error }));
    this.#worker.on('error', (error) => options.log.warn('The database checkpoint thread stopped; SQLite checkpoints on its own from now on', { error: error.message }));
    this.#worker.on('exit', () => (this.#running = false));
    // Never what keeps the app running.
    this.#worker.unref();
  }

  /**
   * Stops the thread and waits (briefly, synchronously) until its connection is closed, so the
   * app's own connection closes last: SQLite then checkpoints everything and removes the WAL, and
   * the data folder holds no open file once `close()` returns.
   */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#worker.postMessage('stop');
    Atomics.wait(this.#closed, 0, 0, STOP_WAIT_MS);
  }
}

/** How long closing waits for the thread (a checkpoint in progress finishes first). */
const STOP_WAIT_MS = 5000;

/** The app connection's automatic checkpoint threshold, in pages (~40 MB of WAL): only if the thread has stopped. */
export const BACKSTOP_PAGES = 10_000;

const CHECKPOINT_THREAD = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.file);
// A writer holding the lock only delays a checkpoint; never wait long for it.
db.exec('PRAGMA busy_timeout = 100');
const checkpoint = () => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error && error.message || error));
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  Atomics.store(workerData.closed, 0, 1);
  Atomics.notify(workerData.closed, 0);
  parentPort.close();
});
`;
