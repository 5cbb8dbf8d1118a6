import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { CallKind, CallState, CallStep, StoredTake } from '../call-flow/call-state.ts';
import type { KnownTake, TakeWrite } from '../call-flow/take-writes.ts';
import { assertNever } from '../assert-never.ts';
import { runStatements, statementCache, type SqlStatement } from './database.ts';
import type { StepWriter } from './step-writer.ts';
import { toStoredTake, type Row } from './take-row.ts';


/** A take as a call's steps read it: every column here is written by this store alone. */
export type StepTake = KnownTake & { readonly callSid: string };

/** Calls and takes, keyed by CallSid and RecordingSid. Every write is one transaction. */
export class CallStore {
  readonly #db: DatabaseSync;
  /** Statements prepared once, reused on every webhook. */
  readonly #sql: (sql: string) => StatementSync;
  readonly #listeners = new Set<() => void>();
  readonly #homeListeners = new Set<(recordingSid: string) => void>();
  /**
   * Calls as stored, by CallSid: every webhook of a call reads its call, and this store is the only
   * writer of the calls table, so after the first read a call is read from here (bench:flow).
   */
  readonly #calls = new Map<string, CallState>();
  /** CallSids read and not found: the first step's upsert of such a call is what the database then holds. */
  readonly #missing = new Set<string>();
  /**
   * The same for takes, as the steps read them (`StepTake`): every take of the calls in `#takesOf`
   * (a call's first read loads them), by RecordingSid. The webhook path then reads nothing from
   * the database, whose page cache the step writer's commits empty for this connection.
   */
  readonly #takes = new Map<string, StepTake>();
  readonly #takesOf = new Map<string, Set<string>>();
  /** Where a call's steps are committed (off the event loop); without it, here. */
  readonly #steps: StepWriter | null;

  constructor(db: DatabaseSync, steps: StepWriter | null = null) {
    this.#db = db;
    this.#sql = statementCache(db);
    this.#steps = steps;
  }

  /** Called after every committed write (the organiser UI refreshes from it). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called when a take's audio is home (downloaded or recorded in a rehearsal): its audio work can start. */
  onTakeHome(listener: (recordingSid: string) => void): () => void {
    this.#homeListeners.add(listener);
    return () => this.#homeListeners.delete(listener);
  }

  /** Tells listeners a take's audio is home (other stores on the same database use it too: guest-link uploads). */
  takeHome(recordingSid: string): void {
    for (const listener of this.#homeListeners) listener(recordingSid);
  }

  /** Tells listeners the data changed (other stores on the same database use it too). */
  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  getCall(callSid: string): CallState | null {
    const cached = this.#calls.get(callSid);
    if (cached) return cached;
    const row = this.#sql('SELECT * FROM calls WHERE call_sid = ?').get(callSid) as Row | undefined;
    if (!row) {
      // Bounded: a flood of unknown CallSids must not grow it.
      if (this.#missing.size >= CACHED_CALLS) this.#missing.clear();
      this.#missing.add(callSid);
      return null;
    }
    const call = toCall(row);
    this.#remember(call);
    return call;
  }

  /** Calls with no end recorded: live, or left so by a crash. */
  openCalls(): readonly CallState[] {
    return (this.#sql('SELECT * FROM calls WHERE ended_at IS NULL ORDER BY started_at, call_sid').all() as Row[]).map(toCall);
  }

  listCalls(): readonly CallState[] {
    return (this.#sql('SELECT * FROM calls ORDER BY started_at, call_sid').all() as Row[]).map(toCall);
  }

  getTake(recordingSid: string): StoredTake | null {
    const row = this.#sql('SELECT * FROM takes WHERE recording_sid = ?').get(recordingSid) as Row | undefined;
    return row ? toStoredTake(row) : null;
  }

  /** A call's takes as its steps read them (from memory after the first read). */
  stepTakes(callSid: string): readonly StepTake[] {
    let sids = this.#takesOf.get(callSid);
    if (!sids) {
      const takes = this.listTakes(callSid).map(toStepTake);
      for (const take of takes) this.#takes.set(take.recordingSid, take);
      sids = new Set(takes.map((take) => take.recordingSid));
      this.#takesOf.set(callSid, sids);
      if (this.#takesOf.size > CACHED_CALLS) this.#forgetTakesOf(this.#takesOf.keys().next().value ?? '');
    }
    const takes: StepTake[] = [];
    for (const sid of sids) {
      const take = this.#takes.get(sid);
      if (take) takes.push(take);
    }
    return takes;
  }

  /** Reads the steps' takes from the database again (a write found one it did not know). */
  forgetStepTakes(): void {
    this.#takes.clear();
    this.#takesOf.clear();
  }

  /** One take as a call's steps read it; null when there is none. */
  stepTake(recordingSid: string): StepTake | null {
    const cached = this.#takes.get(recordingSid);
    if (cached) return cached;
    const take = this.getTake(recordingSid);
    return take && toStepTake(take);
  }

  /** The take whose name clip this recording is; null when it is no take's name clip. */
  takeByNameClip(recordingSid: string): StoredTake | null {
    const row = this.#sql('SELECT * FROM takes WHERE name_recording_sid = ?').get(recordingSid) as Row | undefined;
    return row ? toStoredTake(row) : null;
  }

  listTakes(callSid?: string): readonly StoredTake[] {
    const rows = callSid
      ? this.#sql('SELECT * FROM takes WHERE call_sid = ? ORDER BY take_number, created_at').all(callSid)
      : this.#sql('SELECT * FROM takes ORDER BY created_at, take_number').all();
    return (rows as Row[]).map(toStoredTake);
  }

  /**
   * Stores the call's new state (if any) and take writes, atomically, durably (synchronous=FULL).
   * The rules that made them live in `call-flow/`.
   */
  save(call: CallState | null, writes: readonly TakeWrite[]): void {
    const statements = writeStatements(call, writes);
    if (statements.length === 0) return;
    runStatements(this.#db, this.#sql, statements);
    this.#saved(call, writes);
  }

  /**
   * Stores a webhook's step like `save`, but relaxed (see `Durability`: Twilio holds what would
   * rebuild it) and off the event loop when a step writer is given. Resolves once committed.
   */
  async saveStep(call: CallState | null, writes: readonly TakeWrite[]): Promise<void> {
    const statements = writeStatements(call, writes);
    if (statements.length === 0) return;
    if (this.#steps) await this.#steps.write(statements);
    else runStatements(this.#db, this.#sql, statements, 'relaxed');
    this.#saved(call, writes);
  }

  /** Only once committed: what the database holds. */
  #saved(call: CallState | null, writes: readonly TakeWrite[]): void {
    if (call) this.#stored(call);
    for (const write of writes) this.#storedTake(write);
    this.changed();
  }

  /** Keeps the step takes in memory as the database now holds them. */
  #storedTake(write: TakeWrite): void {
    switch (write.kind) {
      case 'insert': {
        const { take } = write;
        const sids = this.#takesOf.get(take.callSid);
        if (!sids) return; // Read with the call's other takes, when a step needs them.
        sids.add(take.recordingSid);
        this.#takes.set(take.recordingSid, { recordingSid: take.recordingSid, callSid: take.callSid, status: take.status, source: write.source, nameClip: null });
        return;
      }
      case 'update': {
        const cached = this.#takes.get(write.recordingSid);
        if (!cached) return;
        const { status = cached.status, callSid = cached.callSid } = write.set;
        if (callSid !== cached.callSid) {
          this.#takesOf.get(cached.callSid)?.delete(write.recordingSid);
          const sids = this.#takesOf.get(callSid);
          if (!sids) return void this.#takes.delete(write.recordingSid);
          sids.add(write.recordingSid);
        }
        this.#takes.set(write.recordingSid, { ...cached, status, callSid });
        return;
      }
      case 'name-clip': {
        const cached = this.#takes.get(write.takeSid);
        if (cached) this.#takes.set(write.takeSid, { ...cached, nameClip: { recordingSid: write.clip.recordingSid } });
        return;
      }
      case 'remove-call':
        this.#calls.delete(write.callSid);
        this.#forgetTakesOf(write.callSid);
        return;
      default:
        assertNever(write);
    }
  }

  #forgetTakesOf(callSid: string): void {
    for (const sid of this.#takesOf.get(callSid) ?? []) this.#takes.delete(sid);
    this.#takesOf.delete(callSid);
  }

  /** Takes whose audio is not home yet, oldest first. */
  takesToDownload(): readonly StoredTake[] {
    return (this.#sql('SELECT * FROM takes WHERE downloaded_at IS NULL ORDER BY created_at').all() as Row[]).map(toStoredTake);
  }

  /** Name clips whose audio is not home yet, by their own RecordingSid. */
  nameClipsToDownload(): readonly string[] {
    return (this.#sql('SELECT name_recording_sid FROM takes WHERE name_recording_sid IS NOT NULL AND name_downloaded_at IS NULL ORDER BY created_at').all() as Row[]).map((r) =>
      String(r['name_recording_sid']),
    );
  }

  /** A name clip's verified copy is home (nothing to analyse: it is never on the album). */
  markNameClipDownloaded(recordingSid: string, localFile: string, now: string): void {
    this.#sql('UPDATE takes SET name_local_file = ?, name_downloaded_at = ?, name_download_error = NULL WHERE name_recording_sid = ?').run(localFile, now, recordingSid);
    this.changed();
  }

  markNameClipDownloadFailed(recordingSid: string, error: string): void {
    this.#sql('UPDATE takes SET name_download_attempts = name_download_attempts + 1, name_download_error = ? WHERE name_recording_sid = ?').run(error, recordingSid);
    this.changed();
  }

  markDownloaded(recordingSid: string, localFile: string, now: string): void {
    this.#sql('UPDATE takes SET local_file = ?, downloaded_at = ?, download_error = NULL WHERE recording_sid = ?').run(localFile, now, recordingSid);
    this.changed();
    this.takeHome(recordingSid);
  }

  /** A rehearsal take: recorded on this laptop, already home, never fetched from Twilio. */
  markRehearsal(recordingSid: string, localFile: string, now: string): void {
    this.#sql("UPDATE takes SET source = 'rehearsal', local_file = ?, downloaded_at = ?, download_error = NULL WHERE recording_sid = ?").run(localFile, now, recordingSid);
    const cached = this.#takes.get(recordingSid);
    if (cached) this.#takes.set(recordingSid, { ...cached, source: 'rehearsal' });
    this.changed();
    this.takeHome(recordingSid);
  }

  markDownloadFailed(recordingSid: string, error: string): void {
    this.#sql('UPDATE takes SET download_attempts = download_attempts + 1, download_error = ? WHERE recording_sid = ?').run(error, recordingSid);
    this.changed();
  }

  /** Keeps what the upsert stored: a call already known keeps its identity columns (the upsert never changes them). */
  #stored(call: CallState): void {
    const known = this.#calls.get(call.callSid);
    // Read as missing, so inserted just as given (this store is the calls table's only writer).
    if (!known && this.#missing.delete(call.callSid)) return this.#remember(call);
    if (!known) return; // Inserted or updated, we can't tell: the next read fetches it.
    const { callSid, accountSid, from, to, kind, startedAt } = known;
    this.#remember({ ...call, callSid, accountSid, from, to, kind, startedAt });
  }

  #remember(call: CallState): void {
    this.#missing.delete(call.callSid);
    this.#calls.delete(call.callSid);
    this.#calls.set(call.callSid, call);
    // The calls in progress are what matters; a long wedding's older calls are read again if needed.
    if (this.#calls.size > CACHED_CALLS) this.#calls.delete(this.#calls.keys().next().value ?? '');
  }
}

/** Calls kept in memory at most. */
const CACHED_CALLS = 500;

function toStepTake(take: StoredTake): StepTake {
  return { recordingSid: take.recordingSid, callSid: take.callSid, status: take.status, source: take.source, nameClip: take.nameClip && { recordingSid: take.nameClip.recordingSid } };
}

function toCall(row: Row): CallState {
  return {
    callSid: String(row['call_sid']),
    accountSid: String(row['account_sid']),
    from: String(row['from_number']),
    to: String(row['to_number']),
    kind: String(row['kind']) as CallKind,
    step: String(row['step']) as CallStep,
    startedAt: String(row['started_at']),
    endedAt: row['ended_at'] === null ? null : String(row['ended_at']),
    recordCount: Number(row['record_count']),
    emptyCount: Number(row['empty_count']),
    currentTakeSid: row['current_take_sid'] === null ? null : String(row['current_take_sid']),
    menuTimeouts: Number(row['menu_timeouts']),
    invalidKeys: Number(row['invalid_keys']),
  };
}

/** The statements that store a step: the call's upsert, then each take write, in order. */
function writeStatements(call: CallState | null, writes: readonly TakeWrite[]): SqlStatement[] {
  const statements = call ? [upsertCall(call)] : [];
  for (const write of writes) {
    const statement = takeWriteStatement(write);
    if (statement) statements.push(statement);
  }
  return statements;
}

function upsertCall(call: CallState): SqlStatement {
  return {
    sql: `INSERT INTO calls (call_sid, account_sid, from_number, to_number, kind, step, started_at, ended_at,
                            record_count, empty_count, current_take_sid, menu_timeouts, invalid_keys)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (call_sid) DO UPDATE SET
           step = excluded.step, ended_at = excluded.ended_at, record_count = excluded.record_count,
           empty_count = excluded.empty_count, current_take_sid = excluded.current_take_sid,
           menu_timeouts = excluded.menu_timeouts, invalid_keys = excluded.invalid_keys`,
    params: [
      call.callSid, call.accountSid, call.from, call.to, call.kind, call.step, call.startedAt, call.endedAt,
      call.recordCount, call.emptyCount, call.currentTakeSid, call.menuTimeouts, call.invalidKeys,
    ],
  };
}

/** A take write as SQL; null when it changes nothing. */
function takeWriteStatement(write: TakeWrite): SqlStatement | null {
  switch (write.kind) {
    case 'insert': {
      const t = write.take;
      return {
        sql: `INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at, media_ready_at, source,
                              local_file, downloaded_at, caller_name)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        params: [
          t.recordingSid, t.callSid, t.takeNumber, t.recordingUrl, t.durationSeconds, t.status, t.createdAt, t.updatedAt, write.mediaReadyAt, write.source,
          write.home?.localFile ?? null, write.home?.downloadedAt ?? null, write.callerName ?? null,
        ],
      };
    }
    case 'update': {
      const { set } = write;
      const columns: [string, string | number | undefined][] = [
        ['status', set.status],
        ['take_number', set.takeNumber],
        ['updated_at', set.updatedAt],
        ['media_ready_at', set.mediaReadyAt],
        ['duration_seconds', set.durationSeconds],
        ['call_sid', set.callSid],
      ];
      const given = columns.filter((c): c is [string, string | number] => c[1] !== undefined);
      if (given.length === 0) return null;
      return { sql: `UPDATE takes SET ${given.map(([name]) => `${name} = ?`).join(', ')} WHERE recording_sid = ?`, params: [...given.map(([, value]) => value), write.recordingSid] };
    }
    case 'name-clip': {
      const { clip } = write;
      return {
        sql: 'UPDATE takes SET name_recording_sid = ?, name_recording_url = ?, name_duration_seconds = ? WHERE recording_sid = ?',
        params: [clip.recordingSid, clip.recordingUrl, clip.durationSeconds, write.takeSid],
      };
    }
    case 'remove-call':
      return { sql: 'DELETE FROM calls WHERE call_sid = ?', params: [write.callSid] };
    default:
      return assertNever(write);
  }
}
