import { kWeightedEnergy } from './k-weighting.ts';
import { channelData, frameCount } from './pcm-float.ts';
import { samplePeak, truePeak } from './true-peak.ts';
import type { Pcm } from './wav.ts';

/** Loudness and peak of a clip, as EBU R128 reports them. */
export interface Loudness {
  /** BS.1770-4 gated integrated loudness; -Infinity when no block is above the −70 LUFS gate (silence). */
  readonly integratedLufs: number;
  /** Largest |sample| in dB re full scale; -Infinity for digital silence. */
  readonly samplePeakDbfs: number;
  /** Largest |sample| after 4× oversampling, in dB re full scale; -Infinity for digital silence. */
  readonly truePeakDbtp: number;
}

const BLOCK_STEPS = 4; // a 400 ms block is four 100 ms steps: 75 % overlap
const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;
// Every channel of a phone message or a stereo prompt weighs 1; BS.1770's 1.41 for
// surround channels is not applied (we never see 5.1).
const CHANNEL_WEIGHT = 1;

const lufs = (meanSquare: number): number => -0.691 + 10 * Math.log10(meanSquare);
const db = (linear: number): number => 20 * Math.log10(linear);

/**
 * Integrated loudness (ITU-R BS.1770-4 / EBU R128: K-weighting for the clip's own sample
 * rate, 400 ms blocks every 100 ms, absolute gate −70 LUFS, relative gate −10 LU), sample
 * peak and 4× true peak. A clip shorter than one block is measured as one block, so a
 * short blip is not reported as silence.
 */
export function measureLoudness(pcm: Pcm): Loudness {
  const channels = channelData(pcm);
  return {
    integratedLufs: integratedLoudness(channels, pcm.sampleRate, frameCount(pcm)),
    samplePeakDbfs: db(Math.max(0, ...channels.map(samplePeak))),
    truePeakDbtp: db(Math.max(0, ...channels.map(truePeak))),
  };
}

function integratedLoudness(channels: readonly Float32Array[], sampleRate: number, frames: number): number {
  if (frames === 0) return -Infinity;
  // 100 ms steps; at rates like 11 025 Hz a step is not a whole number of samples, so the
  // boundaries are rounded and each block divides by its own length.
  const steps = Math.floor((frames * 10) / sampleRate);
  const boundaries = steps >= BLOCK_STEPS ? Array.from({ length: steps + 1 }, (_, k) => Math.round((k * sampleRate) / 10)) : [0, frames];
  const perStep = channels.map((channel) => kWeightedEnergy(channel, sampleRate, boundaries));
  const stepCount = boundaries.length - 1;
  const blockCount = stepCount >= BLOCK_STEPS ? stepCount - BLOCK_STEPS + 1 : 1;
  const span = Math.min(BLOCK_STEPS, stepCount);
  const blocks = new Float64Array(blockCount);
  for (let j = 0; j < blockCount; j++) {
    let sum = 0;
    for (const sums of perStep) for (let k = j; k < j + span; k++) sum += CHANNEL_WEIGHT * (sums[k] ?? 0);
    blocks[j] = sum / ((boundaries[j + span] ?? 0) - (boundaries[j] ?? 0));
  }
  const gated = (threshold: number): { mean: number; count: number } => {
    let sum = 0;
    let count = 0;
    for (const z of blocks) {
      if (lufs(z) > threshold) {
        sum += z;
        count++;
      }
    }
    return { mean: count > 0 ? sum / count : 0, count };
  };
  const absolute = gated(ABSOLUTE_GATE_LUFS);
  if (absolute.count === 0) return -Infinity;
  const relative = gated(Math.max(ABSOLUTE_GATE_LUFS, lufs(absolute.mean) + RELATIVE_GATE_LU));
  return relative.count > 0 ? lufs(relative.mean) : -Infinity;
}
