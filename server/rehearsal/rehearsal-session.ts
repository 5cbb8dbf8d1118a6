import { randomBytes } from 'node:crypto';
import { decodeWav } from '../audio/wav.ts';
import type { Core } from '../core.ts';
import type { Log } from '../log.ts';
import type { Gather, Play, RecordVerb, Say } from '../twiml/verbs.ts';
import { UserError } from '../user-error.ts';
import type { Caller, GatherReply, HearReply, RecordReply } from '../voice-sim/caller.ts';
import { placeCall } from '../voice-sim/simulator.ts';
import { LocalRecordings } from './local-recordings.ts';

/** What a rehearsal call uses of the core: the line's own endpoints (signed like Twilio) and where takes are filed. */
type RehearsalCore = Pick<Core, 'authToken' | 'calls' | 'dataDir' | 'publicUrl'>;

/** What the phone panel must do next. */
export type RehearsalPrompt =
  | { readonly kind: 'say'; readonly text: string; readonly language: string; readonly voice: string }
  | { readonly kind: 'play'; readonly mime: string; readonly audioBase64: string }
  | { readonly kind: 'record'; readonly maxLengthSeconds: number; readonly silenceSeconds: number; readonly finishOnKey: string }
  | { readonly kind: 'gather'; readonly numDigits: number; readonly timeoutSeconds: number }
  | { readonly kind: 'ended'; readonly by: 'line' | 'caller' | 'error'; readonly detail: string | null };

/** What the organiser did. */
export type RehearsalReply =
  | { readonly kind: 'heard' }
  | { readonly kind: 'hangup' }
  | { readonly kind: 'recorded'; readonly wavBase64: string; readonly end: 'key' | 'silence' | 'hangup' }
  | { readonly kind: 'silent' }
  | { readonly kind: 'keys'; readonly digits: string }
  | { readonly kind: 'no-input' };

export interface PromptEnvelope {
  readonly sessionId: string;
  readonly seq: number;
  readonly prompt: RehearsalPrompt;
}

/** Caller ID shown for rehearsal calls (Twilio's style for calls from an app, not a phone). */
export const REHEARSAL_CALLER = 'client:rehearsal';

/**
 * One rehearsal call: the product's voice simulator runs the real call flow against the
 * app's own TwiML endpoints, and the organiser is the caller — prompts go to the phone
 * panel, replies come back from it. Nothing here talks to Twilio.
 */
export class RehearsalSession {
  readonly id = randomBytes(12).toString('hex');
  readonly #core: RehearsalCore;
  readonly #localUrl: string;
  #seq = 0;
  #current: { seq: number; prompt: RehearsalPrompt; resolve: (reply: RehearsalReply) => void } | null = null;
  #waiters: (() => void)[] = [];
  #hungUp = false;
  readonly done: Promise<void>;

  constructor(options: { readonly core: RehearsalCore; readonly localUrl: string; readonly log: Log; readonly phoneQuality: boolean }) {
    this.#core = options.core;
    this.#localUrl = options.localUrl.replace(/\/+$/, '');
    const core = options.core;
    const caller: Caller = {
      hear: (prompt) => this.#hear(prompt),
      record: (verb) => this.#record(verb),
      gather: (verb) => this.#gather(verb),
    };
    this.done = placeCall({
      voiceUrl: `${this.#localUrl}/twilio/voice`,
      statusCallback: `${this.#localUrl}/twilio/call-status`,
      signingBase: { local: this.#localUrl, public: core.publicUrl() },
      accountSid: `AC${'0'.repeat(32)}`,
      authToken: core.authToken,
      from: REHEARSAL_CALLER,
      to: 'rehearsal',
      caller,
      recordings: new LocalRecordings({ calls: core.calls, dataDir: core.dataDir, localUrl: this.#localUrl }),
      phoneAudio: options.phoneQuality,
    }).then(
      (call) => {
        const last = call.events.at(-1);
        const error = call.events.find((e) => e.kind === 'application-error');
        this.#push({ kind: 'ended', by: error ? 'error' : last?.kind === 'hangup' && last.by === 'caller' ? 'caller' : 'line', detail: error?.kind === 'application-error' ? error.detail : null }, () => undefined);
      },
      (error: unknown) => {
        options.log.error('Rehearsal call failed', { error: String(error) });
        this.#push({ kind: 'ended', by: 'error', detail: String(error) }, () => undefined);
      },
    );
  }

  /** The prompt after `afterSeq`, waiting up to `waitMs` for it (long poll). Null if nothing new yet. */
  async next(afterSeq: number, waitMs = 25_000): Promise<PromptEnvelope | null> {
    const deadline = Date.now() + waitMs;
    while (!this.#current || this.#current.seq <= afterSeq) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { sessionId: this.id, seq: this.#current.seq, prompt: this.#current.prompt };
  }

  reply(seq: number, reply: RehearsalReply): void {
    const current = this.#current;
    if (!current || current.seq !== seq) {
      throw new UserError('rehearsal-out-of-step', { en: 'The rehearsal call moved on; that answer came too late.', ja: 'リハーサル通話は先に進みました。その操作は間に合いませんでした。' });
    }
    current.resolve(reply);
  }

  /**
   * The organiser pressed "hang up". While recording, the panel's reply carries what was said
   * (`end: 'hangup'`), so that prompt is left for it: the take is kept as unconfirmed, like on the phone line.
   */
  hangup(): void {
    this.#hungUp = true;
    if (this.#current?.prompt.kind === 'record') return;
    this.#current?.resolve({ kind: 'hangup' });
  }

  #push(prompt: RehearsalPrompt, resolve: (reply: RehearsalReply) => void): void {
    this.#current = { seq: ++this.#seq, prompt, resolve };
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #ask(prompt: RehearsalPrompt): Promise<RehearsalReply> {
    if (this.#hungUp) return Promise.resolve({ kind: 'hangup' });
    return new Promise((resolve) => this.#push(prompt, resolve));
  }

  async #hear(prompt: Say | Play): Promise<HearReply> {
    let reply: RehearsalReply;
    if (prompt.kind === 'say') {
      reply = await this.#ask({ kind: 'say', text: prompt.text, language: prompt.language ?? 'ja-JP', voice: prompt.voice ?? '' });
    } else {
      // The line's media URLs are public; fetch them on this machine instead (no network needed).
      const publicBase = this.#core.publicUrl();
      const url = prompt.url.startsWith(publicBase) ? `${this.#localUrl}${prompt.url.slice(publicBase.length)}` : prompt.url;
      const response = await fetch(url).catch(() => null);
      if (!response?.ok) return 'listen';
      const bytes = Buffer.from(await response.arrayBuffer());
      reply = await this.#ask({ kind: 'play', mime: response.headers.get('content-type') ?? 'audio/wav', audioBase64: bytes.toString('base64') });
    }
    return reply.kind === 'hangup' ? 'hangup' : 'listen';
  }

  async #record(verb: RecordVerb): Promise<RecordReply> {
    const reply = await this.#ask({ kind: 'record', maxLengthSeconds: verb.maxLength ?? 120, silenceSeconds: verb.timeout ?? 5, finishOnKey: verb.finishOnKey ?? '#' });
    switch (reply.kind) {
      case 'recorded':
        try {
          return { kind: 'speak', audio: decodeWav(Buffer.from(reply.wavBase64, 'base64')), end: reply.end };
        } catch {
          return { kind: 'silent' };
        }
      case 'hangup':
        return { kind: 'hangup' };
      default:
        return { kind: 'silent' };
    }
  }

  async #gather(verb: Gather): Promise<GatherReply> {
    const reply = await this.#ask({ kind: 'gather', numDigits: verb.numDigits ?? 1, timeoutSeconds: verb.timeout ?? 5 });
    if (reply.kind === 'keys') return { kind: 'press', digits: reply.digits };
    if (reply.kind === 'hangup') return { kind: 'hangup' };
    return { kind: 'none' };
  }
}
