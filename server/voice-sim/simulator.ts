import { setTimeout as sleep } from 'node:timers/promises';
import { encodeWav, type Pcm } from '../audio/wav.ts';
import { parseTwiml, TwimlParseError } from '../twiml/parse.ts';
import type { Gather, HttpMethod, Play, RecordVerb, Say, Verb } from '../twiml/verbs.ts';
import { newSid } from '../twilio/sids.ts';
import type { Caller } from './caller.ts';
import { toPhoneAudio, trimSilence, truncate } from './phone-audio.ts';
import type twilio from 'twilio';
import { cjsRequire } from '../cjs-require.ts';

/** Where `<Record>` puts audio: Twilio's recordings (the emulator in tests). */
export interface RecordingStore {
  /** `verb`: the `<Record>` that made it (a local store may file recordings by where their callbacks go). */
  addRecording(input: { accountSid: string; callSid: string; wav: Buffer; durationSeconds: number; verb?: RecordVerb }): {
    recordingSid: string;
    recordingUrl: string;
    /** Resolves when the media can be downloaded (then the recording-status callback fires). */
    ready: Promise<void>;
  };
}

/** What happened on the call, in order, from the guest's side. */
export type SimEvent =
  | { readonly kind: 'say'; readonly text: string; readonly language?: string; readonly voice?: string }
  | { readonly kind: 'play'; readonly url: string; readonly status: number; readonly bytes: number; readonly body: Buffer }
  | { readonly kind: 'pause'; readonly seconds: number }
  | { readonly kind: 'beep' }
  | { readonly kind: 'record'; readonly recordingSid: string | null; readonly durationSeconds: number; readonly verb: RecordVerb }
  | { readonly kind: 'gather'; readonly digits: string; readonly verb: Gather }
  | { readonly kind: 'application-error'; readonly url: string; readonly detail: string }
  | { readonly kind: 'hangup'; readonly by: 'line' | 'caller' | 'end-of-document' };

/** One webhook request the simulated Twilio made, with its latency. */
export interface SimRequest {
  readonly url: string;
  readonly method: HttpMethod;
  readonly status: number;
  readonly ms: number;
}

export interface SimulatedCall {
  readonly callSid: string;
  readonly events: readonly SimEvent[];
  readonly requests: readonly SimRequest[];
  /** Status of each callback (recording status, call status) the simulator delivered. */
  readonly callbacks: readonly SimRequest[];
}

export interface PlaceCallOptions {
  /** The number's voice URL (Twilio's `voiceUrl`). */
  readonly voiceUrl: string;
  readonly voiceMethod?: HttpMethod;
  /**
   * The number's voice fallback URL: requested (with `ErrorCode` and `ErrorUrl`, the URL that
   * failed) when the voice URL — or any later action/redirect URL of the call — can't be
   * reached, times out, answers non-2xx or with invalid TwiML ("a fatal error while executing
   * your call", twilio.com/docs/usage/security/availability-reliability). Without one, or if it
   * fails too, the call ends with an application error.
   */
  readonly voiceFallbackUrl?: string;
  readonly voiceFallbackMethod?: HttpMethod;
  /** Where a URL's host really is (the emulator's `*.twil.io`); requests are still signed for the URL as written. */
  readonly dns?: (url: URL) => URL;
  /** The number's call status callback, if any. */
  readonly statusCallback?: string;
  readonly accountSid: string;
  /** Signs every request, like Twilio does with the account's auth token. */
  readonly authToken: string;
  readonly from: string;
  readonly to: string;
  readonly caller: Caller;
  readonly recordings: RecordingStore;
  readonly callSid?: string;
  /** Safety bound on verbs executed, so a looping line cannot hang a test. */
  readonly maxVerbs?: number;
  /**
   * Real time per simulated second: 0 (default) runs the call instantly, 1 at the pace of a
   * real call, 0.1 ten times faster. Prompts, recordings and key waits then take that long.
   */
  readonly timeScale?: number;
  /**
   * Sign as if the request had come through a tunnel: requests go to `local`, signatures are
   * computed on the same path under `public` (what Twilio would have been given). Rehearsal calls use it.
   */
  readonly signingBase?: { readonly local: string; readonly public: string };
  /** Make recordings sound like the phone line (8 kHz mono, the default) or keep the caller's audio quality. */
  readonly phoneAudio?: boolean;
}

/** Raised when the line would loop forever. */
export class RunawayCallError extends Error {
  override readonly name = 'RunawayCallError';
}

/**
 * Places one simulated inbound call: fetches the voice URL like Twilio, interprets the
 * TwiML (Say, Play, Pause, Record, Gather, Redirect, Hangup), asks `caller` what the
 * guest does, follows action URLs with Twilio's parameters and signatures, and delivers
 * recording-status and call-status callbacks. Resolves once the call and its callbacks are done.
 */
export async function placeCall(options: PlaceCallOptions): Promise<SimulatedCall> {
  const call = new CallRun(options);
  await call.run();
  return call.result();
}

type Next = { readonly kind: 'fetch'; readonly url: string; readonly method: HttpMethod; readonly extra: Record<string, string> } | { readonly kind: 'end' };

type TwimlResult =
  | { readonly kind: 'twiml'; readonly verbs: readonly Verb[]; readonly url: string }
  | { readonly kind: 'failed'; readonly url: string; readonly errorCode: string; readonly detail: string };

class CallRun {
  readonly #o: PlaceCallOptions;
  readonly #callSid: string;
  readonly #events: SimEvent[] = [];
  readonly #requests: SimRequest[] = [];
  readonly #callbacks: SimRequest[] = [];
  readonly #pending: Promise<void>[] = [];
  #status: 'ringing' | 'in-progress' | 'completed' = 'ringing';
  #seconds = 0;
  #verbs = 0;

  constructor(options: PlaceCallOptions) {
    this.#o = options;
    this.#callSid = options.callSid ?? newSid('CA');
  }

  result(): SimulatedCall {
    return { callSid: this.#callSid, events: this.#events, requests: this.#requests, callbacks: this.#callbacks };
  }

  async run(): Promise<void> {
    const answered = await this.#answer();
    this.#status = 'in-progress';
    let next: Next = answered ? await this.#execute(answered.verbs, answered.url) : { kind: 'end' };
    while (next.kind === 'fetch') {
      const document = await this.#fetchTwiml(next.url, next.method, next.extra);
      next = document ? await this.#execute(document.verbs, document.url) : { kind: 'end' };
    }
    this.#status = 'completed';
    if (this.#o.statusCallback) {
      await this.#callback(this.#o.statusCallback, 'POST', { CallDuration: String(Math.round(this.#seconds)) });
    }
    await Promise.all(this.#pending);
  }

  async #execute(verbs: readonly Verb[], documentUrl: string): Promise<Next> {
    for (const verb of verbs) {
      if (++this.#verbs > (this.#o.maxVerbs ?? 500)) throw new RunawayCallError(`Call ${this.#callSid} ran more than ${this.#o.maxVerbs ?? 500} verbs`);
      switch (verb.kind) {
        case 'say':
        case 'play':
          if ((await this.#hear(verb)) === 'hangup') return this.#hangup('caller');
          break;
        case 'pause':
          this.#events.push({ kind: 'pause', seconds: verb.seconds });
          await this.#elapse(verb.seconds);
          break;
        case 'record': {
          const next = await this.#record(verb, documentUrl);
          if (next) return next;
          break;
        }
        case 'gather': {
          const next = await this.#gather(verb, documentUrl);
          if (next) return next;
          break;
        }
        case 'redirect':
          return { kind: 'fetch', url: resolve(verb.url, documentUrl), method: verb.method ?? 'POST', extra: {} };
        case 'hangup':
          this.#events.push({ kind: 'hangup', by: 'line' });
          return { kind: 'end' };
        default:
          verb satisfies never;
      }
    }
    this.#events.push({ kind: 'hangup', by: 'end-of-document' });
    return { kind: 'end' };
  }

  async #hear(prompt: Say | Play): Promise<'listen' | 'hangup'> {
    if (prompt.kind === 'say') {
      this.#events.push({ kind: 'say', text: prompt.text, language: prompt.language, voice: prompt.voice });
      await this.#elapse(Math.max(1, prompt.text.length / 12));
    } else {
      // Twilio fetches <Play> media with a plain GET; a failure is logged and the call moves on.
      let status: number;
      let body = Buffer.alloc(0);
      try {
        const where = new URL(prompt.url);
        const response = await fetch(this.#o.dns?.(where) ?? where, { headers: { 'user-agent': 'TwilioProxy/1.1' }, signal: AbortSignal.timeout(15_000) });
        status = response.status;
        body = Buffer.from(await response.arrayBuffer());
      } catch {
        status = 0; // unreachable: Twilio logs error 11200 and moves on
      }
      const ok = status >= 200 && status < 300;
      this.#events.push({ kind: 'play', url: prompt.url, status, bytes: ok ? body.length : 0, body: ok ? body : Buffer.alloc(0) });
      await this.#elapse(ok ? body.length / 16000 : 0);
    }
    return this.#o.caller.hear(prompt);
  }

  async #record(verb: RecordVerb, documentUrl: string): Promise<Next | null> {
    this.#events.push({ kind: 'beep' });
    const reply = await this.#o.caller.record(verb);
    const action = resolve(verb.action ?? documentUrl, documentUrl);
    const method = verb.method ?? 'POST';
    if (reply.kind === 'hangup') {
      this.#events.push({ kind: 'record', recordingSid: null, durationSeconds: 0, verb });
      return this.#hangup('caller');
    }
    const maxLength = verb.maxLength ?? 3600;
    let audio: Pcm | null = null;
    let heardSeconds = 0;
    if (reply.kind === 'speak') {
      audio = truncate(this.#o.phoneAudio === false ? reply.audio : toPhoneAudio(reply.audio), maxLength);
      heardSeconds = Math.round(audio.samples.length / audio.sampleRate);
      if (verb.trim !== 'do-not-trim') audio = trimSilence(audio);
    }
    const durationSeconds = audio ? Math.round(audio.samples.length / audio.sampleRate) : 0;
    await this.#elapse(durationSeconds + (reply.kind === 'speak' && reply.end === 'key' ? 0 : (verb.timeout ?? 5)));
    if (!audio || durationSeconds === 0) {
      // Twilio does not request the action for an empty recording; it continues with the next verb.
      this.#events.push({ kind: 'record', recordingSid: null, durationSeconds: 0, verb });
      this.#reportAbsent(verb, documentUrl);
      return null;
    }
    const stored = this.#o.recordings.addRecording({
      accountSid: this.#o.accountSid,
      callSid: this.#callSid,
      wav: encodeWav(audio),
      durationSeconds,
      verb,
    });
    this.#events.push({ kind: 'record', recordingSid: stored.recordingSid, durationSeconds, verb });
    const recordingParams = {
      RecordingSid: stored.recordingSid,
      RecordingUrl: stored.recordingUrl,
      RecordingDuration: String(durationSeconds),
    };
    this.#watchRecording(verb, documentUrl, stored.ready, recordingParams);
    // real-services: RecordingDuration with trim — Twilio doesn't document whether the action's
    // RecordingDuration is before or after trimming; the stand-in reports the length the caller
    // was recorded (untrimmed) there, and the file's own length in the status callback.
    const actionParams = { ...recordingParams, RecordingDuration: String(Math.max(durationSeconds, heardSeconds)) };
    const hungUp = reply.kind === 'speak' && reply.end === 'hangup';
    const digits = reply.kind === 'speak' && reply.end === 'key' ? (verb.finishOnKey ?? '#').charAt(0) : hungUp ? 'hangup' : '';
    if (hungUp) {
      // Twilio still reports the recording to the action URL, then ignores the TwiML.
      this.#status = 'completed';
      await this.#fetchTwiml(action, method, { ...actionParams, Digits: digits });
      return this.#hangup('caller');
    }
    return { kind: 'fetch', url: action, method, extra: { ...actionParams, ...(digits ? { Digits: digits } : {}) } };
  }

  #watchRecording(verb: RecordVerb, documentUrl: string, ready: Promise<void>, params: Record<string, string>): void {
    const target = verb.recordingStatusCallback;
    if (!target || !recordingEvents(verb).includes('completed')) return;
    const startTime = new Date().toUTCString();
    this.#pending.push(
      ready.then(() =>
        this.#recordingCallback(resolve(target, documentUrl), verb.recordingStatusCallbackMethod ?? 'POST', {
          ...params,
          RecordingStatus: 'completed',
          RecordingChannels: '1',
          RecordingStartTime: startTime,
          RecordingSource: 'RecordVerb',
        }),
      ),
    );
  }

  /** A recording Twilio found silent is not stored: 'absent', with error 16102 and no media URL. */
  #reportAbsent(verb: RecordVerb, documentUrl: string): void {
    const target = verb.recordingStatusCallback;
    if (!target || !recordingEvents(verb).includes('absent')) return;
    this.#pending.push(
      this.#recordingCallback(resolve(target, documentUrl), verb.recordingStatusCallbackMethod ?? 'POST', {
        RecordingSid: newSid('RE'),
        RecordingStatus: 'absent',
        RecordingDuration: '0',
        RecordingChannels: '1',
        RecordingStartTime: new Date().toUTCString(),
        RecordingSource: 'RecordVerb',
        ErrorCode: '16102',
      }),
    );
  }

  /**
   * real-services: Recording status callback parameters — only the recording's own parameters
   * with AccountSid and CallSid: no From, To, CallStatus or Direction as on call webhooks.
   */
  async #recordingCallback(url: string, method: HttpMethod, params: Record<string, string>): Promise<void> {
    await this.#send(url, method, { AccountSid: this.#o.accountSid, CallSid: this.#callSid, ...params }, this.#callbacks);
  }

  async #gather(verb: Gather, documentUrl: string): Promise<Next | null> {
    for (const prompt of verb.prompts) {
      if (prompt.kind === 'pause') {
        this.#events.push({ kind: 'pause', seconds: prompt.seconds });
        continue;
      }
      if ((await this.#hear(prompt)) === 'hangup') return this.#hangup('caller');
    }
    const reply = await this.#o.caller.gather(verb);
    if (reply.kind === 'hangup') return this.#hangup('caller');
    // real-services: Gather's finishOnKey — '#' by default: it ends the input and is not part of
    // Digits, so '#' alone is no input at all (Twilio then runs the next verb). '' disables it.
    const finishOnKey = verb.finishOnKey ?? '#';
    let digits = '';
    for (const key of reply.kind === 'press' ? reply.digits : '') {
      if (finishOnKey !== '' && key === finishOnKey) break;
      digits += key;
      if (verb.numDigits !== undefined && digits.length >= verb.numDigits) break;
    }
    this.#events.push({ kind: 'gather', digits, verb });
    await this.#elapse(digits === '' ? (verb.timeout ?? 5) : 1);
    if (digits === '' && !verb.actionOnEmptyResult) return null;
    return { kind: 'fetch', url: resolve(verb.action ?? documentUrl, documentUrl), method: verb.method ?? 'POST', extra: { Digits: digits } };
  }

  /** Advances the call's clock; with a time scale, really waits that long. */
  async #elapse(seconds: number): Promise<void> {
    this.#seconds += seconds;
    const scale = this.#o.timeScale ?? 0;
    if (scale > 0 && seconds > 0) await sleep(seconds * 1000 * scale);
  }

  #hangup(by: 'caller'): Next {
    this.#events.push({ kind: 'hangup', by });
    return { kind: 'end' };
  }

  #params(extra: Record<string, string>): Record<string, string> {
    return {
      AccountSid: this.#o.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.#callSid,
      CallStatus: this.#status,
      Called: this.#o.to,
      Caller: this.#o.from,
      Direction: 'inbound',
      From: this.#o.from,
      To: this.#o.to,
      ...extra,
    };
  }

  /** The first request of the call: the voice URL, then (if it fails and there is one) the fallback URL. */
  async #answer(): Promise<{ verbs: readonly Verb[]; url: string } | null> {
    const voiceUrl = this.#o.voiceUrl;
    const first = await this.#requestTwiml(voiceUrl, this.#o.voiceMethod ?? 'POST', {});
    const fallbackUrl = this.#o.voiceFallbackUrl;
    if (first.kind === 'twiml' || !fallbackUrl) return this.#orError(first);
    return this.#orError(await this.#requestTwiml(fallbackUrl, this.#o.voiceFallbackMethod ?? 'POST', { ErrorCode: first.errorCode, ErrorUrl: voiceUrl }));
  }

  /**
   * Requests TwiML like Twilio: signed, form-encoded. A bad answer goes to the fallback URL (with
   * only the call's own parameters, ErrorCode and ErrorUrl: whether Twilio repeats the failed
   * request's Digits/Recording* is not documented), then ends the call with an application error.
   */
  async #fetchTwiml(url: string, method: HttpMethod, extra: Record<string, string>): Promise<{ verbs: readonly Verb[]; url: string } | null> {
    const result = await this.#requestTwiml(url, method, extra);
    const fallbackUrl = this.#o.voiceFallbackUrl;
    if (result.kind === 'twiml' || !fallbackUrl || this.#status === 'completed') return this.#orError(result);
    return this.#orError(await this.#requestTwiml(fallbackUrl, this.#o.voiceFallbackMethod ?? 'POST', { ErrorCode: result.errorCode, ErrorUrl: result.url }));
  }

  #orError(result: TwimlResult): { verbs: readonly Verb[]; url: string } | null {
    if (result.kind === 'twiml') return result;
    this.#events.push({ kind: 'application-error', url: result.url, detail: result.detail });
    return null;
  }

  /** One TwiML request; a failure carries Twilio's error code (11205 unreachable, 11200 HTTP error, 12100 bad TwiML). */
  async #requestTwiml(url: string, method: HttpMethod, extra: Record<string, string>): Promise<TwimlResult> {
    const { status, body } = await this.#send(url, method, this.#params(extra), this.#requests);
    if (status === 0) return { kind: 'failed', url, errorCode: '11205', detail: 'HTTP 0' };
    if (status < 200 || status >= 300) return { kind: 'failed', url, errorCode: '11200', detail: `HTTP ${status}` };
    try {
      return { kind: 'twiml', verbs: parseTwiml(body), url };
    } catch (error) {
      if (!(error instanceof TwimlParseError)) throw error;
      return { kind: 'failed', url, errorCode: '12100', detail: error.message };
    }
  }

  async #callback(url: string, method: HttpMethod, extra: Record<string, string>): Promise<void> {
    await this.#send(url, method, this.#params(extra), this.#callbacks);
  }

  async #send(url: string, method: HttpMethod, params: Record<string, string>, log: SimRequest[]): Promise<{ status: number; body: string }> {
    const target = new URL(url);
    if (method === 'GET') for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    const signedUrl = this.#o.signingBase && target.href.startsWith(this.#o.signingBase.local)
      ? `${this.#o.signingBase.public}${target.href.slice(this.#o.signingBase.local.length)}`
      : target.href;
    const signature = twilioSdk().getExpectedTwilioSignature(this.#o.authToken, signedUrl, method === 'GET' ? {} : params);
    const started = performance.now();
    let status: number;
    let body = '';
    try {
      const response = await fetch(this.#o.dns?.(target) ?? target, {
        method,
        headers: {
          'x-twilio-signature': signature,
          'user-agent': 'TwilioProxy/1.1',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: method === 'POST' ? new URLSearchParams(params).toString() : undefined,
        // Twilio gives a webhook 15 seconds.
        signal: AbortSignal.timeout(15_000),
      });
      status = response.status;
      body = await response.text();
    } catch {
      status = 0;
    }
    log.push({ url: target.href, method, status, ms: performance.now() - started });
    return { status, body };
  }
}

function recordingEvents(verb: RecordVerb): readonly string[] {
  return (verb.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
}

function resolve(url: string, base: string): string {
  return new URL(url, base).href;
}

/**
 * Signed with twilio-node's own function, not the app's check (a stand-in never shares the app's
 * reading); loaded when the first simulated call runs, not at start.
 */
function twilioSdk(): typeof twilio {
  return cjsRequire('twilio') as typeof twilio;
}
