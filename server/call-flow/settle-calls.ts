/**
 * After a crash, the rules for calls whose end was lost: when a call with no end must be over,
 * and what becomes of takes nobody will confirm now. Pure: the call line asks Twilio (or the
 * clock), ends the calls through the flow, and the store applies the writes these return.
 */
import type { CallState, Take } from './call-state.ts';
import type { TakeWrite } from './take-writes.ts';

/**
 * A call with no end this long after it began is over: the longest message (600 s) plus the
 * prompts and the menu fit well inside it. Used when Twilio can't be asked.
 */
export const STALE_CALL_MS = 15 * 60_000;

/** Whether a call began so long ago that it must have ended (its end was lost in a crash). */
export function isStaleCall(call: Pick<CallState, 'startedAt'>, now: Date): boolean {
  return now.getTime() - Date.parse(call.startedAt) > STALE_CALL_MS;
}

/**
 * Takes still `pending` on calls that are not open (ended, or no call at all): nobody will
 * confirm them now, so they become `unconfirmed`, as when a guest hangs up mid-review.
 */
export function orphanedTakeWrites(
  openCallSids: ReadonlySet<string>,
  takes: readonly Pick<Take, 'recordingSid' | 'callSid' | 'status'>[],
  now: string,
): TakeWrite[] {
  return takes
    .filter((take) => take.status === 'pending' && !openCallSids.has(take.callSid))
    .map((take) => ({ kind: 'update', recordingSid: take.recordingSid, set: { status: 'unconfirmed', updatedAt: now } }));
}
