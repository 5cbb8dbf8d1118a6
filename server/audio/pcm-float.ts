import type { Pcm } from './wav.ts';

/** 16-bit full scale, as ffmpeg and libebur128 convert: -32768 maps to exactly -1. */
export const FULL_SCALE = 32768;

/** Number of sample frames (one sample per channel) in the clip. */
export function frameCount(pcm: Pcm): number {
  return pcm.channels > 0 ? Math.floor(pcm.samples.length / pcm.channels) : 0;
}

/** Each channel as floats in [-1, 1). */
export function channelData(pcm: Pcm): readonly Float32Array[] {
  const frames = frameCount(pcm);
  const out: Float32Array[] = [];
  for (let c = 0; c < pcm.channels; c++) {
    const data = new Float32Array(frames);
    for (let i = 0, j = c; i < frames; i++, j += pcm.channels) data[i] = (pcm.samples[j] ?? 0) / FULL_SCALE;
    out.push(data);
  }
  return out;
}

/** The channels averaged into one, as floats in [-1, 1). */
export function monoMix(pcm: Pcm): Float32Array {
  const frames = frameCount(pcm);
  const out = new Float32Array(frames);
  const channels = pcm.channels;
  const samples = pcm.samples;
  if (channels === 1) {
    for (let i = 0; i < frames; i++) out[i] = (samples[i] ?? 0) / FULL_SCALE;
    return out;
  }
  const scale = 1 / (FULL_SCALE * channels);
  for (let i = 0, j = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, j++) sum += samples[j] ?? 0;
    out[i] = sum * scale;
  }
  return out;
}
