import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordingReady } from '../call-flow/take-writes.ts';
import type { CallStore } from '../store/call-store.ts';
import { RECORDINGS_DIR } from '../twilio/recording-downloader.ts';
import { newSid } from '../twilio-emulator/sids.ts';
import type { RecordingStore } from '../voice-sim/simulator.ts';

/**
 * Where a rehearsal call's `<Record>` goes: straight into the data folder, stored exactly like
 * a downloaded Twilio recording (recordings/RE….wav, take marked home) and marked "rehearsal".
 */
export class LocalRecordings implements RecordingStore {
  readonly #calls: CallStore;
  readonly #dataDir: string;
  readonly #localUrl: string;

  constructor(options: { readonly calls: CallStore; readonly dataDir: string; readonly localUrl: string }) {
    this.#calls = options.calls;
    this.#dataDir = options.dataDir;
    this.#localUrl = options.localUrl;
  }

  addRecording(input: { accountSid: string; callSid: string; wav: Buffer; durationSeconds: number }) {
    const recordingSid = newSid('RE');
    const dir = join(this.#dataDir, RECORDINGS_DIR);
    mkdirSync(dir, { recursive: true });
    const file = `${RECORDINGS_DIR}/${recordingSid}.wav`;
    // Same atomic pattern as downloads: a crash never leaves a half file under the final name.
    const partial = join(dir, `.${recordingSid}.wav.partial`);
    writeFileSync(partial, input.wav);
    renameSync(partial, join(this.#dataDir, file));
    const now = new Date().toISOString();
    const recordingUrl = `${this.#localUrl}/rehearsal/recordings/${recordingSid}`;
    // The take exists (and is home) before the line plays it back to the caller.
    const recording = { recordingSid, callSid: input.callSid, recordingUrl, durationSeconds: input.durationSeconds };
    this.#calls.save(null, recordingReady(this.#calls.getCall(input.callSid), null, recording, now));
    this.#calls.markRehearsal(recordingSid, file, now);
    return { recordingSid, recordingUrl, ready: Promise.resolve() };
  }
}
