import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { TakeEdit } from '../library/library-types.ts';
import { runFfmpegJob, type FfmpegCommand } from './ffmpeg-job.ts';
import { id3v2Tag, writeTagged } from './id3v2.ts';

/** The sound every exported file is made to: one place, so the manifest hash can include it. */
export const RENDER_SETTINGS = {
  /** Bumped whenever the chain below changes, so old exports are re-rendered. */
  version: 2,
  targetLufs: -16,
  /** The promised ceiling after decoding the MP3. */
  ceilingDbtp: -1.5,
  /** What loudnorm aims at: MP3 encoding adds overshoot, so we leave 0.5 dB of room under the ceiling. */
  loudnormTruePeakDbtp: -2,
  /** Wide on purpose: loudnorm only stays linear (a plain gain) when the measured range fits. */
  loudnormRange: 20,
  sampleRate: 44_100,
  /** Constant bitrate, mono: telephone voice is 8 kHz mono, so 128k is transparent and every player can seek it. */
  bitrate: '128k',
} as const;

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

const loudnormReport = z.object({
  input_i: z.string(),
  input_tp: z.string(),
  input_lra: z.string(),
  input_thresh: z.string(),
  target_offset: z.string(),
});

/**
 * Renders one message: trim, fades, gain, then two-pass loudnorm (measure, then apply the measured
 * values with linear=true) to −16 LUFS / −2 dBTP, 44.1 kHz, MP3 CBR, then our ID3v2.3 tag with cover art.
 * Writes under hidden partial names and renames when ffmpeg has finished; on failure or abort the
 * partial file is removed.
 */
export async function renderTrack(ffmpeg: string, job: RenderJob, options: { readonly signal?: AbortSignal; readonly trace?: CommandTrace } = {}): Promise<void> {
  const edit = editFilters(job);
  const target = `I=${RENDER_SETTINGS.targetLufs}:TP=${RENDER_SETTINGS.loudnormTruePeakDbtp}:LRA=${RENDER_SETTINGS.loudnormRange}`;
  const measure: FfmpegCommand = {
    program: ffmpeg,
    args: ['-hide_banner', '-nostdin', '-i', job.input, '-map', '0:a:0', '-af', [...edit, `loudnorm=${target}:print_format=json`].join(','), '-f', 'null', '-'],
  };
  options.trace?.(measure);
  const measured = parseLoudnorm(await runFfmpegJob(measure, options.signal));
  const gainDb = RENDER_SETTINGS.targetLufs - Number(measured.input_i);
  // loudnorm stays linear (one plain gain) only when that gain keeps the peaks under the ceiling
  // and the range fits; otherwise it switches to its dynamic mode, which on short, peaky speech
  // lands 1–2 LU under the target. Those messages get our own measured gain + true-peak limiter.
  const linear = Number(measured.input_tp) + gainDb <= RENDER_SETTINGS.loudnormTruePeakDbtp && Number(measured.input_lra) <= RENDER_SETTINGS.loudnormRange;
  const level = linear
    ? `loudnorm=${target}:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}:measured_LRA=${measured.input_lra}:measured_thresh=${measured.input_thresh}:offset=${measured.target_offset}:linear=true`
    : await limitedGain(ffmpeg, job.input, edit, gainDb, options);
  const partial = partialName(job.output);
  // ffmpeg writes bare audio (with its LAME/Info header for exact length); our own ID3v2.3 tag goes in front.
  const audio = `${partial.slice(0, -'.partial'.length)}.audio.partial`;
  const apply: FfmpegCommand = {
    program: ffmpeg,
    args: [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
      '-i', job.input,
      '-map', '0:a:0',
      // loudnorm works at 192 kHz internally; resample once, to CD rate, with a good resampler.
      '-af', [...edit, level, `aresample=${RENDER_SETTINGS.sampleRate}:resampler=soxr`].join(','),
      '-ac', '1', '-ar', String(RENDER_SETTINGS.sampleRate),
      '-c:a', 'libmp3lame', '-b:a', RENDER_SETTINGS.bitrate,
      '-map_metadata', '-1', '-write_id3v2', '0', '-write_id3v1', '0',
      '-f', 'mp3', audio,
    ],
  };
  options.trace?.(apply);
  try {
    await runFfmpegJob(apply, options.signal);
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
 * Gain then a limiter at 4× the CD rate (so it catches inter-sample peaks) with the true-peak
 * ceiling. The ffmpeg we ship predates alimiter's `latency` option, so the look-ahead delay is
 * undone by hand: pad the end by the attack time, then cut that much from the start.
 */
function limiterChain(gainDb: number): string {
  const limit = 10 ** (RENDER_SETTINGS.loudnormTruePeakDbtp / 20);
  const rate = RENDER_SETTINGS.sampleRate * 4;
  const lag = Math.round((rate * LIMITER_ATTACK_MS) / 1000);
  return `volume=${gainDb.toFixed(2)}dB,aresample=${rate},apad=pad_len=${lag},alimiter=limit=${limit.toFixed(4)}:attack=${LIMITER_ATTACK_MS}:release=50:level=false,atrim=start_sample=${lag},asetpts=N/SR/TB`;
}

/**
 * The gain that lands at the target *after* limiting: limiting shaves loudness off peaky speech,
 * so measure the limited result (ebur128) and correct, up to three times (converges in 1–2).
 */
async function limitedGain(ffmpeg: string, input: string, edit: readonly string[], firstGainDb: number, options: { readonly signal?: AbortSignal; readonly trace?: CommandTrace }): Promise<string> {
  let gainDb = firstGainDb;
  for (let attempt = 0; attempt < 3; attempt++) {
    const check: FfmpegCommand = { program: ffmpeg, args: ['-hide_banner', '-nostdin', '-nostats', '-i', input, '-map', '0:a:0', '-af', [...edit, limiterChain(gainDb), 'ebur128'].join(','), '-f', 'null', '-'] };
    options.trace?.(check);
    const stderr = await runFfmpegJob(check, options.signal);
    const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(stderr.slice(stderr.lastIndexOf('Summary:')))?.[1]);
    if (!Number.isFinite(integrated)) break;
    const miss = RENDER_SETTINGS.targetLufs - integrated;
    if (Math.abs(miss) <= 0.3) break;
    gainDb += miss;
  }
  return limiterChain(gainDb);
}

/** trim → fades → gain, in that order so fades are measured from the kept part's own edges. */
function editFilters(job: RenderJob): readonly string[] {
  if (!job.edit) return [];
  const { start, end } = keptRange(job);
  const length = end - start;
  const filters = [`atrim=start=${start.toFixed(4)}:end=${end.toFixed(4)}`, 'asetpts=PTS-STARTPTS'];
  const fadeIn = Math.min(job.edit.fadeInSeconds, length / 2);
  const fadeOut = Math.min(job.edit.fadeOutSeconds, length / 2);
  if (fadeIn > 0) filters.push(`afade=t=in:st=0:d=${fadeIn.toFixed(4)}`);
  if (fadeOut > 0) filters.push(`afade=t=out:st=${(length - fadeOut).toFixed(4)}:d=${fadeOut.toFixed(4)}`);
  if (job.edit.gainDb !== 0) filters.push(`volume=${job.edit.gainDb.toFixed(2)}dB`);
  return filters;
}

/** loudnorm prints its measurement as the last JSON object on stderr. */
function parseLoudnorm(stderr: string): z.infer<typeof loudnormReport> {
  const start = stderr.lastIndexOf('{');
  const end = stderr.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('loudnorm printed no measurement');
  const report = loudnormReport.parse(JSON.parse(stderr.slice(start, end + 1)));
  // Pure digital silence measures as -inf; loudnorm can't be given that back, so treat it as very quiet.
  const finite = (value: string, fallback: string) => (Number.isFinite(Number(value)) ? value : fallback);
  return {
    input_i: finite(report.input_i, '-70'),
    input_tp: finite(report.input_tp, '-70'),
    input_lra: finite(report.input_lra, '0'),
    input_thresh: finite(report.input_thresh, '-80'),
    target_offset: finite(report.target_offset, '0'),
  };
}
