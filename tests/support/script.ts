import type { Pcm } from '../../server/audio/wav.ts';
import type { ScriptStep } from '../../server/voice-sim/caller.ts';
import { speechLike } from '../../server/voice-sim/speech.ts';

/** The guest speaks for `seconds` (or the given audio) and ends with #, silence or hanging up. */
export function speak(audio: number | Pcm, end: 'key' | 'silence' | 'hangup' = 'key'): ScriptStep {
  return { on: 'record', reply: { kind: 'speak', audio: typeof audio === 'number' ? speechLike(audio) : audio, end } };
}

export const staySilent: ScriptStep = { on: 'record', reply: { kind: 'silent' } };
export const hangUpWhileRecording: ScriptStep = { on: 'record', reply: { kind: 'hangup' } };

export function press(digits: string, before?: () => Promise<void>): ScriptStep {
  return { on: 'gather', reply: { kind: 'press', digits }, ...(before ? { before } : {}) };
}

export const pressNothing: ScriptStep = { on: 'gather', reply: { kind: 'none' } };
export const hangUpInMenu: ScriptStep = { on: 'gather', reply: { kind: 'hangup' } };

/** Hang up while the recording is played back. */
export const hangUpDuringPlayback: ScriptStep = {
  on: 'play',
  reply: 'hangup',
  when: (prompt) => prompt.kind === 'play' && prompt.url.includes('/media/takes/'),
};
