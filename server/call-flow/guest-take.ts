/**
 * The guest-link rule, as a pure function: what a guest's upload (already safely on disk) does
 * to its page visit and that visit's takes. It returns the visit's new state and row writes;
 * the store applies them as given and decides nothing.
 */
import { newCall, type CallState, type Take } from './call-state.ts';
import type { KnownTake, TakeWrite } from './take-writes.ts';

/** A page visit as a call: who it is, as the guest-link side names it. */
export interface GuestVisit {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
}

/** An upload the guest-link side has decoded and written home. */
export interface GuestUpload {
  readonly recordingSid: string;
  readonly wavFile: string;
  readonly originalFile: string;
  readonly seconds: number;
  /** `kept` when the guest pressed send, `superseded` when they recorded again. */
  readonly status: 'kept' | 'superseded';
  /** The name the guest typed; this message's own name (names are per message). */
  readonly name: string;
}

/**
 * An upload becomes the visit's next take (numbered after the takes it has), already home.
 * The visit is started (at `listening`) if it is new; sending a kept take ends it (a guest who
 * comes back opens a new visit). Nothing when that take is already stored.
 */
export function guestTakeAdded(
  known: { readonly call: CallState | null; readonly takes: readonly KnownTake[] },
  visit: GuestVisit,
  upload: GuestUpload,
  now: string,
): { readonly call: CallState | null; readonly writes: readonly TakeWrite[] } {
  if (known.takes.some((take) => take.recordingSid === upload.recordingSid)) return { call: null, writes: [] };
  const before: CallState = known.call ?? { ...newCall(visit, 'guest', now), step: 'listening' };
  const counted: CallState = { ...before, recordCount: before.recordCount + 1 };
  const call: CallState = upload.status === 'kept' ? { ...counted, step: 'done', endedAt: now } : counted;
  const take: Take = {
    recordingSid: upload.recordingSid,
    callSid: visit.callSid,
    takeNumber: known.takes.length + 1,
    recordingUrl: `guest-link:${upload.originalFile}`,
    durationSeconds: Math.round(upload.seconds),
    status: upload.status,
    createdAt: now,
    updatedAt: now,
  };
  const name = upload.name.trim();
  return {
    call,
    writes: [{ kind: 'insert', take, source: 'guest-link', mediaReadyAt: now, home: { localFile: upload.wavFile, downloadedAt: now }, callerName: name === '' ? null : name }],
  };
}
