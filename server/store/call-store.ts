import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { CallKind, CallState, CallStep, StoredTake, Take, TakeSource, TakeStatus } from '../call-flow/call-state.ts';
import type { TakeChange } from '../call-flow/flow.ts';
import { assertNever } from '../twiml/render.ts';
import { transaction } from './database.ts';

type Row = Record<string, unknown>;

/** Calls and takes, keyed by CallSid and RecordingSid. Every write is one transaction. */
export class CallStore {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #listeners = new Set<() => void>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Called after every committed write (the organiser UI refreshes from it). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells listeners the data changed (other stores on the same database use it too). */
  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Prepared once, reused on every webhook. */
  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  getCall(callSid: string): CallState | null {
    const row = this.#sql('SELECT * FROM calls WHERE call_sid = ?').get(callSid) as Row | undefined;
    return row ? toCall(row) : null;
  }

  /** Calls with no end recorded: live, or left so by a crash. */
  openCalls(): readonly CallState[] {
    return (this.#sql('SELECT * FROM calls WHERE ended_at IS NULL ORDER BY started_at, call_sid').all() as Row[]).map(toCall);
  }

  /** Takes still `pending` on calls that have ended (or that we have no call for): nobody will confirm them now. */
  settleOrphanedTakes(now: string): number {
    const result = this.#sql(
      `UPDATE takes SET status = 'unconfirmed', updated_at = ?
       WHERE status = 'pending' AND call_sid NOT IN (SELECT call_sid FROM calls WHERE ended_at IS NULL)`,
    ).run(now);
    const changed = Number(result.changes);
    if (changed > 0) this.changed();
    return changed;
  }

  listCalls(): readonly CallState[] {
    return (this.#sql('SELECT * FROM calls ORDER BY started_at, call_sid').all() as Row[]).map(toCall);
  }

  getTake(recordingSid: string): StoredTake | null {
    const row = this.#sql('SELECT * FROM takes WHERE recording_sid = ?').get(recordingSid) as Row | undefined;
    return row ? toTake(row) : null;
  }

  listTakes(callSid?: string): readonly StoredTake[] {
    const rows = callSid
      ? this.#sql('SELECT * FROM takes WHERE call_sid = ? ORDER BY take_number, created_at').all(callSid)
      : this.#sql('SELECT * FROM takes ORDER BY created_at, take_number').all();
    return (rows as Row[]).map(toTake);
  }

  /** Stores a flow step: the call's new state and its take changes, atomically. */
  save(call: CallState, changes: readonly TakeChange[], now: string): void {
    transaction(this.#db, () => {
      this.#upsertCall(call);
      for (const change of changes) this.#applyTakeChange(call.callSid, change, now);
    });
    this.changed();
  }

  /**
   * Twilio's recording-status callback: the media is ready. If the action request never
   * reached us (a restart, a dropped connection), this alone still records the take. Its
   * RecordingDuration is the recording's own and replaces the action's.
   */
  recordingReady(take: Omit<Take, 'createdAt' | 'updatedAt' | 'takeNumber' | 'status'>, now: string): void {
    transaction(this.#db, () => {
      const call = this.getCall(take.callSid);
      const status: TakeStatus = call === null || call.endedAt !== null ? 'unconfirmed' : 'pending';
      const takeNumber = Math.max(call?.recordCount ?? 1, 1);
      this.#sql(
          `INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at, media_ready_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (recording_sid) DO UPDATE SET media_ready_at = excluded.media_ready_at, duration_seconds = excluded.duration_seconds`,
        ).run(take.recordingSid, take.callSid, takeNumber, take.recordingUrl, take.durationSeconds, status, now, now, now);
    });
    this.changed();
  }

  /** Takes whose audio is not home yet, oldest first. */
  takesToDownload(): readonly StoredTake[] {
    return (this.#sql('SELECT * FROM takes WHERE downloaded_at IS NULL ORDER BY created_at').all() as Row[]).map(toTake);
  }

  markDownloaded(recordingSid: string, localFile: string, now: string): void {
    this.#sql('UPDATE takes SET local_file = ?, downloaded_at = ?, download_error = NULL WHERE recording_sid = ?').run(localFile, now, recordingSid);
    this.changed();
  }

  /** A rehearsal take: recorded on this laptop, already home, never fetched from Twilio. */
  markRehearsal(recordingSid: string, localFile: string, now: string): void {
    this.#sql("UPDATE takes SET source = 'rehearsal', local_file = ?, downloaded_at = ?, download_error = NULL WHERE recording_sid = ?").run(localFile, now, recordingSid);
    this.changed();
  }

  markDownloadFailed(recordingSid: string, error: string): void {
    this.#sql('UPDATE takes SET download_attempts = download_attempts + 1, download_error = ? WHERE recording_sid = ?').run(error, recordingSid);
    this.changed();
  }

  /**
   * A recording found at Twilio that no webhook told us about (the app was closed, a
   * callback was lost). Stores its call and the take as unconfirmed; a no-op if known.
   * `while-away` takes were made on the always-on line, which re-records only after the
   * guest pressed 3 (or was not heard): adopted oldest first, each one supersedes the one before.
   */
  adoptRecording(
    call: { readonly callSid: string; readonly accountSid: string; readonly from: string; readonly to: string; readonly startedAt: string; readonly endedAt: string | null },
    recording: { readonly recordingSid: string; readonly recordingUrl: string; readonly durationSeconds: number; readonly createdAt: string },
    source: Exclude<TakeSource, 'live'> = 'reconciled',
  ): boolean {
    const added = transaction(this.#db, () => {
      this.#insertEndedCall(call);
      const count = this.#sql('SELECT COUNT(*) AS n FROM takes WHERE call_sid = ?').get(call.callSid) as { n: number };
      const result = this.#sql(
        `INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at, media_ready_at, source)
         VALUES (?, ?, ?, ?, ?, 'unconfirmed', ?, ?, ?, ?)
         ON CONFLICT (recording_sid) DO NOTHING`,
      ).run(recording.recordingSid, call.callSid, Number(count.n) + 1, recording.recordingUrl, recording.durationSeconds, recording.createdAt, recording.createdAt, recording.createdAt, source);
      const adopted = Number(result.changes) > 0;
      if (adopted && source === 'while-away') {
        this.#sql(
          `UPDATE takes SET status = 'superseded', updated_at = ?
           WHERE call_sid = ? AND source = 'while-away' AND status = 'unconfirmed' AND recording_sid <> ?`,
        ).run(recording.createdAt, call.callSid, recording.recordingSid);
      }
      return adopted;
    });
    if (added) this.changed();
    return added;
  }

  /** A message brought back from disk gets its real call (caller, times) once Twilio names it. */
  relinkTake(
    recordingSid: string,
    standIn: string,
    call: { readonly callSid: string; readonly accountSid: string; readonly from: string; readonly to: string; readonly startedAt: string; readonly endedAt: string | null },
  ): void {
    transaction(this.#db, () => {
      this.#insertEndedCall(call);
      this.#sql('UPDATE takes SET call_sid = ? WHERE recording_sid = ? AND call_sid = ?').run(call.callSid, recordingSid, standIn);
      this.#sql('DELETE FROM calls WHERE call_sid = ? AND NOT EXISTS (SELECT 1 FROM takes WHERE call_sid = ?)').run(standIn, standIn);
    });
    this.changed();
  }

  /** A finished guest call learnt from Twilio (not from its webhooks); a no-op if known. */
  #insertEndedCall(call: { readonly callSid: string; readonly accountSid: string; readonly from: string; readonly to: string; readonly startedAt: string; readonly endedAt: string | null }): void {
    this.#sql(
      `INSERT INTO calls (call_sid, account_sid, from_number, to_number, kind, step, started_at, ended_at,
                          record_count, empty_count, current_take_sid, menu_timeouts, invalid_keys)
       VALUES (?, ?, ?, ?, 'guest', 'done', ?, ?, 0, 0, NULL, 0, 0)
       ON CONFLICT (call_sid) DO NOTHING`,
    ).run(call.callSid, call.accountSid, call.from, call.to, call.startedAt, call.endedAt ?? call.startedAt);
  }

  #upsertCall(call: CallState): void {
    this.#sql(
        `INSERT INTO calls (call_sid, account_sid, from_number, to_number, kind, step, started_at, ended_at,
                            record_count, empty_count, current_take_sid, menu_timeouts, invalid_keys)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (call_sid) DO UPDATE SET
           step = excluded.step, ended_at = excluded.ended_at, record_count = excluded.record_count,
           empty_count = excluded.empty_count, current_take_sid = excluded.current_take_sid,
           menu_timeouts = excluded.menu_timeouts, invalid_keys = excluded.invalid_keys`,
      ).run(
        call.callSid,
        call.accountSid,
        call.from,
        call.to,
        call.kind,
        call.step,
        call.startedAt,
        call.endedAt,
        call.recordCount,
        call.emptyCount,
        call.currentTakeSid,
        call.menuTimeouts,
        call.invalidKeys,
      );
  }

  #applyTakeChange(callSid: string, change: TakeChange, now: string): void {
    switch (change.kind) {
      case 'add': {
        const t = change.take;
        // The recording-status callback may have stored this take first; the action knows its real status.
        this.#sql(
            `INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (recording_sid) DO UPDATE SET
               take_number = excluded.take_number,
               status = CASE WHEN takes.status IN ('pending', 'unconfirmed') THEN excluded.status ELSE takes.status END,
               updated_at = excluded.updated_at`,
          ).run(t.recordingSid, t.callSid, t.takeNumber, t.recordingUrl, t.durationSeconds, t.status, t.createdAt, t.updatedAt);
        return;
      }
      case 'set-status':
        this.#sql('UPDATE takes SET status = ?, updated_at = ? WHERE recording_sid = ? AND call_sid = ?')
          .run(change.status, now, change.recordingSid, callSid);
        return;
      case 'settle-pending':
        this.#sql("UPDATE takes SET status = ?, updated_at = ? WHERE call_sid = ? AND status = 'pending'")
          .run(change.status, now, callSid);
        return;
      default:
        assertNever(change);
    }
  }
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

function toTake(row: Row): StoredTake {
  return {
    source: row['source'] === 'reconciled' || row['source'] === 'while-away' || row['source'] === 'guest-link' ? row['source'] : 'live',
    download: {
      localFile: row['local_file'] === null ? null : String(row['local_file']),
      downloadedAt: row['downloaded_at'] === null ? null : String(row['downloaded_at']),
      attempts: Number(row['download_attempts']),
      error: row['download_error'] === null ? null : String(row['download_error']),
    },
    recordingSid: String(row['recording_sid']),
    callSid: String(row['call_sid']),
    takeNumber: Number(row['take_number']),
    recordingUrl: String(row['recording_url']),
    durationSeconds: Number(row['duration_seconds']),
    status: String(row['status']) as TakeStatus,
    createdAt: String(row['created_at']),
    updatedAt: String(row['updated_at']),
  };
}
