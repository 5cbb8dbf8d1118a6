import { isWithheldCaller } from '../call-flow/phone-number.ts';
import type { LibraryEntry } from '../library/library-types.ts';
import type { AlbumArrangement } from './arrangement.ts';
import type { TrackTags } from './render-track.ts';

/** The title a message gets: the caller's name, else 「メッセージ 3（090-1234-5678）」. */
export function trackTitle(entry: LibraryEntry, track: number): string {
  const name = entry.callerName?.trim();
  if (name) return name;
  const number = isWithheldCaller(entry.callerNumber) ? '非通知' : domesticNumber(entry.callerNumber);
  return number ? `メッセージ ${track}（${number}）` : `メッセージ ${track}`;
}

/** Every ID3 field of one track. */
export function trackTags(arrangement: AlbumArrangement, entry: LibraryEntry, track: number, trackCount: number): TrackTags {
  const title = trackTitle(entry, track);
  return {
    title,
    artist: title,
    albumArtist: arrangement.albumArtist,
    album: arrangement.albumTitle,
    track,
    trackCount,
    year: arrangement.year,
    comment: `${localDate(entry.createdAt)} のメッセージ / Message of ${localDate(entry.createdAt)}`,
  };
}

/** "+819012345678" → "090-1234-5678" (mobile/050 numbers grouped; other numbers just get the leading 0). */
function domesticNumber(e164: string): string {
  const digits = e164.replace(/[^\d+]/g, '');
  if (!/^\+?\d{4,}$/.test(digits)) return '';
  if (!digits.startsWith('+81')) return digits;
  const national = `0${digits.slice(3)}`;
  const mobile = /^(0[5789]0)(\d{4})(\d{4})$/.exec(national);
  return mobile ? `${mobile[1]}-${mobile[2]}-${mobile[3]}` : national;
}

/** The day the message was left, in this computer's time zone (the wedding's, in practice). */
function localDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
