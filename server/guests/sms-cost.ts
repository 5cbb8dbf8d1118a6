/** Twilio's price to send one SMS segment to a number: the range over the carriers of its country. */
export interface SmsPrice {
  /** ISO 4217 as Twilio writes it (USD, JPY…). */
  readonly unit: string;
  readonly min: number;
  readonly max: number;
}

/** What a round of SMS costs, for the preview. */
export type SmsCost =
  | { readonly kind: 'nothing' }
  /** Every recipient's price is known: per segment (lowest–highest) and for the whole round. */
  | { readonly kind: 'known'; readonly unit: string; readonly perSegment: { readonly min: number; readonly max: number }; readonly total: { readonly min: number; readonly max: number } }
  /** Twilio's price list didn't answer for `unknownFor` of the recipients, so no total can be given. */
  | { readonly kind: 'unknown'; readonly unknownFor: number };

/** The cost of texting these recipients (each billed per segment at its own country's price). Pure, shared by core and UI. */
export function smsCost(recipients: readonly { readonly segments: number; readonly price: SmsPrice | null }[]): SmsCost {
  if (recipients.length === 0) return { kind: 'nothing' };
  const priced = recipients.flatMap((r) => (r.price ? [{ segments: r.segments, price: r.price }] : []));
  const unknownFor = recipients.length - priced.length;
  // One account bills in one currency; anything else can't be added up.
  if (unknownFor > 0 || new Set(priced.map((r) => r.price.unit)).size !== 1) return { kind: 'unknown', unknownFor: unknownFor || recipients.length };
  const sum = (pick: (p: SmsPrice) => number) => priced.reduce((total, r) => total + r.segments * pick(r.price), 0);
  return {
    kind: 'known',
    unit: priced[0]?.price.unit ?? '',
    perSegment: { min: Math.min(...priced.map((r) => r.price.min)), max: Math.max(...priced.map((r) => r.price.max)) },
    total: { min: sum((p) => p.min), max: sum((p) => p.max) },
  };
}

/** Prices of several candidate countries for one number (+1: the US or Canada): the widest range, or null if any is unknown. */
export function widestPrice(prices: readonly (SmsPrice | null)[]): SmsPrice | null {
  const known = prices.filter((p): p is SmsPrice => p !== null);
  if (known.length === 0 || known.length < prices.length) return null;
  if (new Set(known.map((p) => p.unit)).size !== 1) return null;
  return { unit: known[0]?.unit ?? '', min: Math.min(...known.map((p) => p.min)), max: Math.max(...known.map((p) => p.max)) };
}
