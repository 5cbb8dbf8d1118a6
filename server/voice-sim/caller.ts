import type { Pcm } from '../audio/wav.ts';
import type { Gather, Play, RecordVerb, Say } from '../twiml/verbs.ts';

/** What the caller does while something is being said or played. */
export type HearReply = 'listen' | 'hangup';

/** What the caller does when the line records. */
export type RecordReply =
  /** Speak `audio`, then press # (`key`), go quiet until the silence timeout (`silence`), or hang up. */
  | { readonly kind: 'speak'; readonly audio: Pcm; readonly end: 'key' | 'silence' | 'hangup' }
  | { readonly kind: 'silent' }
  | { readonly kind: 'hangup' };

/** What the caller does when the line waits for keys. */
export type GatherReply =
  | { readonly kind: 'press'; readonly digits: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'hangup' };

/** The person on the phone: a test script now, the organiser's keypad and microphone in a rehearsal call. */
export interface Caller {
  hear(prompt: Say | Play): HearReply | Promise<HearReply>;
  record(verb: RecordVerb): RecordReply | Promise<RecordReply>;
  gather(verb: Gather): GatherReply | Promise<GatherReply>;
}

/** One step of a scripted caller. `before` runs first (e.g. restart the server mid-call). */
export type ScriptStep =
  | { readonly on: 'record'; readonly reply: RecordReply; readonly before?: () => Promise<void> }
  | { readonly on: 'gather'; readonly reply: GatherReply; readonly before?: () => Promise<void> }
  | { readonly on: 'play' | 'say'; readonly reply: HearReply; readonly when?: (prompt: Say | Play) => boolean };

/**
 * A caller that follows a script. Record and gather steps must come in the order the
 * line asks for them (a mismatch throws, naming both); say/play steps apply to the next
 * matching prompt, and every other prompt is simply listened to.
 */
export function scriptedCaller(steps: readonly ScriptStep[]): Caller & { readonly remaining: () => number } {
  const queue = [...steps];
  async function take(kind: 'record'): Promise<RecordReply | null>;
  async function take(kind: 'gather'): Promise<GatherReply | null>;
  async function take(kind: 'record' | 'gather'): Promise<RecordReply | GatherReply | null> {
    const step = queue[0];
    if (!step) return null;
    if (step.on !== kind || (step.on !== 'record' && step.on !== 'gather')) {
      throw new Error(`Caller script expected "${step.on}" but the line asked to ${kind}`);
    }
    queue.shift();
    await step.before?.();
    return step.reply;
  }
  return {
    remaining: () => queue.length,
    hear(prompt) {
      const step = queue[0];
      if (step && step.on === prompt.kind && (step.when?.(prompt) ?? true)) {
        queue.shift();
        return step.reply;
      }
      return 'listen';
    },
    // A script that has run out hangs up, as a real guest eventually would.
    record: async () => (await take('record')) ?? { kind: 'hangup' },
    gather: async () => (await take('gather')) ?? { kind: 'hangup' },
  };
}
