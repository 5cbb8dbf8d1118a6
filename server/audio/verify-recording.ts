import { decodeWav, durationSeconds, WavFormatError } from './wav.ts';

/**
 * Checks that downloaded bytes are a whole, readable WAV of about the expected length
 * (Twilio's duration is whole seconds, so within a second). Throws WavFormatError saying what is wrong.
 */
export function verifyRecording(buf: Buffer, expectedSeconds: number): { readonly seconds: number } {
  const pcm = decodeWav(buf);
  // A RIFF header states the file's size: a truncated body no longer matches it.
  const declared = buf.readUInt32LE(4) + 8;
  if (declared !== buf.length) throw new WavFormatError(`file is ${buf.length} bytes but its header says ${declared}`);
  const seconds = durationSeconds(pcm);
  if (expectedSeconds > 0 && Math.abs(seconds - expectedSeconds) > 1) {
    throw new WavFormatError(`audio is ${seconds.toFixed(1)} s but Twilio says ${expectedSeconds} s`);
  }
  return { seconds };
}
