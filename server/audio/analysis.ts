import { HEALTH_THRESHOLDS, type HealthFlag } from './health-flags.ts';
import { measureLoudness } from './loudness.ts';
import { frameCount, monoMix } from './pcm-float.ts';
import type { Pcm } from './wav.ts';

export type { HealthFlag } from './health-flags.ts';
export { HEALTH_FLAG_TEXT, HEALTH_THRESHOLDS } from './health-flags.ts';

/** The health check run on every message when it arrives. */
export interface RecordingHealth {
  readonly durationSeconds: number;
  /** BS.1770-4 integrated loudness; -Infinity when nothing passes the −70 LUFS gate. */
  readonly integratedLufs: number;
  /** -Infinity for digital silence (as is truePeakDbtp). */
  readonly samplePeakDbfs: number;
  readonly truePeakDbtp: number;
  /** Fraction of samples at or within 1 LSB of full scale (≥ 32766 or ≤ −32767). */
  readonly clippedShare: number;
  /** Fraction of 50 ms frames whose RMS is below HEALTH_THRESHOLDS.silenceFrameDbfs (1 for an empty clip). */
  readonly silenceShare: number;
  /** In a fixed order: silent, very-short, clipped, very-quiet, very-loud. */
  readonly flags: readonly HealthFlag[];
}

const SILENCE_FRAME_SECONDS = 0.05;

/** Measures a message and flags problems worth the organiser's attention (see HEALTH_THRESHOLDS). */
export function analyseRecording(pcm: Pcm): RecordingHealth {
  const loudness = measureLoudness(pcm);
  const durationSeconds = pcm.sampleRate > 0 ? frameCount(pcm) / pcm.sampleRate : 0;
  const clippedShare = clippedFraction(pcm.samples);
  const silenceShare = silentFrameFraction(monoMix(pcm), Math.max(1, Math.round(SILENCE_FRAME_SECONDS * pcm.sampleRate)));
  const t = HEALTH_THRESHOLDS;
  const silent = loudness.integratedLufs === -Infinity || silenceShare > t.silentShare;
  const flags: HealthFlag[] = [];
  if (silent) flags.push('silent');
  if (durationSeconds < t.veryShortSeconds) flags.push('very-short');
  if (clippedShare > t.clippedShare) flags.push('clipped');
  // "Very quiet" would only repeat "silent".
  if (!silent && loudness.integratedLufs < t.veryQuietLufs) flags.push('very-quiet');
  if (loudness.integratedLufs > t.veryLoudLufs) flags.push('very-loud');
  return { durationSeconds, ...loudness, clippedShare, silenceShare, flags };
}

function clippedFraction(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let clipped = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] ?? 0;
    if (s >= 32766 || s <= -32767) clipped++;
  }
  return clipped / samples.length;
}

function silentFrameFraction(signal: Float32Array, frame: number): number {
  const frames = Math.ceil(signal.length / frame);
  if (frames === 0) return 1;
  const limit = 10 ** (HEALTH_THRESHOLDS.silenceFrameDbfs / 10); // as mean square
  let silent = 0;
  for (let f = 0; f < frames; f++) {
    const start = f * frame;
    const end = Math.min(signal.length, start + frame);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const x = signal[i] ?? 0;
      sum += x * x;
    }
    if (sum / (end - start) < limit) silent++;
  }
  return silent / frames;
}
