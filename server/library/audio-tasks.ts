import { readFile } from 'node:fs/promises';
import { analyseRecording } from '../audio/analysis.ts';
import { suggestTrim } from '../audio/auto-trim.ts';
import { editedPcm } from '../audio/edited-pcm.ts';
import { computePeaks } from '../audio/peaks.ts';
import { planTrackLevel, type TrackLevel } from '../audio/track-level.ts';
import { decodeWav, type Pcm } from '../audio/wav.ts';
import type { StoredHealth, TakeEdit } from './library-types.ts';

/** Peaks per second of audio in a waveform. */
export const PEAKS_PER_SECOND = 100;

/** The audio work done off the request thread (see audio-worker.ts), one file at a time. */
export type AudioTask =
  | { readonly kind: 'arrival'; readonly file: string }
  | { readonly kind: 'waveform'; readonly file: string }
  | { readonly kind: 'level'; readonly file: string; readonly edit: TakeEdit | null; readonly target: LevelTarget };

/** What exported tracks are made to. */
export interface LevelTarget {
  readonly targetLufs: number;
  readonly ceilingDbtp: number;
}

/** A message's waveform without its per-take parts (its id and the organiser's edit). */
export interface WaveformData {
  readonly durationSeconds: number;
  /** One value per 1/100 s, the signed sample of greatest magnitude, as 8-bit values in base64. */
  readonly peaks: string;
  readonly peaksPerSecond: number;
  /** The automatic first suggestion: beep, silences and the # tone trimmed. */
  readonly suggested: TakeEdit;
}

export interface AudioResults {
  readonly arrival: { readonly health: StoredHealth; readonly waveform: WaveformData };
  readonly waveform: WaveformData;
  readonly level: TrackLevel;
}

/** Runs one task. Throws (plain Error) when the file can't be read or holds no audio. */
export async function runAudioTask(task: AudioTask): Promise<AudioResults[AudioTask['kind']]> {
  const pcm = await readPcm(task.file);
  switch (task.kind) {
    case 'arrival':
      return { health: health(pcm), waveform: waveform(pcm) };
    case 'waveform':
      return waveform(pcm);
    case 'level':
      return trackLevel(pcm, task.edit, task.target);
  }
}

async function readPcm(file: string): Promise<Pcm> {
  const pcm = decodeWav(await readFile(file));
  if (pcm.samples.length === 0) throw new Error('no audio in the file');
  return pcm;
}

function health(pcm: Pcm): StoredHealth {
  const h = analyseRecording(pcm);
  return {
    durationSeconds: h.durationSeconds,
    integratedLufs: Number.isFinite(h.integratedLufs) ? h.integratedLufs : null,
    // JSON has no -Infinity: silence is stored as the floor of 16-bit audio.
    samplePeakDbfs: Number.isFinite(h.samplePeakDbfs) ? h.samplePeakDbfs : -96,
    truePeakDbtp: Number.isFinite(h.truePeakDbtp) ? h.truePeakDbtp : -96,
    clippedShare: h.clippedShare,
    silenceShare: h.silenceShare,
    flags: h.flags,
  };
}

function waveform(pcm: Pcm): WaveformData {
  const { durationSeconds, peaks } = computePeaks(pcm, PEAKS_PER_SECOND);
  const trim = suggestTrim(pcm);
  const bytes = Int8Array.from(peaks, (p) => Math.round(Math.max(-1, Math.min(1, p)) * 127));
  return {
    durationSeconds,
    peaks: Buffer.from(bytes.buffer).toString('base64'),
    peaksPerSecond: PEAKS_PER_SECOND,
    suggested: { startSeconds: trim.startSeconds, endSeconds: trim.endSeconds, fadeInSeconds: 0.05, fadeOutSeconds: 0.3, gainDb: 0 },
  };
}

/** Measured once per message and per trim; the export renders each track in one ffmpeg pass from it. */
export function trackLevel(pcm: Pcm, edit: TakeEdit | null, target: LevelTarget): TrackLevel {
  return planTrackLevel(editedPcm(pcm, edit), { ...target, userGainDb: edit?.gainDb ?? 0 });
}
