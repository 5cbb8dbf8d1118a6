/**
 * The rules for takes, as pure functions: how the flow's take changes meet the takes already
 * stored (a recording-status callback may have stored a take before its action arrived), what a
 * recording reported ready outside a call step becomes, and how a recording found at Twilio is
 * adopted. They return row writes; the store applies them as given and decides nothing.
 */
import { assertNever } from '../assert-never.ts';
import type { CallState, NameRecording, Take, TakeSource, TakeStatus } from './call-state.ts';
import type { TakeChange } from './flow.ts';

/** One row write: to the takes table, or removing a call left with no takes. */
export type TakeWrite =
  | {
      readonly kind: 'insert';
      readonly take: Take;
      readonly source: TakeSource;
      /** When Twilio said the media is ready (null until its callback arrives). */
      readonly mediaReadyAt: string | null;
      /** Where its audio already is at home (guest-link uploads); absent until a download brings it. */
      readonly home?: { readonly localFile: string; readonly downloadedAt: string };
      /** The name given with this message (guest-link uploads); absent for none. */
      readonly callerName?: string | null;
    }
  | { readonly kind: 'update'; readonly recordingSid: string; readonly set: TakeUpdate }
  /** The take `takeSid`'s name clip (its recording, sid, URL and duration; its download comes later). */
  | { readonly kind: 'name-clip'; readonly takeSid: string; readonly clip: NameRecording }
  /** A call none of whose takes are left (a stand-in whose take moved to its real call). */
  | { readonly kind: 'remove-call'; readonly callSid: string };

/** The columns an update sets; the others stay as they are. */
export interface TakeUpdate {
  readonly status?: TakeStatus;
  readonly takeNumber?: number;
  readonly updatedAt?: string;
  readonly mediaReadyAt?: string;
  readonly durationSeconds?: number;
  /** The call the take belongs to (a recovered take moving to its real call). */
  readonly callSid?: string;
}

/** A stored take as these rules see it. */
export type KnownTake = Pick<Take, 'recordingSid' | 'status'> & {
  readonly source?: TakeSource;
  readonly nameClip?: { readonly recordingSid: string } | null;
};

/**
 * A status the flow decides for a take someone stored first. Only a status nobody has decided
 * yet (`pending`, or `unconfirmed` from a callback that came before the action) gives way.
 */
export function mergeStatus(stored: TakeStatus, decided: TakeStatus): TakeStatus {
  return stored === 'pending' || stored === 'unconfirmed' ? decided : stored;
}

/** The flow's take changes for one call, resolved against that call's stored takes. */
export function takeWrites(changes: readonly TakeChange[], stored: readonly KnownTake[], now: string): TakeWrite[] {
  // Most steps change no take: nothing to resolve (two maps fewer on every such webhook).
  if (changes.length === 0) return [];
  const known = new Map(stored.map((take) => [take.recordingSid, take.status]));
  const storedTakes = new Map(stored.map((take) => [take.recordingSid, take]));
  const writes: TakeWrite[] = [];
  const setStatus = (recordingSid: string, status: TakeStatus): void => {
    known.set(recordingSid, status);
    writes.push({ kind: 'update', recordingSid, set: { status, updatedAt: now } });
  };
  for (const change of changes) {
    switch (change.kind) {
      case 'add': {
        const { take } = change;
        const before = known.get(take.recordingSid);
        if (before === undefined) {
          known.set(take.recordingSid, take.status);
          writes.push({ kind: 'insert', take, source: 'live', mediaReadyAt: null });
        } else {
          const status = mergeStatus(before, take.status);
          known.set(take.recordingSid, status);
          writes.push({ kind: 'update', recordingSid: take.recordingSid, set: { takeNumber: take.takeNumber, status, updatedAt: take.updatedAt } });
        }
        break;
      }
      case 'set-status':
        // A take of another call (or none at all) is not this step's to change.
        if (known.has(change.recordingSid)) setStatus(change.recordingSid, change.status);
        break;
      case 'settle-pending':
        for (const [recordingSid, status] of [...known]) if (status === 'pending') setStatus(recordingSid, change.status);
        break;
      case 'name-clip':
        // Only a take of this call gets it (storedTakes holds only those).
        writes.push(...nameClipWrites(storedTakes.get(change.takeSid) ?? null, change.clip, 'action'));
        break;
      default:
        assertNever(change);
    }
  }
  return writes;
}

/** A recording Twilio reported ready (or the rehearsal filed), outside any call step. */
export interface ReadyRecording {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly recordingUrl: string;
  readonly durationSeconds: number;
}

/**
 * Twilio's recording-status callback: the media is ready. If the `<Record>` action never reached
 * us (a restart, a dropped connection), this alone still stores the take: `pending` while the
 * call is live (its menu will decide), `unconfirmed` when the call is over or unknown.
 * Its RecordingDuration is the recording's own and replaces the action's.
 */
export function recordingReady(call: CallState | null, stored: KnownTake | null, recording: ReadyRecording, now: string): TakeWrite[] {
  // The callback's RecordingDuration is the recording's own: it replaces the action's (which may be untrimmed).
  if (stored) return [{ kind: 'update', recordingSid: recording.recordingSid, set: { mediaReadyAt: now, durationSeconds: recording.durationSeconds } }];
  const status: TakeStatus = call === null || call.endedAt !== null ? 'unconfirmed' : 'pending';
  const take: Take = { ...recording, takeNumber: Math.max(call?.recordCount ?? 1, 1), status, createdAt: now, updatedAt: now };
  return [{ kind: 'insert', take, source: 'live', mediaReadyAt: now }];
}

/**
 * Twilio's `absent` recording-status callback: the recording was silent and Twilio kept nothing.
 * A take of a call we know is settled as `empty`; anything else needs no write.
 */
export function recordingAbsent(call: CallState | null, stored: KnownTake | null, now: string): TakeWrite[] {
  if (!call || !stored) return [];
  return [{ kind: 'update', recordingSid: stored.recordingSid, set: { status: 'empty', updatedAt: now } }];
}

/**
 * A name clip for a stored take: from the name `<Record>`'s action, its own status callback
 * (`ready`: the media is there; its duration is the file's own and replaces the action's), or found
 * at Twilio by the reconciler. A take keeps the first name clip it was given; no take, no write.
 */
export function nameClipWrites(take: KnownTake | null, clip: NameRecording, from: 'action' | 'ready' | 'found'): TakeWrite[] {
  if (!take) return [];
  const stored = take.nameClip?.recordingSid;
  if (stored !== undefined && (stored !== clip.recordingSid || from !== 'ready')) return [];
  return [{ kind: 'name-clip', takeSid: take.recordingSid, clip }];
}

/** The name clip's own recording-status callback (`completed`): stored with its take, if that take is this call's. */
export function nameClipReady(callSid: string, take: (KnownTake & Pick<Take, 'callSid'>) | null, clip: NameRecording): TakeWrite[] {
  return nameClipWrites(take?.callSid === callSid ? take : null, clip, 'ready');
}

/** A call as Twilio's REST API describes it. */
export interface FoundCall {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
}

/** A completed recording Twilio lists. */
export interface FoundRecording {
  readonly recordingSid: string;
  readonly recordingUrl: string;
  readonly durationSeconds: number;
  readonly createdAt: string;
}

/**
 * A recording found at Twilio that no webhook told us about (the app was closed, a callback was
 * lost): its call (if we never saw it, as an ended guest call) and the take as `unconfirmed`.
 * `while-away` takes were made on the always-on line, which records again only after the guest
 * pressed 3 (or was not heard): adopted oldest first, each one supersedes the one before.
 * Nothing when the take (or name clip) is already known; on a call with a kept take that has no
 * name clip yet, the recording is that name clip (the line records nothing else after a keep).
 */
export function adoptRecording(
  known: { readonly call: CallState | null; readonly takes: readonly KnownTake[] },
  call: FoundCall,
  recording: FoundRecording,
  source: Exclude<TakeSource, 'live' | 'rehearsal'>,
): { readonly call: CallState | null; readonly writes: readonly TakeWrite[] } {
  if (known.takes.some((take) => take.recordingSid === recording.recordingSid || take.nameClip?.recordingSid === recording.recordingSid)) return { call: null, writes: [] };
  // After a kept take the line only ever records the guest's name: a recording found after one is that take's name clip.
  const kept = known.takes.find((take) => take.status === 'kept' && !take.nameClip);
  if (kept) {
    const clip = { recordingSid: recording.recordingSid, recordingUrl: recording.recordingUrl, durationSeconds: recording.durationSeconds };
    return { call: null, writes: nameClipWrites(kept, clip, 'found') };
  }
  const newCall: CallState | null = known.call ? null : endedGuestCall(call);
  const take: Take = {
    recordingSid: recording.recordingSid,
    callSid: call.callSid,
    takeNumber: known.takes.length + 1,
    recordingUrl: recording.recordingUrl,
    durationSeconds: recording.durationSeconds,
    status: 'unconfirmed',
    createdAt: recording.createdAt,
    updatedAt: recording.createdAt,
  };
  const superseded: TakeWrite[] =
    source === 'while-away'
      ? known.takes
          .filter((t) => t.source === 'while-away' && t.status === 'unconfirmed')
          .map((t) => ({ kind: 'update', recordingSid: t.recordingSid, set: { status: 'superseded', updatedAt: recording.createdAt } }))
      : [];
  return { call: newCall, writes: [{ kind: 'insert', take, source, mediaReadyAt: recording.createdAt }, ...superseded] };
}

/** A call learnt from Twilio, not from its webhooks: an ended guest call with nothing left to decide. */
function endedGuestCall(call: FoundCall): CallState {
  return {
    callSid: call.callSid,
    accountSid: call.accountSid,
    from: call.from,
    to: call.to,
    kind: 'guest',
    step: 'done',
    startedAt: call.startedAt,
    endedAt: call.endedAt ?? call.startedAt,
    recordCount: 0,
    emptyCount: 0,
    currentTakeSid: null,
    menuTimeouts: 0,
    invalidKeys: 0,
  };
}

/**
 * A message brought back from disk (filed under a stand-in call) whose real call Twilio now names:
 * that call (if we never saw it, as an ended guest call), the take moved to it if it is still
 * the stand-in's, and the stand-in removed once it has no takes left.
 */
export function relinkRecoveredTake(
  known: { readonly call: CallState | null; readonly standInTakes: readonly KnownTake[] },
  recordingSid: string,
  standIn: string,
  call: FoundCall,
): { readonly call: CallState | null; readonly writes: readonly TakeWrite[] } {
  const realCall = known.call ? null : endedGuestCall(call);
  if (!known.standInTakes.some((take) => take.recordingSid === recordingSid)) return { call: realCall, writes: [] };
  const left = known.standInTakes.filter((take) => take.recordingSid !== recordingSid);
  const moved: TakeWrite = { kind: 'update', recordingSid, set: { callSid: call.callSid } };
  return { call: realCall, writes: left.length === 0 ? [moved, { kind: 'remove-call', callSid: standIn }] : [moved] };
}
