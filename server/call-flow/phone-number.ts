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

/** Whether `from` is one of the listed numbers. */
export function isListedNumber(from: string, listed: readonly string[], defaultCountryCode: string): boolean {
  const caller = toE164(from, defaultCountryCode);
  if (caller === null) return false;
  return listed.some((entry) => toE164(entry, defaultCountryCode) === caller);
}
