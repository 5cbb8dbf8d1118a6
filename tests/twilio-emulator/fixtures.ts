import { encodeWav } from '../../server/audio/wav.ts';
import { createTwilioClient, type TwilioClient } from '../../server/twilio/client.ts';
import type { EmulatedAccount } from '../support/twilio-emulator/emulator.ts';
import { speechLike } from '../../server/voice-sim/speech.ts';

/** Accounts for emulator tests: a full one with an API key, another one, a suspended and a closed one. */
export const MAIN: EmulatedAccount = {
  sid: `AC${'a1'.repeat(16)}`,
  authToken: 'main-auth-token',
  friendlyName: 'Wedding line',
  balance: '12.34',
  currency: 'JPY',
  apiKeys: [{ sid: `SK${'b2'.repeat(16)}`, secret: 'main-key-secret' }],
};
export const OTHER: EmulatedAccount = {
  sid: `AC${'c3'.repeat(16)}`,
  authToken: 'other-auth-token',
  type: 'Trial',
  apiKeys: [{ sid: `SK${'d4'.repeat(16)}`, secret: 'other-key-secret' }],
};
export const SUSPENDED: EmulatedAccount = { sid: `AC${'e5'.repeat(16)}`, authToken: 'suspended-token', status: 'suspended' };
export const CLOSED: EmulatedAccount = { sid: `AC${'f6'.repeat(16)}`, authToken: 'closed-token', status: 'closed' };
export const ACCOUNTS = [MAIN, OTHER, SUSPENDED, CLOSED] as const;

export const LINE = '+815012345678';
export const GUEST = '+819011112222';

/** The SDK client exactly as the app builds it, aimed at the emulator. */
export function sdk(account: EmulatedAccount, apiBase: string, apiKey?: { sid: string; secret: string }): TwilioClient {
  return createTwilioClient({ accountSid: account.sid, authToken: account.authToken, ...(apiKey ? { apiKey } : {}) }, apiBase);
}

export function basicAuth(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** A GET with the account's credentials, for media and raw probes. */
export function get(url: string, account: EmulatedAccount = MAIN): Promise<Response> {
  return fetch(url, { headers: { authorization: basicAuth(account.sid, account.authToken) } });
}

/** A short speech-like WAV, as the simulator would store it. */
export function wav(seconds = 2): Buffer {
  return encodeWav(speechLike(seconds));
}
