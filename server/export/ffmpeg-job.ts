import { spawn } from 'node:child_process';

/** One ffmpeg run as the export engine sees it (also what the benchmark replays in a shell loop). */
export interface FfmpegCommand {
  readonly program: string;
  readonly args: readonly string[];
}

/**
 * How every export command starts. `-xerror`: ffmpeg reports a file it could not finish writing
 * ("Error writing trailer … No space left on device") but still exits 0 without it, and the cut-off
 * track would be tagged and kept as if whole.
 */
export const EXPORT_FFMPEG_ARGS = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-xerror', '-y'] as const;

/** ffmpeg failed: its exit code and the tail of what it printed. */
export class FfmpegFailed extends Error {
  override readonly name = 'FfmpegFailed';
  readonly stderr: string;
  constructor(stderr: string, code: number | null) {
    super(stderr.trim().split('\n').slice(-3).join(' ') || `ffmpeg exited with ${code}`);
    this.stderr = stderr;
  }
}

/**
 * Runs ffmpeg and resolves with everything it printed on stderr (loudnorm reports there).
 * Aborting `signal` kills the process at once and rejects with the signal's reason.
 */
export function runFfmpegJob(command: FfmpegCommand, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const child = spawn(command.program, command.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Keep the head (loudnorm's JSON is at the end, errors too): cap memory on chatty runs.
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(signal.reason as Error);
      else if (code === 0) resolve(stderr);
      else reject(new FfmpegFailed(stderr, code));
    });
  });
}
