import { decodeWav, durationSeconds, WavFormatError } from './wav.ts';

/**
 * Checks that downloaded bytes are a whole, readable WAV. Throws WavFormatError saying what is
 * wrong. Its length is reported, never judged: Twilio's RecordingDuration can differ from the
 * file (with `trim` it is undocumented which length the action gets), and a whole WAV is the
 * guest's message whatever its length (docs/real-services.md "RecordingDuration with trim").
 * `durationMatches` says whether it is within a second of `expectedSeconds` (whole seconds).
 */
export function verifyRecording(buf: Buffer, expectedSeconds: number): { readonly seconds: number; readonly durationMatches: boolean } {
  const pcm = decodeWav(buf);
  // A RIFF header states the file's size: a truncated body no longer matches it.
  const declared = buf.readUInt32LE(4) + 8;
  if (declared !== buf.length) throw new WavFormatError(`file is ${buf.length} bytes but its header says ${declared}`);
  const seconds = durationSeconds(pcm);
  return { seconds, durationMatches: expectedSeconds <= 0 || Math.abs(seconds - expectedSeconds) <= 1 };
}
