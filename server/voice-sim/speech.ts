import type { Pcm } from '../audio/wav.ts';

/** Twilio records phone calls at 8 kHz mono. */
export const PHONE_RATE = 8000;

/**
 * Voice-like test audio: a 140 Hz voice with harmonics, in syllables of ~200 ms with
 * short gaps, at about -12 dBFS. Loud enough to count as speech, not a pure tone.
 */
export function speechLike(seconds: number, rate = PHONE_RATE): Pcm {
  const n = Math.round(seconds * rate);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const syllable = (t * 4) % 1; // four syllables a second
    const envelope = syllable < 0.8 ? Math.sin((Math.PI * syllable) / 0.8) : 0;
    const voice = Math.sin(2 * Math.PI * 140 * t) + 0.5 * Math.sin(2 * Math.PI * 280 * t) + 0.25 * Math.sin(2 * Math.PI * 420 * t);
    samples[i] = Math.round(envelope * voice * 0.25 * 32767 / 1.75);
  }
  return { sampleRate: rate, channels: 1, samples };
}

/** Silence of the given length. */
export function silence(seconds: number, rate = PHONE_RATE): Pcm {
  return { sampleRate: rate, channels: 1, samples: new Int16Array(Math.round(seconds * rate)) };
}

/** Joins clips of the same rate. */
export function concat(...clips: readonly Pcm[]): Pcm {
  const total = clips.reduce((sum, c) => sum + c.samples.length, 0);
  const samples = new Int16Array(total);
  let offset = 0;
  for (const clip of clips) {
    samples.set(clip.samples, offset);
    offset += clip.samples.length;
  }
  return { sampleRate: clips[0]?.sampleRate ?? PHONE_RATE, channels: 1, samples };
}
