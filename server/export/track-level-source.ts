import { readFile } from 'node:fs/promises';
import { runFfmpeg } from '../audio/ffmpeg.ts';
import type { TrackLevel } from '../audio/track-level.ts';
import { decodeWav, WavFormatError, type Pcm } from '../audio/wav.ts';
import { trackLevel } from '../library/audio-tasks.ts';
import type { TakeEdit } from '../library/library-types.ts';
import { LEVEL_TARGET } from './render-track.ts';

/** Decoding rate for files that are not WAV (an intro/outro in MP3, say). */
const DECODE_RATE = 48_000;

/**
 * A track's level measured here, in-process: for an export run without the library's measurements
 * (and the mix's intro/outro files). Messages are WAV and read directly; anything else is decoded by ffmpeg.
 */
export async function measureTrackLevel(ffmpeg: string, input: string, edit: TakeEdit | null): Promise<TrackLevel> {
  return trackLevel(await readPcm(ffmpeg, input), edit, LEVEL_TARGET);
}

async function readPcm(ffmpeg: string, input: string): Promise<Pcm> {
  try {
    return decodeWav(await readFile(input));
  } catch (error) {
    if (!(error instanceof WavFormatError)) throw error;
  }
  const raw = await runFfmpeg(ffmpeg, ['-i', input, '-map', '0:a:0', '-ac', '1', '-ar', String(DECODE_RATE), '-f', 's16le', '-']);
  // Copied out: the decoded bytes may not start on a 2-byte boundary.
  const samples = new Int16Array(Math.floor(raw.length / 2));
  for (let i = 0; i < samples.length; i++) samples[i] = raw.readInt16LE(i * 2);
  return { sampleRate: DECODE_RATE, channels: 1, samples };
}
