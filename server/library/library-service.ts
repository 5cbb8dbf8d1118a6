import { join } from 'node:path';
import type { TrackLevel } from '../audio/track-level.ts';
import { LEVEL_TARGET, RENDER_SETTINGS } from '../export/render-track.ts';
import type { Log } from '../log.ts';
import type { LibraryStore } from '../store/library-store.ts';
import { UserError } from '../user-error.ts';
import type { AudioWorker } from './audio-worker-client.ts';
import type { WaveformData } from './audio-tasks.ts';
import type { TakeEdit } from './library-types.ts';

/** What the trimmer opens: peaks computed here, so the renderer never decodes whole files. */
export interface Waveform extends WaveformData {
  readonly recordingSid: string;
  /** The organiser's saved cut, or the suggestion if there is none yet. */
  readonly edit: TakeEdit;
  /**
   * The gain that brings this message to the album's loudness (−16 LUFS), before the organiser's own
   * gain: the trimmer's preview plays at this + `edit.gainDb`, as the exported track sounds.
   */
  readonly normalisationDb: number;
}

/**
 * The library's work on audio: health checks on arrival, waveforms for the trimmer and each track's
 * export level. The audio itself is processed on a worker thread (`AudioWorker`), never on the thread
 * that answers webhooks.
 */
export class LibraryService {
  readonly #store: LibraryStore;
  readonly #dataDir: string;
  readonly #log: Log;
  readonly #worker: AudioWorker;
  #checking: Promise<void> | null = null;
  readonly #cache = new Map<string, WaveformData>();
  /** Export levels by message and cut: measured when a message arrives and whenever its trim changes. */
  readonly #levels = new Map<string, Promise<TrackLevel>>();
  #again = false;
  #closed = false;

  constructor(options: { readonly store: LibraryStore; readonly dataDir: string; readonly log: Log; readonly worker: AudioWorker }) {
    this.#store = options.store;
    this.#dataDir = options.dataDir;
    this.#log = options.log;
    this.#worker = options.worker;
  }

  async waveform(recordingSid: string): Promise<Waveform> {
    const entry = this.#store.get(recordingSid);
    if (!entry) throw new UserError('message-not-found', { en: 'That message no longer exists.', ja: 'そのメッセージは見つかりません。' });
    const cached = this.#cache.get(recordingSid) ?? this.#remember(recordingSid, await this.#audio(entry.localFile, (file) => this.#worker.run({ kind: 'waveform', file })));
    const lufs = entry.health?.integratedLufs ?? null;
    return { recordingSid, ...cached, edit: entry.edit ?? cached.suggested, normalisationDb: lufs === null ? 0 : RENDER_SETTINGS.targetLufs - lufs };
  }

  /**
   * The level an exported track is rendered at (normalisation + the organiser's gain), for the
   * message file's cut `edit` (null: the whole message). Measured once per cut, off the request thread.
   */
  level(file: string, edit: TakeEdit | null): Promise<TrackLevel> {
    const key = `${file}\0${JSON.stringify(edit)}`;
    let level = this.#levels.get(key);
    if (!level) {
      level = this.#worker.run({ kind: 'level', file, edit, target: LEVEL_TARGET });
      // A failure is not remembered: the next export asks again.
      level.catch(() => this.#levels.delete(key));
      this.#levels.set(key, level);
    }
    return level;
  }

  /** The trim changed: measure the new cut now, so the export finds it ready. */
  editSaved(recordingSid: string): void {
    const entry = this.#store.get(recordingSid);
    if (entry?.localFile) this.level(join(this.#dataDir, entry.localFile), entry.edit).catch(() => undefined);
  }

  /** Peaks and the trim suggestion, computed once per message (on arrival) and kept for opening it instantly. */
  #remember(recordingSid: string, value: WaveformData): WaveformData {
    this.#cache.set(recordingSid, value);
    // A small cache: the last few messages opened or arrived.
    if (this.#cache.size > 50) this.#cache.delete(this.#cache.keys().next().value ?? '');
    return value;
  }

  /** Measures every downloaded take not checked yet; a bad file is recorded as that message's error. */
  checkPending(): Promise<void> {
    // A change during a pass asks for another pass, so no take is missed.
    this.#again = true;
    this.#checking ??= (async () => {
      try {
        await Promise.resolve();
        while (this.#again && !this.#closed) {
          this.#again = false;
          for (const sid of this.#store.needingHealthCheck()) {
            if (this.#closed) return;
            await this.#check(sid);
          }
        }
      } finally {
        this.#checking = null;
      }
    })();
    return this.#checking;
  }

  /** Stops the audio worker; checks under way end without writing (the database is closing). */
  stop(): void {
    this.#closed = true;
    void this.#worker.close();
  }

  async #check(recordingSid: string): Promise<void> {
    const entry = this.#store.get(recordingSid);
    if (!entry) return;
    try {
      const { health, waveform } = await this.#audio(entry.localFile, (file) => this.#worker.run({ kind: 'arrival', file }));
      if (this.#closed) return;
      this.#remember(recordingSid, waveform);
      this.#store.saveHealth(recordingSid, health, null);
      if (entry.localFile) this.level(join(this.#dataDir, entry.localFile), entry.edit).catch(() => undefined);
    } catch (error) {
      if (this.#closed) return;
      const message = error instanceof UserError ? error.text.en : (error as Error).message;
      this.#log.warn('A message could not be analysed', { recordingSid, error: message });
      this.#store.saveHealth(recordingSid, null, error instanceof UserError ? error.code : 'recording-unreadable');
    }
  }

  /** Runs `work` on the message's file; a missing or unreadable file becomes a UserError that says what to do. */
  async #audio<T>(localFile: string | null, work: (file: string) => Promise<T>): Promise<T> {
    if (!localFile) {
      throw new UserError('recording-not-downloaded', {
        en: 'This message is still being downloaded from Twilio. It will open here in a moment.',
        ja: 'このメッセージはまだ Twilio からダウンロード中です。まもなく開けるようになります。',
      });
    }
    try {
      return await work(join(this.#dataDir, localFile));
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
