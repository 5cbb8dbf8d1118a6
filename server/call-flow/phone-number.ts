/**
 * Normalises a phone number to E.164 so "090-1234-5678", "+81 90 1234 5678"
 * and Twilio's "+819012345678" compare equal. Returns null for non-numbers.
 */
export function toE164(raw: string, defaultCountryCode: string): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[^0-9]/g, '');
  if (digits.length < 4 || digits.length > 15 + 2) return null;
  if (trimmed.startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+${defaultCountryCode}${digits.slice(1)}`;
  // "819012345678" already carries its country code; "5551234567" (US style) does not.
  if (digits.startsWith(defaultCountryCode) && digits.length >= 11) return `+${digits}`;
  return `+${defaultCountryCode}${digits}`;
}

/**
 * What Twilio puts in `From` when the caller withheld their number (非通知): a word such as
 * "Anonymous", "Restricted", "Unknown", "Blocked", "Unavailable" or "Private", or one of these stand-in
 * numbers. docs/real-services.md "Withheld caller ID".
 */
const WITHHELD_NUMBERS: ReadonlySet<string> = new Set(['+266696687', '+7378742833', '+2562533', '+8656696', '+86282452253']);
const WITHHELD_WORDS: ReadonlySet<string> = new Set(['', 'anonymous', 'restricted', 'unknown', 'blocked', 'unavailable', 'private']);

/** Whether the caller withheld their number: never a person to name or to match against a list. */
export function isWithheldCaller(from: string): boolean {
  const trimmed = from.trim();
  if (WITHHELD_WORDS.has(trimmed.toLowerCase())) return true;
  // Anything else that isn't a number (e.g. a Twilio Client identity) is not a withheld phone.
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return false;
  return WITHHELD_NUMBERS.has(`+${trimmed.replace(/\D/g, '')}`);
}

/** Whether `from` is one of the listed numbers (a withheld caller never is). */
export function isListedNumber(from: string, listed: readonly string[], defaultCountryCode: string): boolean {
  if (isWithheldCaller(from)) return false;
  const caller = toE164(from, defaultCountryCode);
  if (caller === null) return false;
  return listed.some((entry) => toE164(entry, defaultCountryCode) === caller);
}
