import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { AUTO_TRIM, suggestTrim, type TrimSuggestion } from '../../../server/audio/auto-trim.ts';
import { dtmfTone, strongestTone } from '../../../server/audio/tones.ts';
import { decodeWav, type Pcm } from '../../../server/audio/wav.ts';
import { concat, silence } from '../../../server/voice-sim/speech.ts';
import { speakToFile } from '../../support/audio-tools.ts';

const exec = promisify(execFile);
const RATE = 8000;
const PAD = AUTO_TRIM.paddingSeconds;
const TOLERANCE = 0.05;

const seconds = (pcm: Pcm) => pcm.samples.length / pcm.sampleRate;

/** A clip built from parts, and where its speech really starts and ends. */
interface Built {
  readonly pcm: Pcm;
  readonly speechStart: number;
  readonly speechEnd: number;
}

function build(parts: readonly { readonly pcm: Pcm; readonly speech?: boolean }[]): Built {
  let at = 0;
  let speechStart = NaN;
  let speechEnd = NaN;
  for (const part of parts) {
    if (part.speech) {
      speechStart = at;
      speechEnd = at + seconds(part.pcm);
    }
    at += seconds(part.pcm);
  }
  return { pcm: concat(...parts.map((p) => p.pcm)), speechStart, speechEnd };
}

/** The suggestion starts `PAD` before the speech and ends `PAD` after it, within 50 ms (clamped to the clip). */
function assertAroundSpeech(trim: TrimSuggestion, built: Built): void {
  const duration = seconds(built.pcm);
  const wantStart = Math.max(0, built.speechStart - PAD);
  const wantEnd = Math.min(duration, built.speechEnd + PAD);
  const detail = `suggested ${trim.startSeconds.toFixed(3)}–${trim.endSeconds.toFixed(3)} s, speech ${built.speechStart.toFixed(3)}–${built.speechEnd.toFixed(3)} s, want ${wantStart.toFixed(3)}–${wantEnd.toFixed(3)} ± ${TOLERANCE}`;
  if (process.env['SHOW_TRIM']) console.log(detail);
  assert.ok(Math.abs(trim.startSeconds - wantStart) <= TOLERANCE, detail);
  assert.ok(Math.abs(trim.endSeconds - wantEnd) <= TOLERANCE, detail);
}

describe('suggestTrim', () => {
  let work: string;
  let n = 0;
  /** Runs sox to make one part (mono 16-bit, 8 kHz unless asked) and reads it back; OUT marks the output's place. */
  const soxPartAt = async (rate: number, ...args: string[]): Promise<Pcm> => {
    const out = join(work, `part-${n++}.wav`);
    await exec('sox', [...args.slice(0, args.indexOf('OUT')), '-r', String(rate), '-b', '16', '-c', '1', out, ...args.slice(args.indexOf('OUT') + 1)]);
    const pcm = decodeWav(await readFile(out));
    assert.equal(pcm.sampleRate, rate);
    return pcm;
  };
  const soxPart = (...args: string[]) => soxPartAt(RATE, ...args);
  /** espeak-ng speech, its own leading/trailing silence removed by sox (below −45 dBFS), so its length is the speech. */
  const speech = async (text: string, { peakDb = -3, voice = 'en', rate = RATE } = {}): Promise<Pcm> => {
    const raw = join(work, `speech-${n++}.wav`);
    await speakToFile(text, raw, voice);
    return soxPartAt(rate, raw, 'OUT', 'gain', '-n', String(peakDb), 'silence', '1', '0.005', '-45d', 'reverse', 'silence', '1', '0.005', '-45d', 'reverse');
  };
  const beep = (hz = 1000, length = 0.5, rate = RATE) => soxPartAt(rate, '-n', 'OUT', 'synth', String(length), 'sine', String(hz), 'vol', '0.5');
  /** A DTMF key: its two tones mixed in one channel. The default is # (941 Hz + 1477 Hz). */
  const dtmf = (length = 0.2, low = 941, high = 1477, rate = RATE) =>
    soxPartAt(rate, '-n', 'OUT', 'synth', String(length), 'sine', String(low), 'sine', 'mix', String(high));
  const dtmfHash = (length = 0.2) => dtmf(length);
  const quiet = (length: number, rate = RATE) => silence(length, rate);

  let greeting: Pcm;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shukuden-trim-test-'));
    greeting = await speech('Congratulations to you both, and all the happiness in the world.');
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('the test tones are what the detectors look for', async () => {
    const b = await beep(1000);
    const tone = strongestTone({ signal: toFloat(b), start: 1000, length: 160, sampleRate: RATE }, 400, 2000);
    assert.ok(Math.abs(tone.hz - 1000) <= 5 && tone.share > 0.95, JSON.stringify(tone));
    const d = await dtmfHash();
    assert.equal(dtmfTone({ signal: toFloat(d), start: 500, length: 160, sampleRate: RATE }).key, '#');
    assert.ok(dtmfTone({ signal: toFloat(greeting), start: 4000, length: 160, sampleRate: RATE }).share < AUTO_TRIM.dtmfMinShare);
  });

  it('skips the beep, the silences and the # tone: [0.4 s][beep 0.5 s][0.8 s][speech][1 s][# 0.2 s][0.5 s]', async () => {
    const built = build([
      { pcm: quiet(0.4) },
      { pcm: await beep(1000) },
      { pcm: quiet(0.8) },
      { pcm: greeting, speech: true },
      { pcm: quiet(1) },
      { pcm: await dtmfHash(0.2) },
      { pcm: quiet(0.5) },
    ]);
    assert.ok(seconds(greeting) > 2 && seconds(greeting) < 5, `speech is ${seconds(greeting)} s`);
    assertAroundSpeech(suggestTrim(built.pcm), built);
  });

  for (const hz of [440, 1400, 1950]) {
    it(`finds a ${hz} Hz beep and a short # (0.1 s) right after the speech`, async () => {
      const built = build([
        { pcm: quiet(0.2) },
        { pcm: await beep(hz, 0.45) },
        { pcm: quiet(0.5) },
        { pcm: greeting, speech: true },
        { pcm: quiet(0.3) },
        { pcm: await dtmfHash(0.1) },
        { pcm: quiet(0.3) },
      ]);
      assertAroundSpeech(suggestTrim(built.pcm), built);
    });
  }

  it('speech straight after the beep: starts after the beep, not in it', async () => {
    const b = await beep(1000);
    const built = build([{ pcm: quiet(0.3) }, { pcm: b }, { pcm: greeting, speech: true }, { pcm: quiet(1) }]);
    const trim = suggestTrim(built.pcm);
    assert.ok(trim.startSeconds >= 0.8 - TOLERANCE && trim.startSeconds <= 0.8 + TOLERANCE, `start ${trim.startSeconds}`);
    assert.ok(Math.abs(trim.endSeconds - (built.speechEnd + PAD)) <= TOLERANCE, `end ${trim.endSeconds} vs ${built.speechEnd + PAD}`);
  });

  it('no beep and no # tone: just the silences', async () => {
    const built = build([{ pcm: quiet(1.2) }, { pcm: greeting, speech: true }, { pcm: quiet(2) }]);
    assertAroundSpeech(suggestTrim(built.pcm), built);
  });

  it('speech only: the whole clip', () => {
    const built = build([{ pcm: greeting, speech: true }]);
    const trim = suggestTrim(built.pcm);
    assertAroundSpeech(trim, built);
    assert.equal(trim.startSeconds, 0);
  });

  it('all silence: the whole clip', () => {
    assert.deepEqual(suggestTrim(quiet(5)), { startSeconds: 0, endSeconds: 5 });
  });

  it('only a beep and a # with nothing said: the whole clip (never an empty range)', async () => {
    const pcm = concat(quiet(0.3), await beep(), quiet(2), await dtmfHash(), quiet(0.3));
    assert.deepEqual(suggestTrim(pcm), { startSeconds: 0, endSeconds: seconds(pcm) });
  });

  it('an empty clip: an empty whole clip, not NaN', () => {
    assert.deepEqual(suggestTrim(quiet(0)), { startSeconds: 0, endSeconds: 0 });
  });

  it('a quiet caller on a hissy line (−45 dBFS hiss, speech peaking at −20 dBFS)', async () => {
    const talk = await speech('Thank you for inviting me. Best wishes to you both.', { peakDb: -20 });
    const built = build([
      { pcm: quiet(0.4) },
      { pcm: await beep(1000) },
      { pcm: quiet(0.8) },
      { pcm: talk, speech: true },
      { pcm: quiet(1) },
      { pcm: await dtmfHash() },
      { pcm: quiet(0.5) },
    ]);
    const hiss = await soxPart('-n', 'OUT', 'synth', String(seconds(built.pcm)), 'whitenoise', 'vol', '0.01');
    const samples = built.pcm.samples.map((s, i) => s + (hiss.samples[i] ?? 0));
    assertAroundSpeech(suggestTrim({ ...built.pcm, samples }), built);
  });

  it('Japanese speech (espeak-ng ja), with the beep and #', async () => {
    const talk = await speech('ご結婚おめでとうございます。お二人の末永いお幸せをお祈りしています。', { voice: 'ja' });
    const built = build([{ pcm: quiet(0.4) }, { pcm: await beep(1000) }, { pcm: quiet(0.6) }, { pcm: talk, speech: true }, { pcm: quiet(0.8) }, { pcm: await dtmfHash() }, { pcm: quiet(0.4) }]);
    assertAroundSpeech(suggestTrim(built.pcm), built);
  });

  it('at 44.1 kHz too (the detectors work in seconds and hertz, not samples)', async () => {
    const rate = 44_100;
    const talk = await speech('Congratulations to you both, and all the happiness in the world.', { rate });
    const built = build([
      { pcm: quiet(0.4, rate) },
      { pcm: await beep(1000, 0.5, rate) },
      { pcm: quiet(0.8, rate) },
      { pcm: talk, speech: true },
      { pcm: quiet(1, rate) },
      { pcm: await dtmf(0.2, 941, 1477, rate) },
      { pcm: quiet(0.5, rate) },
    ]);
    assertAroundSpeech(suggestTrim(built.pcm), built);
  });

  it('# pressed while still talking: ends where the tone starts', async () => {
    const built = build([{ pcm: quiet(0.5) }, { pcm: greeting, speech: true }, { pcm: await dtmfHash(0.25) }, { pcm: quiet(0.4) }]);
    const trim = suggestTrim(built.pcm);
    assert.ok(Math.abs(trim.endSeconds - built.speechEnd) <= TOLERANCE, `end ${trim.endSeconds}, tone starts at ${built.speechEnd}`);
    assert.ok(Math.abs(trim.startSeconds - (built.speechStart - PAD)) <= TOLERANCE, `start ${trim.startSeconds}`);
  });

  it('two key presses at the end (1 then #) are both trimmed', async () => {
    const built = build([{ pcm: quiet(0.5) }, { pcm: greeting, speech: true }, { pcm: quiet(0.8) }, { pcm: await dtmf(0.15, 697, 1209) }, { pcm: quiet(0.3) }, { pcm: await dtmfHash() }, { pcm: quiet(0.3) }]);
    assertAroundSpeech(suggestTrim(built.pcm), built);
  });

  it('the handset being put down (a click after the speech) is not taken for speech', async () => {
    const click = new Int16Array(40).fill(-25_000); // 5 ms
    const built = build([{ pcm: quiet(0.5) }, { pcm: greeting, speech: true }, { pcm: quiet(0.2) }, { pcm: { sampleRate: RATE, channels: 1, samples: click } }, { pcm: quiet(0.6) }]);
    assertAroundSpeech(suggestTrim(built.pcm), built);
  });

  it('a click before the speech is not taken for it', async () => {
    const click = new Int16Array(40).fill(20_000); // 5 ms
    const built = build([{ pcm: quiet(0.5) }, { pcm: { sampleRate: RATE, channels: 1, samples: click } }, { pcm: quiet(1) }, { pcm: greeting, speech: true }, { pcm: quiet(1) }]);
    assertAroundSpeech(suggestTrim(built.pcm), built);
  });
});

function toFloat(pcm: Pcm): Float32Array {
  return Float32Array.from(pcm.samples, (s) => s / 32768);
}
