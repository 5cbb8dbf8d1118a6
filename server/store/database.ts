import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS calls (
  call_sid TEXT PRIMARY KEY,
  account_sid TEXT NOT NULL,
  from_number TEXT NOT NULL,
  to_number TEXT NOT NULL,
  kind TEXT NOT NULL,
  step TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  record_count INTEGER NOT NULL,
  empty_count INTEGER NOT NULL,
  current_take_sid TEXT,
  menu_timeouts INTEGER NOT NULL,
  invalid_keys INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS takes (
  recording_sid TEXT PRIMARY KEY,
  call_sid TEXT NOT NULL,
  take_number INTEGER NOT NULL,
  recording_url TEXT NOT NULL,
  duration_seconds INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- Set when Twilio's recording-status callback says the media is ready to fetch.
  media_ready_at TEXT,
  -- 'live' (from the call's webhooks), 'reconciled' (found by listing Twilio's recordings) or
  -- 'while-away' (found there, recorded by the always-on line while the app could not answer).
  source TEXT NOT NULL DEFAULT 'live',
  -- The verified local copy, relative to the data folder; NULL until downloaded.
  local_file TEXT,
  downloaded_at TEXT,
  download_attempts INTEGER NOT NULL DEFAULT 0,
  download_error TEXT,
  -- The organiser's library: a note, album choice ('auto' follows the status), trash, trim edit, health check.
  note TEXT NOT NULL DEFAULT '',
  album TEXT NOT NULL DEFAULT 'auto',
  trashed_at TEXT,
  edit TEXT,
  health TEXT,
  health_error TEXT,
  -- The name the organiser gave this message (NULL: the caller's default from callers, if any).
  caller_name TEXT,
  -- The guest saying their name after keeping this message (the name clip): its recording at Twilio
  -- (NULL: none), and its verified local copy like the take's own.
  name_recording_sid TEXT,
  name_recording_url TEXT,
  name_duration_seconds INTEGER,
  name_local_file TEXT,
  name_downloaded_at TEXT,
  name_download_attempts INTEGER NOT NULL DEFAULT 0,
  name_download_error TEXT
);
-- A caller's name: the default for that number's messages that have no name of their own.
CREATE TABLE IF NOT EXISTS callers (
  number TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS takes_by_call ON takes (call_sid);
-- Only the takes home but not yet measured: finding them costs the same with 30 or 30,000 takes.
CREATE INDEX IF NOT EXISTS takes_needing_health ON takes (recording_sid)
  WHERE local_file IS NOT NULL AND health IS NULL AND health_error IS NULL;
-- The organiser's guest list (issue 19). phone is E.164 (NULL: no number); two guests may share one.
CREATE TABLE IF NOT EXISTS guests (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  phone_input TEXT NOT NULL DEFAULT '',
  phone TEXT,
  group_name TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  declined INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS guests_by_phone ON guests (phone);
-- Which guest a message is from, when the organiser said so (a shared number, or overriding the match).
-- guest_id NULL: "not on the guest list".
CREATE TABLE IF NOT EXISTS take_guests (
  recording_sid TEXT PRIMARY KEY,
  guest_id INTEGER
);
-- SMS to guests: at most one per guest per round ('invitation', 'reminder-1', …); status from Twilio's callback.
CREATE TABLE IF NOT EXISTS sms_sends (
  id INTEGER PRIMARY KEY,
  guest_id INTEGER NOT NULL,
  round TEXT NOT NULL,
  to_number TEXT NOT NULL,
  body TEXT NOT NULL,
  message_sid TEXT,
  status TEXT NOT NULL,
  error_code INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (guest_id, round)
);
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** The name of the SQLite file inside the data directory. */
export const DATABASE_FILE = 'shukuden.sqlite';

/**
 * Opens (creating if needed) the embedded database in `dataDir`.
 * WAL plus synchronous=FULL: every name, note and trim the organiser saved, every download and
 * every guest-link message survives a crash or a power cut. The one exception is a call's own
 * steps (`Durability`: committed by `StepWriter` on its own connection at NORMAL, or with
 * `transaction(…, 'relaxed')` where there is no such thread).
 */
export function openDatabase(dataDir: string): DatabaseSync {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  db.exec(SCHEMA);
  migrate(db);
  return db;
}

/** A `prepare` that prepares each SQL text once and hands back the same statement after that. */
export function statementCache(db: DatabaseSync): (sql: string) => StatementSync {
  const statements = new Map<string, StatementSync>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

interface TransactionStatements {
  readonly begin: StatementSync;
  readonly commit: StatementSync;
  readonly rollback: StatementSync;
}

/** BEGIN/COMMIT prepared once per database: every webhook runs them. */
const transactionStatements = new WeakMap<DatabaseSync, TransactionStatements>();

function statementsOf(db: DatabaseSync): TransactionStatements {
  let statements = transactionStatements.get(db);
  if (!statements) {
    statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
    transactionStatements.set(db, statements);
  }
  return statements;
}

/**
 * How a commit reaches the disk. `full` (the default) waits for the disk (an fsync per commit,
 * ~4.5 ms here, blocking the event loop). `relaxed` (synchronous=NORMAL in WAL) survives the app
 * crashing but a power cut may undo the last moments' commits — only for what can be rebuilt from
 * Twilio: a call's steps and its takes' rows (the reconciler lists the number's recordings and
 * adopts any the database forgot; settle-calls ends calls left open). The next `full` commit, or a
 * checkpoint, makes everything before it durable too. `npm run bench:flow` and `bench:database`
 * measure why: with an fsync per webhook the line's p99 at 60 calls was 2–3× the reference line's.
 */
export type Durability = 'full' | 'relaxed';

/** Columns added after a data folder may already exist (ALTER TABLE appends them; existing rows get NULL or the default). */
const ADDED_TAKE_COLUMNS: readonly (readonly [name: string, definition: string])[] = [
  ['caller_name', 'TEXT'],
  ['name_recording_sid', 'TEXT'],
  ['name_recording_url', 'TEXT'],
  ['name_duration_seconds', 'INTEGER'],
  ['name_local_file', 'TEXT'],
  ['name_downloaded_at', 'TEXT'],
  ['name_download_attempts', 'INTEGER NOT NULL DEFAULT 0'],
  ['name_download_error', 'TEXT'],
];

function migrate(db: DatabaseSync): void {
  const columns = new Set((db.prepare('PRAGMA table_info(takes)').all() as { name: string }[]).map((c) => c.name));
  for (const [name, definition] of ADDED_TAKE_COLUMNS) if (!columns.has(name)) db.exec(`ALTER TABLE takes ADD COLUMN ${name} ${definition}`);
  // After the columns exist: a name clip is found by its own RecordingSid (its callback, its download).
  db.exec('CREATE INDEX IF NOT EXISTS takes_by_name_clip ON takes (name_recording_sid) WHERE name_recording_sid IS NOT NULL');
}

/** A value SQLite stores for us. */
export type SqlValue = string | number | null;

/** One statement to run, with its parameters: a write handed from a store to whoever commits it. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** Runs `statements` in order in one transaction, each prepared through `prepare` (a `statementCache`). */
export function runStatements(db: DatabaseSync, prepare: (sql: string) => StatementSync, statements: readonly SqlStatement[], durability: Durability = 'full'): void {
  transaction(db, () => {
    for (const { sql, params } of statements) prepare(sql).run(...params);
  }, durability);
}

/** Runs `work` in one transaction: all of it is stored, or none. */
export function transaction<T>(db: DatabaseSync, work: () => T, durability: Durability = 'full'): T {
  const statements = statementsOf(db);
  // Not a prepared statement: SQLite applies this pragma when it is compiled, not when it runs.
  if (durability === 'relaxed') db.exec('PRAGMA synchronous = NORMAL');
  statements.begin.run();
  try {
    const result = work();
    statements.commit.run();
    return result;
  } catch (error) {
    // A failed COMMIT (disk full) has already rolled back: rolling back again would replace the
    // real cause with "cannot rollback - no transaction is active".
    if (db.isTransaction) statements.rollback.run();
    throw error;
  } finally {
    // Every other write on this connection (the organiser's edits, downloads) stays durable.
    if (durability === 'relaxed') db.exec('PRAGMA synchronous = FULL');
  }
}
