import { createHash } from 'node:crypto';
import { newCall, type CallState, type CallStep } from '../call-flow/call-state.ts';
import type { CallStore } from '../store/call-store.ts';
import { guestTakeAdded } from '../call-flow/guest-take.ts';

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
  readonly #calls: CallStore;

  constructor(calls: CallStore) {
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

  /** Stores the take (and its visit, its name) in one transaction; a no-op if that take exists. The rule is `guestTakeAdded`. */
  add(take: StoredGuestTake, now: string): void {
    const callSid = take.callSid;
    const visit = { callSid, accountSid: GUEST_ACCOUNT, from: `${GUEST_CALLER_PREFIX}${callSid.slice(2, 10)}`, to: GUEST_ACCOUNT };
    const { call, writes } = guestTakeAdded({ call: this.#calls.getCall(callSid), takes: this.#calls.listTakes(callSid) }, visit, take, now);
    if (writes.length === 0) return;
    // One transaction (save); it also tells listeners the data changed.
    this.#calls.save(call, writes);
    // The audio is already on disk: its health check can start.
    this.#calls.takeHome(take.recordingSid);
  }
}
