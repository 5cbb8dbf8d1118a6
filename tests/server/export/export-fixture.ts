import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeWav } from '../../../server/audio/wav.ts';
import { createCore, type Core } from '../../../server/core.ts';
import { memoryLog } from '../../../server/log.ts';
import { concat, silence, speechLike } from '../../../server/voice-sim/speech.ts';

export const run = promisify(execFile);

/** A phone-like message (8 kHz mono) scaled by `gain` (0.16 ≈ −40 LUFS, 8 = clipped near 0 dBFS). */
export function scaledMessage(gain: number, speechSeconds = 3): Buffer {
  const clip = concat(silence(0.4), speechLike(speechSeconds), silence(0.6));
  return encodeWav({ ...clip, samples: clip.samples.map((s) => Math.max(-32768, Math.min(32767, Math.round(s * gain)))) });
}

/** A fresh data folder with a core. */
export async function tempCore(): Promise<{ readonly core: Core; readonly dir: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'shukuden-export-'));
  const core = createCore({ dataDir: join(dir, 'data'), authToken: 'f'.repeat(32), log: memoryLog() });
  return {
    core,
    dir,
    async close() {
      // Health checks start on every store change; let them finish before the database closes.
      await core.libraryService.checkPending();
      core.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** ebur128 read of a file: integrated loudness (LUFS) and true peak (dBTP). */
export async function ebur128(path: string): Promise<{ readonly integrated: number; readonly truePeak: number }> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128=peak=true', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const truePeak = Number(/Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary.slice(summary.indexOf('True peak')))?.[1]);
  return { integrated, truePeak };
}

/** A test picture made by ffmpeg. */
export async function makePicture(path: string, size: string): Promise<void> {
  await run('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=s=${size}`, '-frames:v', '1', path]);
}
