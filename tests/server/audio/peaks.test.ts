import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { computePeaks } from '../../../server/audio/peaks.ts';
import { decodeWav, type Pcm } from '../../../server/audio/wav.ts';
import { concat, silence, speechLike } from '../../../server/voice-sim/speech.ts';

const exec = promisify(execFile);
const mono = (samples: readonly number[], sampleRate = 8000): Pcm => ({ sampleRate, channels: 1, samples: Int16Array.from(samples) });

describe('computePeaks', () => {
  let work: string;
  let tone: Pcm;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-peaks-test-'));
    const path = join(work, 'tone.wav');
    await exec('sox', ['-n', '-r', '8000', '-b', '16', '-c', '1', path, 'synth', '1', 'sine', '440', 'vol', '0.5']);
    tone = decodeWav(await readFile(path));
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('has ceil(duration × pointsPerSecond) values, all within [-1, 1]', () => {
    const cases: readonly [number, number, number][] = [
      // [sample rate, frames, points per second]
      [8000, 24_000, 100],
      [8000, 24_001, 100],
      [8000, 12_345, 30],
      [44_100, 44_100 * 2 + 7, 100],
      [8000, 10, 100],
      [8000, 50, 8000 * 2], // more points than samples
    ];
    for (const [rate, frames, pps] of cases) {
      const pcm = mono(Array.from({ length: frames }, (_, i) => (i % 3 === 0 ? -32768 : 32767)), rate);
      const { durationSeconds, peaks } = computePeaks(pcm, pps);
      assert.equal(durationSeconds, frames / rate);
      assert.equal(peaks.length, Math.ceil(durationSeconds * pps), `${rate} Hz, ${frames} frames, ${pps}/s`);
      assert.ok(peaks.every((p) => p >= -1 && p <= 1));
    }
    assert.deepEqual(computePeaks(mono([])), { durationSeconds: 0, peaks: [] });
  });

  it('the loud part of silence + tone + silence is where the peaks are', () => {
    const { durationSeconds, peaks } = computePeaks(concat(silence(1), tone, silence(1)), 100);
    assert.equal(durationSeconds, 3);
    assert.equal(peaks.length, 300);
    peaks.forEach((p, i) => {
      if (i < 100 || i >= 200) assert.equal(Math.abs(p), 0, `bucket ${i} should be silent`);
      else assert.ok(Math.abs(p) > 0.45 && Math.abs(p) <= 0.51, `bucket ${i}: ${p}`);
    });
  });

  it('keeps the sign of the larger excursion, so min/max drawing looks right', () => {
    const { peaks } = computePeaks(mono([0, 10_000, -20_000, 5000, /* next bucket */ 3000, -1000, 16_384, 0]), 2000); // 4 samples a bucket
    assert.deepEqual(peaks, [-0.6104, 0.5]);
    assert.deepEqual(computePeaks(mono([-32768]), 100).peaks, [-1]);
  });

  it('mixes channels down', () => {
    const stereo = (l: number, r: number): Pcm => ({ sampleRate: 8000, channels: 2, samples: Int16Array.from({ length: 160 }, (_, i) => (i % 2 === 0 ? l : r)) });
    assert.deepEqual(computePeaks(stereo(16_384, -16_384), 100).peaks, [0]);
    assert.deepEqual(computePeaks(stereo(16_384, 16_384), 100).peaks, [0.5]);
    assert.deepEqual(computePeaks(stereo(-32768, -32768), 100).peaks, [-1]);
  });

  // How fast is measured by npm run bench:trim, not here (a busy machine must not fail a test).
  it('handles a 10-minute 8 kHz message: one value per 1/100 s', () => {
    const { peaks } = computePeaks(speechLike(600));
    assert.equal(peaks.length, 60_000);
  });

  it('rejects a nonsensical resolution', () => {
    assert.throws(() => computePeaks(tone, 0), RangeError);
    assert.throws(() => computePeaks(tone, Number.NaN), RangeError);
  });
});
