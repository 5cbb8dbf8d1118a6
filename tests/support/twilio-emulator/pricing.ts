import { notFound, type Reply, twilioError } from './http-io.ts';
import { type EmulatedOperation, safeDecode, templatePattern } from './rest-routes.ts';

/** One price as the Pricing API writes it: decimal strings (the spec's `x-twilio.overrideType: string`). */
export interface EmulatedPrice {
  readonly numberType: string;
  readonly basePrice: string;
  readonly currentPrice: string;
}

/** What it costs to text one country, as a test sets it: per carrier outbound, per number type inbound. */
export interface EmulatedSmsCountry {
  readonly country: string;
  /** ISO 4217, as Twilio writes it (e.g. USD, JPY). */
  readonly priceUnit: string;
  readonly outbound: readonly { readonly carrier: string; readonly mcc: string; readonly mnc: string; readonly prices: readonly EmulatedPrice[] }[];
  readonly inbound: readonly EmulatedPrice[];
}

/** Test data (not Twilio's real prices): Japan with two carriers at different prices, as the Pricing API lists a country. */
export const JAPAN_SMS_PRICES: EmulatedSmsCountry = {
  country: 'Japan',
  priceUnit: 'USD',
  outbound: [
    { carrier: 'NTT Docomo', mcc: '440', mnc: '10', prices: [{ numberType: 'mobile', basePrice: '0.0950', currentPrice: '0.0900' }] },
    { carrier: 'KDDI', mcc: '440', mnc: '50', prices: [{ numberType: 'mobile', basePrice: '0.0800', currentPrice: '0.0800' }] },
  ],
  inbound: [{ numberType: 'mobile', basePrice: '0.0075', currentPrice: '0.0075' }],
};

/**
 * The Pricing v1 operations the emulator serves (host pricing.twilio.com; the SDK's requests for
 * every Twilio host reach the emulator, which tells them apart by path, as for Serverless).
 */
export const PRICING_OPERATIONS = [{ method: 'GET', path: '/v1/Messaging/Countries/{IsoCountry}', operationId: 'FetchMessagingCountry', params: [] }] as const satisfies readonly EmulatedOperation[];

/** Requests for the Pricing API (no other API the emulator serves has paths under /v1/Messaging). */
export const PRICING_PATH = /^\/v1\/Messaging\//;

const FETCH_COUNTRY = templatePattern(PRICING_OPERATIONS[0].path);

/**
 * Answers a Pricing request already authenticated: a country's prices, or Twilio's 404 (20404)
 * for a country it has none for. Source: twilio_pricing_v1.json `FetchMessagingCountry`;
 * twilio.com/docs/messaging/api/pricing.
 */
export function answerPricing(prices: ReadonlyMap<string, EmulatedSmsCountry>, request: { readonly method: string; readonly path: string; readonly query: Readonly<Record<string, string>> }, origin: string): Reply {
  const iso = request.method === 'GET' ? FETCH_COUNTRY.exec(request.path)?.groups?.['IsoCountry'] : undefined;
  if (iso === undefined) return notFound(request.path);
  const unknown = Object.keys(request.query)[0];
  if (unknown !== undefined) return twilioError(400, 20001, `Unknown parameter: ${unknown}`);
  const code = safeDecode(iso).toUpperCase();
  const country = prices.get(code);
  if (!country) return notFound(request.path);
  const price = (p: EmulatedPrice) => ({ base_price: p.basePrice, current_price: p.currentPrice, number_type: p.numberType });
  return {
    kind: 'json',
    status: 200,
    body: {
      country: country.country,
      iso_country: code,
      outbound_sms_prices: country.outbound.map((c) => ({ carrier: c.carrier, mcc: c.mcc, mnc: c.mnc, prices: c.prices.map(price) })),
      inbound_sms_prices: country.inbound.map(price),
      price_unit: country.priceUnit,
      url: `${origin}/v1/Messaging/Countries/${code}`,
    },
  };
}
