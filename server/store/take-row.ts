import type { NameClip, StoredTake, TakeSource, TakeStatus } from '../call-flow/call-state.ts';

/** A row as `node:sqlite` returns it. */
export type Row = Record<string, unknown>;

const SOURCES: readonly TakeSource[] = ['live', 'reconciled', 'while-away', 'rehearsal', 'guest-link'];
const STATUSES: readonly TakeStatus[] = ['pending', 'kept', 'unconfirmed', 'superseded', 'empty'];

/** The one reading of a `takes` row: every store and view starts from this. */
export function toStoredTake(row: Row): StoredTake {
  const source = SOURCES.find((s) => s === row['source']) ?? 'live';
  // A status this version doesn't know is kept out of the album rather than guessed at.
  const status = STATUSES.find((s) => s === row['status']) ?? 'unconfirmed';
  return {
    source,
    download: {
      localFile: textOrNull(row['local_file']),
      downloadedAt: textOrNull(row['downloaded_at']),
      attempts: Number(row['download_attempts'] ?? 0),
      error: textOrNull(row['download_error']),
    },
    recordingSid: String(row['recording_sid']),
    callSid: String(row['call_sid']),
    takeNumber: Number(row['take_number']),
    recordingUrl: String(row['recording_url']),
    durationSeconds: Number(row['duration_seconds']),
    status,
    createdAt: String(row['created_at']),
    updatedAt: String(row['updated_at']),
    nameClip: toNameClip(row),
  };
}

/** The take's name clip, read from the same row (the `name_*` columns); null when the guest said none. */
function toNameClip(row: Row): NameClip | null {
  const recordingSid = textOrNull(row['name_recording_sid']);
  if (recordingSid === null) return null;
  return {
    recordingSid,
    recordingUrl: String(row['name_recording_url'] ?? ''),
    durationSeconds: Number(row['name_duration_seconds'] ?? 0),
    download: {
      localFile: textOrNull(row['name_local_file']),
      downloadedAt: textOrNull(row['name_downloaded_at']),
      attempts: Number(row['name_download_attempts'] ?? 0),
      error: textOrNull(row['name_download_error']),
    },
  };
}

/** A nullable text column (a LEFT JOIN gives undefined too). */
export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
