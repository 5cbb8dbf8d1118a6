import { randomBytes } from 'node:crypto';

/**
 * Two-letter prefixes of Twilio resources: the app makes CA/RE for rehearsal calls; the emulator makes the rest. Serverless:
 * ZS service, ZE environment, ZH function or asset, ZN their versions, ZB build, ZD deployment.
 */
export type SidPrefix = 'CA' | 'RE' | 'AC' | 'PN' | 'SK' | 'ZS' | 'ZE' | 'ZH' | 'ZN' | 'ZB' | 'ZD' | 'SM';

/** A Twilio-shaped SID: two-letter prefix and 32 hex digits. */
export function newSid(prefix: SidPrefix): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
