import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PATHS } from '../call-flow/paths.ts';
import { nameClipReady, recordingReady } from '../call-flow/take-writes.ts';
import { nameClipTakeOf } from '../call-flow/twilio-webhook.ts';
import type { CallStore } from '../store/call-store.ts';
import type { RecordVerb } from '../twiml/verbs.ts';
import { nameClipOwnerFile } from '../store/database-recovery.ts';
import { NAME_CLIPS_DIR, RECORDINGS_DIR } from '../twilio/recording-downloader.ts';
import { newSid } from '../twilio/sids.ts';
import type { RecordingStore } from '../voice-sim/simulator.ts';

/**
 * Where a rehearsal call's `<Record>` goes: straight into the data folder, stored exactly like
 * a downloaded Twilio recording (recordings/RE….wav, take marked home) and marked "rehearsal".
 * The name step's `<Record>` (its status callback is the name clip's) is filed as that take's name clip.
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

  addRecording(input: { accountSid: string; callSid: string; wav: Buffer; durationSeconds: number; verb?: RecordVerb }) {
    const recordingSid = newSid('RE');
    const nameFor = input.verb ? nameClipTake(input.verb) : null;
    const folder = nameFor ? NAME_CLIPS_DIR : RECORDINGS_DIR;
    const dir = join(this.#dataDir, folder);
    mkdirSync(dir, { recursive: true });
    const file = `${folder}/${recordingSid}.wav`;
    // Same atomic pattern as downloads: a crash never leaves a half file under the final name.
    const partial = join(dir, `.${recordingSid}.wav.partial`);
    // A name clip says whose it is, as a downloaded one does (database-recovery.ts).
    if (nameFor) writeFileSync(join(dir, nameClipOwnerFile(recordingSid)), nameFor);
    writeFileSync(partial, input.wav);
    renameSync(partial, join(this.#dataDir, file));
    const now = new Date().toISOString();
    const recordingUrl = `${this.#localUrl}/rehearsal/recordings/${recordingSid}`;
    const recording = { recordingSid, callSid: input.callSid, recordingUrl, durationSeconds: input.durationSeconds };
    if (nameFor) {
      this.#calls.save(null, nameClipReady(input.callSid, this.#calls.getTake(nameFor), recording));
      this.#calls.markNameClipDownloaded(recordingSid, file, now);
    } else {
      // The take exists (and is home) before the line plays it back to the caller.
      this.#calls.save(null, recordingReady(this.#calls.getCall(input.callSid), null, recording, now));
      this.#calls.markRehearsal(recordingSid, file, now);
    }
    return { recordingSid, recordingUrl, ready: Promise.resolve() };
  }
}

/** The kept take a name step's `<Record>` is for (its status callback is the name clip's); null for a message. */
function nameClipTake(verb: RecordVerb): string | null {
  if (!verb.recordingStatusCallback) return null;
  const url = new URL(verb.recordingStatusCallback, 'http://line.invalid');
  return url.pathname === PATHS.nameRecordingStatus ? nameClipTakeOf(Object.fromEntries(url.searchParams)) : null;
}
