import type { Pcm } from './wav.ts';

/** The part of a clip the organiser keeps, with fades: what the export's trim and afade filters do. */
export interface PcmEdit {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly fadeInSeconds: number;
  readonly fadeOutSeconds: number;
}

/**
 * Cuts [start, end) out of `pcm` and applies linear fades (ffmpeg's `afade` default curve), each at
 * most half the kept length — the same chain the export renders, so loudness measured on the result
 * is the loudness of the exported track before its gain.
 */
export function editedPcm(pcm: Pcm, edit: PcmEdit | null): Pcm {
  if (!edit) return pcm;
  const channels = Math.max(1, pcm.channels);
  const frames = Math.floor(pcm.samples.length / channels);
  const end = Math.min(frames, Math.max(0, Math.round(edit.endSeconds * pcm.sampleRate)));
  const start = Math.min(end, Math.max(0, Math.round(edit.startSeconds * pcm.sampleRate)));
  const samples = pcm.samples.slice(start * channels, end * channels);
  const length = end - start;
  const fadeIn = Math.min(Math.round(edit.fadeInSeconds * pcm.sampleRate), Math.floor(length / 2));
  const fadeOut = Math.min(Math.round(edit.fadeOutSeconds * pcm.sampleRate), Math.floor(length / 2));
  for (let f = 0; f < fadeIn; f++) scaleFrame(samples, f, channels, f / fadeIn);
  for (let f = 0; f < fadeOut; f++) scaleFrame(samples, length - fadeOut + f, channels, 1 - f / fadeOut);
  return { sampleRate: pcm.sampleRate, channels: pcm.channels, samples };
}

function scaleFrame(samples: Int16Array, frame: number, channels: number, gain: number): void {
  for (let c = 0; c < channels; c++) {
    const at = frame * channels + c;
    samples[at] = Math.round((samples[at] ?? 0) * gain);
  }
}
