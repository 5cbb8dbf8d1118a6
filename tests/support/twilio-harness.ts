import { randomBytes } from 'node:crypto';
import type { Core } from '../../server/core.ts';
import type { TwilioCredentials } from '../../server/twilio/client.ts';
import type { TwilioAccount } from '../../server/twilio/twilio-account.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from './line-harness.ts';

export const CREDENTIALS: TwilioCredentials = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN };

/** Fast retries so fault tests take seconds, not minutes. */
export const FAST_RETRY = { attempts: 5, baseDelayMs: 50, maxDelayMs: 400 } as const;

/** A random SID-shaped string with the given prefix. */
export function sid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Connects the line's core to the emulated account and returns the Twilio line. */
export async function connect(core: Core, options: { takeOver?: boolean; phoneNumber?: string | null } = {}): Promise<TwilioAccount> {
  const result = await core.connectTwilio({
    credentials: CREDENTIALS,
    phoneNumber: options.phoneNumber === undefined ? LINE_NUMBER : options.phoneNumber,
    takeOver: options.takeOver,
    retry: FAST_RETRY,
    reconcileIntervalMs: 60_000,
  });
  if (result.kind !== 'connected') throw new Error(`Expected to connect, got ${result.kind}`);
  return result.account;
}

/** Polls until `check` returns a value, or fails after `ms`. */
/** The shortest time `eventually` waits before calling a test broken. */
const EVENTUALLY_FLOOR_MS = 60_000;

/**
 * Waits for a condition. The limit only stops a broken test from hanging: it is never shorter
 * than a minute, so a busy machine (both cores taken) can't turn a slow pass into a failure.
 */
export async function eventually<T>(check: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  const limit = Math.max(ms, EVENTUALLY_FLOOR_MS);
  for (;;) {
    // Awaited: an async check's promise is not its answer.
    const value = await check();
    if (value) return value;
    if (Date.now() - started > limit) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
