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

/** What the trimmer opens: peaks computed here, so the renderer never decodes whole files. */
export interface Waveform {
  readonly recordingSid: string;
  readonly durationSeconds: number;
  /** One value per 1/100 s, the signed sample of greatest magnitude in that slice. */
  readonly peaks: readonly number[];
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
  #again = false;

  constructor(options: { readonly store: LibraryStore; readonly dataDir: string; readonly log: Log }) {
    this.#store = options.store;
    this.#dataDir = options.dataDir;
    this.#log = options.log;
  }

  async waveform(recordingSid: string): Promise<Waveform> {
    const entry = this.#store.get(recordingSid);
    if (!entry) throw new UserError('message-not-found', { en: 'That message no longer exists.', ja: 'そのメッセージは見つかりません。' });
    const pcm = await this.#read(entry.localFile);
    const { durationSeconds, peaks } = computePeaks(pcm, 100);
    const trim = suggestTrim(pcm);
    const suggested: TakeEdit = { startSeconds: trim.startSeconds, endSeconds: trim.endSeconds, fadeInSeconds: 0.05, fadeOutSeconds: 0.3, gainDb: 0 };
    return { recordingSid, durationSeconds, peaks, suggested, edit: entry.edit ?? suggested };
  }

  /** Measures every downloaded take not checked yet; a bad file is recorded as that message's error. */
  checkPending(): Promise<void> {
    // A change during a pass asks for another pass, so no take is missed.
    this.#again = true;
    this.#checking ??= (async () => {
      try {
        await Promise.resolve();
        while (this.#again) {
          this.#again = false;
          for (const sid of this.#store.needingHealthCheck()) await this.#check(sid);
        }
      } finally {
        this.#checking = null;
      }
    })();
    return this.#checking;
  }

  async #check(recordingSid: string): Promise<void> {
    const entry = this.#store.get(recordingSid);
    if (!entry) return;
    try {
      const health = analyseRecording(await this.#read(entry.localFile));
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
