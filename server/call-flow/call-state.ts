/** Where a caller is in the line, as shown live to the organiser (`name`: saying their name after keeping a message). */
export type CallStep = 'welcome' | 'recording' | 'listening' | 'menu' | 'name' | 'done';

/** Whether this call is a guest leaving a message or one of the couple getting the decoy. */
export type CallKind = 'guest' | 'decoy';

/** One call, persisted by CallSid. Every field needed to continue the call after a restart. */
export interface CallState {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly kind: CallKind;
  readonly step: CallStep;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** How many `<Record>`s this call has been given; numbers the takes. */
  readonly recordCount: number;
  /** Consecutive recordings that came back empty. */
  readonly emptyCount: number;
  /** The take being reviewed in the menu, if any. */
  readonly currentTakeSid: string | null;
  /** Times the menu timed out with no key for the current take. */
  readonly menuTimeouts: number;
  /** Wrong keys pressed in the menu for the current take. */
  readonly invalidKeys: number;
}

/**
 * A take's life: `pending` while the guest reviews it, then `kept` (pressed 1, or
 * the menu timed out), `superseded` (pressed 3), `unconfirmed` (hung up before
 * deciding) or `empty` (too short to be a message). Nothing is ever deleted.
 */
export type TakeStatus = 'pending' | 'kept' | 'unconfirmed' | 'superseded' | 'empty';

/** One recording made on a call, persisted by RecordingSid. */
export interface Take {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly takeNumber: number;
  readonly recordingUrl: string;
  readonly durationSeconds: number;
  readonly status: TakeStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The state a call starts in when its first webhook arrives. */
export function newCall(
  params: { readonly callSid: string; readonly accountSid: string; readonly from: string; readonly to: string },
  kind: CallKind,
  now: string,
): CallState {
  return {
    ...params,
    kind,
    step: kind === 'decoy' ? 'done' : 'welcome',
    startedAt: now,
    endedAt: null,
    recordCount: 0,
    emptyCount: 0,
    currentTakeSid: null,
    menuTimeouts: 0,
    invalidKeys: 0,
  };
}

/** Where a take's audio is: still only at Twilio, safely copied home, or failing to download. */
export interface TakeDownload {
  readonly localFile: string | null;
  readonly downloadedAt: string | null;
  readonly attempts: number;
  readonly error: string | null;
}

/**
 * Where a stored take came from: `live` (this app's webhooks), `reconciled` (found at Twilio
 * after its callbacks were lost), `while-away` (recorded by the always-on line while this app couldn't answer)
 * `rehearsal` (a test call from the laptop's microphone; never touches Twilio) or `guest-link`
 * (recorded in a guest's phone browser and uploaded through the tunnel; never touches Twilio).
 */
export type TakeSource = 'live' | 'reconciled' | 'while-away' | 'rehearsal' | 'guest-link';

/** A name clip's recording, as Twilio reports it (a `<Record>` action's own three fields). */
export type NameRecording = Pick<Take, 'recordingSid' | 'recordingUrl' | 'durationSeconds'>;

/**
 * The guest saying their name after keeping a message: a short recording stored with that take
 * (never a take of its own: not a message, not in the library or the album) and brought home like one.
 */
export interface NameClip extends NameRecording {
  readonly download: TakeDownload;
}

/** A take as stored: the flow's view plus where it came from, its download state and its name clip. */
export interface StoredTake extends Take {
  readonly source: TakeSource;
  readonly download: TakeDownload;
  readonly nameClip: NameClip | null;
}
