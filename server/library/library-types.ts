import { z } from 'zod';
import type { TakeSource, TakeStatus } from '../call-flow/call-state.ts';
import type { TakeGuest } from '../guests/match-guest.ts';

/** The organiser's cut of one take. The original file is never changed; this is applied on export. */
export interface TakeEdit {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly fadeInSeconds: number;
  readonly fadeOutSeconds: number;
  readonly gainDb: number;
}

export const takeEditSchema = z
  .object({
    startSeconds: z.number().min(0).max(86_400),
    endSeconds: z.number().min(0).max(86_400),
    fadeInSeconds: z.number().min(0).max(10),
    fadeOutSeconds: z.number().min(0).max(10),
    gainDb: z.number().min(-24).max(24),
  })
  .strict()
  .refine((e) => e.endSeconds - e.startSeconds >= 0.1, { message: 'the kept part must be at least 0.1 s long', path: ['endSeconds'] });

/** 'auto' follows the status (kept messages are on the album); 'in' / 'out' are the organiser's choice. */
export type AlbumChoice = 'auto' | 'in' | 'out';

/** What the health check found (see server/audio/analysis.ts). */
export interface StoredHealth {
  readonly durationSeconds: number;
  readonly integratedLufs: number | null;
  readonly samplePeakDbfs: number;
  readonly truePeakDbtp: number;
  readonly clippedShare: number;
  readonly silenceShare: number;
  readonly flags: readonly string[];
}

/** One take as the library shows it. */
export interface LibraryEntry {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly callerNumber: string;
  /** This message's name: its own, its caller's default, or its guest's from the guest list (see `nameSource`). */
  readonly callerName: string | null;
  /** Where the name comes from: named on this message, the caller's default for their messages, the guest list, or none. */
  readonly nameSource: 'message' | 'caller' | 'guest' | null;
  /** Who on the guest list this message is from (matched by number or name, or chosen by the organiser). */
  readonly guest: TakeGuest;
  readonly createdAt: string;
  readonly durationSeconds: number;
  readonly status: TakeStatus;
  readonly source: TakeSource;
  readonly downloaded: boolean;
  readonly localFile: string | null;
  /** Why the last download attempt failed (null: none failed, or it is home). */
  readonly downloadError: string | null;
  readonly note: string;
  readonly album: AlbumChoice;
  /** Whether it goes on the album, after applying `album` to the status. */
  readonly onAlbum: boolean;
  readonly trashed: boolean;
  readonly edit: TakeEdit | null;
  readonly health: StoredHealth | null;
  /** Why the file could not be read (corrupt, empty): shown per message; the rest of the library works. */
  readonly healthError: string | null;
  /** The guest saying their name after keeping this message (null: none); played from `localFile` once it is home. */
  readonly nameClip: { readonly recordingSid: string; readonly durationSeconds: number; readonly localFile: string | null } | null;
}

/** Whether a take goes on the album by default: kept, not trashed, not a rehearsal. */
export function onAlbumByDefault(entry: { readonly status: TakeStatus; readonly source: TakeSource }): boolean {
  return entry.status === 'kept' && entry.source !== 'rehearsal';
}
