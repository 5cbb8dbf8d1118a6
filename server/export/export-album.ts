import { availableParallelism } from 'node:os';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveFfmpeg } from '../audio/ffmpeg.ts';
import type { TrackLevel } from '../audio/track-level.ts';
import type { LibraryEntry, TakeEdit } from '../library/library-types.ts';
import { UserError, type Bilingual } from '../user-error.ts';
import { albumFolder, describeProblem, planAlbum, type AlbumArrangement, type MixClip } from './arrangement.ts';
import { ExportCancelled, exportError } from './export-errors.ts';
import { safeFileName, trackFileName, uniqueFileNames } from './filenames.ts';
import { hashFile, hashOf, readManifest, writeManifest } from './manifest.ts';
import { mediaDurationSeconds } from './media-duration.ts';
import { renderMix } from './mix.ts';
import { m3u8 } from './playlist.ts';
import { keptRange, partialName, RENDER_SETTINGS, renderTrack, type CommandTrace, type TrackTags } from './render-track.ts';
import { measureTrackLevel } from './track-level-source.ts';
import { trackTags, trackTitle } from './track-tags.ts';
import { writeZip, type ZipEntry } from './zip.ts';

/** Where one track is: waiting, being rendered, finished, unchanged since the last export, or failed. */
export type TrackStatus = 'queued' | 'rendering' | 'done' | 'skipped-unchanged' | 'failed';

export interface TrackProgress {
  readonly track: number;
  readonly recordingSid: string;
  readonly title: string;
  readonly file: string;
  readonly status: TrackStatus;
}

/** What the export is doing after the tracks. */
export type ExportStage = 'tracks' | 'playlist' | 'mix' | 'zip' | 'done';

/** Sent on every change: per-track status and the overall fraction (0…1). */
export interface ExportProgress {
  readonly stage: ExportStage;
  readonly tracks: readonly TrackProgress[];
  readonly fraction: number;
}

export interface ExportOptions {
  readonly dataDir: string;
  readonly arrangement: AlbumArrangement;
  /** `core.library.list()`. */
  readonly entries: readonly LibraryEntry[];
  /** Overrides `arrangement.outputDir`. */
  readonly outputDir?: string;
  /** Override the arrangement's mix / zip choice (the CLI's --mix / --zip). */
  readonly mix?: boolean;
  readonly zip?: boolean;
  readonly onProgress?: (progress: ExportProgress) => void;
  /** Aborting kills running ffmpeg processes and removes partial files. */
  readonly signal?: AbortSignal;
  readonly ffmpeg?: string;
  /** How many tracks render at once; default: one per core (max 8). */
  readonly concurrency?: number;
  /**
   * Each track's level (normalisation + the organiser's gain) for a file and its cut. The app passes
   * the library's, measured when the message arrived or its trim changed; by default it is measured here.
   */
  readonly level?: (input: string, edit: TakeEdit | null) => Promise<TrackLevel>;
  /** Sees every ffmpeg command (the benchmark replays them). */
  readonly trace?: CommandTrace;
  readonly now?: Date;
}

/** What an export left in the output folder. */
export interface ExportResult {
  /** The folder to show ("show in folder"). */
  readonly outputDir: string;
  readonly tracks: readonly { readonly file: string; readonly title: string; readonly seconds: number }[];
  readonly playlist: string;
  readonly mix: string | null;
  readonly zip: string | null;
  readonly rendered: number;
  readonly skipped: number;
}

interface TrackWork {
  readonly progress: TrackProgress;
  readonly input: string;
  readonly inputSeconds: number;
  readonly seconds: number;
  readonly edit: TakeEdit | null;
  readonly tags: TrackTags;
  readonly hash: string;
}

/**
 * Exports the album: renders every track (in parallel, skipping tracks whose inputs, edit, tags
 * and settings are unchanged since the last export into this folder), writes the `.m3u8`
 * playlist, then the optional continuous mix and zip. Failures, a full disk and cancellation stop
 * everything, remove partial files and throw a UserError that says what to do.
 */
export async function exportAlbum(options: ExportOptions): Promise<ExportResult> {
  const { arrangement, dataDir } = options;
  const ffmpeg = options.ffmpeg ?? resolveFfmpeg();
  const level = options.level ?? ((input: string, edit: TakeEdit | null) => measureTrackLevel(ffmpeg, input, edit));
  const plan = planAlbum(arrangement, options.entries, dataDir);
  if (plan.problems.length > 0) {
    const lines = plan.problems.map(describeProblem);
    throw new UserError('album-has-problems', {
      ja: `アルバムに書き出せないメッセージがあります：${lines.map((l) => l.ja).join('、')}。アルバムから外すか、ダウンロードが終わるのを待ってから書き出してください。`,
      en: `Some messages on the album can't be exported: ${lines.map((l) => l.en).join('; ')}. Take them off the album, or wait for them to download, then export again.`,
    });
  }
  if (plan.tracks.length === 0) {
    throw new UserError('album-empty', {
      ja: 'アルバムにメッセージがありません。残したいメッセージを「アルバムに入れる」にしてから書き出してください。',
      en: 'The album has no messages yet. Put the messages you want on the album, then export.',
    });
  }
  const outputDir = options.outputDir ?? arrangement.outputDir;
  if (!outputDir) {
    throw new UserError('export-no-folder', {
      ja: '書き出し先のフォルダが決まっていません。保存先を選んでから書き出してください。',
      en: 'No output folder is set. Choose where the album should go, then export.',
    });
  }
  const cover = arrangement.coverFile ? join(albumFolder(dataDir), arrangement.coverFile) : null;
  if (cover && !(await exists(cover))) {
    throw new UserError('cover-missing-file', {
      ja: 'ジャケット画像が見つかりません。もう一度画像を選んでから書き出してください。',
      en: 'The cover picture is missing. Choose the cover again, then export.',
    });
  }
  const wantMix = options.mix ?? arrangement.mix.enabled;
  const wantZip = options.zip ?? arrangement.zip;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), 8, plan.tracks.length));

  // One controller for the whole run: the organiser's cancel and our own first failure both end up here.
  const run = new AbortController();
  const onCancel = () => run.abort(new ExportCancelled('export cancelled'));
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel, { once: true });

  const works: TrackWork[] = [];
  let stage: ExportStage = 'tracks';
  const extras = 1 + (wantMix ? 1 : 0) + (wantZip ? 1 : 0);
  let extrasDone = 0;
  let failedWhat: Bilingual | null = null;
  const manifestFiles = new Map<string, string>();
  const report = () => {
    const finished = works.filter((w) => w.progress.status === 'done' || w.progress.status === 'skipped-unchanged').length;
    options.onProgress?.({ stage, tracks: works.map((w) => w.progress), fraction: (finished + extrasDone) / (plan.tracks.length + extras) });
  };
  const setStatus = (work: TrackWork, status: TrackStatus) => {
    works[work.progress.track - 1] = { ...work, progress: { ...work.progress, status } };
    report();
  };

  try {
    await mkdir(outputDir, { recursive: true });
    await removeStalePartials(outputDir);
    const previous = await readManifest(outputDir);
    for (const [name, hash] of Object.entries(previous.files)) manifestFiles.set(name, hash);
    const coverHash = cover ? await hashFile(cover) : null;
    const total = plan.tracks.length;
    const names = uniqueFileNames(plan.tracks.map((t) => trackFileName(t.track, total, trackTitle(t.entry, t.track), `メッセージ ${t.track}`)));
    for (const [i, planned] of plan.tracks.entries()) {
      const inputSeconds = await mediaDurationSeconds(ffmpeg, planned.input, run.signal);
      const { start, end } = keptRange({ inputSeconds, edit: planned.entry.edit });
      const tags = trackTags(arrangement, planned.entry, planned.track, total);
      const file = names[i] ?? `${planned.track}.mp3`;
      const hash = hashOf(RENDER_SETTINGS, await hashFile(planned.input), planned.entry.edit, tags, coverHash, file);
      works.push({
        progress: { track: planned.track, recordingSid: planned.entry.recordingSid, title: tags.title, file, status: 'queued' },
        input: planned.input,
        inputSeconds,
        seconds: end - start,
        edit: planned.entry.edit,
        tags,
        hash,
      });
    }
    report();

    let next = 0;
    const worker = async () => {
      while (next < works.length) {
        run.signal.throwIfAborted();
        const work = works[next++];
        if (!work) return;
        const output = join(outputDir, work.progress.file);
        if (previous.files[work.progress.file] === work.hash && (await exists(output))) {
          setStatus(work, 'skipped-unchanged');
          continue;
        }
        setStatus(work, 'rendering');
        try {
          const trackLevel = await level(work.input, work.edit);
          await renderTrack(ffmpeg, { input: work.input, inputSeconds: work.inputSeconds, edit: work.edit, level: trackLevel, tags: work.tags, cover, output }, { signal: run.signal, trace: options.trace });
        } catch (error) {
          // Only the track that broke is "failed"; the ones stopped because of it (or a cancel) wait again.
          const first = !run.signal.aborted;
          if (first) {
            failedWhat = { ja: `${work.progress.track} 曲目「${work.progress.title}」`, en: `track ${work.progress.track}, "${work.progress.title}"` };
            run.abort(error);
          }
          setStatus(work, first ? 'failed' : 'queued');
          throw error;
        }
        manifestFiles.set(work.progress.file, work.hash);
        setStatus(work, 'done');
      }
    };
    const results = await Promise.allSettled(Array.from({ length: concurrency }, worker));
    if (run.signal.aborted) throw run.signal.reason;
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected) throw rejected.reason;

    stage = 'playlist';
    report();
    const playlistName = safeFileName(arrangement.albumTitle, '.m3u8', 'album');
    await writeAtomically(join(outputDir, playlistName), m3u8(works.map((w) => ({ file: w.progress.file, seconds: w.seconds, title: w.tags.title }))));
    const owned = new Set<string>([playlistName, ...works.map((w) => w.progress.file)]);
    manifestFiles.set(playlistName, hashOf(works.map((w) => w.hash)));
    if (cover) {
      // Players that ignore embedded art (car stereos, Windows) look for folder.jpg.
      await copyFile(cover, join(outputDir, 'folder.jpg'));
      owned.add('folder.jpg');
      manifestFiles.set('folder.jpg', coverHash ?? '');
    }
    extrasDone++;

    let mixName: string | null = null;
    if (wantMix) {
      stage = 'mix';
      report();
      // Named in the album's language: a Japanese title gets a Japanese name.
      const japanese = /[\u3040-\u30ff\u3400-\u9fff]/.test(arrangement.albumTitle);
      mixName = safeFileName(`${arrangement.albumTitle} - ${japanese ? '通し再生' : 'Continuous mix'}`, '.mp3', japanese ? '通し再生' : 'Continuous mix');
      const mixTags: TrackTags = { title: `${arrangement.albumTitle}（通し）`, artist: arrangement.albumArtist, albumArtist: arrangement.albumArtist, album: arrangement.albumTitle, track: 1, trackCount: 1, year: arrangement.year, comment: 'Continuous mix / 通し再生' };
      const intro = arrangement.mix.intro ? await clipSource(arrangement.mix.intro, options.entries, dataDir, ffmpeg, run.signal) : null;
      const outro = arrangement.mix.outro ? await clipSource(arrangement.mix.outro, options.entries, dataDir, ffmpeg, run.signal) : null;
      const mixHash = hashOf(RENDER_SETTINGS, works.map((w) => w.hash), arrangement.mix.gapSeconds, intro?.hash ?? null, outro?.hash ?? null, mixTags, coverHash);
      const mixPath = join(outputDir, mixName);
      if (previous.files[mixName] !== mixHash || !(await exists(mixPath))) {
        const temps: string[] = [];
        try {
          const rendered = async (clip: ClipSource | null, label: string) => {
            if (!clip) return [];
            const temp = join(outputDir, `.mix-${label}.tmp.mp3`);
            temps.push(temp);
            await renderTrack(ffmpeg, { ...clip, level: await level(clip.input, clip.edit), tags: null, cover: null, output: temp }, { signal: run.signal, trace: options.trace });
            return [temp];
          };
          const parts = [...(await rendered(intro, 'intro')), ...works.map((w) => join(outputDir, w.progress.file)), ...(await rendered(outro, 'outro'))];
          await renderMix(ffmpeg, { parts, gapSeconds: arrangement.mix.gapSeconds, tags: mixTags, cover, output: mixPath }, { signal: run.signal, trace: options.trace });
        } catch (error) {
          failedWhat = { ja: '通し再生ファイル', en: 'the continuous mix' };
          throw error;
        } finally {
          await Promise.all(temps.map((t) => rm(t, { force: true })));
        }
      }
      manifestFiles.set(mixName, mixHash);
      owned.add(mixName);
      extrasDone++;
    }

    let zipName: string | null = null;
    if (wantZip) {
      stage = 'zip';
      report();
      zipName = safeFileName(arrangement.albumTitle, '.zip', 'album');
      const folderInZip = safeFileName(arrangement.albumTitle, '', 'album');
      const entries: ZipEntry[] = [...owned].map((name) => ({ name: `${folderInZip}/${name}`, path: join(outputDir, name) }));
      const zipPath = join(outputDir, zipName);
      const partial = partialName(zipPath);
      try {
        await writeZip(partial, entries, { signal: run.signal, date: options.now });
        await rename(partial, zipPath);
      } catch (error) {
        await rm(partial, { force: true });
        failedWhat = { ja: 'zip ファイル', en: 'the zip file' };
        throw error;
      }
      manifestFiles.set(zipName, hashOf(entries.map((e) => manifestFiles.get(e.name.slice(folderInZip.length + 1)) ?? e.name)));
      owned.add(zipName);
      extrasDone++;
    }

    // Files an earlier export wrote that this album no longer has (a renamed or removed track, an old mix).
    for (const name of [...manifestFiles.keys()]) {
      if (owned.has(name)) continue;
      await rm(join(outputDir, name), { force: true });
      manifestFiles.delete(name);
    }
    await writeManifest(outputDir, { version: 1, files: Object.fromEntries(manifestFiles) });
    stage = 'done';
    report();
    return {
      outputDir,
      tracks: works.map((w) => ({ file: w.progress.file, title: w.tags.title, seconds: w.seconds })),
      playlist: playlistName,
      mix: mixName,
      zip: zipName,
      rendered: works.filter((w) => w.progress.status === 'done').length,
      skipped: works.filter((w) => w.progress.status === 'skipped-unchanged').length,
    };
  } catch (error) {
    const cancelled = options.signal?.aborted === true && !failedWhat;
    // Keep what finished (whole, valid files) so the next export resumes; never a partial one.
    await removeStalePartials(outputDir).catch(() => undefined);
    await writeManifest(outputDir, { version: 1, files: Object.fromEntries(manifestFiles) }).catch(() => undefined);
    const finished = works.filter((w) => w.progress.status === 'done' || w.progress.status === 'skipped-unchanged').length;
    throw exportError(cancelled ? run.signal.reason : error, { outputDir, what: failedWhat, cancelled, finished, total: plan.tracks.length });
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
  }
}

interface ClipSource {
  readonly input: string;
  readonly inputSeconds: number;
  readonly edit: TakeEdit | null;
  readonly hash: string;
}

/** An intro/outro: a library message (with its edit) or a file from the album folder. */
async function clipSource(clip: MixClip, entries: readonly LibraryEntry[], dataDir: string, ffmpeg: string, signal: AbortSignal): Promise<ClipSource> {
  let input: string;
  let edit: TakeEdit | null = null;
  switch (clip.kind) {
    case 'message': {
      const entry = entries.find((e) => e.recordingSid === clip.recordingSid);
      if (!entry?.localFile) {
        throw new UserError('mix-clip-missing', {
          ja: '通し再生の最初か最後に選んだメッセージが見つかりません（まだダウンロードされていないか、削除されています）。別のメッセージを選んでください。',
          en: 'The message chosen as the mix’s intro or outro is not available (not downloaded, or gone). Choose another one.',
        });
      }
      input = join(dataDir, entry.localFile);
      edit = entry.edit;
      break;
    }
    case 'file':
      input = join(albumFolder(dataDir), clip.file);
      if (!(await exists(input))) {
        throw new UserError('mix-clip-missing', {
          ja: `通し再生の最初か最後に選んだファイル「${clip.file}」が見つかりません。もう一度選んでください。`,
          en: `The intro/outro file "${clip.file}" is missing. Choose it again.`,
        });
      }
      break;
  }
  const inputSeconds = await mediaDurationSeconds(ffmpeg, input, signal);
  return { input, inputSeconds, edit, hash: hashOf(await hashFile(input), edit) };
}

/** Partial files left by a crash or a failure: hidden and ending in `.partial` (or our mix temps). */
async function removeStalePartials(outputDir: string): Promise<void> {
  for (const name of await readdir(outputDir)) {
    if (name.startsWith('.') && (name.endsWith('.partial') || name.endsWith('.tmp.mp3'))) await rm(join(outputDir, name), { force: true });
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const partial = partialName(path);
  try {
    await writeFile(partial, text, 'utf8');
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
