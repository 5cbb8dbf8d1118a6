/** Microphone capture with MediaRecorder: Safari records audio/mp4 (AAC), Chrome and Firefox audio/webm (Opus). */
export interface Recording {
  readonly stop: () => Promise<Blob>;
  /** 0..1, the current input level (for the meter). */
  readonly level: () => number;
  readonly startedAt: number;
}

export type MicProblem = 'no-recorder' | 'denied' | 'missing';

export function canRecord(): boolean {
  return typeof MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

function mimeType(): string | undefined {
  return ['audio/webm;codecs=opus', 'audio/mp4', 'audio/webm', 'audio/ogg;codecs=opus'].find((t) => MediaRecorder.isTypeSupported(t));
}

/** Asks for the microphone; the problem in plain terms when it can't be had. */
export async function openMicrophone(): Promise<MediaStream | MicProblem> {
  if (!canRecord()) return 'no-recorder';
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  } catch (error) {
    const name = (error as DOMException).name;
    return name === 'NotFoundError' || name === 'OverconstrainedError' ? 'missing' : 'denied';
  }
}

/**
 * The meter's audio context: made while the guest's tap is still "fresh" (Safari and Chrome only let
 * audio start from a user gesture), before the microphone prompt and the countdown.
 */
export function meterContext(): AudioContext {
  const context = new AudioContext();
  void context.resume().catch(() => undefined);
  return context;
}

export function startRecording(stream: MediaStream, context: AudioContext): Recording {
  const type = mimeType();
  const recorder = new MediaRecorder(stream, { ...(type ? { mimeType: type } : {}), audioBitsPerSecond: 96_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const buffer = new Float32Array(analyser.fftSize);
  // Chunks every second: a phone that locks mid-message still has most of it.
  recorder.start(1000);
  return {
    startedAt: Date.now(),
    level() {
      analyser.getFloatTimeDomainData(buffer);
      let peak = 0;
      for (const v of buffer) peak = Math.max(peak, Math.abs(v));
      return Math.min(1, peak * 1.5);
    },
    stop: () =>
      new Promise((resolve) => {
        recorder.onstop = () => {
          for (const track of stream.getTracks()) track.stop();
          void context.close();
          resolve(new Blob(chunks, { type: recorder.mimeType || type || 'application/octet-stream' }));
        };
        recorder.stop();
      }),
  };
}
