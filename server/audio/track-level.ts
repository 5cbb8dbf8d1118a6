import { measureLoudness } from './loudness.ts';
import { FULL_SCALE } from './pcm-float.ts';
import type { Pcm } from './wav.ts';

/** How loud an exported track is made: one gain, and whether a true-peak limiter follows it. */
export interface TrackLevel {
  /** The gain to apply to the edited audio (normalisation + the organiser's own gain). */
  readonly gainDb: number;
  /** The gain would push peaks over the ceiling: a limiter at the ceiling follows it. */
  readonly limit: boolean;
  /** What the edited audio measured before any gain; null for silence. */
  readonly integratedLufs: number | null;
  readonly truePeakDbtp: number | null;
}

const ATTACK_SECONDS = 0.005;
const RELEASE_SECONDS = 0.05;

/**
 * The level of one track, measured in-process (BS.1770, agreeing with ffmpeg's ebur128 within
 * 0.05 LU), so the export renders it in one ffmpeg pass: normalise the edited audio to `targetLufs`,
 * then add the organiser's `userGainDb` ("a little louder than the others"), all under `ceilingDbtp`.
 * When the peaks would cross the ceiling the limiter takes a little loudness off; that loss is
 * estimated with a model of the limiter (5 ms lookahead, 50 ms release) and made up (four rounds at most). A message limited hard gains a little less than asked.
 */
export function planTrackLevel(edited: Pcm, options: { readonly targetLufs: number; readonly ceilingDbtp: number; readonly userGainDb: number }): TrackLevel {
  const measured = measureLoudness(edited);
  if (!Number.isFinite(measured.integratedLufs)) return { gainDb: 0, limit: false, integratedLufs: null, truePeakDbtp: null };
  const wanted = options.targetLufs + options.userGainDb;
  let gainDb = wanted - measured.integratedLufs;
  const limit = measured.truePeakDbtp + gainDb > options.ceilingDbtp;
  if (limit) {
    // The limiter sees inter-sample peaks (it runs oversampled); the model sees samples, so it holds them lower by the clip's overshoot.
    const ceiling = options.ceilingDbtp - Math.max(0, measured.truePeakDbtp - measured.samplePeakDbfs);
    for (let i = 0; i < 4; i++) {
      const miss = wanted - measureLoudness(limited(edited, gainDb, ceiling)).integratedLufs;
      if (!Number.isFinite(miss) || Math.abs(miss) <= 0.1) break;
      gainDb += miss;
    }
  }
  return { gainDb, limit, integratedLufs: measured.integratedLufs, truePeakDbtp: measured.truePeakDbtp };
}

/** The edited audio after the gain and a lookahead peak limiter at the ceiling (an estimate of ffmpeg's alimiter). */
function limited(pcm: Pcm, gainDb: number, ceilingDbtp: number): Pcm {
  const gain = 10 ** (gainDb / 20);
  const ceiling = 10 ** (ceilingDbtp / 20) * FULL_SCALE;
  const n = pcm.samples.length;
  const needed = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const level = Math.abs(pcm.samples[i] ?? 0) * gain;
    needed[i] = level > ceiling ? ceiling / level : 1;
  }
  const attack = Math.max(1, Math.round(ATTACK_SECONDS * pcm.sampleRate * pcm.channels));
  const recover = 1 - Math.exp(-1 / (RELEASE_SECONDS * pcm.sampleRate * pcm.channels));
  const out = new Int16Array(n);
  let g = 1;
  // The reduction needed anywhere in the next `attack` samples is applied by the time it arrives.
  const window: number[] = [];
  for (let i = 0; i < n + attack; i++) {
    if (i < n) {
      const value = needed[i] ?? 1;
      while (window.length > 0 && (needed[window.at(-1) ?? 0] ?? 1) >= value) window.pop();
      window.push(i);
    }
    const at = i - attack;
    if (at < 0) continue;
    while ((window[0] ?? n) < at) window.shift();
    const target = needed[window[0] ?? at] ?? 1;
    g = target < g ? target : g + (target - g) * recover;
    out[at] = Math.max(-32768, Math.min(32767, Math.round((pcm.samples[at] ?? 0) * gain * g)));
  }
  return { sampleRate: pcm.sampleRate, channels: pcm.channels, samples: out };
}
