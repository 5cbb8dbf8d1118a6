/**
 * npm run bench:export — the album export on BENCH_MESSAGES messages (default 60) of
 * BENCH_SECONDS seconds each (default 60), 8 kHz mono like Twilio's recordings, side by side with
 * its floor in the same run:
 *   engine  exportAlbum as the app runs it: levels measured when the messages arrived (on the
 *           audio worker, timed separately), then one ffmpeg pass per track, one track per core
 *   floor   one plain ffmpeg decode + MP3 encode (44.1 kHz, 128k) per message, two at a time
 * Both run the ffmpeg the app runs (`resolveFfmpeg()`: the one shipped inside the app), so the ratio
 * compares the work, not two builds of ffmpeg. BENCH_ROUNDS (default 2) alternating rounds; prints
 * each, the median ratio engine ÷ floor (target ≤ 1.2) and the loudness of a few exported tracks
 * (ebur128: −16 LUFS ±0.5, ≤ −1.5 dBTP). For information, when another ffmpeg is on PATH (a system
 * one), one more round runs both with that one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolveFfmpeg } from '../server/audio/ffmpeg.ts';
import { decodeWav, encodeWav, type Pcm } from '../server/audio/wav.ts';
import { createCore } from '../server/core.ts';
import { currentArrangement } from '../server/export/arrangement.ts';
import { exportAlbum } from '../server/export/export-album.ts';
import { RENDER_SETTINGS } from '../server/export/render-track.ts';
import { memoryLog } from '../server/log.ts';
import { concat, silence, speechLike } from '../server/voice-sim/speech.ts';
import { addDownloadedTake } from '../tests/support/library-fixture.ts';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 60);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 60);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const TARGET_RATIO = 1.2;
const run = promisify(execFile);

const dir = mkdtempSync(join(tmpdir(), 'shukuden-bench-export-'));

/** espeak-ng speech at 8 kHz, peaking at −0.1 dBFS, repeated to `seconds`. */
async function realSpeech(seconds: number): Promise<Pcm> {
  const voice = join(dir, 'voice.wav');
  const phone = join(dir, 'voice-8k.wav');
  await run('espeak-ng', ['-w', voice, 'Congratulations on your wedding! We wish you a long and happy life together. Ha ha, wonderful!']);
  await run('sox', [voice, '-r', '8000', '-c', '1', '-b', '16', phone, 'gain', '-n', '-0.1']);
  const clip = decodeWav(readFileSync(phone));
  const samples = new Int16Array(Math.round(seconds * clip.sampleRate));
  for (let i = 0; i < samples.length; i++) samples[i] = clip.samples[i % clip.samples.length] ?? 0;
  return { ...clip, samples };
}
const core = createCore({ dataDir: join(dir, 'data'), authToken: 'f'.repeat(32), log: memoryLog() });
try {
  // Half speech-like noise (a plain gain), half real synthesised speech, peaky enough that the export limits it.
  const wav = encodeWav(concat(silence(0.5), speechLike(SECONDS - 1), silence(0.5)));
  const peaky = encodeWav(concat(silence(0.5), await realSpeech(SECONDS - 1), silence(0.5)));
  const measuredFrom = performance.now();
  for (let i = 0; i < MESSAGES; i++) addDownloadedTake(core, { from: `+8190${String(i).padStart(8, '0')}`, wav: i % 2 ? peaky : wav, createdAt: new Date(Date.UTC(2025, 4, 3, 1, i)).toISOString() });
  await core.libraryService.checkPending();
  const entries = core.libraryStore.list();
  const inputs = entries.map((e) => join(core.dataDir, e.localFile ?? ''));
  // What the app does on arrival (off the request thread): the level of each message for the export.
  await Promise.all(inputs.map((input, i) => core.libraryService.level(input, entries[i]?.edit ?? null)));
  const arrivalSeconds = (performance.now() - measuredFrom) / 1000;

  // The ffmpeg the app runs, and (for information) another one on PATH if there is one.
  const shipped = resolveFfmpeg();
  const onPath = (() => {
    try {
      return resolveFfmpeg(process.env, () => null);
    } catch {
      return shipped; // none on PATH: nothing else to compare with
    }
  })();
  const version = async (ffmpeg: string) => (await run(ffmpeg, ['-hide_banner', '-version'])).stdout.split('\n')[0] ?? '';

  const engine = async (round: number, ffmpeg = shipped) => {
    const out = join(dir, `engine-${round}-${ffmpeg === shipped ? 'app' : 'path'}`);
    const started = performance.now();
    const result = await exportAlbum({
      ffmpeg,
      dataDir: core.dataDir,
      arrangement: currentArrangement(core.settings, entries),
      entries,
      outputDir: out,
      mix: false,
      zip: false,
      level: (input, edit) => core.libraryService.level(input, edit),
    });
    return { seconds: (performance.now() - started) / 1000, files: result.tracks.map((t) => join(out, t.file)) };
  };
  const floor = async (round: number, ffmpeg = shipped) => {
    const out = join(dir, `floor-${round}-${ffmpeg === shipped ? 'app' : 'path'}`);
    mkdirSync(out);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let i = next++; i < inputs.length; i = next++) {
          await run(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', inputs[i] ?? '', '-ar', String(RENDER_SETTINGS.sampleRate), '-c:a', 'libmp3lame', '-b:a', RENDER_SETTINGS.bitrate, join(out, `${i}.mp3`)]);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  };

  console.log(`bench:export — ${MESSAGES} messages × ${SECONDS} s (8 kHz mono), ${availableParallelism()} cores, ${ROUNDS} rounds\n`);
  console.log(`ffmpeg (engine and floor): ${shipped} — ${await version(shipped)}`);
  console.log(`on arrival (audio worker, not on the export's clock): health check + level of every message ${arrivalSeconds.toFixed(1)} s`);
  const audio = MESSAGES * SECONDS;
  const ratios: number[] = [];
  let files: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let engineSeconds = 0;
    let floorSeconds = 0;
    // Alternate which goes first, so neither always meets a warmer machine.
    if (round % 2) {
      ({ seconds: engineSeconds, files } = await engine(round));
      floorSeconds = await floor(round);
    } else {
      floorSeconds = await floor(round);
      ({ seconds: engineSeconds, files } = await engine(round));
    }
    ratios.push(engineSeconds / floorSeconds);
    console.log(
      `round ${round}: engine ${engineSeconds.toFixed(1)} s (${(audio / engineSeconds).toFixed(0)}× realtime) | floor ${floorSeconds.toFixed(1)} s (${(audio / floorSeconds).toFixed(0)}× realtime) | engine ÷ floor ${(engineSeconds / floorSeconds).toFixed(2)}×`,
    );
  }
  const median = [...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)] ?? NaN;
  console.log(`engine ÷ floor: median ${median.toFixed(2)}× (spread ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);

  let loudnessOk = true;
  for (const file of [files[0], files[1], files.at(-1)]) {
    if (!file) continue;
    const { stderr } = await run(shipped, ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-']);
    const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
    const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
    const truePeak = Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary.slice(summary.indexOf('True peak')))?.[1]);
    loudnessOk &&= Math.abs(integrated - RENDER_SETTINGS.targetLufs) <= 0.5 && truePeak <= RENDER_SETTINGS.ceilingDbtp;
    console.log(`  ${file.slice(file.lastIndexOf('/') + 1)}: ${integrated} LUFS, ${truePeak} dBTP`);
  }
  if (onPath !== shipped) {
    // Information only: the same work with the other ffmpeg (not what the app runs).
    const other = await engine(ROUNDS + 1, onPath);
    const otherFloor = await floor(ROUNDS + 1, onPath);
    console.log(
      `\nfor information, with ${onPath} (${await version(onPath)}): engine ${other.seconds.toFixed(1)} s | floor ${otherFloor.toFixed(1)} s | engine ÷ floor ${(other.seconds / otherFloor).toFixed(2)}×`,
    );
  }
  console.log(`\n${median <= TARGET_RATIO ? 'PASS' : 'FAIL'}  engine within ${TARGET_RATIO}× of the floor (${median.toFixed(2)}×)`);
  console.log(`${loudnessOk ? 'PASS' : 'FAIL'}  loudness −16 LUFS ±0.5, true peak ≤ ${RENDER_SETTINGS.ceilingDbtp} dBTP`);
} finally {
  core.close();
  rmSync(dir, { recursive: true, force: true });
}
