import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCall, type TakeStatus } from '../../server/call-flow/call-state.ts';
import type { Core } from '../../server/core.ts';
import { encodeWav } from '../../server/audio/wav.ts';
import { concat, silence, speechLike } from '../../server/voice-sim/speech.ts';
import { ACCOUNT_SID, LINE_NUMBER } from './line-harness.ts';

/** A phone-like message: a little silence, speech, a little silence (8 kHz mono WAV). */
export function messageWav(speechSeconds = 3): Buffer {
  return encodeWav(concat(silence(0.6), speechLike(speechSeconds), silence(1)));
}

/**
 * Puts a downloaded take in the store as the Twilio path would have (call, take, verified
 * file in recordings/), with the given bytes — which may be deliberately broken.
 */
export function addDownloadedTake(
  core: Core,
  options: {
    readonly from: string;
    readonly wav: Buffer;
    readonly status?: TakeStatus;
    readonly createdAt?: string;
    readonly durationSeconds?: number;
    /** The guest saying their name after keeping it: a name clip home in name-clips/, as the name step leaves it. */
    readonly nameClipWav?: Buffer;
  },
): string {
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const recordingSid = `RE${randomBytes(16).toString('hex')}`;
  const now = options.createdAt ?? new Date().toISOString();
  const call = { ...newCall({ callSid, accountSid: ACCOUNT_SID, from: options.from, to: LINE_NUMBER }, 'guest', now), recordCount: 1, step: 'done' as const, endedAt: now };
  const take = { recordingSid, callSid, takeNumber: 1, recordingUrl: `https://api.twilio.com/x/${recordingSid}`, durationSeconds: options.durationSeconds ?? 5, status: options.status ?? 'kept', createdAt: now, updatedAt: now };
  core.calls.save(call, [{ kind: 'insert', take, source: 'live', mediaReadyAt: null }]);
  mkdirSync(join(core.dataDir, 'recordings'), { recursive: true });
  writeFileSync(join(core.dataDir, 'recordings', `${recordingSid}.wav`), options.wav);
  core.calls.markDownloaded(recordingSid, `recordings/${recordingSid}.wav`, now);
  if (options.nameClipWav) {
    const clipSid = `RE${randomBytes(16).toString('hex')}`;
    core.calls.save(null, [{ kind: 'name-clip', takeSid: recordingSid, clip: { recordingSid: clipSid, recordingUrl: `https://api.twilio.com/x/${clipSid}`, durationSeconds: 2 } }]);
    mkdirSync(join(core.dataDir, 'name-clips'), { recursive: true });
    writeFileSync(join(core.dataDir, 'name-clips', `${clipSid}.wav`), options.nameClipWav);
    core.calls.markNameClipDownloaded(clipSid, `name-clips/${clipSid}.wav`, now);
  }
  return recordingSid;
}
