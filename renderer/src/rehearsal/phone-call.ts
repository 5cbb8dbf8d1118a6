/**
 * One rehearsal call from the laptop: the guest's ear (speech, audio), mouth (the microphone)
 * and fingers (keys) for the real call flow running in the core. No React here: the phone
 * panel starts a call, forwards key presses and hang-up, and renders what it is told.
 */
import type { ApiError, OrganiserApi } from '../../../server/api/contract.ts';
import type { RehearsalPrompt, RehearsalReply } from '../../../server/api/contract.ts';
import { fromBase64, toBase64 } from '../base64.ts';
import { openMic, type Mic, type MicProblem } from './mic.ts';

export type PhoneState = 'idle' | 'connecting' | 'speaking' | 'playing' | 'recording' | 'waiting-key' | 'ended';

/** RMS above this counts as someone speaking (for the silence timeout). */
const SPEECH_LEVEL = 0.02;

/** One step of what the line does, shown as text whether or not a voice speaks it. */
export type LineStep = { readonly kind: 'say'; readonly text: string } | { readonly kind: 'audio' } | { readonly kind: 'record'; readonly finishOnKey: string } | { readonly kind: 'keys' };

/** What the panel shows as the call goes. */
export interface PhoneCallEvents {
  line(state: PhoneState): void;
  step(step: LineStep): void;
  level(rms: number): void;
  error(error: ApiError): void;
}

/** A call in progress: the panel forwards keys and hang-up; `ended` settles when the line hangs up. */
export interface PhoneCall {
  press(key: string): void;
  hangUp(): void;
  readonly ended: Promise<void>;
}

/** Opens the microphone (throws a MicProblem) and starts the call. */
export async function startPhoneCall(api: OrganiserApi, quality: 'phone' | 'high', events: PhoneCallEvents): Promise<PhoneCall> {
  const mic = await openMic();
  let sessionId: string | null = null;
  let keyListener: ((key: string) => void) | null = null;
  let hangupListener: (() => void) | null = null;
  let hungUp = false;

  /**
   * Waits for a key, the hang-up button, the timeout, or `until`. Finishing stops its timer and
   * removes only its own listeners: a wait left running used to clear a later prompt's keys and
   * hang-up when its timer fired (60 s after a spoken prompt, 180 s after playback).
   */
  const waitFor = <T>(onKey: (key: string) => T | null, timeoutMs: number, onTimeout: () => T, onHangup: () => T, until?: Promise<T>): Promise<T> =>
    new Promise((resolve) => {
      let done = false;
      const finish = (value: T) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (keyListener === keys) keyListener = null;
        if (hangupListener === hangup) hangupListener = null;
        resolve(value);
      };
      const timer = setTimeout(() => finish(onTimeout()), timeoutMs);
      const keys = (key: string) => {
        const value = onKey(key);
        if (value !== null) finish(value);
      };
      const hangup = () => finish(onHangup());
      keyListener = keys;
      hangupListener = hangup;
      void until?.then(finish);
    });

  const stopListening = () => {
    keyListener = null;
    hangupListener = null;
  };

  async function handle(prompt: Exclude<RehearsalPrompt, { kind: 'ended' }>): Promise<RehearsalReply> {
    switch (prompt.kind) {
      case 'say': {
        events.line('speaking');
        events.step({ kind: 'say', text: prompt.text });
        const spoken = new Promise<void>((resolve) => {
          if (!('speechSynthesis' in window)) return resolve();
          const utterance = new SpeechSynthesisUtterance(prompt.text);
          utterance.lang = prompt.language;
          utterance.onend = () => resolve();
          utterance.onerror = () => resolve();
          speechSynthesis.speak(utterance);
        });
        // Machines without a voice for the language never fire "end": don't hang the call on it.
        const fallback = new Promise<void>((resolve) => setTimeout(resolve, Math.min(12_000, 900 + prompt.text.length * 60)));
        const cut = await waitFor(() => null, 60_000, () => false, () => true, Promise.race([spoken, fallback]).then(() => false));
        if ('speechSynthesis' in window) speechSynthesis.cancel();
        return cut ? { kind: 'hangup' } : { kind: 'heard' };
      }
      case 'play': {
        events.line('playing');
        events.step({ kind: 'audio' });
        const url = URL.createObjectURL(new Blob([fromBase64(prompt.audioBase64) as Uint8Array<ArrayBuffer>], { type: prompt.mime }));
        const audio = new Audio(url);
        const played = new Promise<void>((resolve) => {
          audio.onended = () => resolve();
          audio.onerror = () => resolve();
          audio.play().catch(() => resolve());
        });
        const cut = await waitFor(() => null, 180_000, () => false, () => true, played.then(() => false));
        audio.pause();
        URL.revokeObjectURL(url);
        return cut ? { kind: 'hangup' } : { kind: 'heard' };
      }
      case 'record':
        events.line('recording');
        events.step({ kind: 'record', finishOnKey: prompt.finishOnKey });
        return record(mic, prompt);
      case 'gather':
        events.line('waiting-key');
        events.step({ kind: 'keys' });
        return waitFor<RehearsalReply>(
          (key) => ({ kind: 'keys', digits: key }),
          prompt.timeoutSeconds * 1000,
          () => ({ kind: 'no-input' }),
          () => ({ kind: 'hangup' }),
        );
    }
  }

  async function record(m: Mic, prompt: Extract<RehearsalPrompt, { kind: 'record' }>): Promise<RehearsalReply> {
    let heardSpeech = false;
    let quietSince = performance.now();
    let ended: ((end: 'key' | 'silence' | 'hangup' | 'nothing') => void) | null = null;
    const finished = new Promise<'key' | 'silence' | 'hangup' | 'nothing'>((resolve) => (ended = resolve));
    m.start((rms) => {
      events.level(rms);
      const now = performance.now();
      if (rms > SPEECH_LEVEL) {
        heardSpeech = true;
        quietSince = now;
      } else if (now - quietSince > prompt.silenceSeconds * 1000) {
        // Twilio's timeout: this much silence ends the recording (or, with nothing said, there is no recording).
        ended?.(heardSpeech ? 'silence' : 'nothing');
      }
    });
    const max = setTimeout(() => ended?.('silence'), prompt.maxLengthSeconds * 1000);
    keyListener = (key) => {
      if (prompt.finishOnKey.includes(key)) ended?.('key');
    };
    hangupListener = () => ended?.('hangup');
    const end = await finished;
    clearTimeout(max);
    stopListening();
    const wav = m.stop();
    events.level(0);
    if (end === 'nothing') return { kind: 'silent' };
    return { kind: 'recorded', wavBase64: toBase64(wav), end };
  }

  async function run(): Promise<void> {
    events.line('connecting');
    const started = await api.call('rehearsalStart', { quality });
    if (!started.ok) {
      events.error(started.error);
      events.line('idle');
      return;
    }
    sessionId = started.value.sessionId;
    if (hungUp) void api.call('rehearsalHangup', { sessionId });
    let seq = 0;
    for (;;) {
      const next = await api.call('rehearsalNext', { sessionId, afterSeq: seq });
      if (!next.ok) {
        events.error(next.error);
        break;
      }
      if (!next.value) continue;
      seq = next.value.seq;
      const prompt = next.value.prompt;
      if (prompt.kind === 'ended') break;
      const reply = await handle(prompt);
      const sent = await api.call('rehearsalReply', { sessionId, seq, reply });
      if (!sent.ok) {
        events.error(sent.error);
        break;
      }
    }
    events.line('ended');
  }

  const ended = run().finally(() => mic.close());
  return {
    press: (key) => keyListener?.(key),
    hangUp() {
      hungUp = true;
      hangupListener?.();
      if (sessionId) void api.call('rehearsalHangup', { sessionId });
    },
    ended,
  };
}

export type { MicProblem };
