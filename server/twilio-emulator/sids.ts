import { randomBytes } from 'node:crypto';

/** Two-letter prefixes of the Twilio resources the emulator (and its tests) create. */
export type SidPrefix = 'CA' | 'RE' | 'AC' | 'PN' | 'SK';

/** A Twilio-shaped SID: two-letter prefix and 32 hex digits. */
export function newSid(prefix: SidPrefix): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
