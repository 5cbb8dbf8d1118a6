import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { LibraryEntry } from '../library/library-types.ts';
import { defineSetting, type SettingsStore } from '../store/settings-store.ts';
import type { Bilingual } from '../user-error.ts';


const fileInAlbumFolder = z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name inside the album folder, without a path').refine((f) => f !== '.' && f !== '..');

const clipSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), recordingSid: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('file'), file: fileInAlbumFolder }).strict(),
]);

/** Validates the organiser's album arrangement (order, tags, cover, output, mix, zip). */
export const arrangementSchema = z
  .object({
    recordingSids: z.array(z.string().min(1).max(64)).max(999),
    albumTitle: z.string().trim().min(1).max(200),
    albumArtist: z.string().trim().max(200),
    year: z.number().int().min(1900).max(2200),
    coverFile: fileInAlbumFolder.nullable(),
    outputDir: z.string().min(1).max(4096).refine(isAbsolute, 'an absolute folder path').nullable(),
    mix: z
      .object({
        enabled: z.boolean(),
        gapSeconds: z.number().min(0).max(10),
        intro: clipSchema.nullable(),
        outro: clipSchema.nullable(),
      })
      .strict(),
    zip: z.boolean(),
  })
  .strict();

/** An intro/outro for the continuous mix: a message from the library, or a file in the album folder. */
export type MixClip = { readonly kind: 'message'; readonly recordingSid: string } | { readonly kind: 'file'; readonly file: string };

/** How the organiser arranged the album. */
export interface AlbumArrangement {
  readonly recordingSids: readonly string[];
  readonly albumTitle: string;
  /** The couple's names. */
  readonly albumArtist: string;
  readonly year: number;
  /** A JPEG inside the data folder's `album/` folder (see importCover), or none. */
  readonly coverFile: string | null;
  readonly outputDir: string | null;
  readonly mix: { readonly enabled: boolean; readonly gapSeconds: number; readonly intro: MixClip | null; readonly outro: MixClip | null };
  readonly zip: boolean;
}

/** Where covers and intro/outro clips live inside the data folder. */
export function albumFolder(dataDir: string): string {
  return join(dataDir, 'album');
}

/** Whether a message can go on the album by default: chosen for it, not trashed, its file home and readable. */
export function isExportable(entry: LibraryEntry): boolean {
  return entry.onAlbum && !entry.trashed && entry.localFile !== null && entry.healthError === null;
}

/** The arrangement before the organiser changes anything: on-album messages, oldest first. */
export function defaultArrangement(entries: readonly LibraryEntry[], now: Date = new Date()): AlbumArrangement {
  const tracks = entries.filter(isExportable).toSorted((a, b) => a.createdAt.localeCompare(b.createdAt) || a.recordingSid.localeCompare(b.recordingSid));
  return {
    recordingSids: tracks.map((e) => e.recordingSid),
    albumTitle: '祝電',
    albumArtist: '',
    year: now.getFullYear(),
    coverFile: null,
    outputDir: null,
    mix: { enabled: false, gapSeconds: 2, intro: null, outro: null },
    zip: false,
  };
}

/** The album's arrangement as the organiser saved it (null: the default arrangement). */
export const ARRANGEMENT = defineSetting<AlbumArrangement | null>('album', arrangementSchema.nullable() as z.ZodType<AlbumArrangement | null>, null);

/** The saved arrangement, or null when none was saved (or the saved one no longer validates). */
export function readArrangement(settings: SettingsStore): AlbumArrangement | null {
  return settings.get(ARRANGEMENT);
}

/** The saved arrangement, else the default one. */
export function currentArrangement(settings: SettingsStore, entries: readonly LibraryEntry[], now: Date = new Date()): AlbumArrangement {
  return readArrangement(settings) ?? defaultArrangement(entries, now);
}

/** Validates and saves; throws zod's error (and saves nothing) on bad input. */
export function saveArrangement(settings: SettingsStore, input: unknown): AlbumArrangement {
  const arrangement: AlbumArrangement = arrangementSchema.parse(input);
  settings.set(ARRANGEMENT, arrangement);
  return arrangement;
}

/** Why an arranged message can't be exported. */
export type TrackProblemReason = 'unknown' | 'duplicate' | 'trashed' | 'not-downloaded' | 'unreadable';

export interface TrackProblem {
  readonly recordingSid: string;
  /** 1-based position in the arrangement. */
  readonly position: number;
  readonly reason: TrackProblemReason;
}

/** One message as it will be exported. */
export interface PlannedTrack {
  /** 1-based track number. */
  readonly track: number;
  readonly entry: LibraryEntry;
  /** Absolute path of the stored WAV. */
  readonly input: string;
}

/** The arrangement checked against the library: every problem is listed, nothing is silently dropped. */
export interface AlbumPlan {
  readonly tracks: readonly PlannedTrack[];
  readonly problems: readonly TrackProblem[];
}

/** Matches the arrangement to the library; tracks are numbered in arranged order, problems kept. */
export function planAlbum(arrangement: AlbumArrangement, entries: readonly LibraryEntry[], dataDir: string): AlbumPlan {
  const bySid = new Map(entries.map((e) => [e.recordingSid, e]));
  const seen = new Set<string>();
  const problems: TrackProblem[] = [];
  const usable: LibraryEntry[] = [];
  arrangement.recordingSids.forEach((recordingSid, i) => {
    const entry = bySid.get(recordingSid);
    const reason: TrackProblemReason | null = !entry
      ? 'unknown'
      : seen.has(recordingSid)
        ? 'duplicate'
        : entry.trashed
          ? 'trashed'
          : entry.localFile === null
            ? 'not-downloaded'
            : entry.healthError !== null
              ? 'unreadable'
              : null;
    seen.add(recordingSid);
    if (reason !== null || !entry) problems.push({ recordingSid, position: i + 1, reason: reason ?? 'unknown' });
    else usable.push(entry);
  });
  return {
    tracks: usable.map((entry, i) => ({ track: i + 1, entry, input: join(dataDir, entry.localFile ?? '') })),
    problems,
  };
}

/** A problem in plain words, both languages. */
export function describeProblem(problem: TrackProblem): Bilingual {
  const where = { ja: `${problem.position} 曲目（${problem.recordingSid}）`, en: `track ${problem.position} (${problem.recordingSid})` };
  switch (problem.reason) {
    case 'unknown':
      return { ja: `${where.ja}：ライブラリにありません`, en: `${where.en}: not in the library` };
    case 'duplicate':
      return { ja: `${where.ja}：2 回並んでいます`, en: `${where.en}: listed twice` };
    case 'trashed':
      return { ja: `${where.ja}：ゴミ箱に入っています`, en: `${where.en}: in the trash` };
    case 'not-downloaded':
      return { ja: `${where.ja}：まだダウンロードされていません`, en: `${where.en}: not downloaded yet` };
    case 'unreadable':
      return { ja: `${where.ja}：ファイルが読めません`, en: `${where.en}: its file can't be read` };
  }
}
