import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { preFilter, rlbHighPass } from '../../../server/audio/k-weighting.ts';
import { measureLoudness, type Loudness } from '../../../server/audio/loudness.ts';
import { decodeWav } from '../../../server/audio/wav.ts';
import { FFMPEG, speakToFile } from '../../support/audio-tools.ts';

const exec = promisify(execFile);

/** ffmpeg's own EBU R128 meter (an independent implementation): the summary's I and true Peak. */
async function ffmpegEbur128(path: string): Promise<{ integrated: number; truePeak: number }> {
  const { stderr } = await exec(FFMPEG, ['-hide_banner', '-nostats', '-i', path, '-filter_complex', 'ebur128=peak=true', '-f', 'null', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /\bI:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
  const peak = /\bPeak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
  if (integrated === undefined || peak === undefined) throw new Error(`no ebur128 summary for ${path}:\n${summary}`);
  const num = (s: string) => (s === '-inf' ? -Infinity : Number(s));
  return { integrated: num(integrated), truePeak: num(peak) };
}

const sox = (...args: string[]) => exec('sox', args);

const RATES = [8000, 44_100, 48_000] as const;

interface Clip {
  readonly name: string;
  /** sox arguments after the output path's format options: how to make it at `rate`. */
  readonly make: (out: string, rate: number) => Promise<unknown>;
}

describe('measureLoudness agrees with ffmpeg ebur128', () => {
  let work: string;
  let speech: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-loudness-test-'));
    speech = join(work, 'speech.wav');
    await speakToFile('Congratulations to you both! I wish you a long and happy life together, full of laughter and adventures.', speech);
  });
  after(() => rm(work, { recursive: true, force: true }));

  const format = (rate: number) => ['-r', String(rate), '-b', '16', '-c', '1'];
  // Tones fade in and out: an abrupt start makes the true peak depend on each meter's
  // interpolation filter (ringing at the edge), which is not what we are comparing.
  const tone = (vol: number) => (out: string, rate: number) => sox('-n', ...format(rate), out, 'synth', '4', 'sine', '1000', 'vol', String(vol), 'fade', 'h', '0.05', '4', '0.05');
  // At 8 kHz a 2 kHz sine starting at 45° is sampled only at ±0.707 of its crest: the
  // sample peak is 3 dB under the true peak.
  const offCrest = (out: string, rate: number) => sox('-n', ...format(rate), out, 'synth', '4', 'sine', '2000', '0', '12.5', 'vol', '0.8', 'fade', 'h', '0.05', '4', '0.05');
  const pink = (vol: number) => (out: string, rate: number) => sox('-n', ...format(rate), out, 'synth', '4', 'pinknoise', 'vol', String(vol));
  const hotPink = (out: string, rate: number) => sox('-n', ...format(rate), out, 'synth', '4', 'pinknoise', 'gain', '-n', '-0.3');
  const talk = (peakDb: number) => (out: string, rate: number) => sox(speech, ...format(rate), out, 'gain', '-n', String(peakDb));
  const clips: readonly Clip[] = [
    { name: 'speech, normal (peak −3 dBFS)', make: talk(-3) },
    { name: 'speech, very quiet (peak −24 dBFS)', make: talk(-24) },
    { name: 'speech, hot (peak −0.1 dBFS)', make: talk(-0.1) },
    { name: 'speech, clipped (gain +20 dB)', make: (out, rate) => sox(speech, ...format(rate), out, 'gain', '-n', '-3', 'gain', '20') },
    { name: '1 kHz tone, −6 dBFS', make: tone(0.5) },
    { name: '1 kHz tone, −40 dBFS', make: tone(0.01) },
    { name: '1 kHz tone, −0.1 dBFS', make: tone(0.989) },
    { name: '2 kHz tone between the samples', make: offCrest },
    { name: 'pink noise, normal', make: pink(0.3) },
    { name: 'pink noise, very quiet', make: pink(0.012) },
    { name: 'pink noise, hot (peak −0.3 dBFS)', make: hotPink },
  ];

  for (const rate of RATES) {
    for (const clip of clips) {
      it(`${clip.name} at ${rate} Hz: integrated within 0.5 LU, true peak within 0.5 dB`, async () => {
        const path = join(work, `${clip.name.replace(/\W+/g, '-')}-${rate}.wav`);
        await clip.make(path, rate);
        const pcm = decodeWav(await readFile(path));
        assert.equal(pcm.sampleRate, rate);
        const ours = measureLoudness(pcm);
        const theirs = await ffmpegEbur128(path);
        const detail = `ours ${fmt(ours)} / ffmpeg I ${theirs.integrated} LUFS, TP ${theirs.truePeak} dBFS`;
        assert.ok(Math.abs(ours.integratedLufs - theirs.integrated) <= 0.5, detail);
        assert.ok(Math.abs(ours.truePeakDbtp - theirs.truePeak) <= 0.5, detail);
        assert.ok(ours.truePeakDbtp >= ours.samplePeakDbfs, detail);
        if (process.env['SHOW_LOUDNESS']) console.log(`${rate}\t${clip.name}\t${detail}`);
      });
    }
  }

  it('a stereo clip sums both channels as BS.1770 does', async () => {
    const path = join(work, 'stereo.wav');
    await sox('-n', '-r', '44100', '-b', '16', '-c', '2', path, 'synth', '4', 'pinknoise', 'sine', '440', 'vol', '0.3');
    const ours = measureLoudness(decodeWav(await readFile(path)));
    const theirs = await ffmpegEbur128(path);
    assert.ok(Math.abs(ours.integratedLufs - theirs.integrated) <= 0.5, `${fmt(ours)} vs ${theirs.integrated}`);
  });

  it('digital silence is -Infinity everywhere (ffmpeg prints its −70 LUFS floor)', async () => {
    const path = join(work, 'silence.wav');
    await sox('-D', '-n', '-r', '8000', '-b', '16', '-c', '1', path, 'trim', '0', '3'); // -D: no dither, true zeros
    const ours = measureLoudness(decodeWav(await readFile(path)));
    const theirs = await ffmpegEbur128(path);
    assert.equal(ours.integratedLufs, -Infinity);
    assert.equal(ours.samplePeakDbfs, -Infinity);
    assert.equal(ours.truePeakDbtp, -Infinity);
    assert.ok(theirs.integrated <= -70);
  });

  it('an empty clip and one shorter than a 400 ms block do not crash', () => {
    assert.equal(measureLoudness({ sampleRate: 8000, channels: 1, samples: new Int16Array(0) }).integratedLufs, -Infinity);
    const blip = new Int16Array(1600).map((_, i) => Math.round(16384 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
    const short = measureLoudness({ sampleRate: 8000, channels: 1, samples: blip });
    assert.ok(Number.isFinite(short.integratedLufs) && short.integratedLufs > -12 && short.integratedLufs < -6, String(short.integratedLufs));
  });

  it('K-weighting at 48 kHz is the standard’s own table (BS.1770-4, table 1 and 2)', () => {
    const pre = preFilter(48_000);
    const rlb = rlbHighPass(48_000);
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
    close(pre.b0, 1.53512485958697);
    close(pre.b1, -2.69169618940638);
    close(pre.b2, 1.19839281085285);
    close(pre.a1, -1.69065929318241);
    close(pre.a2, 0.73248077421585);
    close(rlb.b0, 1);
    close(rlb.b1, -2);
    close(rlb.b2, 1);
    close(rlb.a1, -1.99004745483398);
    close(rlb.a2, 0.99007225036621);
  });
});

function fmt(l: Loudness): string {
  return `I ${l.integratedLufs.toFixed(2)} LUFS, TP ${l.truePeakDbtp.toFixed(2)} dBTP, SP ${l.samplePeakDbfs.toFixed(2)} dBFS`;
}
