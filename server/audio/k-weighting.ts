/**
 * ITU-R BS.1770-4 K-weighting for any sample rate: the pre-filter (a high shelf, "head
 * effects") followed by the RLB high-pass. The standard only lists 48 kHz coefficients;
 * like libebur128 and ffmpeg we recompute them from the analogue prototype with the
 * bilinear transform, pre-warped at each filter's corner, so 8 kHz phone audio is weighted
 * as intended rather than with 48 kHz constants (which would put the shelf near 10 kHz,
 * beyond an 8 kHz file's Nyquist). At 48 kHz these are the standard's own coefficients.
 *
 * Known limit: at 8 kHz the shelf's 1.7 kHz corner is 0.42 of Nyquist, so the bilinear
 * warp bends its response by up to ±0.3 dB against the analogue curve (−0.2 dB at 1 kHz,
 * +0.3 dB at 2.5 kHz). libebur128 and ffmpeg accept the same error; we match them.
 */

/** One second-order section, normalised so a0 = 1. */
export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

// The analogue prototype's parameters, as fitted to the standard's 48 kHz coefficients
// (the same constants libebur128 uses).
const SHELF_HZ = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
const SHELF_VB_EXPONENT = 0.4996667741545416;
const HIGH_PASS_HZ = 38.13547087602444;
const HIGH_PASS_Q = 0.5003270373238773;

/** The high shelf (stage 1). */
export function preFilter(sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * SHELF_HZ) / sampleRate);
  const vh = 10 ** (SHELF_GAIN_DB / 20);
  const vb = vh ** SHELF_VB_EXPONENT;
  const a0 = 1 + k / SHELF_Q + k * k;
  return {
    b0: (vh + (vb * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0,
  };
}

/**
 * The RLB high-pass (stage 2). Its numerator stays [1, -2, 1] as in the standard's 48 kHz
 * table, i.e. not divided by a0, exactly as libebur128 and ffmpeg's ebur128 filter do. That
 * leaves a pass-band gain of a0 (+0.04 dB at 48 kHz, +0.26 dB at 8 kHz); we keep it so our
 * figures agree with ffmpeg's (ebur128, loudnorm) on the same file instead
 * of reading 0.2 LU lower on phone audio.
 */
export function rlbHighPass(sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * HIGH_PASS_HZ) / sampleRate);
  const a0 = 1 + k / HIGH_PASS_Q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / HIGH_PASS_Q + k * k) / a0 };
}

/**
 * K-weights one channel and returns the sum of squares of the weighted signal for each
 * consecutive slice that starts at `boundaries[i]` and ends at `boundaries[i + 1]`.
 */
export function kWeightedEnergy(channel: Float32Array, sampleRate: number, boundaries: readonly number[]): Float64Array {
  const p = preFilter(sampleRate);
  const r = rlbHighPass(sampleRate);
  const sums = new Float64Array(Math.max(0, boundaries.length - 1));
  // Direct form I in doubles, both stages inline: this loop runs over every sample.
  let px1 = 0, px2 = 0, py1 = 0, py2 = 0;
  let ry1 = 0, ry2 = 0;
  for (let s = 0; s < sums.length; s++) {
    const end = boundaries[s + 1] ?? 0;
    let sum = 0;
    for (let i = boundaries[s] ?? 0; i < end; i++) {
      const x = channel[i] ?? 0;
      const y = p.b0 * x + p.b1 * px1 + p.b2 * px2 - p.a1 * py1 - p.a2 * py2;
      px2 = px1;
      px1 = x;
      // Stage 2's input is stage 1's output, so its x-history is py1/py2 before the shift.
      const z = r.b0 * y + r.b1 * py1 + r.b2 * py2 - r.a1 * ry1 - r.a2 * ry2;
      py2 = py1;
      py1 = y;
      ry2 = ry1;
      ry1 = z;
      sum += z * z;
    }
    sums[s] = sum;
  }
  return sums;
}
