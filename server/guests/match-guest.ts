import { toE164 } from '../call-flow/phone-number.ts';
import type { Guest } from './guest-types.ts';

/** A guest as a message refers to them. */
export interface GuestRef {
  readonly id: number;
  readonly name: string;
  readonly group: string;
}

/** Who a message is from, by the guest list alone. */
export type GuestMatch =
  | { readonly kind: 'match'; readonly guest: GuestRef; readonly by: 'number' | 'name' }
  /** A number (or a name) several guests share — a couple's phone: the organiser is asked which. */
  | { readonly kind: 'shared'; readonly candidates: readonly GuestRef[] }
  | { readonly kind: 'none' };

/** What the library shows for one message: the match, or what the organiser chose instead. */
export type TakeGuest =
  | GuestMatch
  | { readonly kind: 'chosen'; readonly guest: GuestRef }
  /** The organiser said this message is from nobody on the list. */
  | { readonly kind: 'not-listed' };

/**
 * Matches a message to the guest list: by the caller's number (E.164 with the line's default
 * country), else by the name a guest typed (guest link), ignoring width, case and spaces.
 * Pure; the library derives each take's name from it.
 */
export function matchGuest(guests: readonly Guest[], from: { readonly number?: string | null; readonly name?: string | null }, defaultCountryCode: string): GuestMatch {
  const number = from.number ? toE164(from.number, defaultCountryCode) : null;
  const byNumber = number === null ? [] : guests.filter((g) => g.phone === number);
  if (byNumber.length > 0) return result(byNumber, 'number');
  const name = from.name ? nameKey(from.name) : '';
  const byName = name === '' ? [] : guests.filter((g) => nameKey(g.name) === name);
  return byName.length > 0 ? result(byName, 'name') : { kind: 'none' };
}

/** The organiser's choice (a guest id, null for "not on the list", undefined for none) applied over the match. */
export function resolveTakeGuest(match: GuestMatch, choice: number | null | undefined, guests: readonly Guest[]): TakeGuest {
  if (choice === null) return { kind: 'not-listed' };
  const chosen = choice === undefined ? undefined : guests.find((g) => g.id === choice);
  // A chosen guest who was since deleted falls back to the match.
  return chosen ? { kind: 'chosen', guest: ref(chosen) } : match;
}

/** The name a take's guest gives it, if the guest is known. */
export function guestName(guest: TakeGuest): string | null {
  return guest.kind === 'match' || guest.kind === 'chosen' ? guest.guest.name : null;
}

function result(found: readonly Guest[], by: 'number' | 'name'): GuestMatch {
  const [only] = found;
  return found.length === 1 && only ? { kind: 'match', guest: ref(only), by } : { kind: 'shared', candidates: found.map(ref) };
}

function ref(g: Guest): GuestRef {
  return { id: g.id, name: g.name, group: g.group };
}

function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s・.]/g, '');
}
