/**
 * Steady-tone detection on short frames, for the automatic trim: the record beep at the
 * start of a message and the DTMF key (#) that ends it. Each test asks "how much of this
 * frame's power is one sinusoid at f?", measured with a Hann-windowed Goertzel filter, so
 * the answer does not depend on the level.
 */

const hannCache = new Map<number, Float64Array>();

function hann(length: number): Float64Array {
  let window = hannCache.get(length);
  if (!window) {
    window = new Float64Array(length);
    for (let i = 0; i < length; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / length);
    hannCache.set(length, window);
  }
  return window;
}

/** A frame of mono audio: `length` samples of `signal` from `start`. */
export interface Frame {
  readonly signal: Float32Array;
  readonly start: number;
  readonly length: number;
  readonly sampleRate: number;
}

/**
 * The share (0..1) of the frame's power that a sinusoid at `hz` explains: about 1 for a
 * pure tone at that frequency, about 0.5 for each tone of a two-tone DTMF pair, near 0
 * for noise or silence.
 */
export function toneShare(frame: Frame, hz: number): number {
  const { signal, start, length, sampleRate } = frame;
  const w = hann(length);
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  let weightSum = 0;
  let power = 0;
  for (let i = 0; i < length; i++) {
    const x = signal[start + i] ?? 0;
    const wi = w[i] ?? 0;
    const s0 = x * wi + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    weightSum += wi;
    power += x * x * wi;
  }
  if (power <= 0) return 0;
  const dft = s1 * s1 + s2 * s2 - coeff * s1 * s2; // |X(hz)|²
  // A tone A·cos has |X|² ≈ (A·Σw/2)² and weighted mean square ≈ A²/2: the ratio is 1.
  return Math.min(1, (2 * dft) / (weightSum * weightSum) / (power / weightSum));
}

/** The strongest single tone between `minHz` and `maxHz`, to within ~3 Hz, and its share of the frame. */
export function strongestTone(frame: Frame, minHz: number, maxHz: number): { readonly hz: number; readonly share: number } {
  // A 20 ms Hann window's main lobe is ±100 Hz wide, so a 25 Hz grid never misses a tone
  // by more than 12.5 Hz (share still > 0.9); then refine around the best grid point.
  let best = { hz: minHz, share: -1 };
  for (let hz = minHz; hz <= maxHz; hz += 25) {
    const share = toneShare(frame, hz);
    if (share > best.share) best = { hz, share };
  }
  const coarse = best.hz;
  for (let hz = coarse - 12; hz <= coarse + 12; hz += 3) {
    const share = toneShare(frame, hz);
    if (share > best.share) best = { hz, share };
  }
  return best;
}

const DTMF_LOW: readonly number[] = [697, 770, 852, 941];
const DTMF_HIGH: readonly number[] = [1209, 1336, 1477, 1633];
const DTMF_KEYS: readonly (readonly string[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

/**
 * The DTMF key that best fits the frame (e.g. '#' = 941 Hz + 1477 Hz), the share of the
 * frame's power its two tones explain together (≈ 1 for a clean key press) and the share of
 * the weaker of the two (real keypads allow a few dB of "twist" between them).
 */
export function dtmfTone(frame: Frame): { readonly key: string; readonly share: number; readonly weaker: number } {
  let low = { index: 0, share: 0 };
  let high = { index: 0, share: 0 };
  DTMF_LOW.forEach((hz, index) => {
    const share = toneShare(frame, hz);
    if (share > low.share) low = { index, share };
  });
  DTMF_HIGH.forEach((hz, index) => {
    const share = toneShare(frame, hz);
    if (share > high.share) high = { index, share };
  });
  return { key: DTMF_KEYS[low.index]?.[high.index] ?? '?', share: Math.min(1, low.share + high.share), weaker: Math.min(low.share, high.share) };
}
