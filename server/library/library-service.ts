import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyseRecording } from '../audio/analysis.ts';
import { suggestTrim } from '../audio/auto-trim.ts';
import { computePeaks } from '../audio/peaks.ts';
import { decodeWav, type Pcm } from '../audio/wav.ts';
import type { Log } from '../log.ts';
import type { LibraryStore } from '../store/library-store.ts';
import { UserError } from '../user-error.ts';
import type { StoredHealth, TakeEdit } from './library-types.ts';

const PEAKS_PER_SECOND = 100;

/** What the trimmer opens: peaks computed here, so the renderer never decodes whole files. */
export interface Waveform {
  readonly recordingSid: string;
  readonly durationSeconds: number;
  /**
   * One value per 1/100 s — the signed sample of greatest magnitude in that slice — as
   * 8-bit values (-127..127) in base64: a 10-minute message is ~80 kB instead of ~400 kB of JSON.
   */
  readonly peaks: string;
  readonly peaksPerSecond: number;
  /** The automatic first suggestion: beep, silences and the # tone trimmed. */
  readonly suggested: TakeEdit;
  /** The organiser's saved cut, or the suggestion if there is none yet. */
  readonly edit: TakeEdit;
}

/** The library's work on audio: health checks on arrival and waveforms for the trimmer. */
export class LibraryService {
  readonly #store: LibraryStore;
  readonly #dataDir: string;
  readonly #log: Log;
  #checking: Promise<void> | null = null;
  readonly #cache = new Map<string, Omit<Waveform, 'recordingSid' | 'edit'>>();
  #again = false;
  #stopped = false;

  constructor(options: { readonly store: LibraryStore; readonly dataDir: string; readonly log: Log }) {
    this.#store = options.store;
    this.#dataDir = options.dataDir;
    this.#log = options.log;
  }

  async waveform(recordingSid: string): Promise<Waveform> {
    const entry = this.#store.get(recordingSid);
    if (!entry) throw new UserError('message-not-found', { en: 'That message no longer exists.', ja: 'そのメッセージは見つかりません。' });
    const cached = this.#cache.get(recordingSid) ?? this.#remember(recordingSid, await this.#read(entry.localFile));
    return { recordingSid, ...cached, edit: entry.edit ?? cached.suggested };
  }

  /** Peaks and the trim suggestion, computed once per message (on arrival) and kept for opening it instantly. */
  #remember(recordingSid: string, pcm: Pcm): Omit<Waveform, 'recordingSid' | 'edit'> {
    const { durationSeconds, peaks } = computePeaks(pcm, PEAKS_PER_SECOND);
    const trim = suggestTrim(pcm);
    const bytes = Int8Array.from(peaks, (p) => Math.round(Math.max(-1, Math.min(1, p)) * 127));
    const value = {
      durationSeconds,
      peaks: Buffer.from(bytes.buffer).toString('base64'),
      peaksPerSecond: PEAKS_PER_SECOND,
      suggested: { startSeconds: trim.startSeconds, endSeconds: trim.endSeconds, fadeInSeconds: 0.05, fadeOutSeconds: 0.3, gainDb: 0 },
    };
    this.#cache.set(recordingSid, value);
    // A small cache: the last few messages opened or arrived.
    if (this.#cache.size > 50) this.#cache.delete(this.#cache.keys().next().value ?? '');
    return value;
  }

  /** No more health checks: the database is about to close (a check in flight stops at its next step). */
  stop(): void {
    this.#stopped = true;
  }

  /** Measures every downloaded take not checked yet; a bad file is recorded as that message's error. */
  checkPending(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    // A change during a pass asks for another pass, so no take is missed.
    this.#again = true;
    this.#checking ??= (async () => {
      try {
        await Promise.resolve();
        while (this.#again) {
          this.#again = false;
          for (const sid of this.#stopped ? [] : this.#store.needingHealthCheck()) await this.#check(sid);
        }
      } finally {
        this.#checking = null;
      }
    })();
    return this.#checking;
  }

  async #check(recordingSid: string): Promise<void> {
    if (this.#stopped) return;
    const entry = this.#store.get(recordingSid);
    if (!entry) return;
    try {
      const pcm = await this.#read(entry.localFile);
      if (this.#stopped) return;
      const health = analyseRecording(pcm);
      this.#remember(recordingSid, pcm);
      const stored: StoredHealth = {
        durationSeconds: health.durationSeconds,
        integratedLufs: Number.isFinite(health.integratedLufs) ? health.integratedLufs : null,
        // JSON has no -Infinity: silence is stored as the floor of 16-bit audio.
        samplePeakDbfs: Number.isFinite(health.samplePeakDbfs) ? health.samplePeakDbfs : -96,
        truePeakDbtp: Number.isFinite(health.truePeakDbtp) ? health.truePeakDbtp : -96,
        clippedShare: health.clippedShare,
        silenceShare: health.silenceShare,
        flags: health.flags,
      };
      this.#store.saveHealth(recordingSid, stored, null);
    } catch (error) {
      const message = error instanceof UserError ? error.text.en : (error as Error).message;
      if (this.#stopped) return;
      this.#log.warn('A message could not be analysed', { recordingSid, error: message });
      this.#store.saveHealth(recordingSid, null, error instanceof UserError ? error.code : 'recording-unreadable');
    }
  }

  async #read(localFile: string | null): Promise<Pcm> {
    if (!localFile) {
      throw new UserError('recording-not-downloaded', {
        en: 'This message is still being downloaded from Twilio. It will open here in a moment.',
        ja: 'このメッセージはまだ Twilio からダウンロード中です。まもなく開けるようになります。',
      });
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.#dataDir, localFile));
      const pcm = decodeWav(bytes);
      if (pcm.samples.length === 0) throw new Error('no audio in the file');
      return pcm;
    } catch (error) {
      throw new UserError(
        'recording-unreadable',
        {
          en: `This message's audio file can't be read (${(error as Error).message}). It is kept as it is; the other messages are not affected. If Twilio still has the recording, it can be downloaded again.`,
          ja: `このメッセージの音声ファイルを読み込めません（${(error as Error).message}）。ファイルはそのまま残してあり、ほかのメッセージには影響ありません。Twilio に録音が残っていれば、もう一度ダウンロードできます。`,
        },
        { cause: error },
      );
    }
  }
}
