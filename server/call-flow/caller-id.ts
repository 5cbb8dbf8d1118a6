/**
 * What a call's `From` says about who called. Twilio sends `anonymous`, `Restricted`,
 * `Unknown` or a placeholder like `+266696687` when the caller withheld their number
 * (非通知). Such calls share no identity, so they never share a name.
 * (Detection is a stand-in until issue 13's own caller-ID module lands; point this at it then.)
 */

const WITHHELD = new Set(['anonymous', 'restricted', 'unknown', 'private', 'unavailable', '+266696687', '266696687', '']);

/** The rehearsal caller (the organiser's laptop), see rehearsal-session.ts. */
const REHEARSAL = 'client:rehearsal';

/** Whether `From` is a withheld caller ID rather than a phone number. */
export function isWithheldCaller(from: string): boolean {
  return WITHHELD.has(from.trim().toLowerCase());
}

/** Whether `From` is the organiser's own rehearsal call. */
export function isRehearsalCaller(from: string): boolean {
  return from === REHEARSAL;
}

/** Whether messages from this `From` may share a name: only real, shown phone numbers. */
export function sharesName(from: string): boolean {
  return !isWithheldCaller(from) && !isRehearsalCaller(from);
}

/** How a caller is shown when there is no name: "withheld", "rehearsal", or the number. */
export function callerLabel(from: string, language: 'ja' | 'en'): string {
  if (isRehearsalCaller(from)) return language === 'ja' ? 'リハーサル' : 'rehearsal';
  if (isWithheldCaller(from)) return language === 'ja' ? '非通知' : 'Withheld number';
  return from;
}
