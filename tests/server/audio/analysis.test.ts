import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { analyseRecording, HEALTH_FLAG_TEXT, HEALTH_THRESHOLDS, type HealthFlag } from '../../../server/audio/analysis.ts';
import { measureLoudness } from '../../../server/audio/loudness.ts';
import { decodeWav, type Pcm } from '../../../server/audio/wav.ts';
import { speakToFile } from '../../support/audio-tools.ts';

const exec = promisify(execFile);

describe('analyseRecording', () => {
  let work: string;
  let raw: string;
  let n = 0;
  /** A phone-like clip (8 kHz mono 16-bit) made by sox from `input` (or '-n') with `effects`. */
  const sox = async (input: string, ...effects: string[]): Promise<Pcm> => {
    const out = join(work, `clip-${n++}.wav`);
    await exec('sox', ['-D', input, '-r', '8000', '-b', '16', '-c', '1', out, ...effects]); // -D: no dither, so silence is zeros
    return decodeWav(await readFile(out));
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-health-test-'));
    raw = join(work, 'speech.wav');
    await speakToFile('Congratulations on your wedding! We are so happy for you both, and we wish you every happiness.', raw);
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('a normal spoken message gets no flags', async () => {
    const pcm = await sox(raw, 'gain', '-n', '-3', 'pad', '0.5', '1');
    const health = analyseRecording(pcm);
    assert.deepEqual(health.flags, [], JSON.stringify(health));
    assert.equal(health.clippedShare, 0);
    assert.ok(health.silenceShare > 0.05 && health.silenceShare < 0.7, String(health.silenceShare));
    assert.equal(health.durationSeconds, pcm.samples.length / 8000);
    const loudness = measureLoudness(pcm);
    assert.equal(health.integratedLufs, loudness.integratedLufs);
    assert.ok(health.integratedLufs > -30 && health.integratedLufs < -15, String(health.integratedLufs));
  });

  it('speech driven 20 dB into clipping (sox gain +20) is clipped (and very loud)', async () => {
    const health = analyseRecording(await sox(raw, 'gain', '-n', '-3', 'gain', '20'));
    assert.ok(health.flags.includes('clipped'), JSON.stringify(health));
    assert.ok(health.clippedShare > HEALTH_THRESHOLDS.clippedShare);
    assert.ok(health.flags.includes('very-loud'), JSON.stringify(health));
  });

  it('a normalised but unclipped clip is not clipped', async () => {
    const health = analyseRecording(await sox(raw, 'gain', '-n', '-1'));
    assert.ok(!health.flags.includes('clipped'), JSON.stringify(health));
  });

  it('digital silence is silent, with -Infinity loudness and peaks', async () => {
    const health = analyseRecording(await sox('-n', 'trim', '0', '5'));
    assert.deepEqual(health.flags, ['silent']);
    assert.equal(health.integratedLufs, -Infinity);
    assert.equal(health.samplePeakDbfs, -Infinity);
    assert.equal(health.truePeakDbtp, -Infinity);
    assert.equal(health.silenceShare, 1);
  });

  it('line hiss only (−66 dBFS white noise) is silent too, not "very quiet"', async () => {
    const health = analyseRecording(await sox('-n', 'synth', '5', 'whitenoise', 'vol', '0.001'));
    assert.deepEqual(health.flags, ['silent'], JSON.stringify(health));
  });

  it('a one-second clip is very short', async () => {
    const health = analyseRecording(await sox(raw, 'gain', '-n', '-3', 'trim', '0.3', '1'));
    assert.deepEqual(health.flags, ['very-short'], JSON.stringify(health));
  });

  it('a very quiet caller (about −42 LUFS) is very quiet, not silent', async () => {
    const health = analyseRecording(await sox(raw, 'gain', '-n', '-24'));
    assert.ok(health.integratedLufs < HEALTH_THRESHOLDS.veryQuietLufs, String(health.integratedLufs));
    assert.deepEqual(health.flags, ['very-quiet'], JSON.stringify(health));
  });

  it('an empty clip: silent and very short, no NaN', () => {
    const health = analyseRecording({ sampleRate: 8000, channels: 1, samples: new Int16Array(0) });
    assert.deepEqual(health.flags, ['silent', 'very-short']);
    assert.equal(health.durationSeconds, 0);
    assert.ok(!Number.isNaN(health.clippedShare) && !Number.isNaN(health.silenceShare));
  });

  it('every flag has an explanation in Japanese and English', () => {
    const flags: readonly HealthFlag[] = ['silent', 'very-short', 'clipped', 'very-quiet', 'very-loud'];
    for (const flag of flags) {
      assert.ok(HEALTH_FLAG_TEXT[flag].en.length > 20, flag);
      assert.match(HEALTH_FLAG_TEXT[flag].ja, /[\u3040-\u30ff\u4e00-\u9fff]/, flag);
    }
  });
});
