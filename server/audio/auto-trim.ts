import { monoMix } from './pcm-float.ts';
import { dtmfTone, strongestTone, type Frame } from './tones.ts';
import type { Pcm } from './wav.ts';

/** The kept part of a message, in seconds from the start of the recording. */
export interface TrimSuggestion {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** Tuning of the automatic trim, in one place. */
export const AUTO_TRIM = {
  /** Energy frames: 10 ms steps give boundaries well inside the 50 ms we promise. */
  hopSeconds: 0.01,
  /** Tone frames: 20 ms (Hann main lobe ±100 Hz) separates DTMF tones 70 Hz apart well enough. */
  toneWindowSeconds: 0.02,
  /** Kept around the speech so the first and last sounds are not cut. */
  paddingSeconds: 0.15,
  /** Anything quieter than this (10 ms frame, mean square re full scale) is never sound. */
  absoluteFloorDbfs: -60,
  /** Sound must stand this far above the clip's noise floor (its 10th-percentile frame). */
  aboveNoiseDb: 6,
  /** Speech frames are those within this of the clip's speech level (95th-percentile sound frame). */
  belowSpeechDb: 30,
  /** Bursts of sound closer than this are one stretch of speech (pauses between words). */
  bridgeSeconds: 0.3,
  /** A burst shorter than this (a click, a knock, the handset being put down) is not speech. */
  minBurstSeconds: 0.06,
  /** A record beep is one steady tone in this band… */
  beepMinHz: 400,
  beepMaxHz: 2000,
  /** …explaining at least this share of each frame… */
  beepMinShare: 0.8,
  /** …holding its pitch within this… */
  beepPitchToleranceHz: 15,
  /** …and lasting this long (Twilio's is about 0.5 s). */
  beepMinSeconds: 0.12,
  beepMaxSeconds: 1.5,
  /** The beep is looked for only at the first sound within this time of the start. */
  beepSearchSeconds: 3,
  /** The two tones of a key press explain at least this share of each frame… */
  dtmfMinShare: 0.7,
  /** …the weaker at least this (about 8 dB of twist between them). */
  dtmfMinWeaker: 0.12,
  /** A DTMF key press lasts at least this long (the # that ends a recording: 0.1–0.3 s). */
  dtmfMinSeconds: 0.04,
  /** A guest may press more than one key at the end; at most this many are trimmed. */
  dtmfMaxPresses: 3,
  /** Frames at a tone's edges, partly inside it, still belong to it at this share. */
  toneEdgeShare: 0.25,
  /** Shorter suggestions than this fall back to the whole clip. */
  minKeptSeconds: 0.1,
} as const;

/**
 * The automatic first suggestion for the kept part of a message: skips a leading record
 * beep (a steady 400–2000 Hz tone), the silence before the speech, the silence after it and
 * trailing DTMF key presses (the # that ended the recording), keeping `paddingSeconds`
 * around the speech. Speech is told from silence by each 10 ms frame's energy relative to
 * this clip's own speech level and noise floor, so it works for quiet and loud callers alike.
 * Never returns an empty or inverted range: when nothing sensible is found (all silence,
 * only tones) it returns the whole clip.
 */
export function suggestTrim(pcm: Pcm): TrimSuggestion {
  const signal = monoMix(pcm);
  const rate = pcm.sampleRate;
  const whole: TrimSuggestion = { startSeconds: 0, endSeconds: rate > 0 ? signal.length / rate : 0 };
  const hop = Math.max(1, Math.round(AUTO_TRIM.hopSeconds * rate));
  const energy = frameEnergyDb(signal, hop);
  if (energy.length === 0) return whole;
  const frameSeconds = hop / rate;

  const noiseFloor = percentile(energy, 0.1);
  const soundFloor = Math.max(AUTO_TRIM.absoluteFloorDbfs, noiseFloor + AUTO_TRIM.aboveNoiseDb);
  const toneWindow = Math.min(signal.length, Math.max(8, Math.round(AUTO_TRIM.toneWindowSeconds * rate)));
  const clip: Clip = {
    frames: energy.length,
    frameSeconds,
    isSound: (i) => (energy[i] ?? -Infinity) >= soundFloor,
    // Centred on the 10 ms frame, kept inside the clip.
    frameAt: (i) => ({
      signal,
      start: Math.max(0, Math.min(signal.length - toneWindow, Math.round((i + 0.5) * hop - toneWindow / 2))),
      length: toneWindow,
      sampleRate: rate,
    }),
  };

  // Where speech may be: after the beep, before the key presses.
  const from = beepEnd(clip);
  const to = keyPressStart(clip, from);
  if (to - from <= 0) return whole;

  const region = energy.subarray(from, to).filter((e) => e >= soundFloor);
  if (region.length === 0) return whole;
  const speechLevel = percentile(region, 0.95);
  const threshold = Math.max(soundFloor, speechLevel - AUTO_TRIM.belowSpeechDb);
  const speech = speechSpan(energy, from, to, threshold, frameSeconds);
  if (!speech) return whole;

  const seconds = (frame: number) => Math.min(whole.endSeconds, frame * frameSeconds);
  const startSeconds = Math.max(seconds(from), seconds(speech.first) - AUTO_TRIM.paddingSeconds);
  const endSeconds = Math.min(seconds(to), seconds(speech.end) + AUTO_TRIM.paddingSeconds);
  if (!(endSeconds - startSeconds >= AUTO_TRIM.minKeptSeconds)) return whole;
  return { startSeconds: round3(startSeconds), endSeconds: Math.min(whole.endSeconds, round3(endSeconds)) };
}

/** The clip as the detectors see it: 10 ms frames, whether each is sound, and its tone window. */
interface Clip {
  readonly frames: number;
  readonly frameSeconds: number;
  readonly isSound: (frame: number) => boolean;
  readonly frameAt: (frame: number) => Frame;
}

/** How a frame relates to a tone: wholly it, partly it (at its edges), or not it. */
type ToneFit = 'steady' | 'edge' | 'none';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Mean power of each `hop`-sample frame in dB re full scale (a partial last frame counts). */
function frameEnergyDb(signal: Float32Array, hop: number): Float64Array {
  const count = Math.ceil(signal.length / hop);
  const out = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    const start = f * hop;
    const end = Math.min(signal.length, start + hop);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const x = signal[i] ?? 0;
      sum += x * x;
    }
    // Digital silence becomes a finite, very low level so percentiles stay numbers.
    out[f] = 10 * Math.log10(sum / (end - start) + 1e-14);
  }
  return out;
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? -Infinity;
}

/**
 * The first frame after a leading record beep, or 0 when the clip does not start with one.
 * The beep must be the first sound: one tone of steady pitch in the beep band, explaining
 * nearly all of each frame, of plausible length.
 */
function beepEnd(clip: Clip): number {
  const searchEnd = Math.min(clip.frames, Math.round(AUTO_TRIM.beepSearchSeconds / clip.frameSeconds));
  let first = 0;
  while (first < searchEnd && !clip.isSound(first)) first++;
  if (first >= searchEnd) return 0;
  // Judge the pitch a little way in, where the window is wholly inside the beep.
  const probe = Math.min(clip.frames - 1, first + Math.round(AUTO_TRIM.toneWindowSeconds / clip.frameSeconds));
  const tone = strongestTone(clip.frameAt(probe), AUTO_TRIM.beepMinHz, AUTO_TRIM.beepMaxHz);
  if (tone.share < AUTO_TRIM.beepMinShare) return 0;
  const tolerance = AUTO_TRIM.beepPitchToleranceHz;
  const run = toneRun(clip, first, clip.frames, 1, (frame) => {
    const share = strongestTone(frame, tone.hz - tolerance, tone.hz + tolerance).share;
    return share >= AUTO_TRIM.beepMinShare ? 'steady' : share >= AUTO_TRIM.toneEdgeShare ? 'edge' : 'none';
  });
  const seconds = run.steady * clip.frameSeconds;
  if (seconds < AUTO_TRIM.beepMinSeconds || seconds > AUTO_TRIM.beepMaxSeconds) return 0;
  return run.past;
}

function dtmfFit(frame: Frame): ToneFit {
  const tone = dtmfTone(frame);
  if (tone.share >= AUTO_TRIM.dtmfMinShare && tone.weaker >= AUTO_TRIM.dtmfMinWeaker) return 'steady';
  return tone.share >= AUTO_TRIM.toneEdgeShare ? 'edge' : 'none';
}

/**
 * The first frame of the key presses that end the clip (DTMF runs separated only by
 * silence), or the frame count when it does not end with one. Nothing before `from` counts.
 */
function keyPressStart(clip: Clip, from: number): number {
  let end = clip.frames;
  for (let press = 0; press < AUTO_TRIM.dtmfMaxPresses; press++) {
    let last = end - 1;
    while (last >= from && !clip.isSound(last)) last--;
    if (last < from) return end;
    const run = toneRun(clip, last, from - 1, -1, dtmfFit);
    if (run.steady * clip.frameSeconds < AUTO_TRIM.dtmfMinSeconds) return end;
    end = run.past + 1;
  }
  return end;
}

/** A frame holding only the last ms of a tone is sound, yet too little of its window is tone to tell. */
const BLIND_EDGE_FRAMES = 2;

/**
 * Walks from frame `first` towards `stop` (exclusive) in `step`s over the frames that sound
 * and fit the tone (steadily, or partly at its edges). Up to BLIND_EDGE_FRAMES sounding
 * frames at the start may fit not at all. Returns the first frame past the run and how many
 * of its frames held the tone steadily.
 */
function toneRun(clip: Clip, first: number, stop: number, step: 1 | -1, fit: (frame: Frame) => ToneFit): { past: number; steady: number } {
  let i = first;
  let steady = 0;
  for (let blind = 0; blind < BLIND_EDGE_FRAMES && i !== stop && clip.isSound(i) && fit(clip.frameAt(i)) === 'none'; blind++) i += step;
  while (i !== stop && clip.isSound(i)) {
    const f = fit(clip.frameAt(i));
    if (f === 'none') break;
    if (f === 'steady') steady++;
    i += step;
  }
  return { past: i, steady };
}

/**
 * First and one-past-last frame of the speech in [from, to): bursts of frames at or above
 * `threshold` (gaps under 30 ms do not split a burst), ignoring bursts too short to be
 * speech, from the first kept burst to the last.
 */
function speechSpan(energy: Float64Array, from: number, to: number, threshold: number, frameSeconds: number): { first: number; end: number } | null {
  const maxGap = Math.max(1, Math.round(0.03 / frameSeconds));
  const minBurst = Math.max(1, Math.round(AUTO_TRIM.minBurstSeconds / frameSeconds));
  let first = -1;
  let end = -1;
  let burst: { first: number; end: number; active: number } | null = null;
  const closeBurst = (b: { first: number; end: number; active: number }) => {
    if (b.active < minBurst) return;
    if (first < 0) first = b.first;
    end = b.end;
  };
  for (let i = from; i < to; i++) {
    if ((energy[i] ?? -Infinity) < threshold) continue;
    if (burst && i - burst.end >= maxGap) {
      closeBurst(burst);
      burst = null;
    }
    if (burst) {
      burst.end = i + 1;
      burst.active++;
    } else {
      burst = { first: i, end: i + 1, active: 1 };
    }
  }
  if (burst) closeBurst(burst);
  return first < 0 ? null : { first, end };
}
