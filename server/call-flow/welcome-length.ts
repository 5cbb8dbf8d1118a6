import { assertNever } from '../assert-never.ts';
import type { FlowSettings } from './flow-settings.ts';
import type { Prompt, PromptKey } from './prompts.ts';

/**
 * What a new guest hears before the beep, in order: `answerCall` says the welcome, then
 * the record instructions, then `<Record>` begins. Twilio sends no event when the beep
 * sounds, so the live view estimates it from these prompts' length.
 */
export const BEFORE_FIRST_BEEP: readonly PromptKey[] = ['welcome', 'instructions'];

/** Speaking rates of the phone voices (Polly, measured roughly): Japanese characters are slower than Latin letters. */
const CJK_CHARS_PER_SECOND = 8;
const LATIN_CHARS_PER_SECOND = 15;
/** An organiser's recorded greeting whose length is unknown (e.g. an MP3): a typical short greeting. */
const UNKNOWN_AUDIO_SECONDS = 8;

/** Seconds a text-to-speech prompt takes to say, estimated from its characters. */
export function spokenSeconds(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    if (/[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch)) cjk += 1;
    else other += 1;
  }
  return cjk / CJK_CHARS_PER_SECOND + other / LATIN_CHARS_PER_SECOND;
}

/** Seconds one prompt lasts; `audioSeconds` knows the organiser's recorded files (null when it can't tell). */
export function promptSeconds(prompt: Prompt, audioSeconds: (file: string) => number | null): number {
  switch (prompt.kind) {
    case 'tts':
      return spokenSeconds(prompt.text);
    case 'audio':
      return audioSeconds(prompt.file) ?? UNKNOWN_AUDIO_SECONDS;
    default:
      return assertNever(prompt);
  }
}

/** Estimated seconds from answering a call to the first beep: when a caller in `welcome` starts recording. */
export function secondsBeforeRecording(settings: FlowSettings, audioSeconds: (file: string) => number | null = () => null): number {
  return BEFORE_FIRST_BEEP.reduce((sum, key) => sum + promptSeconds(settings.prompts[key], audioSeconds), 0);
}
