import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../server/audio/ffmpeg.ts';

/**
 * Runs `work` with ffmpeg (FFMPEG_PATH) behind a gate: an invocation whose arguments match one of
 * `hold` (sh `case` patterns over "$*") waits until `work` has finished; the rest run at once. A test
 * can then look at, or cancel, a long task mid-way however fast or slow the machine is.
 */
export async function withFfmpegGate<T>(dir: string, hold: readonly string[], work: () => Promise<T>): Promise<T> {
  const release = join(dir, 'ffmpeg-gate-open');
  const gate = join(dir, 'ffmpeg-gate.sh');
  await writeFile(
    gate,
    ['#!/bin/sh', `case "$*" in ${hold.join('|')}) while [ ! -e "${release}" ]; do sleep 0.05; done;; esac`, `exec "${resolveFfmpeg()}" "$@"`, ''].join('\n'),
  );
  await chmod(gate, 0o755);
  const saved = process.env['FFMPEG_PATH'];
  process.env['FFMPEG_PATH'] = gate;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env['FFMPEG_PATH'];
    else process.env['FFMPEG_PATH'] = saved;
    await writeFile(release, '');
  }
}
