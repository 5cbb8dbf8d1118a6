import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { Log } from '../log.ts';
import { runStatements, statementCache, type SqlStatement, type SqlValue } from './database.ts';

/** A write the thread refused, as SQLite described it (StorageHealth reads `code`/`errcode`). */
interface WriteProblem {
  readonly message: string;
  readonly code?: string;
  readonly errcode?: number;
  readonly errstr?: string;
}

type FromThread =
  | { readonly kind: 'ready' }
  | { readonly kind: 'written'; readonly refused: readonly (readonly [id: number, problem: WriteProblem])[] }
  | { readonly kind: 'status'; readonly synchronous: number; readonly commits: number };

interface Pending {
  readonly statements: readonly SqlStatement[];
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Commits a call's steps on a thread of its own, with its own connection (synchronous=NORMAL:
 * see `Durability`). Every webhook writes a few rows; run on the event loop, SQLite's work — the
 * statements, the commit, the WAL frames — was most of what a webhook cost beyond answering, and
 * every other call in flight waited behind it (the p99 of `npm run bench:flow`). Here the thread
 * takes whatever arrived while it was committing as one transaction (a failing write is retried
 * alone, so it never takes others with it), and each `write()` resolves once its rows are committed:
 * the caller answers Twilio only after that, as before.
 * Until the thread has opened the database (a fresh start's first webhook need not wait for it),
 * or should it stop or fail to open it, writes run on the app's own connection.
 */
export class StepWriter {
  readonly #fallback: DatabaseSync;
  readonly #fallbackSql: (sql: string) => StatementSync;
  readonly #log: Log;
  readonly #worker: Worker;
  /**
   * Shared with the thread (`SHARED`): its connection closed, the last write it has finished, and
   * each write's outcome. Read on every `write()`, so a webhook's answer goes out as soon as its
   * step is committed, not one turn of the event loop later when the thread's message is read.
   */
  readonly #shared = new Int32Array(new SharedArrayBuffer(4 * (SHARED.outcomes + RING)));
  /** The last write whose outcome has been read. */
  #collected = 0;
  readonly #pending = new Map<number, Pending>();
  readonly #statusWaiters: { resolve(status: ThreadStatus): void; reject(error: Error): void }[] = [];
  /** Writes handed over in this turn of the event loop: posted together when it is over (one message, not one each). */
  #outbox: [id: number, statements: (readonly [sqlId: number, params: readonly SqlValue[]])[]][] = [];
  /** SQL texts the thread has been sent, by their number: each text crosses once, then its number. */
  readonly #sqlIds = new Map<string, number>();
  #newSql: [sqlId: number, sql: string][] = [];
  #next = 1;
  #running = true;
  /** The thread has opened the database: until then (a fresh start's first call), writes are made here. */
  #ready = false;

  constructor(options: { readonly file: string; readonly fallback: DatabaseSync; readonly log: Log }) {
    this.#fallback = options.fallback;
    this.#fallbackSql = statementCache(options.fallback);
    this.#log = options.log;
    // Inline (eval) so no bundler needs to know about a second entry file.
    this.#worker = new Worker(STEP_WRITER_THREAD, { eval: true, workerData: { file: options.file, shared: this.#shared, layout: SHARED, outcome: OUTCOME, ring: RING } });
    this.#worker.on('message', (message: FromThread) => this.#received(message));
    this.#worker.on('error', (error) => {
      this.#log.error("The database thread stopped; a call's steps are written on the main thread from now on", { error: error.message });
      this.#stopped();
    });
    this.#worker.on('exit', () => this.#stopped());
    // Never what keeps the app running.
    this.#worker.unref();
  }

  /** Commits `statements` in one transaction; resolves once they are committed, rejects with SQLite's error. */
  write(statements: readonly SqlStatement[]): Promise<void> {
    if (!this.#running || !this.#ready) return this.#writeHere(statements);
    this.#collect();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { statements, resolve, reject });
      // Posted once this turn of the event loop is over, with every other write handed over in it.
      if (this.#outbox.length === 0) setImmediate(() => this.#post());
      this.#outbox.push([id, statements.map(({ sql, params }) => [this.#sqlId(sql), params] as const)]);
    });
  }

  /** Writes not yet committed (or refused). */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * The thread's connection, once it is open (writes go through it from then on): its synchronous
   * level (1 = NORMAL) and how many transactions it has committed. Rejects if the thread has stopped.
   */
  status(): Promise<ThreadStatus> {
    if (!this.#running) return Promise.reject(new Error(NOT_RUNNING));
    return new Promise((resolve, reject) => {
      this.#statusWaiters.push({ resolve, reject });
      this.#worker.postMessage({ kind: 'status' });
    });
  }

  /**
   * Commits what was handed over, then stops the thread and waits (synchronously, briefly) until its
   * connection is closed, so the app's own connection closes last.
   */
  close(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#post();
    this.#worker.postMessage({ kind: 'stop' });
    Atomics.wait(this.#shared, SHARED.closed, 0, STOP_WAIT_MS);
  }

  #sqlId(sql: string): number {
    let id = this.#sqlIds.get(sql);
    if (id === undefined) {
      id = this.#sqlIds.size;
      this.#sqlIds.set(sql, id);
      this.#newSql.push([id, sql]);
    }
    return id;
  }

  #post(): void {
    if (this.#outbox.length === 0) return;
    this.#worker.postMessage({ kind: 'write', sql: this.#newSql, writes: this.#outbox });
    this.#outbox = [];
    this.#newSql = [];
  }

  /** Settles the writes the thread has finished: committed ones resolve; refused ones wait for SQLite's error in its message. */
  #collect(): void {
    const done = Atomics.load(this.#shared, SHARED.done);
    for (let id = this.#collected + 1; id <= done; id++) {
      if (Atomics.load(this.#shared, SHARED.outcomes + (id % RING)) !== OUTCOME.committed) continue;
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      pending?.resolve();
    }
    this.#collected = Math.max(this.#collected, done);
  }

  #received(message: FromThread): void {
    switch (message.kind) {
      case 'ready':
        this.#ready = true;
        return;
      case 'written':
        this.#collect();
        for (const [id, problem] of message.refused) {
          const pending = this.#pending.get(id);
          this.#pending.delete(id);
          pending?.reject(Object.assign(new Error(problem.message), problem));
        }
        return;
      case 'status':
        this.#statusWaiters.shift()?.resolve(message);
        return;
    }
  }

  /**
   * The thread is gone: what it finished is settled (it records each outcome right after its
   * commit); what it had not finished is written here.
   */
  #stopped(): void {
    this.#collect();
    this.#running = false;
    this.#outbox = [];
    this.#newSql = [];
    for (const waiter of this.#statusWaiters.splice(0)) waiter.reject(new Error(NOT_RUNNING));
    const left = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of left) this.#writeHere(pending.statements).then(pending.resolve, pending.reject);
  }

  #writeHere(statements: readonly SqlStatement[]): Promise<void> {
    try {
      runStatements(this.#fallback, this.#fallbackSql, statements, 'relaxed');
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** The thread's connection as `status()` reports it. */
export interface ThreadStatus {
  readonly synchronous: number;
  readonly commits: number;
}

const NOT_RUNNING = 'The database thread is not running';

/** Where things are in the shared array: the closed flag, the last finished write, then outcomes by id % RING. */
const SHARED = { closed: 0, done: 1, outcomes: 2 } as const;
const OUTCOME = { committed: 1, refused: 2 } as const;
/** Outcome slots: more than the writes that can be in flight (one per webhook in progress). */
const RING = 1 << 16;

/** How long closing waits for the thread (a commit in progress finishes first). */
const STOP_WAIT_MS = 5000;

const STEP_WRITER_THREAD = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
const { shared, layout, outcome, ring } = workerData;
const closed = () => {
  Atomics.store(shared, layout.closed, 1);
  Atomics.notify(shared, layout.closed);
};
// Outcomes first, then the last finished id: the app reads them in that order.
const finished = (outcomes) => {
  for (const [id, outcome] of outcomes) Atomics.store(shared, layout.outcomes + (id % ring), outcome);
  Atomics.store(shared, layout.done, outcomes[outcomes.length - 1][0]);
};
let db;
try {
  db = new DatabaseSync(workerData.file);
} catch (error) {
  // Nothing to wait for when closing: the app writes on its own connection from now on.
  closed();
  throw error;
}
// NORMAL: the steps of a call survive the app crashing; see Durability in database.ts.
// The checkpoint thread copies the log into the database; this connection only as a backstop.
db.exec('PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000');
// Each SQL text arrives once with its number, prepared on first use.
const texts = new Map();
const prepared = new Map();
const statement = (sqlId) => {
  let s = prepared.get(sqlId);
  if (!s) prepared.set(sqlId, (s = db.prepare(texts.get(sqlId))));
  return s;
};
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
parentPort.postMessage({ kind: 'ready' });
let queue = [];
let scheduled = false;
let commits = 0;
const problem = (error) => ({ message: String((error && error.message) || error), code: error && error.code, errcode: error && error.errcode, errstr: error && error.errstr });
const run = (items) => {
  begin.run();
  try {
    for (const [, statements] of items) for (const [sqlId, params] of statements) statement(sqlId).run(...params);
    commit.run();
    commits++;
  } catch (error) {
    if (db.isTransaction) rollback.run();
    throw error;
  }
};
const flush = () => {
  scheduled = false;
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  try {
    run(batch);
    finished(batch.map(([id]) => [id, outcome.committed]));
    parentPort.postMessage({ kind: 'written', refused: [] });
  } catch {
    // One write refused (or the commit): each on its own, so the others are stored.
    const outcomes = [];
    const refused = [];
    for (const item of batch) {
      try {
        run([item]);
        outcomes.push([item[0], outcome.committed]);
      } catch (error) {
        outcomes.push([item[0], outcome.refused]);
        refused.push([item[0], problem(error)]);
      }
    }
    finished(outcomes);
    parentPort.postMessage({ kind: 'written', refused });
  }
};
parentPort.on('message', (message) => {
  if (message.kind === 'write') {
    for (const [sqlId, sql] of message.sql) texts.set(sqlId, sql);
    queue.push(...message.writes);
    // Everything that arrives while this turn runs joins the same transaction.
    if (!scheduled) setImmediate(flush);
    scheduled = true;
  } else if (message.kind === 'status') {
    parentPort.postMessage({ kind: 'status', synchronous: db.prepare('PRAGMA synchronous').get().synchronous, commits });
  } else if (message.kind === 'stop') {
    flush();
    db.close();
    closed();
    parentPort.close();
  }
});
`;
