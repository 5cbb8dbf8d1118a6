import { mkdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyRecording } from '../audio/verify-recording.ts';
import type { Log } from '../log.ts';
import { removePartials, writeFileAtomic } from '../store/atomic-file.ts';
import { nameClipOwnerFile } from '../store/database-recovery.ts';
import type { CallStore } from '../store/call-store.ts';
import type { StorageHealth } from '../store/storage-health.ts';
import { basicAuth, type TwilioCredentials } from './client.ts';

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface DownloaderOptions {
  readonly calls: CallStore;
  readonly dataDir: string;
  readonly credentials: TwilioCredentials;
  readonly apiBase: string;
  readonly log: Log;
  readonly clock?: () => Date;
  /** Runs once a verified copy is home (the opt-in "delete from Twilio" privacy setting). */
  readonly afterDownload?: (recordingSid: string) => Promise<void>;
  /**
   * Network failures back off from `baseDelayMs` to `maxDelayMs`; a full or unwritable disk is
   * tried again every `maxDelayMs` for as long as it lasts.
   */
  readonly retry?: RetryPolicy;
  readonly concurrency?: number;
  /** Where a full or unwritable data folder is reported (Home shows it). */
  readonly storage?: StorageHealth;
}

/** Why one attempt failed, and whether another attempt could help. */
type AttemptFailure = { readonly retry: boolean; readonly waitMs?: number; readonly reason: string };

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Folder (inside the data folder) holding the verified WAV of every take, named by RecordingSid. */
export const RECORDINGS_DIR = 'recordings';
/** Folder holding the verified WAV of every name clip, by its own RecordingSid (apart: never mistaken for a take). */
export const NAME_CLIPS_DIR = 'name-clips';

/** A recording to bring home: a take, or a take's name clip; where it goes and how the store hears of it. */
interface Fetchable {
  readonly durationSeconds: number;
  readonly downloadedAt: string | null;
  readonly dir: string;
  /** A name clip: the RecordingSid of the message it names, written beside it (`nameClipOwnerFile`). */
  readonly names?: string;
  markHome(localFile: string, now: string): void;
  markFailed(reason: string): void;
}

/**
 * Brings every recording home: downloads the WAV with basic auth, verifies it (whole RIFF,
 * duration as Twilio says), writes it atomically, then marks the take downloaded.
 * Idempotent by RecordingSid; retries with backoff on network errors, 429 (honouring
 * Retry-After), 5xx and bad bodies. What still fails is marked and retried by reconciliation.
 */
export class RecordingDownloader {
  readonly #o: DownloaderOptions;
  readonly #queued = new Set<string>();
  readonly #running = new Set<string>();
  readonly #abort = new AbortController();
  #active = 0;
  #idleWaiters: (() => void)[] = [];
  #ready: Promise<void>;
  /** Recordings that could not be saved because the disk refused; tried again on a timer. */
  readonly #waitingForSpace = new Set<string>();
  #spaceTimer: NodeJS.Timeout | null = null;

  constructor(options: DownloaderOptions) {
    this.#o = options;
    const dirs = [RECORDINGS_DIR, NAME_CLIPS_DIR].map((dir) => join(options.dataDir, dir));
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    this.#ready = Promise.all(dirs.map((dir) => removePartials(dir))).then((counts) => counts.reduce((a, b) => a + b, 0)).then(
      (n) => {
        if (n > 0) options.log.info('Removed unfinished downloads left by an earlier stop', { count: n });
      },
      (error: unknown) => options.log.warn('Could not remove unfinished downloads', { error: String(error) }),
    );
  }

  /** Queues a recording; a no-op if it is queued, in progress, or already home. */
  enqueue(recordingSid: string): void {
    if (this.#abort.signal.aborted || this.#queued.has(recordingSid)) return;
    this.#queued.add(recordingSid);
    this.#pump();
  }

  /** Resolves when nothing is queued or downloading. */
  idle(): Promise<void> {
    if (this.#queued.size === 0 && this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops: in-flight downloads are abandoned (their partial files never count) and resume next start. */
  async stop(): Promise<void> {
    this.#abort.abort();
    if (this.#spaceTimer) clearTimeout(this.#spaceTimer);
    this.#waitingForSpace.clear();
    this.#queued.clear();
    await this.idle();
  }

  #pump(): void {
    const limit = this.#o.concurrency ?? 2;
    while (this.#active < limit) {
      const next = [...this.#queued].find((sid) => !this.#running.has(sid));
      if (!next) break;
      this.#running.add(next);
      this.#active++;
      this.#download(next).catch((error: unknown) => this.#failed(next, error)).finally(() => {
        this.#running.delete(next);
        this.#queued.delete(next);
        this.#active--;
        this.#pump();
        if (this.#queued.size === 0 && this.#active === 0) {
          for (const resolve of this.#idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  async #download(recordingSid: string): Promise<void> {
    await this.#ready;
    const recording = this.#find(recordingSid);
    if (!recording || recording.downloadedAt !== null) return;
    const name = `${recordingSid}.wav`;
    const path = join(this.#o.dataDir, recording.dir, name);
    const localFile = `${recording.dir}/${name}`;
    // A name clip's owner file goes first: a clip on disk always says whose it is (database-recovery.ts).
    const owner = recording.names;
    const writeOwner = () => (owner ? writeFileAtomic(join(this.#o.dataDir, recording.dir, nameClipOwnerFile(recordingSid)), Buffer.from(owner)) : Promise.resolve());
    // A crash between writing the file and marking the take leaves a good file: check it and adopt it.
    if (await this.#alreadyHome(path, recording.durationSeconds)) {
      await writeOwner();
      await this.#finish(recordingSid, recording, localFile);
      return;
    }
    const policy = this.#o.retry ?? DEFAULT_RETRY;
    let failure: AttemptFailure = { retry: true, reason: 'not tried' };
    for (let attempt = 1; attempt <= policy.attempts && !this.#abort.signal.aborted; attempt++) {
      const result = await this.#attempt(recordingSid, recording.durationSeconds);
      if (result.kind === 'ok') {
        if (this.#abort.signal.aborted) return;
        await writeOwner();
        await writeFileAtomic(path, result.body);
        await this.#finish(recordingSid, recording, localFile);
        this.#o.storage?.ok('downloads');
        return;
      }
      failure = result.failure;
      this.#o.log.warn('Recording download attempt failed', { recordingSid, attempt, reason: failure.reason });
      if (!failure.retry || attempt === policy.attempts) break;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(failure.waitMs ?? backoff, undefined, { signal: this.#abort.signal }).catch(() => undefined);
    }
    if (this.#abort.signal.aborted) return;
    recording.markFailed(failure.reason);
    this.#o.log.error('Recording not downloaded yet; it stays safe at Twilio and will be tried again', { recordingSid, reason: failure.reason });
  }

  /**
   * A download that threw: the disk or the database refused (full, read-only, locked). The
   * recording stays safe at Twilio; it is tried again every `maxDelayMs` until the write works.
   * Anything else is a bug: logged, and left to the reconciler's next pass.
   */
  #failed(recordingSid: string, error: unknown): void {
    const problem = this.#o.storage?.report('downloads', error) ?? null;
    if (!problem) {
      this.#o.log.error('Recording download failed unexpectedly; the reconciler tries again', { recordingSid, error: String(error) });
      return;
    }
    if (this.#abort.signal.aborted) return;
    this.#waitingForSpace.add(recordingSid);
    if (this.#spaceTimer) return;
    this.#spaceTimer = setTimeout(() => {
      this.#spaceTimer = null;
      const waiting = [...this.#waitingForSpace];
      this.#waitingForSpace.clear();
      for (const sid of waiting) this.enqueue(sid);
    }, (this.#o.retry ?? DEFAULT_RETRY).maxDelayMs);
    this.#spaceTimer.unref();
  }

  async #attempt(recordingSid: string, expectedSeconds: number): Promise<{ kind: 'ok'; body: Buffer } | { kind: 'failed'; failure: AttemptFailure }> {
    const url = `${this.#o.apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${this.#o.credentials.accountSid}/Recordings/${recordingSid}.wav`;
    let response: Response;
    let body: Buffer;
    try {
      response = await fetch(url, {
        headers: { authorization: basicAuth(this.#o.credentials) },
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(120_000)]),
      });
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      // Connection refused or dropped, or the body cut short: the network's fault, try again.
      return { kind: 'failed', failure: { retry: true, reason: `network: ${(error as Error).message}` } };
    }
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      return { kind: 'failed', failure: { retry: true, waitMs: Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 120) * 1000 : undefined, reason: 'Twilio rate limit (429)' } };
    }
    if (response.status === 401 || response.status === 403) {
      return { kind: 'failed', failure: { retry: false, reason: `Twilio refused the credentials (${response.status})` } };
    }
    if (!response.ok) {
      // 404: Twilio may still be processing it; 5xx: Twilio's trouble. Both can pass.
      return { kind: 'failed', failure: { retry: response.status === 404 || response.status >= 500, reason: `HTTP ${response.status}` } };
    }
    try {
      verifyRecording(body, expectedSeconds);
    } catch (error) {
      return { kind: 'failed', failure: { retry: true, reason: `bad audio: ${(error as Error).message}` } };
    }
    return { kind: 'ok', body };
  }

  async #alreadyHome(path: string, expectedSeconds: number): Promise<boolean> {
    try {
      verifyRecording(await readFile(path), expectedSeconds);
      return true;
    } catch {
      await rm(path, { force: true });
      return false;
    }
  }

  /** A take by its RecordingSid, else the name clip with that RecordingSid; null when neither is stored. */
  #find(recordingSid: string): Fetchable | null {
    const { calls } = this.#o;
    const take = calls.getTake(recordingSid);
    if (take) {
      return {
        durationSeconds: take.durationSeconds,
        downloadedAt: take.download.downloadedAt,
        dir: RECORDINGS_DIR,
        markHome: (file, now) => calls.markDownloaded(recordingSid, file, now),
        markFailed: (reason) => calls.markDownloadFailed(recordingSid, reason),
      };
    }
    const named = calls.takeByNameClip(recordingSid);
    const clip = named?.nameClip;
    if (!named || !clip) return null;
    return {
      durationSeconds: clip.durationSeconds,
      downloadedAt: clip.download.downloadedAt,
      dir: NAME_CLIPS_DIR,
      names: named.recordingSid,
      markHome: (file, now) => calls.markNameClipDownloaded(recordingSid, file, now),
      markFailed: (reason) => calls.markNameClipDownloadFailed(recordingSid, reason),
    };
  }

  /** Marks the recording home, then runs the after-download step (awaited, so `idle()` covers it too). */
  async #finish(recordingSid: string, recording: Fetchable, localFile: string): Promise<void> {
    recording.markHome(localFile, (this.#o.clock?.() ?? new Date()).toISOString());
    this.#o.log.info('Recording downloaded and verified', { recordingSid, file: localFile });
    const after = this.#o.afterDownload;
    if (after) {
      await after(recordingSid).catch((error: unknown) =>
        this.#o.log.warn('Could not delete the recording from Twilio; the local copy is safe', { recordingSid, error: (error as Error).message }),
      );
    }
  }
}
