import { randomBytes } from 'node:crypto';

/** A Twilio-shaped SID: two-letter prefix and 32 hex digits. */
export function newSid(prefix: 'CA' | 'RE' | 'AC' | 'PN'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
