import type { TwilioClient } from './client.ts';
import { explainTwilioError } from './twilio-errors.ts';

export interface Balance {
  readonly amount: string;
  readonly currency: string;
  /** Under about five US dollars' worth the line may stop taking calls soon. */
  readonly low: boolean;
}

/**
 * Below this, warn the organiser: a handful of calls and recordings cost about 5 USD. Twilio
 * bills in the account's currency (Japanese accounts in JPY), so the threshold is per currency
 * (rounded, not a live exchange rate); an unlisted currency uses the USD figure.
 */
const LOW_BALANCE: Readonly<Record<string, number>> = { USD: 5, JPY: 750, EUR: 5, GBP: 4, AUD: 8, CAD: 7, NZD: 8, SGD: 7, HKD: 40, BRL: 25, INR: 400, MXN: 90, CHF: 5, SEK: 50, NOK: 50, DKK: 35, PLN: 20, CZK: 120, KRW: 7000, ZAR: 90 };

/** Whether `amount` in `currency` is running low. */
export function isLowBalance(amount: string, currency: string): boolean {
  return Number(amount) < (LOW_BALANCE[currency.toUpperCase()] ?? LOW_BALANCE['USD'] ?? 5);
}

/** The account balance (Twilio's Balance resource). */
export async function fetchBalance(client: TwilioClient): Promise<Balance> {
  try {
    const balance = await client.balance.fetch();
    return { amount: balance.balance, currency: balance.currency, low: isLowBalance(balance.balance, balance.currency) };
  } catch (error) {
    throw explainTwilioError(error, { en: 'read the account balance', ja: '残高を取得' });
  }
}
