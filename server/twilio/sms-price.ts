import type { SmsPrice } from '../guests/sms-cost.ts';
import type { TwilioClient } from './client.ts';

/** What the Pricing API answers for a country, as the SDK hands it over. */
interface MessagingCountry {
  readonly priceUnit: string | null;
  readonly outboundSmsPrices: readonly { readonly prices?: readonly unknown[] }[] | null;
}

/**
 * The price per segment to text a country, from its Pricing API record: the range of
 * `current_price` over every carrier (the guest's carrier decides which applies), or null when
 * Twilio lists none. Prices are decimal strings on the wire (the spec's overrideType), and the
 * SDK passes `prices` through unmapped — so `current_price`, with `currentPrice` as its typings say.
 */
export function readSmsPrice(country: MessagingCountry): SmsPrice | null {
  const amounts = (country.outboundSmsPrices ?? [])
    .flatMap((carrier) => carrier.prices ?? [])
    .map((price) => {
      const record = (typeof price === 'object' && price !== null ? price : {}) as Readonly<Record<string, unknown>>;
      return Number(record['current_price'] ?? record['currentPrice']);
    })
    .filter((amount) => Number.isFinite(amount) && amount >= 0);
  if (amounts.length === 0 || !country.priceUnit) return null;
  return { unit: country.priceUnit.toUpperCase(), min: Math.min(...amounts), max: Math.max(...amounts) };
}

/**
 * Twilio's price to text one country (ISO code), through the SDK's Pricing resource
 * (pricing.twilio.com/v1/Messaging/Countries/{IsoCountry}; docs/real-services.md "SMS price per country").
 * Null when Twilio has no price for it (404); other failures throw.
 */
export async function fetchSmsPrice(client: TwilioClient, isoCountry: string): Promise<SmsPrice | null> {
  try {
    return readSmsPrice(await client.pricing.v1.messaging.countries(isoCountry).fetch());
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}
