import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AlbumTrackView, AlbumView, ExportView } from '../api/contract.ts';
import type { Core } from '../core.ts';
import { albumFolder, currentArrangement, describeProblem, isExportable, planAlbum, saveArrangement } from '../export/arrangement.ts';
import { importCover } from '../export/cover.ts';
import { exportAlbum } from '../export/export-album.ts';
import { trackTitle } from '../export/track-tags.ts';
import { checkOutputFolder } from '../export/output-folder.ts';
import type { LibraryEntry } from '../library/library-types.ts';
import type { Log } from '../log.ts';
import { problemOf, UserError } from '../user-error.ts';

/** What the album uses of the core: the library, its saved arrangement, and the data folder. */
type AlbumCore = Pick<Core, 'dataDir' | 'libraryStore' | 'libraryService' | 'settings'>;

/**
 * The album screen's work: arranging, the cover, and one export at a time with progress
 * pushed to the UI and a cancel that leaves no half-written file.
 */
export class AlbumController {
  readonly #core: AlbumCore;
  readonly #log: Log;
  readonly #changed: () => void;
  readonly #openFolder: ((path: string) => void) | null;
  readonly #chooseFolder: ((current: string) => Promise<string | null>) | null;
  #view: ExportView = { running: false, progress: null, result: null, error: null };
  #abort: AbortController | null = null;

  constructor(options: {
    readonly core: AlbumCore;
    readonly log: Log;
    readonly changed: () => void;
    readonly openFolder?: (path: string) => void;
    /** The system folder picker (desktop); web mode types the path. */
    readonly chooseFolder?: (current: string) => Promise<string | null>;
  }) {
    this.#core = options.core;
    this.#log = options.log;
    this.#changed = options.changed;
    this.#openFolder = options.openFolder ?? null;
    this.#chooseFolder = options.chooseFolder ?? null;
  }

  exportView(): ExportView {
    return this.#view;
  }

  async view(): Promise<AlbumView> {
    const entries = this.#core.libraryStore.list();
    const arrangement = currentArrangement(this.#core.settings, entries);
    const plan = planAlbum(arrangement, entries, this.#core.dataDir);
    const onAlbum = new Set(arrangement.recordingSids);
    const cover = arrangement.coverFile ? await readFile(join(albumFolder(this.#core.dataDir), arrangement.coverFile)).catch(() => null) : null;
    return {
      arrangement,
      defaultOutputDir: defaultOutputDir(),
      folderPicker: this.#chooseFolder !== null,
      tracks: plan.tracks.map((t) => trackView(t.entry)),
      available: entries.filter((e) => isExportable(e) && !onAlbum.has(e.recordingSid)).map(trackView),
      problems: plan.problems.map((p) => ({ code: `album-track-${p.reason}`, ...describeProblem(p), recordingSid: p.recordingSid, position: p.position })),
      coverPreview: cover ? `data:image/jpeg;base64,${cover.toString('base64')}` : null,
      // Named by the organiser, the caller's default or the guest list; the rest would be 「メッセージ N」.
      unnamed: plan.tracks.flatMap((t) => (t.entry.callerName?.trim() ? [] : [{ recordingSid: t.entry.recordingSid, position: t.track, title: trackTitle(t.entry, t.track) }])),
    };
  }

  save(input: unknown): Promise<AlbumView> {
    saveArrangement(this.#core.settings, input);
    this.#changed();
    return this.view();
  }

  /** Checks and resizes the image (JPEG/PNG), then makes it the album's cover. */
  async importCover(fileName: string, dataBase64: string): Promise<AlbumView> {
    const work = await mkdtemp(join(tmpdir(), 'shukuden-cover-'));
    try {
      const source = join(work, basename(fileName) || 'cover');
      await writeFile(source, Buffer.from(dataBase64, 'base64'));
      const coverFile = await importCover(this.#core.dataDir, source);
      const entries = this.#core.libraryStore.list();
      return await this.save({ ...currentArrangement(this.#core.settings, entries), coverFile });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The system folder picker, starting at the current output folder; the chosen folder is saved. Null when cancelled. */
  async chooseFolder(): Promise<{ readonly path: string | null }> {
    if (!this.#chooseFolder) {
      throw new UserError('folder-picker-unavailable', {
        en: 'This window cannot open a folder picker. Type the folder path in the field instead.',
        ja: 'この画面ではフォルダを選ぶ画面を開けません。欄にフォルダのパスを入力してください。',
      });
    }
    const arrangement = currentArrangement(this.#core.settings, this.#core.libraryStore.list());
    const path = await this.#chooseFolder(arrangement.outputDir ?? defaultOutputDir());
    if (path) saveArrangement(this.#core.settings, { ...arrangement, outputDir: path });
    this.#changed();
    return { path };
  }

  /**
   * Exports into `outputDir` (what the organiser's field shows), checked first: the album goes
   * exactly there or nowhere. Without it, into the saved folder or the default.
   */
  async start(outputDir?: string): Promise<void> {
    if (this.#view.running) {
      throw new UserError('export-running', { en: 'An export is already running. Wait for it, or cancel it first.', ja: '書き出し中です。終わるまで待つか、先にキャンセルしてください。' });
    }
    const entries = this.#core.libraryStore.list();
    const saved = currentArrangement(this.#core.settings, entries);
    const folder = await checkOutputFolder(outputDir?.trim() || saved.outputDir || defaultOutputDir());
    const arrangement = outputDir?.trim() ? { ...saved, outputDir: folder } : saved;
    if (arrangement !== saved) saveArrangement(this.#core.settings, arrangement);
    const abort = new AbortController();
    this.#abort = abort;
    this.#view = { running: true, progress: null, result: null, error: null };
    this.#changed();
    void exportAlbum({
      dataDir: this.#core.dataDir,
      arrangement,
      entries,
      outputDir: folder,
      signal: abort.signal,
      // Measured when each message arrived or its trim changed, on the audio worker.
      level: (input, edit) => this.#core.libraryService.level(input, edit),
      onProgress: (progress) => {
        this.#view = { ...this.#view, progress };
        this.#changed();
      },
    }).then(
      (result) => {
        this.#view = {
          running: false,
          progress: this.#view.progress,
          result: { outputDir: result.outputDir, files: result.tracks.length, rendered: result.rendered, skipped: result.skipped, mix: result.mix, zip: result.zip },
          error: null,
        };
      },
      (error: unknown) => {
        const problem = problemOf(error, { code: 'export-failed', en: `The export stopped: ${String(error)}`, ja: `書き出しが止まりました：${String(error)}` });
        if (!(error instanceof UserError)) this.#log.error('Export failed', { error: String(error) });
        this.#view = { running: false, progress: this.#view.progress, result: null, error: problem };
      },
    ).finally(() => {
      this.#abort = null;
      this.#changed();
    });
  }

  cancel(): void {
    this.#abort?.abort();
  }

  /** Opens the finished album's folder (desktop), or just says where it is (web mode). */
  showInFolder(): { path: string | null; opened: boolean } {
    const path = this.#view.result?.outputDir ?? null;
    if (path && this.#openFolder) {
      this.#openFolder(path);
      return { path, opened: true };
    }
    return { path, opened: false };
  }
}

function trackView(entry: LibraryEntry): AlbumTrackView {
  return {
    recordingSid: entry.recordingSid,
    title: entry.callerName ?? entry.callerNumber,
    createdAt: entry.createdAt,
    seconds: entry.edit ? entry.edit.endSeconds - entry.edit.startSeconds : (entry.health?.durationSeconds ?? entry.durationSeconds),
  };
}

/** Where the album goes unless the organiser picks a folder. */
function defaultOutputDir(): string {
  return join(homedir(), 'Shukuden album');
}
