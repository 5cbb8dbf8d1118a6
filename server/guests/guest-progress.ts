import type { LibraryEntry } from '../library/library-types.ts';
import type { Guest } from './guest-types.ts';
import type { GuestRef } from './match-guest.ts';

/** One group of the guest list (新郎友人, 会社, … or no group): who has left a message and who hasn't. */
export interface GroupProgress {
  /** '' for guests without a group. */
  readonly group: string;
  /** Guests expected to take part (those marked "won't take part" are not counted). */
  readonly expected: number;
  readonly done: number;
  readonly notYet: readonly GuestRef[];
  readonly declined: number;
}

/** "Who hasn't left a message yet", pushed with the state to Home and the Guests screen. */
export interface GuestProgress {
  readonly listed: number;
  readonly expected: number;
  readonly done: number;
  readonly declined: number;
  readonly groups: readonly GroupProgress[];
  /** Messages from a number several guests share, still waiting for the organiser to say which guest. */
  readonly toAsk: number;
  /** Ids of the guests who have left at least one message. */
  readonly doneIds: readonly number[];
}

/** A message counts once it is left (kept, or the guest hung up after recording), and isn't in the trash. */
function counts(entry: LibraryEntry): boolean {
  return !entry.trashed && (entry.status === 'kept' || entry.status === 'unconfirmed');
}

/** Pure: the guest list and the library's messages (each with its guest) → progress by group, in list order. */
export function guestProgress(guests: readonly Guest[], entries: readonly LibraryEntry[]): GuestProgress {
  const done = new Set<number>();
  let toAsk = 0;
  for (const entry of entries) {
    if (!counts(entry)) continue;
    if (entry.guest.kind === 'match' || entry.guest.kind === 'chosen') done.add(entry.guest.guest.id);
    else if (entry.guest.kind === 'shared') toAsk++;
  }
  const groups = new Map<string, { expected: number; done: number; notYet: GuestRef[]; declined: number }>();
  for (const g of guests) {
    const group = groups.get(g.group) ?? { expected: 0, done: 0, notYet: [], declined: 0 };
    groups.set(g.group, group);
    // A guest who said no but called anyway still counts as done.
    if (g.declined && !done.has(g.id)) {
      group.declined++;
      continue;
    }
    group.expected++;
    if (done.has(g.id)) group.done++;
    else group.notYet.push({ id: g.id, name: g.name, group: g.group });
  }
  const list = [...groups.entries()].map(([group, p]) => ({ group, ...p }));
  const sum = (f: (p: GroupProgress) => number) => list.reduce((n, p) => n + f(p), 0);
  return {
    listed: guests.length,
    expected: sum((p) => p.expected),
    done: sum((p) => p.done),
    declined: sum((p) => p.declined),
    groups: list,
    toAsk,
    doneIds: guests.filter((g) => done.has(g.id)).map((g) => g.id),
  };
}
