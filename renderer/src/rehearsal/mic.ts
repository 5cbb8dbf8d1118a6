/** The laptop's microphone for a rehearsal call: permission, level meter, capture to WAV. */

export type MicProblem = 'denied' | 'no-device' | 'unavailable';

export interface Mic {
  readonly sampleRate: number;
  /** Starts keeping samples; `onLevel` gets the RMS level (0..1) ~20 times a second. */
  start(onLevel: (level: number) => void): void;
  /** Stops keeping samples and returns them as a 16-bit mono WAV. */
  stop(): Uint8Array;
  close(): void;
}

/** Asks for the microphone (the browser/OS asks the organiser). Throws a MicProblem. */
export async function openMic(): Promise<Mic> {
  if (!navigator.mediaDevices?.getUserMedia) throw 'unavailable' satisfies MicProblem;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: false });
  } catch (error) {
    const name = (error as DOMException).name;
    throw (name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : name === 'NotFoundError' || name === 'OverconstrainedError' ? 'no-device' : 'unavailable') satisfies MicProblem;
  }
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  // ScriptProcessor is deprecated but needs no extra module file (our CSP allows only bundled scripts).
  const processor = context.createScriptProcessor(2048, 1, 1);
  let chunks: Float32Array[] = [];
  let recording = false;
  let levelListener: ((level: number) => void) | null = null;
  processor.onaudioprocess = (event) => {
    const data = event.inputBuffer.getChannelData(0);
    let sum = 0;
    for (const sample of data) sum += sample * sample;
    levelListener?.(Math.sqrt(sum / data.length));
    if (recording) chunks.push(new Float32Array(data));
  };
  source.connect(processor);
  processor.connect(context.destination);
  return {
    sampleRate: context.sampleRate,
    start(onLevel) {
      chunks = [];
      recording = true;
      levelListener = onLevel;
    },
    stop() {
      recording = false;
      levelListener = null;
      return encodeWav(chunks, context.sampleRate);
    },
    close() {
      processor.disconnect();
      source.disconnect();
      for (const track of stream.getTracks()) track.stop();
      void context.close();
    },
  };
}

function encodeWav(chunks: readonly Float32Array[], sampleRate: number): Uint8Array {
  const frames = chunks.reduce((n, c) => n + c.length, 0);
  const out = new DataView(new ArrayBuffer(44 + frames * 2));
  const ascii = (offset: number, text: string) => [...text].forEach((ch, i) => out.setUint8(offset + i, ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  out.setUint32(4, 36 + frames * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  out.setUint32(16, 16, true);
  out.setUint16(20, 1, true);
  out.setUint16(22, 1, true);
  out.setUint32(24, sampleRate, true);
  out.setUint32(28, sampleRate * 2, true);
  out.setUint16(32, 2, true);
  out.setUint16(34, 16, true);
  ascii(36, 'data');
  out.setUint32(40, frames * 2, true);
  let offset = 44;
  for (const chunk of chunks) {
    for (const sample of chunk) {
      out.setInt16(offset, Math.max(-1, Math.min(1, sample)) * 0x7fff, true);
      offset += 2;
    }
  }
  return new Uint8Array(out.buffer);
}
