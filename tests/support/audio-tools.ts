import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { shippedFfmpeg, SHIPPED_FFMPEG_PACKAGE } from '../../server/audio/ffmpeg.ts';

const exec = promisify(execFile);

/** Speech from espeak-ng, as a WAV file at `path`. */
export async function speakToFile(text: string, path: string, voice = 'en'): Promise<void> {
  await exec('espeak-ng', ['-v', voice, '-w', path, text]);
}

/**
 * The ffmpeg Shukuden ships (never one from the system), so what tests measure is what
 * organisers get. ffprobe stays Debian's: an independent measuring tool.
 */
export const FFMPEG: string = shippedFfmpeg() ?? missing();

function missing(): never {
  throw new Error(`${SHIPPED_FFMPEG_PACKAGE} is not installed: run npm ci (the tests use the ffmpeg the app ships).`);
}

/** Runs the shipped ffmpeg on fixtures. */
export async function ffmpeg(...args: string[]): Promise<void> {
  await exec(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

export interface ProbedStream {
  readonly codec_name: string;
  readonly sample_rate: string;
  readonly channels: number;
}

/** ffprobe's view of a file: first audio stream and the container duration. */
export async function ffprobe(path: string): Promise<{ stream: ProbedStream; duration: number }> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path]);
  const data = JSON.parse(stdout) as { streams: ProbedStream[]; format: { duration: string } };
  const stream = data.streams[0];
  if (!stream) throw new Error(`ffprobe found no stream in ${path}`);
  return { stream, duration: Number(data.format.duration) };
}
