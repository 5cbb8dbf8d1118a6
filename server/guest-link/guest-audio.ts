import { durationSeconds, encodeWav, type Pcm } from '../audio/wav.ts';
import { ffmpegRefusedInput, runFfmpeg } from '../audio/ffmpeg.ts';

/** Containers phones' browsers record into (and WAV/MP3/Ogg for good measure), recognised by their first bytes. */
export type GuestContainer = 'webm' | 'm4a' | 'ogg' | 'wav' | 'mp3';

/** The sample rate messages from the guest page are kept at (phones record far better than a phone line). */
export const GUEST_SAMPLE_RATE = 48_000;

/**
 * What the bytes are, by their magic numbers — never by the declared Content-Type or a file name.
 * null: not a container we take (the upload is refused as not audio).
 */
export function sniffContainer(bytes: Buffer): GuestContainer | null {
  if (bytes.length < 12) return null;
  if (bytes.readUInt32BE(0) === 0x1a45dfa3) return 'webm'; // EBML (Matroska/WebM): Chrome, Firefox, Android
  if (bytes.toString('latin1', 4, 8) === 'ftyp') return 'm4a'; // ISO BMFF (MP4/M4A): iOS Safari
  if (bytes.toString('latin1', 0, 4) === 'OggS') return 'ogg';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE') return 'wav';
  if (bytes.toString('latin1', 0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  return null;
}

/** ffmpeg's demuxers for each container: nothing else may open the file. */
const DEMUXERS: Record<GuestContainer, string> = { webm: 'matroska', m4a: 'mov', ogg: 'ogg', wav: 'wav', mp3: 'mp3' };

export class NotAudioError extends Error {
  override readonly name = 'NotAudioError';
}

/**
 * ffmpeg itself could not do its work — it can't be started (missing, blocked, built for another
 * system) or was stopped — so the guest's recording is not at fault and must not be refused.
 */
export class AudioToolFailed extends Error {
  override readonly name = 'AudioToolFailed';
}

/**
 * Decodes an upload to the library's WAV (16-bit mono, 48 kHz) with ffmpeg, only with the demuxer
 * its magic bytes name and only from the file given. Decoding stops a second past `maxSeconds`, so a
 * huge file can't keep ffmpeg busy; the caller compares the duration with its limit.
 */
export async function decodeUpload(ffmpeg: string, path: string, container: GuestContainer, maxSeconds: number): Promise<{ wav: Buffer; seconds: number }> {
  let raw: Buffer;
  try {
    raw = await runFfmpeg(ffmpeg, [
      '-protocol_whitelist', 'file',
      '-f', DEMUXERS[container],
      '-i', path,
      '-map', '0:a:0',
      '-t', String(maxSeconds + 1),
      '-ac', '1',
      '-ar', String(GUEST_SAMPLE_RATE),
      '-f', 's16le',
      '-c:a', 'pcm_s16le',
      'pipe:1',
    ]);
  } catch (error) {
    if (ffmpegRefusedInput(error)) throw new NotAudioError((error as Error).message, { cause: error });
    throw new AudioToolFailed((error as Error).message, { cause: error });
  }
  const samples = new Int16Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 2));
  const pcm: Pcm = { sampleRate: GUEST_SAMPLE_RATE, channels: 1, samples: Int16Array.from(samples) };
  if (pcm.samples.length === 0) throw new NotAudioError('no audio in the file');
  return { wav: encodeWav(pcm), seconds: durationSeconds(pcm) };
}
