/**
 * What a call's `From` says about who called. A caller who withheld their number (非通知)
 * arrives as a word or a placeholder number (`isWithheldCaller`, docs/real-services.md
 * "Withheld caller ID"); such calls share no identity, so they never share a name.
 */
import { isWithheldCaller } from './phone-number.ts';

export { isWithheldCaller };

/** The rehearsal caller (the organiser's laptop), see rehearsal-session.ts. */
const REHEARSAL = 'client:rehearsal';

/** Whether `From` is the organiser's own rehearsal call. */
export function isRehearsalCaller(from: string): boolean {
  return from === REHEARSAL;
}

/** Whether messages from this `From` may share a name: only real, shown phone numbers. */
export function sharesName(from: string): boolean {
  return !isWithheldCaller(from) && !isRehearsalCaller(from);
}

/** How a caller is shown when there is no name: "withheld", "rehearsal", "guest link", or the number. */
export function callerLabel(from: string, language: 'ja' | 'en'): string {
  if (isRehearsalCaller(from)) return language === 'ja' ? 'リハーサル' : 'rehearsal';
  // A visit to the guest link (server/guest-link/guest-takes.ts): no number to show.
  if (from.startsWith('guest:')) return language === 'ja' ? 'ゲストリンク' : 'Guest link';
  if (isWithheldCaller(from)) return language === 'ja' ? '非通知' : 'Withheld number';
  return from;
}
