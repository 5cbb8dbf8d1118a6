import type { Pcm } from '../audio/wav.ts';
import { PHONE_RATE } from './speech.ts';

/** Below this level (about -40 dBFS) a sample counts as silence, as Twilio's trim-silence does. */
const SILENCE_LEVEL = 328;

/** What the phone network does to a voice: mono, 8 kHz. Linear resampling is enough for a simulator. */
export function toPhoneAudio(pcm: Pcm): Pcm {
  const frames = pcm.samples.length / pcm.channels;
  const mono = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < pcm.channels; c++) sum += pcm.samples[f * pcm.channels + c] ?? 0;
    mono[f] = sum / pcm.channels;
  }
  if (pcm.sampleRate === PHONE_RATE) return { sampleRate: PHONE_RATE, channels: 1, samples: Int16Array.from(mono, Math.round) };
  const ratio = pcm.sampleRate / PHONE_RATE;
  const out = new Int16Array(Math.floor(frames / ratio));
  for (let i = 0; i < out.length; i++) {
    const pos = i * ratio;
    const left = Math.floor(pos);
    const frac = pos - left;
    out[i] = Math.round((mono[left] ?? 0) * (1 - frac) + (mono[left + 1] ?? mono[left] ?? 0) * frac);
  }
  return { sampleRate: PHONE_RATE, channels: 1, samples: out };
}

/** Twilio's default `trim="trim-silence"`: drop leading and trailing silence. */
export function trimSilence(pcm: Pcm): Pcm {
  const s = pcm.samples;
  let start = 0;
  while (start < s.length && Math.abs(s[start] ?? 0) < SILENCE_LEVEL) start++;
  let end = s.length;
  while (end > start && Math.abs(s[end - 1] ?? 0) < SILENCE_LEVEL) end--;
  return { ...pcm, samples: s.slice(start, end) };
}

/** Keeps at most `seconds` of audio (Twilio's maxLength). */
export function truncate(pcm: Pcm, seconds: number): Pcm {
  return { ...pcm, samples: pcm.samples.slice(0, Math.round(seconds * pcm.sampleRate) * pcm.channels) };
}
