import { FULL_SCALE, frameCount } from './pcm-float.ts';
import type { Pcm } from './wav.ts';

/** What the trimmer draws: the clip's length and one signed peak per bucket. */
export interface Peaks {
  readonly durationSeconds: number;
  /** One value per 1/pointsPerSecond s, in [-1, 1]: the (channel-mixed) sample of greatest magnitude, with its sign. */
  readonly peaks: number[];
}

/**
 * Waveform peaks for the renderer, so it never decodes whole files. There are
 * ceil(duration × pointsPerSecond) buckets; the last one may be shorter. Keeping the sign
 * (not just |max|) lets a renderer that draws min/max per pixel show the real shape.
 */
export function computePeaks(pcm: Pcm, pointsPerSecond = 100): Peaks {
  if (!(pointsPerSecond > 0) || !Number.isFinite(pointsPerSecond)) throw new RangeError(`pointsPerSecond must be positive, got ${pointsPerSecond}`);
  const frames = frameCount(pcm);
  const rate = pcm.sampleRate;
  // frames × pointsPerSecond is exact in a double, so the count has no rounding fuzz.
  const count = frames === 0 ? 0 : Math.ceil((frames * pointsPerSecond) / rate);
  const peaks = new Array<number>(count);
  const perBucket = rate / pointsPerSecond;
  const channels = pcm.channels;
  const samples = pcm.samples;
  for (let b = 0; b < count; b++) {
    const start = Math.floor(b * perBucket);
    // More points than samples: a bucket still gets the sample it starts in.
    const end = Math.min(frames, Math.max(start + 1, Math.floor((b + 1) * perBucket)));
    // Integers throughout (the channel sum of 16-bit samples), scaled once per bucket.
    let max = -Infinity;
    let min = Infinity;
    if (channels === 1) {
      for (let i = start; i < end; i++) {
        const s = samples[i] ?? 0;
        if (s > max) max = s;
        if (s < min) min = s;
      }
    } else {
      for (let i = start, j = start * channels; i < end; i++) {
        let s = 0;
        for (let c = 0; c < channels; c++, j++) s += samples[j] ?? 0;
        if (s > max) max = s;
        if (s < min) min = s;
      }
    }
    const value = -min > max ? min : max;
    // Four decimals is far finer than a pixel and keeps the JSON for a long message small.
    peaks[b] = Math.round((value / (FULL_SCALE * channels)) * 10_000) / 10_000;
  }
  return { durationSeconds: rate > 0 ? frames / rate : 0, peaks };
}
