import type { TwilioClient } from './client.ts';
import { explainTwilioError } from './twilio-errors.ts';

export interface Balance {
  readonly amount: string;
  readonly currency: string;
  /** Under a few dollars the line may stop taking calls soon. */
  readonly low: boolean;
}

/** Below this, warn the organiser: a handful of calls and recordings cost about this much. */
const LOW_BALANCE = 5;

/** The account balance (Twilio's Balance resource). */
export async function fetchBalance(client: TwilioClient): Promise<Balance> {
  try {
    const balance = await client.balance.fetch();
    return { amount: balance.balance, currency: balance.currency, low: Number(balance.balance) < LOW_BALANCE };
  } catch (error) {
    throw explainTwilioError(error, { en: 'read the account balance', ja: '残高を取得' });
  }
}
