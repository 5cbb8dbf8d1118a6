import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TrackLevel } from '../audio/track-level.ts';
import type { TakeEdit } from '../library/library-types.ts';
import { EXPORT_FFMPEG_ARGS, runFfmpegJob, type FfmpegCommand } from './ffmpeg-job.ts';
import { id3v2Tag, writeTagged } from './id3v2.ts';

/** The sound every exported file is made to: one place, so the manifest hash can include it. */
export const RENDER_SETTINGS = {
  /** Bumped whenever the chain below changes, so old exports are re-rendered. */
  version: 3,
  targetLufs: -16,
  /** The promised ceiling after decoding the MP3. */
  ceilingDbtp: -1.5,
  /** Where the limiter holds peaks: MP3 encoding adds overshoot, so we leave 0.5 dB of room under the ceiling. */
  limiterDbtp: -2,
  /**
   * Loudness that resampling 8 kHz telephone speech to 44.1 kHz and MP3 encoding take off (ebur128 of
   * the finished MP3 vs BS.1770 of the source: 0.2 + 0.5 LU on speech): the level is planned this much higher.
   */
  encodeLossLu: 0.65,
  sampleRate: 44_100,
  /** Constant bitrate, mono: telephone voice is 8 kHz mono, so 128k is transparent and every player can seek it. */
  bitrate: '128k',
} as const;

/** What each track's level is planned for: the loudness target, under the limiter's ceiling. */
export const LEVEL_TARGET = { targetLufs: RENDER_SETTINGS.targetLufs + RENDER_SETTINGS.encodeLossLu, ceilingDbtp: RENDER_SETTINGS.limiterDbtp } as const;

/** The ID3 tags of one exported file. */
export interface TrackTags {
  readonly title: string;
  readonly artist: string;
  readonly albumArtist: string;
  readonly album: string;
  readonly track: number;
  readonly trackCount: number;
  readonly year: number;
  readonly comment: string;
}

/** What to render: a source file, the organiser's cut, tags and an optional cover (JPEG). */
export interface RenderJob {
  readonly input: string;
  /** How long the whole source plays (needed to place the fade-out). */
  readonly inputSeconds: number;
  readonly edit: TakeEdit | null;
  /** The gain (normalisation + the organiser's own) measured beforehand on the edited audio. */
  readonly level: TrackLevel;
  /** Null renders an untagged file (the continuous mix's intro/outro parts). */
  readonly tags: TrackTags | null;
  readonly cover: string | null;
  /** The finished file; it appears only when complete. */
  readonly output: string;
}

/** How run ffmpeg commands are observed (the benchmark replays them). */
export type CommandTrace = (command: FfmpegCommand) => void;

/** The part of the source that is kept: [start, end) in seconds. */
export function keptRange(job: { readonly inputSeconds: number; readonly edit: TakeEdit | null }): { readonly start: number; readonly end: number } {
  if (!job.edit) return { start: 0, end: job.inputSeconds };
  const end = Math.min(job.edit.endSeconds, job.inputSeconds);
  return { start: Math.min(job.edit.startSeconds, end), end };
}

/** The temporary name a file is written under: hidden and not `.mp3`, so nothing mistakes it for a track. */
export function partialName(output: string): string {
  return join(dirname(output), `.${basename(output)}.partial`);
}

/**
 * Renders one message in one ffmpeg pass: trim, fades, the gain measured beforehand (normalisation
 * to −16 LUFS plus the organiser's gain; a true-peak limiter at −2 dBTP when that gain would push
 * peaks higher), 44.1 kHz, MP3 CBR, then our ID3v2.3 tag with cover art.
 * Writes under hidden partial names and renames when ffmpeg has finished; on failure or abort the
 * partial file is removed.
 */
export async function renderTrack(ffmpeg: string, job: RenderJob, options: { readonly signal?: AbortSignal; readonly trace?: CommandTrace } = {}): Promise<void> {
  const partial = partialName(job.output);
  // ffmpeg writes bare audio (with its LAME/Info header for exact length); our own ID3v2.3 tag goes in front.
  const audio = `${partial.slice(0, -'.partial'.length)}.audio.partial`;
  const render: FfmpegCommand = {
    program: ffmpeg,
    args: [
      ...EXPORT_FFMPEG_ARGS,
      '-i', job.input,
      '-map', '0:a:0',
      '-af', [...editFilters(job), ...levelFilters(job.level), `aresample=${RENDER_SETTINGS.sampleRate}:resampler=soxr`].join(','),
      '-ac', '1', '-ar', String(RENDER_SETTINGS.sampleRate),
      '-c:a', 'libmp3lame', '-b:a', RENDER_SETTINGS.bitrate,
      '-map_metadata', '-1', '-write_id3v2', '0', '-write_id3v1', '0',
      '-f', 'mp3', audio,
    ],
  };
  options.trace?.(render);
  try {
    await runFfmpegJob(render, options.signal);
    options.signal?.throwIfAborted();
    const tag = job.tags ? id3v2Tag(job.tags, job.cover ? await readFile(job.cover) : null) : Buffer.alloc(0);
    await writeTagged(tag, audio, partial, job.output);
  } catch (error) {
    await Promise.all([rm(partial, { force: true }), rm(audio, { force: true })]);
    throw error;
  }
}

/** The limiter's look-ahead: its output lags its input by this much. */
const LIMITER_ATTACK_MS = 5;

/**
 * The gain, then (when needed) a limiter at 2× the CD rate, so it catches inter-sample peaks (on
 * telephone speech it holds the same true peak as at 4×, measured: −2.4 dBTP, at two thirds of the CPU).
 * The ffmpeg we ship predates alimiter's `latency` option, so the look-ahead delay is undone by hand:
 * pad the end by the attack time, then cut that much from the start.
 */
function levelFilters(level: TrackLevel): readonly string[] {
  const gain = `volume=${level.gainDb.toFixed(2)}dB`;
  if (!level.limit) return [gain];
  const limit = 10 ** (RENDER_SETTINGS.limiterDbtp / 20);
  const rate = RENDER_SETTINGS.sampleRate * 2;
  const lag = Math.round((rate * LIMITER_ATTACK_MS) / 1000);
  return [
    gain,
    `aresample=${rate}`,
    `apad=pad_len=${lag}`,
    `alimiter=limit=${limit.toFixed(4)}:attack=${LIMITER_ATTACK_MS}:release=50:level=false`,
    `atrim=start_sample=${lag}`,
    'asetpts=N/SR/TB',
  ];
}

/** trim → fades, so fades are measured from the kept part's own edges (the gain follows, in levelFilters). */
function editFilters(job: RenderJob): readonly string[] {
  if (!job.edit) return [];
  const { start, end } = keptRange(job);
  const length = end - start;
  const filters = [`atrim=start=${start.toFixed(4)}:end=${end.toFixed(4)}`, 'asetpts=PTS-STARTPTS'];
  const fadeIn = Math.min(job.edit.fadeInSeconds, length / 2);
  const fadeOut = Math.min(job.edit.fadeOutSeconds, length / 2);
  if (fadeIn > 0) filters.push(`afade=t=in:st=0:d=${fadeIn.toFixed(4)}`);
  if (fadeOut > 0) filters.push(`afade=t=out:st=${(length - fadeOut).toFixed(4)}:d=${fadeOut.toFixed(4)}`);
  return filters;
}
