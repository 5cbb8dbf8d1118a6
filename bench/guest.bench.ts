/**
 * npm run bench:guest — a guest taps Send on a 60-second message: time until it is stored in the
 * library (converted, verified, written and fsynced, the take committed: the server answers only then),
 * over loopback through the loopback tunnel. Target: p50 under 1 s. The uploads come from a separate
 * light process, one at a time, each once the previous message's health check is done (a guest arriving
 * at an idle app); a plain ffmpeg decode of the same file is timed alongside as the reference.
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ffmpeg, speakToFile } from '../tests/support/audio-tools.ts';
import { startGuestLink } from '../tests/support/guest-harness.ts';

const exec = promisify(execFile);
const ROUNDS = 12;
const TARGET_P50_MS = 1000;
const CLIENT = fileURLToPath(new URL('./guest-client.ts', import.meta.url));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const work = await mkdtemp(join(tmpdir(), 'shukuden-bench-guest-'));
const guest = await startGuestLink({ settings: { maxLengthSeconds: 120 }, limits: { requestsPerMinute: 10_000, uploadsPerAddress: 10_000, uploadsPerLink: 10_000 } });
try {
  // 60 s of real speech, as Android Chrome (Opus/WebM) and iOS Safari (AAC/MP4) would send it.
  await speakToFile('Congratulations to you both. We wish you a long and happy life together, full of laughter and love. '.repeat(3), join(work, 'speech.wav'));
  await ffmpeg('-stream_loop', '-1', '-i', join(work, 'speech.wav'), '-t', '60', '-ac', '1', '-ar', '48000', join(work, 'minute.wav'));
  await ffmpeg('-i', join(work, 'minute.wav'), '-c:a', 'libopus', '-b:a', '96k', join(work, 'minute.webm'));
  await ffmpeg('-i', join(work, 'minute.wav'), '-c:a', 'aac', '-b:a', '128k', join(work, 'minute.m4a'));
  for (const format of ['webm', 'm4a']) {
    const file = join(work, `minute.${format}`);
    const client = spawn(process.execPath, [CLIENT, guest.link(), file, String(ROUNDS)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: client.stdout })[Symbol.asyncIterator]();
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      client.stdin.write('go\n');
      const line = await lines.next();
      if (line.done) throw new Error('the upload client stopped');
      times.push((JSON.parse(line.value) as { ms: number }).ms);
      await guest.core.libraryService.checkPending();
    }
    client.stdin.end();
    times.sort((a, b) => a - b);
    // Reference: the same decode done by a bare ffmpeg, writing a WAV, in the same run.
    const reference: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', file, '-ac', '1', '-ar', '48000', join(work, 'reference.wav')]);
      reference.push(performance.now() - started);
    }
    reference.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const ref50 = percentile(reference, 50);
    console.log(`${format}: 60 s message, Send → in the library: ${ROUNDS} uploads, p50 ${p50.toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms; plain ffmpeg decode p50 ${ref50.toFixed(0)} ms; ratio ${(p50 / ref50).toFixed(2)}×`);
    console.log(`  target p50 < ${TARGET_P50_MS} ms: ${p50 < TARGET_P50_MS ? 'met' : 'NOT met'}`);
  }
  const stored = guest.core.libraryStore.list().filter((e) => e.source === 'guest-link').length;
  console.log(`messages stored: ${stored} (expected ${ROUNDS * 2})`);
} finally {
  await guest.close();
  await rm(work, { recursive: true, force: true });
}
