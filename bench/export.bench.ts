/**
 * npm run bench:export — the album export on BENCH_MESSAGES messages (default 60) of
 * BENCH_SECONDS seconds each (default 60), 8 kHz mono like Twilio's recordings.
 *   engine      exportAlbum (two-pass loudnorm + MP3 per track, one per core), wall clock
 *   shell loop  the very ffmpeg commands the engine ran, replayed one after another by bash
 * Prints the realtime factor (audio seconds per wall-clock second) and loop ÷ engine.
 * Target: both cores used, and no slower than the plain loop (ratio ≥ 1).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../server/audio/wav.ts';
import { createCore } from '../server/core.ts';
import { currentArrangement } from '../server/export/arrangement.ts';
import { exportAlbum } from '../server/export/export-album.ts';
import type { FfmpegCommand } from '../server/export/ffmpeg-job.ts';
import { memoryLog } from '../server/log.ts';
import { concat, silence, speechLike } from '../server/voice-sim/speech.ts';
import { addDownloadedTake } from '../tests/support/library-fixture.ts';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 60);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 60);

const dir = mkdtempSync(join(tmpdir(), 'shukuden-bench-export-'));
const core = createCore({ dataDir: join(dir, 'data'), authToken: 'f'.repeat(32), log: memoryLog() });
try {
  const wav = encodeWav(concat(silence(0.5), speechLike(SECONDS - 1), silence(0.5)));
  for (let i = 0; i < MESSAGES; i++) addDownloadedTake(core, { from: `+8190${String(i).padStart(8, '0')}`, wav, createdAt: new Date(Date.UTC(2025, 4, 3, 1, i)).toISOString() });
  await core.libraryService.checkPending();
  const out = join(dir, 'engine');
  const commands: FfmpegCommand[] = [];
  const started = performance.now();
  const result = await exportAlbum({ dataDir: core.dataDir, arrangement: currentArrangement(core.settings, core.library.list()), entries: core.library.list(), outputDir: out, trace: (c) => commands.push(c) });
  const engineSeconds = (performance.now() - started) / 1000;

  // The same commands, sequentially, in a plain bash loop, writing to another folder.
  const loopOut = join(dir, 'loop');
  mkdirSync(loopOut);
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const script = commands.map((c) => [c.program, ...c.args].map((a) => quote(a.replaceAll(out, loopOut))).join(' ')).join(' >/dev/null 2>&1 || exit 1\n');
  const loopStarted = performance.now();
  execFileSync('bash', ['-c', `${script} >/dev/null 2>&1 || exit 1`], { stdio: 'ignore', maxBuffer: 1 << 26 });
  const loopSeconds = (performance.now() - loopStarted) / 1000;

  const audio = MESSAGES * SECONDS;
  console.log(`bench:export — ${MESSAGES} messages × ${SECONDS} s (8 kHz mono), ${availableParallelism()} cores, ${commands.length} ffmpeg runs\n`);
  console.log(`engine       ${engineSeconds.toFixed(1).padStart(7)} s  ${(audio / engineSeconds).toFixed(0).padStart(5)}× realtime  (${result.rendered} tracks rendered)`);
  console.log(`shell loop   ${loopSeconds.toFixed(1).padStart(7)} s  ${(audio / loopSeconds).toFixed(0).padStart(5)}× realtime  (same commands, one at a time)`);
  console.log(`loop ÷ engine ${(loopSeconds / engineSeconds).toFixed(2)}× (target ≥ 1.00) ${loopSeconds / engineSeconds >= 1 ? 'ok' : 'SLOWER THAN THE LOOP'}`);
} finally {
  await core.libraryService.checkPending();
  core.close();
  rmSync(dir, { recursive: true, force: true });
}
