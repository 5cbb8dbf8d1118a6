import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { sharesName } from '../call-flow/caller-id.ts';
import { statementCache } from './database.ts';
import { toStoredTake, textOrNull, type Row } from './take-row.ts';
import type { Guest } from '../guests/guest-types.ts';
import { guestName, matchGuest, resolveTakeGuest, type TakeGuest } from '../guests/match-guest.ts';
import { onAlbumByDefault, type AlbumChoice, type LibraryEntry, type StoredHealth, type TakeEdit } from '../library/library-types.ts';

/** A take with its caller's number, the name the organiser gave it, and the guest the organiser chose for it. */
const ENTRY_SQL = `SELECT t.*, c.from_number, n.name AS default_name, g.recording_sid AS guest_chosen, g.guest_id FROM takes t
  LEFT JOIN calls c ON c.call_sid = t.call_sid
  LEFT JOIN callers n ON n.number = c.from_number
  LEFT JOIN take_guests g ON g.recording_sid = t.recording_sid`;

/** The organiser's view of the takes: names, notes, album choice, trash and edits. */
export class LibraryStore {
  readonly #changed: () => void;
  /** Statements prepared once, reused. */
  readonly #sql: (sql: string) => StatementSync;
  readonly #guests: () => GuestContext;

  constructor(db: DatabaseSync, onChange: () => void, guests: () => GuestContext) {
    this.#changed = onChange;
    this.#sql = statementCache(db);
    this.#guests = guests;
  }

  list(): readonly LibraryEntry[] {
    const context = this.#guests();
    return (this.#sql(`${ENTRY_SQL} ORDER BY t.created_at, t.take_number`).all() as Row[]).map((row) => toEntry(row, context));
  }

  /** Says which guest a message is from (a shared number, or overriding the match); null: nobody on the list; undefined: back to the match. */
  chooseGuest(recordingSid: string, guestId: number | null | undefined): void {
    if (guestId === undefined) this.#sql('DELETE FROM take_guests WHERE recording_sid = ?').run(recordingSid);
    else this.#sql('INSERT INTO take_guests (recording_sid, guest_id) VALUES (?, ?) ON CONFLICT (recording_sid) DO UPDATE SET guest_id = excluded.guest_id').run(recordingSid, guestId);
    this.#changed();
  }

  get(recordingSid: string): LibraryEntry | null {
    const row = this.#sql(`${ENTRY_SQL} WHERE t.recording_sid = ?`).get(recordingSid) as Row | undefined;
    return row ? toEntry(row, this.#guests()) : null;
  }

  /**
   * The names callers on the line go by before any message of theirs is named: the number's default
   * name, else the guest with that number on the list; null for withheld and rehearsal callers, or nobody.
   */
  callerNames(numbers: readonly string[]): ReadonlyMap<string, string | null> {
    const names = new Map<string, string | null>();
    if (numbers.length === 0) return names;
    const context = this.#guests();
    for (const number of numbers) {
      // The same rule a message of theirs is named by, for a message with no name of its own yet.
      const known = this.#sql('SELECT name FROM callers WHERE number = ?').get(number) as { name?: unknown } | undefined;
      const row: Row = { from_number: number, default_name: known?.name ?? null, caller_name: null, guest_chosen: null };
      names.set(number, name(row, guestOf(row, context)).callerName);
    }
    return names;
  }

  /** The default name for every message from that number without a name of its own; an empty name forgets it. */
  setCallerName(number: string, name: string): void {
    if (name.trim() === '') this.#sql('DELETE FROM callers WHERE number = ?').run(number);
    else this.#sql('INSERT INTO callers (number, name) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET name = excluded.name').run(number, name.trim());
    this.#changed();
  }

  /**
   * Names one message. A real number's caller gets the name as the default for their other
   * unnamed messages; withheld and rehearsal callers share nothing. Empty clears this message's
   * name (and the number's default, if it was this name). False if there is no such message.
   */
  setTakeName(recordingSid: string, name: string): boolean {
    const entry = this.get(recordingSid);
    if (!entry) return false;
    const trimmed = name.trim();
    const own = entry.nameSource === 'message' ? entry.callerName : null;
    this.#sql('UPDATE takes SET caller_name = ? WHERE recording_sid = ?').run(trimmed === '' ? null : trimmed, recordingSid);
    if (sharesName(entry.callerNumber)) {
      const current = this.#sql('SELECT name FROM callers WHERE number = ?').get(entry.callerNumber) as { name: string } | undefined;
      if (trimmed !== '') this.setCallerName(entry.callerNumber, trimmed);
      else if (current && (current.name === own || entry.nameSource === 'caller')) this.setCallerName(entry.callerNumber, '');
    }
    this.#changed();
    return true;
  }

  update(recordingSid: string, change: { readonly note?: string; readonly album?: AlbumChoice; readonly trashed?: boolean }): boolean {
    const sets: string[] = [];
    const values: (string | null)[] = [];
    if (change.note !== undefined) {
      sets.push('note = ?');
      values.push(change.note);
    }
    if (change.album !== undefined) {
      sets.push('album = ?');
      values.push(change.album);
    }
    if (change.trashed !== undefined) {
      sets.push('trashed_at = ?');
      values.push(change.trashed ? new Date().toISOString() : null);
    }
    if (sets.length === 0) return this.get(recordingSid) !== null;
    const result = this.#sql(`UPDATE takes SET ${sets.join(', ')} WHERE recording_sid = ?`).run(...values, recordingSid);
    this.#changed();
    return Number(result.changes) > 0;
  }

  saveEdit(recordingSid: string, edit: TakeEdit): boolean {
    const result = this.#sql('UPDATE takes SET edit = ? WHERE recording_sid = ?').run(JSON.stringify(edit), recordingSid);
    this.#changed();
    return Number(result.changes) > 0;
  }

  saveHealth(recordingSid: string, health: StoredHealth | null, error: string | null): void {
    this.#sql('UPDATE takes SET health = ?, health_error = ? WHERE recording_sid = ?').run(health ? JSON.stringify(health) : null, error, recordingSid);
    this.#changed();
  }

  /** Downloaded takes not yet analysed (a partial index holds just those: the library's size doesn't matter). */
  needingHealthCheck(): readonly string[] {
    return (this.#sql('SELECT recording_sid FROM takes INDEXED BY takes_needing_health WHERE local_file IS NOT NULL AND health IS NULL AND health_error IS NULL').all() as Row[]).map((r) =>
      String(r['recording_sid']),
    );
  }
}

function parse<T>(value: unknown): T | null {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

/** The guest list and the line's default country, for matching messages to guests. */
export interface GuestContext {
  readonly guests: readonly Guest[];
  readonly defaultCountryCode: string;
}

/** The message's own name, else (for a real number) its caller's default, else its guest's name from the list. */
function name(row: Row, guest: TakeGuest): Pick<LibraryEntry, 'callerName' | 'nameSource'> {
  const own = typeof row['caller_name'] === 'string' ? row['caller_name'] : null;
  if (own !== null) return { callerName: own, nameSource: 'message' };
  const from = typeof row['from_number'] === 'string' ? row['from_number'] : '';
  const fallback = typeof row['default_name'] === 'string' && sharesName(from) ? row['default_name'] : null;
  if (fallback !== null) return { callerName: fallback, nameSource: 'caller' };
  const listed = guestName(guest);
  return { callerName: listed, nameSource: listed === null ? null : 'guest' };
}

/** Who the message is from on the guest list: by a real caller's number, or the name a guest typed (guest link). */
function guestOf(row: Row, context: GuestContext): TakeGuest {
  const from = typeof row['from_number'] === 'string' ? row['from_number'] : '';
  const own = typeof row['caller_name'] === 'string' ? row['caller_name'] : null;
  const match = matchGuest(context.guests, { number: sharesName(from) ? from : null, name: own }, context.defaultCountryCode);
  const choice = row['guest_chosen'] === null || row['guest_chosen'] === undefined ? undefined : row['guest_id'] === null ? null : Number(row['guest_id']);
  return resolveTakeGuest(match, choice, context.guests);
}

/** The stored take (read one way, `toStoredTake`) plus what the organiser added to it. */
function toEntry(row: Row, context: GuestContext): LibraryEntry {
  const take = toStoredTake(row);
  const guest = guestOf(row, context);
  const album: AlbumChoice = row['album'] === 'in' || row['album'] === 'out' ? row['album'] : 'auto';
  const trashed = row['trashed_at'] !== null;
  return {
    recordingSid: take.recordingSid,
    callSid: take.callSid,
    callerNumber: textOrNull(row['from_number']) ?? '',
    ...name(row, guest),
    guest,
    createdAt: take.createdAt,
    durationSeconds: take.durationSeconds,
    status: take.status,
    source: take.source,
    downloaded: take.download.downloadedAt !== null,
    localFile: take.download.localFile,
    downloadError: take.download.error,
    note: String(row['note'] ?? ''),
    album,
    onAlbum: !trashed && (album === 'in' || (album === 'auto' && onAlbumByDefault(take))),
    trashed,
    edit: parse<TakeEdit>(row['edit']),
    health: parse<StoredHealth>(row['health']),
    healthError: textOrNull(row['health_error']),
    nameClip: take.nameClip && { recordingSid: take.nameClip.recordingSid, durationSeconds: take.nameClip.durationSeconds, localFile: take.nameClip.download.localFile },
  };
}
