import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { newCall, type CallState, type CallStep } from '../call-flow/call-state.ts';
import type { CallStore } from '../store/call-store.ts';
import { transaction } from '../store/database.ts';

/** The account column of guest-link "calls" (they never touch Twilio). */
export const GUEST_ACCOUNT = 'guest-link';
/** Guest-link callers are `guest:` + a short id per page visit: no two visits share a caller (or a default name). */
export const GUEST_CALLER_PREFIX = 'guest:';

/** A visit's call id: derived from the page's random session id, never the session id itself. */
export function guestCallSid(session: string): string {
  return `GL${createHash('sha256').update(`session:${session}`).digest('hex').slice(0, 32)}`;
}

/** A recording's id: derived from the idempotency key the page chose for it, so a retry finds the same take. */
export function guestRecordingSid(key: string): string {
  return `RE${createHash('sha256').update(`guest-upload:${key}`).digest('hex').slice(0, 32)}`;
}

export interface StoredGuestTake {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly wavFile: string;
  readonly originalFile: string;
  readonly seconds: number;
  readonly status: 'kept' | 'superseded';
  readonly name: string;
}

/**
 * Guest-link visits as calls and their uploads as takes (source `guest-link`), in the same tables as the
 * phone line so Home, the library, the health check and the album treat them alike. Files are already
 * safely on disk when a take is added.
 */
export class GuestTakes {
  readonly #db: DatabaseSync;
  readonly #calls: CallStore;

  constructor(db: DatabaseSync, calls: CallStore) {
    this.#db = db;
    this.#calls = calls;
  }

  /** The page says where the guest is (welcome, recording, listening, done): shown live on Home like a call. */
  step(session: string, step: CallStep, now: string): void {
    const callSid = guestCallSid(session);
    const existing = this.#calls.getCall(callSid);
    // A visit that has ended stays ended; a later step starts nothing new (a new visit has a new session).
    if (existing?.endedAt) return;
    const call: CallState = existing ?? newCall({ callSid, accountSid: GUEST_ACCOUNT, from: `${GUEST_CALLER_PREFIX}${callSid.slice(2, 10)}`, to: GUEST_ACCOUNT }, 'guest', now);
    this.#calls.save({ ...call, step, endedAt: step === 'done' ? now : null }, []);
  }

  has(recordingSid: string): boolean {
    return this.#calls.getTake(recordingSid) !== null;
  }

  /** Stores the take (and its visit, its name) in one transaction; a no-op if that take exists. */
  add(take: StoredGuestTake, now: string): void {
    const callSid = take.callSid;
    transaction(this.#db, () => {
      const from = `${GUEST_CALLER_PREFIX}${callSid.slice(2, 10)}`;
      this.#db
        .prepare(
          `INSERT INTO calls (call_sid, account_sid, from_number, to_number, kind, step, started_at, ended_at,
                              record_count, empty_count, current_take_sid, menu_timeouts, invalid_keys)
           VALUES (?, ?, ?, ?, 'guest', 'listening', ?, NULL, 0, 0, NULL, 0, 0)
           ON CONFLICT (call_sid) DO NOTHING`,
        )
        .run(callSid, GUEST_ACCOUNT, from, GUEST_ACCOUNT, now);
      const count = this.#db.prepare('SELECT COUNT(*) AS n FROM takes WHERE call_sid = ?').get(callSid) as { n: number };
      this.#db
        .prepare(
          `INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at,
                              media_ready_at, source, local_file, downloaded_at, caller_name)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'guest-link', ?, ?, ?)
           ON CONFLICT (recording_sid) DO NOTHING`,
        )
        // The name the guest typed is this message's own name (names are per message).
        .run(take.recordingSid, callSid, Number(count.n) + 1, `guest-link:${take.originalFile}`, Math.round(take.seconds), take.status, now, now, now, take.wavFile, now, take.name.trim() || null);
      this.#db.prepare('UPDATE calls SET record_count = record_count + 1 WHERE call_sid = ?').run(callSid);
      if (take.status === 'kept') {
        // Sending ends the visit (a guest who comes back opens a new one).
        this.#db.prepare("UPDATE calls SET step = 'done', ended_at = ? WHERE call_sid = ?").run(now, callSid);
      }
    });
    this.#calls.changed();
    // The audio is already on disk: its health check can start.
    this.#calls.takeHome(take.recordingSid);
  }
}
