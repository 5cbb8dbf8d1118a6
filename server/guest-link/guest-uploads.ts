import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowSettings } from '../call-flow/flow-settings.ts';
import type { Log } from '../log.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { StorageHealth } from '../store/storage-health.ts';
import { RECORDINGS_DIR } from '../twilio/recording-downloader.ts';
import { UserError } from '../user-error.ts';
import { AudioToolFailed, decodeUpload, NotAudioError, sniffContainer } from './guest-audio.ts';
import { guestCallSid, guestRecordingSid, type GuestTakes } from './guest-takes.ts';

/** Seconds a message may run past the line's maximum (the page stops at the maximum; clocks differ a little). */
export const DURATION_MARGIN_SECONDS = 5;
/** Shorter than this is not a message (a tap on Stop right after Start). */
export const MIN_SECONDS = 0.5;

/**
 * The largest upload taken for a line whose messages may last `maxSeconds`: generous for what phones
 * record (Opus ~32–128 kb/s, AAC up to ~256 kb/s) plus a margin, far below what would fill a disk.
 */
export function maxUploadBytes(maxSeconds: number): number {
  return Math.ceil(((maxSeconds + DURATION_MARGIN_SECONDS) * 320_000) / 8) + 1_000_000;
}

export interface GuestUpload {
  readonly key: string;
  readonly session: string;
  readonly status: 'kept' | 'superseded';
  readonly name: string;
  readonly bytes: Buffer;
}

/** What the guest page is told: stored (▶ "Sent ✓"), or why not, in words the page shows as they are. */
export type UploadOutcome =
  | { readonly kind: 'stored'; readonly recordingSid: string; readonly seconds: number; readonly duplicate: boolean }
  | { readonly kind: 'not-audio' }
  | { readonly kind: 'too-long'; readonly seconds: number; readonly maxSeconds: number }
  | { readonly kind: 'too-short' }
  /** Shukuden could not convert it (its audio tool failed): the page keeps the recording and sends it again. */
  | { readonly kind: 'try-later' };

/**
 * Turns an uploaded recording into a library take: checks what it is by its bytes and by decoding it,
 * converts it to the library's WAV, writes the WAV and the original side by side (atomic, fsynced),
 * and only then adds the take. The same idempotency key always means the same take.
 */
export class GuestUploads {
  readonly #takes: GuestTakes;
  readonly #dataDir: string;
  readonly #ffmpeg: () => string;
  readonly #settings: () => FlowSettings;
  readonly #log: Log;
  readonly #inFlight = new Map<string, Promise<UploadOutcome>>();
  readonly #onToolFailed: (error: Error) => void;
  readonly #storage: Pick<StorageHealth, 'report' | 'ok'> | null;

  constructor(options: {
    readonly takes: GuestTakes;
    readonly dataDir: string;
    readonly ffmpeg: () => string;
    readonly settings: () => FlowSettings;
    readonly log: Log;
    /** ffmpeg could not run for an upload: the organiser should hear of it (guests' recordings wait on their phones). */
    readonly onToolFailed?: (error: Error) => void;
    /** Where a full or unwritable data folder is told to the organiser (Home). */
    readonly storage?: Pick<StorageHealth, 'report' | 'ok'>;
  }) {
    this.#onToolFailed = options.onToolFailed ?? (() => undefined);
    this.#storage = options.storage ?? null;
    this.#takes = options.takes;
    this.#dataDir = options.dataDir;
    this.#ffmpeg = options.ffmpeg;
    this.#settings = options.settings;
    this.#log = options.log;
  }

  store(upload: GuestUpload): Promise<UploadOutcome> {
    // A retry arriving while the first attempt is still converting waits for it instead of storing twice.
    const running = this.#inFlight.get(upload.key);
    if (running) return running.then((outcome) => (outcome.kind === 'stored' ? { ...outcome, duplicate: true } : outcome));
    const work = this.#store(upload).finally(() => this.#inFlight.delete(upload.key));
    this.#inFlight.set(upload.key, work);
    return work;
  }

  async #store(upload: GuestUpload): Promise<UploadOutcome> {
    try {
      const outcome = await this.#convertAndKeep(upload);
      if (outcome.kind === 'stored') this.#storage?.ok('uploads');
      return outcome;
    } catch (error) {
      // A full or unwritable data folder: Home says so, and the page keeps the recording and sends it again.
      if (this.#storage?.report('uploads', error)) return { kind: 'try-later' };
      throw error;
    }
  }

  async #convertAndKeep(upload: GuestUpload): Promise<UploadOutcome> {
    const recordingSid = guestRecordingSid(upload.key);
    if (this.#takes.has(recordingSid)) return { kind: 'stored', recordingSid, seconds: 0, duplicate: true };
    const container = sniffContainer(upload.bytes);
    if (!container) return { kind: 'not-audio' };
    const maxSeconds = this.#settings().maxLengthSeconds;
    // ffmpeg reads a file (MP4 from iOS keeps its index at the end, which a pipe can't seek to).
    const scratch = join(tmpdir(), `shukuden-guest-${randomUUID()}.${container}`);
    let decoded: { wav: Buffer; seconds: number };
    try {
      await writeFile(scratch, upload.bytes);
      decoded = await decodeUpload(this.#ffmpeg(), scratch, container, maxSeconds + DURATION_MARGIN_SECONDS);
    } catch (error) {
      if (error instanceof NotAudioError) {
        this.#log.warn('A guest-link upload was not audio', { detail: error.message.slice(0, 200) });
        return { kind: 'not-audio' };
      }
      // No ffmpeg to run (resolveFfmpeg's UserError), or it could not run: never the guest's fault.
      if (error instanceof AudioToolFailed || (error instanceof UserError && error.code === 'ffmpeg-missing')) {
        this.#log.error('A guest-link upload could not be converted: the audio tool failed; the guest page sends it again', { error: error.message.slice(0, 300) });
        this.#onToolFailed(error);
        return { kind: 'try-later' };
      }
      throw error;
    } finally {
      await rm(scratch, { force: true });
    }
    if (decoded.seconds > maxSeconds + DURATION_MARGIN_SECONDS) return { kind: 'too-long', seconds: Math.round(decoded.seconds), maxSeconds };
    if (decoded.seconds < MIN_SECONDS) return { kind: 'too-short' };
    const dir = join(this.#dataDir, RECORDINGS_DIR);
    await mkdir(dir, { recursive: true });
    const wavFile = `${RECORDINGS_DIR}/${recordingSid}.wav`;
    // The original is kept beside the WAV, as the guest's phone made it.
    const originalFile = `${RECORDINGS_DIR}/${recordingSid}.original.${container}`;
    await writeFileAtomic(join(this.#dataDir, originalFile), upload.bytes);
    await writeFileAtomic(join(this.#dataDir, wavFile), decoded.wav);
    this.#takes.add(
      { recordingSid, callSid: guestCallSid(upload.session), wavFile, originalFile, seconds: decoded.seconds, status: upload.status, name: upload.name },
      new Date().toISOString(),
    );
    return { kind: 'stored', recordingSid, seconds: decoded.seconds, duplicate: false };
  }
}
