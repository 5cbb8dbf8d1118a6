import { readFile, rm } from 'node:fs/promises';
import { id3v2Tag, writeTagged } from './id3v2.ts';
import { EXPORT_FFMPEG_ARGS, runFfmpegJob } from './ffmpeg-job.ts';
import { partialName, RENDER_SETTINGS, type CommandTrace, type TrackTags } from './render-track.ts';

/** The continuous mix: already-normalised parts joined with a gap of silence between them. */
export interface MixJob {
  /** Rendered parts in play order (intro, tracks, outro), each already at the target loudness. */
  readonly parts: readonly string[];
  readonly gapSeconds: number;
  readonly tags: TrackTags;
  readonly cover: string | null;
  readonly output: string;
}

/**
 * Writes the mix as one MP3 with the same format and tags as the tracks. The parts are already
 * loudness-normalised, so they are joined as they are (no second loudnorm that would shift one
 * voice against another). Written under a partial name and renamed when complete.
 */
export async function renderMix(ffmpeg: string, job: MixJob, options: { readonly signal?: AbortSignal; readonly trace?: CommandTrace } = {}): Promise<void> {
  const rate = RENDER_SETTINGS.sampleRate;
  const chain: string[] = [];
  const labels: string[] = [];
  job.parts.forEach((_, i) => {
    chain.push(`[${i}:a:0]aresample=${rate},aformat=sample_fmts=fltp:channel_layouts=mono[p${i}]`);
    labels.push(`[p${i}]`);
    if (i < job.parts.length - 1 && job.gapSeconds > 0) {
      chain.push(`aevalsrc=0:s=${rate}:c=mono:d=${job.gapSeconds.toFixed(3)},aformat=sample_fmts=fltp[g${i}]`);
      labels.push(`[g${i}]`);
    }
  });
  chain.push(`${labels.join('')}concat=n=${labels.length}:v=0:a=1[mix]`);
  const partial = partialName(job.output);
  const audio = `${partial.slice(0, -'.partial'.length)}.audio.partial`;
  const command = {
    program: ffmpeg,
    args: [
      ...EXPORT_FFMPEG_ARGS,
      ...job.parts.flatMap((part) => ['-i', part]),
      '-filter_complex', chain.join(';'),
      '-map', '[mix]',
      '-ac', '1', '-ar', String(rate), '-c:a', 'libmp3lame', '-b:a', RENDER_SETTINGS.bitrate,
      '-map_metadata', '-1', '-write_id3v2', '0', '-write_id3v1', '0',
      '-f', 'mp3', audio,
    ],
  };
  options.trace?.(command);
  try {
    await runFfmpegJob(command, options.signal);
    options.signal?.throwIfAborted();
    await writeTagged(id3v2Tag(job.tags, job.cover ? await readFile(job.cover) : null), audio, partial, job.output);
  } catch (error) {
    await Promise.all([rm(partial, { force: true }), rm(audio, { force: true })]);
    throw error;
  }
}
