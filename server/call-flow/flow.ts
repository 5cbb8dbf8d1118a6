import { assertNever } from '../assert-never.ts';
import type { GatherPrompt, Verb } from '../twiml/verbs.ts';
import { newCall, type CallState, type NameRecording, type Take, type TakeStatus } from './call-state.ts';
import type { FlowSettings } from './flow-settings.ts';
import { PATHS } from './paths.ts';
import { isListedNumber } from './phone-number.ts';
import type { PromptKey } from './prompts.ts';

/** Times the menu repeats when no key is pressed before the take is kept anyway. */
export const MAX_MENU_REPEATS = 2;
/** Times "we couldn't hear you" sends the guest back to record before a polite goodbye. */
export const MAX_EMPTY_RETRIES = 2;
/** Wrong keys tolerated in the menu before the take is kept anyway (a stuck key must not loop forever). */
export const MAX_INVALID_KEYS = 3;
/** Seconds the menu waits for a key. */
export const MENU_TIMEOUT_SECONDS = 6;
/** Longest name clip in seconds: a name, not a second message. */
export const NAME_MAX_SECONDS = 5;
/** Seconds of silence that end the name clip (or, said nothing at all, skip it). */
export const NAME_SILENCE_SECONDS = 3;

/** What the flow needs from outside: settings, the clock, and how to address media. */
export interface FlowContext {
  readonly settings: FlowSettings;
  readonly now: string;
  /** A URL Twilio can fetch to play one of the organiser's prompt files. */
  promptUrl(file: string): string;
  /** A URL Twilio can fetch to play a take back to the guest. */
  takeUrl(recordingSid: string): string;
}

export interface IncomingCall {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
}

/** Something Twilio told us about a call in progress. */
export type FlowEvent =
  | {
      readonly kind: 'recorded';
      readonly recordingSid: string;
      readonly recordingUrl: string;
      readonly durationSeconds: number;
      /** The guest hung up while recording: keep the take, say nothing more. */
      readonly callEnded: boolean;
    }
  | { readonly kind: 'no-audio' }
  | { readonly kind: 'menu-key'; readonly takeSid: string; readonly digits: string }
  | { readonly kind: 'menu-timeout'; readonly takeSid: string }
  /** The guest said their name for the kept take `takeSid` (`callEnded`: and hung up while saying it). */
  | { readonly kind: 'name-recorded'; readonly takeSid: string; readonly clip: NameRecording; readonly callEnded: boolean }
  | { readonly kind: 'call-ended' };

/** A change to the takes table that goes with a flow step. */
export type TakeChange =
  | { readonly kind: 'add'; readonly take: Take }
  | { readonly kind: 'set-status'; readonly recordingSid: string; readonly status: TakeStatus }
  /** Every take of this call still `pending` becomes `status` (the guest left mid-review). */
  | { readonly kind: 'settle-pending'; readonly status: TakeStatus }
  /** The name clip the guest recorded for the kept take `takeSid`. */
  | { readonly kind: 'name-clip'; readonly takeSid: string; readonly clip: NameRecording };

/** The new call state, take changes to persist with it, and the TwiML to answer with. */
export interface FlowResult {
  readonly call: CallState;
  readonly takes: readonly TakeChange[];
  readonly verbs: readonly Verb[];
}

/** The first webhook of a call: welcome and record, or the decoy for the couple's own numbers. */
export function answerCall(existing: CallState | null, incoming: IncomingCall, ctx: FlowContext): FlowResult {
  // Twilio may re-request the voice URL for a call we know (e.g. after a fallback): pick up where it was.
  if (existing) return { call: existing, takes: [], verbs: resume(existing, ctx) };
  const { settings } = ctx;
  if (isListedNumber(incoming.from, settings.surpriseNumbers, settings.defaultCountryCode)) {
    return { call: newCall(incoming, 'decoy', ctx.now), takes: [], verbs: [prompt('decoy', ctx), { kind: 'hangup' }] };
  }
  const answered = recordAgain(newCall(incoming, 'guest', ctx.now), [prompt('welcome', ctx)], ctx, []);
  // The guest hears the welcome first; the live view says so until the recording comes back.
  return { ...answered, call: { ...answered.call, step: 'welcome' } };
}

/**
 * Twilio requested the fallback URL mid-call: `failed` is where (`ErrorUrl`'s path, and the take
 * a menu URL names). A guest who has already recorded is never sent back to the welcome: in the
 * menu they get it again for their take; right after recording (Twilio doesn't say which
 * recording) they are thanked — the take is safe at Twilio and comes home by reconciliation.
 * docs/real-services.md "Fallback URL".
 */
export function answerAfterError(incoming: IncomingCall, failed: { readonly path: string; readonly takeSid: string | null }, ctx: FlowContext): FlowResult {
  const started = answerCall(null, incoming, ctx);
  if (started.call.kind === 'decoy') return started;
  switch (failed.path) {
    case PATHS.menu:
    case PATHS.menuTimeout:
      if (failed.takeSid) return { call: { ...started.call, step: 'menu', currentTakeSid: failed.takeSid }, takes: [], verbs: menu(failed.takeSid, ctx) };
      return { call: { ...started.call, step: 'done' }, takes: [], verbs: [prompt('thanks', ctx), { kind: 'hangup' }] };
    case PATHS.recorded:
    case PATHS.nameRecorded:
      return { call: { ...started.call, step: 'done' }, takes: [], verbs: [prompt('thanks', ctx), { kind: 'hangup' }] };
    default:
      return started;
  }
}

/**
 * A later webhook for a call we have no record of (a lost database, a call the always-on line
 * answered before the laptop): the call is picked up at the recording it must be in.
 */
export function adoptCall(incoming: IncomingCall, ctx: FlowContext): CallState {
  const { settings } = ctx;
  if (isListedNumber(incoming.from, settings.surpriseNumbers, settings.defaultCountryCode)) return newCall(incoming, 'decoy', ctx.now);
  return recordAgain(newCall(incoming, 'guest', ctx.now), [], ctx, []).call;
}

/** Every later webhook of a call. */
export function continueCall(call: CallState, event: FlowEvent, ctx: FlowContext): FlowResult {
  switch (event.kind) {
    case 'recorded':
      return onRecorded(call, event, ctx);
    case 'no-audio':
      return onEmpty(call, ctx, []);
    case 'menu-key':
      return onMenuKey(call, event.takeSid, event.digits, ctx);
    case 'menu-timeout':
      return onMenuTimeout(call, event.takeSid, ctx);
    case 'name-recorded':
      // The clip goes with the take the action URL names (a take of another call is not this call's to change).
      return {
        call: { ...call, step: 'done' },
        takes: [{ kind: 'name-clip', takeSid: event.takeSid, clip: event.clip }],
        verbs: event.callEnded ? [{ kind: 'hangup' }] : [prompt('thanks', ctx), { kind: 'hangup' }],
      };
    case 'call-ended':
      return {
        call: { ...call, step: 'done', endedAt: call.endedAt ?? ctx.now, currentTakeSid: null },
        takes: [{ kind: 'settle-pending', status: 'unconfirmed' }],
        verbs: [{ kind: 'hangup' }],
      };
    default:
      return assertNever(event);
  }
}

function onRecorded(call: CallState, event: Extract<FlowEvent, { kind: 'recorded' }>, ctx: FlowContext): FlowResult {
  const tooShort = event.durationSeconds < ctx.settings.minMessageSeconds;
  const status: TakeStatus = tooShort ? 'empty' : event.callEnded ? 'unconfirmed' : 'pending';
  const take: Take = {
    recordingSid: event.recordingSid,
    callSid: call.callSid,
    takeNumber: Math.max(call.recordCount, 1),
    recordingUrl: event.recordingUrl,
    durationSeconds: event.durationSeconds,
    status,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const added: TakeChange = { kind: 'add', take };
  if (event.callEnded) {
    // Twilio ignores TwiML once the caller has gone; the take is kept as unconfirmed.
    return { call: { ...call, step: 'done', endedAt: ctx.now, currentTakeSid: null }, takes: [added], verbs: [{ kind: 'hangup' }] };
  }
  if (tooShort) return onEmpty(call, ctx, [added]);
  const next: CallState = { ...call, step: 'listening', emptyCount: 0, currentTakeSid: take.recordingSid, menuTimeouts: 0, invalidKeys: 0 };
  return {
    call: next,
    takes: [added],
    verbs: [prompt('playbackIntro', ctx), { kind: 'play', url: ctx.takeUrl(take.recordingSid) }, ...menu(take.recordingSid, ctx)],
  };
}

function onEmpty(call: CallState, ctx: FlowContext, takes: readonly TakeChange[]): FlowResult {
  const emptyCount = call.emptyCount + 1;
  if (emptyCount > MAX_EMPTY_RETRIES) {
    return {
      call: { ...call, emptyCount, step: 'done', currentTakeSid: null },
      takes,
      verbs: [prompt('goodbyeNoAudio', ctx), { kind: 'hangup' }],
    };
  }
  return recordAgain({ ...call, emptyCount }, [prompt('couldNotHear', ctx)], ctx, takes);
}

function onMenuKey(call: CallState, takeSid: string, digits: string, ctx: FlowContext): FlowResult {
  if (takeSid !== call.currentTakeSid) return { call, takes: [], verbs: resume(call, ctx) };
  switch (digits) {
    case '1':
      return ctx.settings.askName ? keepAndAskName(call, takeSid, ctx) : keep(call, takeSid, ctx);
    case '3':
      return recordAgain(
        { ...call, currentTakeSid: null },
        [],
        ctx,
        [{ kind: 'set-status', recordingSid: takeSid, status: 'superseded' }],
      );
    case '':
      return onMenuTimeout(call, takeSid, ctx);
    default: {
      const invalidKeys = call.invalidKeys + 1;
      if (invalidKeys >= MAX_INVALID_KEYS) return keep(call, takeSid, ctx);
      // Back to the menu with the same take: the hobby script lost the recording here.
      return { call: { ...call, invalidKeys, step: 'menu' }, takes: [], verbs: [prompt('invalidKey', ctx), ...menu(takeSid, ctx)] };
    }
  }
}

function onMenuTimeout(call: CallState, takeSid: string, ctx: FlowContext): FlowResult {
  if (takeSid !== call.currentTakeSid) return { call, takes: [], verbs: resume(call, ctx) };
  const menuTimeouts = call.menuTimeouts + 1;
  if (menuTimeouts > MAX_MENU_REPEATS) return keep(call, takeSid, ctx);
  return { call: { ...call, menuTimeouts, step: 'menu' }, takes: [], verbs: menu(takeSid, ctx) };
}

function keep(call: CallState, takeSid: string, ctx: FlowContext): FlowResult {
  return {
    call: { ...call, step: 'done', currentTakeSid: null },
    takes: [{ kind: 'set-status', recordingSid: takeSid, status: 'kept' }],
    verbs: [prompt('thanks', ctx), { kind: 'hangup' }],
  };
}

/**
 * The guest pressed 1: the take is kept (hanging up now changes nothing), then "Lastly, please say
 * your name" and a short `<Record>` whose action and status callback are the name clip's own, so it
 * can never be taken for a message. Said nothing: Twilio skips the action and goes on to the thanks.
 */
function keepAndAskName(call: CallState, takeSid: string, ctx: FlowContext): FlowResult {
  const query = `?take=${encodeURIComponent(takeSid)}`;
  return {
    call: { ...call, step: 'name', currentTakeSid: null },
    takes: [{ kind: 'set-status', recordingSid: takeSid, status: 'kept' }],
    verbs: [
      prompt('askName', ctx),
      {
        kind: 'record',
        action: `${PATHS.nameRecorded}${query}`,
        method: 'POST',
        maxLength: NAME_MAX_SECONDS,
        timeout: NAME_SILENCE_SECONDS,
        finishOnKey: '#',
        playBeep: true,
        trim: 'trim-silence',
        recordingStatusCallback: `${PATHS.nameRecordingStatus}${query}`,
        recordingStatusCallbackMethod: 'POST',
        recordingStatusCallbackEvent: 'completed',
      },
      prompt('thanks', ctx),
      { kind: 'hangup' },
    ],
  };
}

/** Instructions, beep, record; if Twilio hears nothing it continues to the no-audio redirect. */
function recordAgain(call: CallState, before: readonly Verb[], ctx: FlowContext, takes: readonly TakeChange[]): FlowResult {
  const next: CallState = { ...call, step: 'recording', recordCount: call.recordCount + 1, menuTimeouts: 0, invalidKeys: 0 };
  return { call: next, takes, verbs: [...before, ...recordVerbs(ctx)] };
}

function recordVerbs(ctx: FlowContext): readonly Verb[] {
  const { settings } = ctx;
  return [
    prompt('instructions', ctx),
    {
      kind: 'record',
      action: PATHS.recorded,
      method: 'POST',
      maxLength: settings.maxLengthSeconds,
      timeout: settings.silenceTimeoutSeconds,
      finishOnKey: '#',
      playBeep: true,
      trim: 'trim-silence',
      recordingStatusCallback: PATHS.recordingStatus,
      recordingStatusCallbackMethod: 'POST',
      recordingStatusCallbackEvent: 'completed absent',
    },
    // Twilio skips the action when nothing was recorded and carries on here.
    { kind: 'redirect', url: PATHS.noAudio, method: 'POST' },
  ];
}

function menu(takeSid: string, ctx: FlowContext): readonly Verb[] {
  const query = `?take=${encodeURIComponent(takeSid)}`;
  return [
    {
      kind: 'gather',
      action: `${PATHS.menu}${query}`,
      method: 'POST',
      input: 'dtmf',
      numDigits: 1,
      timeout: MENU_TIMEOUT_SECONDS,
      // '#' is Gather's default finish key, which Twilio swallows; without one it is a key like
      // any other, so a guest pressing it hears "press 1 or 3" (docs/real-services.md).
      finishOnKey: '',
      actionOnEmptyResult: false,
      prompts: [prompt('menu', ctx)],
    },
    { kind: 'redirect', url: `${PATHS.menuTimeout}${query}`, method: 'POST' },
  ];
}

/** TwiML that continues a known call from the step it is in. */
function resume(call: CallState, ctx: FlowContext): readonly Verb[] {
  if (call.kind === 'decoy' || call.step === 'done') return [{ kind: 'hangup' }];
  // The message is kept; the name is not asked twice.
  if (call.step === 'name') return [prompt('thanks', ctx), { kind: 'hangup' }];
  if (call.currentTakeSid !== null) return menu(call.currentTakeSid, ctx);
  return recordVerbs(ctx);
}

function prompt(key: PromptKey, ctx: FlowContext): GatherPrompt {
  const p = ctx.settings.prompts[key];
  switch (p.kind) {
    case 'tts':
      return { kind: 'say', text: p.text, language: p.language, voice: p.voice };
    case 'audio':
      return { kind: 'play', url: ctx.promptUrl(p.file) };
    default:
      return assertNever(p);
  }
}
