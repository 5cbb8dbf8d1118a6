import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { samplePeak, truePeak } from '../../../server/audio/true-peak.ts';

/** Brute force: ideal (unwindowed, 200-tap) sinc interpolation at 32 points per sample, everywhere. */
function slowTruePeak(x: Float32Array): number {
  let peak = samplePeak(x);
  for (let i = 0; i < x.length - 1; i++) {
    for (let p = 1; p < 32; p++) {
      const t = i + p / 32;
      let acc = 0;
      for (let k = Math.max(0, i - 100); k < Math.min(x.length, i + 100); k++) acc += (x[k] ?? 0) * (Math.sin(Math.PI * (t - k)) / (Math.PI * (t - k)));
      peak = Math.max(peak, Math.abs(acc));
    }
  }
  return peak;
}

const db = (v: number) => 20 * Math.log10(v);

/** Deterministic noise, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
}

describe('truePeak', () => {
  it('finds the crest between samples of a tone sampled off its peaks', () => {
    // fs/4 at 45°: every sample is ±0.707 of the crest. Faded in and out over 100 samples,
    // since an abrupt start rings above the crest in any interpolator.
    const fade = (n: number) => Math.min(1, n / 100, (799 - n) / 100);
    const x = Float32Array.from({ length: 800 }, (_, n) => fade(n) * 0.5 * Math.sin((Math.PI / 2) * n + Math.PI / 4));
    assert.ok(Math.abs(db(samplePeak(x)) - db(0.5 * Math.SQRT1_2)) < 0.01);
    assert.ok(Math.abs(db(truePeak(x)) - db(0.5)) < 0.05, `${db(truePeak(x))}`);
  });

  it('matches brute-force ideal interpolation at 32× within 0.1 dB (skipping quiet stretches loses nothing)', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const rnd = random(seed);
      // Quiet noise with a few loud, short bursts of tones (below 0.4 × the sample rate, as
      // phone audio is) at random frequencies and phases: overs hide between their samples.
      const x = Float32Array.from({ length: 1500 }, () => 0.02 * rnd());
      for (let burst = 0; burst < 4; burst++) {
        const at = 100 + Math.floor(((rnd() + 1) / 2) * 1200);
        const tones = [0, 1, 2].map(() => ({ f: ((rnd() + 1) / 2) * 0.4, phase: rnd() * Math.PI }));
        for (let k = 0; k < 32; k++) {
          const envelope = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / 32);
          x[at + k] = (x[at + k] ?? 0) + envelope * 0.3 * tones.reduce((sum, t) => sum + Math.sin(2 * Math.PI * t.f * k + t.phase), 0);
        }
      }
      const fast = truePeak(x);
      const slow = slowTruePeak(x);
      assert.ok(Math.abs(db(fast) - db(slow)) < 0.1, `seed ${seed}: ${db(fast).toFixed(3)} vs ${db(slow).toFixed(3)} dB`);
    }
  });

  it('silence is zero, and one sample is itself', () => {
    assert.equal(truePeak(new Float32Array(100)), 0);
    assert.equal(truePeak(Float32Array.of(0.5)), 0.5);
    assert.equal(truePeak(new Float32Array(0)), 0);
  });
});
