/**
 * Twilio's webhook form as the flow's input: who is calling and what happened. One reading for
 * both lines (the laptop's routes and the always-on Twilio Function), so they can't drift apart.
 * Plain checks, no zod: this runs inside the hosted bundle too.
 */
import type { Take } from './call-state.ts';
import type { FlowEvent, IncomingCall } from './flow.ts';
import { PATHS } from './paths.ts';

/** A webhook's form fields, merged with the query parameters our own action URLs carry (`take`). */
export type WebhookForm = Readonly<Record<string, string | undefined>>;

const SID = { CA: /^CA[0-9a-fA-F]{32}$/, AC: /^AC[0-9a-fA-F]{32}$/, RE: /^RE[0-9a-fA-F]{32}$/ } as const;

/** Call statuses after which Twilio sends nothing more for the call. */
const FINAL_CALL_STATUSES: ReadonlySet<string> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** The call a webhook is about; null when its SIDs are malformed. */
export function incomingOf(form: WebhookForm): IncomingCall | null {
  const callSid = form['CallSid'] ?? '';
  const accountSid = form['AccountSid'] ?? '';
  if (!SID.CA.test(callSid) || !SID.AC.test(accountSid)) return null;
  return { callSid, accountSid, from: form['From'] ?? '', to: form['To'] ?? '' };
}

/**
 * The flow event a call-step webhook stands for: null for bad parameters, undefined for a path
 * that is not a call step (the voice webhook answers; callbacks are not steps).
 */
export function flowEventOf(path: string, form: WebhookForm): FlowEvent | null | undefined {
  switch (path) {
    case PATHS.recorded: {
      const recording = recordingOf(form);
      return recording && { kind: 'recorded', ...recording, callEnded: recordingCallEnded(form) };
    }
    case PATHS.nameRecorded: {
      const recording = recordingOf(form);
      const takeSid = takeOf(form);
      // The name clip belongs to the take its action URL names: without one it can't be stored.
      return recording && takeSid ? { kind: 'name-recorded', takeSid, clip: recording, callEnded: recordingCallEnded(form) } : null;
    }
    case PATHS.noAudio:
      return { kind: 'no-audio' };
    case PATHS.menu:
      return { kind: 'menu-key', takeSid: takeOf(form), digits: form['Digits'] ?? '' };
    case PATHS.menuTimeout:
      return { kind: 'menu-timeout', takeSid: takeOf(form) };
    default:
      return undefined;
  }
}

/** A `<Record>` action's recording; null when its parameters are malformed. */
function recordingOf(form: WebhookForm): Pick<Take, 'recordingSid' | 'recordingUrl' | 'durationSeconds'> | null {
  const recordingSid = form['RecordingSid'] ?? '';
  const recordingUrl = form['RecordingUrl'] ?? '';
  const durationSeconds = Number(form['RecordingDuration'] ?? '0');
  if (!SID.RE.test(recordingSid) || !/^https?:\/\//.test(recordingUrl) || !Number.isInteger(durationSeconds) || durationSeconds < 0) return null;
  return { recordingSid, recordingUrl, durationSeconds };
}

/** Twilio still posts a `<Record>` action when the guest hangs up mid-recording; no TwiML will be heard. */
function recordingCallEnded(form: WebhookForm): boolean {
  return form['Digits'] === 'hangup' || form['CallStatus'] === 'completed';
}

/** The kept take a name clip's status callback names (`?take=`); null when it names none. */
export function nameClipTakeOf(form: WebhookForm): string | null {
  return takeOf(form) || null;
}

/** Whether a call-status callback says the call is over (its pending takes become unconfirmed). */
export function callHasEnded(form: WebhookForm): boolean {
  return isFinalCallStatus(form['CallStatus'] ?? '');
}

/** Whether Twilio will send nothing more for a call with this status (a callback's or its REST API's). */
export function isFinalCallStatus(status: string): boolean {
  return FINAL_CALL_STATUSES.has(status);
}

/** A missing or odd take id is treated as stale: the flow resumes the call where it is. */
function takeOf(form: WebhookForm): string {
  const take = form['take'] ?? '';
  return SID.RE.test(take) ? take : '';
}

/**
 * Where a fallback request's `ErrorUrl` was in the call: its path, and the take a menu URL names.
 * docs/real-services.md "Fallback URL".
 */
export function failedStepOf(errorUrl: string | undefined): { readonly path: string; readonly takeSid: string | null } | null {
  if (!errorUrl) return null;
  try {
    const url = new URL(errorUrl);
    const take = url.searchParams.get('take');
    return { path: url.pathname, takeSid: take && /^RE[0-9a-fA-F]{32}$/.test(take) ? take : null };
  } catch {
    return null;
  }
}
