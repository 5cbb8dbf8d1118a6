import type { EmulatedRecording } from './records.ts';

/**
 * The ListRecording filters. Twilio documents `DateCreated=YYYY-MM-DD` (that day, GMT),
 * `DateCreated<=YYYY-MM-DD` (on or before midnight) and `DateCreated>=YYYY-MM-DD` (on or
 * after midnight). In a URL `DateCreated>=2026-11-24` is the parameter `DateCreated>` with
 * the value `2026-11-24`, which is exactly what the SDK sends for `dateCreatedAfter` (as
 * `DateCreated%3E=2026-11-24T10:00:00Z`: a full ISO time, compared as an instant).
 */
export const RECORDING_FILTERS = ['DateCreated', 'DateCreated<', 'DateCreated>', 'CallSid'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A predicate for the recordings the filters select, or the name of a filter whose value is not a date. */
export function recordingFilter(query: Readonly<Record<string, string>>): ((r: EmulatedRecording) => boolean) | string {
  const tests: ((r: EmulatedRecording) => boolean)[] = [];
  for (const name of RECORDING_FILTERS) {
    const value = query[name];
    if (value === undefined) continue;
    if (name === 'CallSid') {
      tests.push((r) => r.callSid === value);
      continue;
    }
    const at = parseInstant(value);
    if (at === null) return name;
    switch (name) {
      case 'DateCreated': {
        const day = Math.floor(at / DAY_MS) * DAY_MS;
        tests.push((r) => r.createdAt.getTime() >= day && r.createdAt.getTime() < day + DAY_MS);
        break;
      }
      case 'DateCreated<':
        tests.push((r) => r.createdAt.getTime() <= at);
        break;
      case 'DateCreated>':
        tests.push((r) => r.createdAt.getTime() >= at);
        break;
      default:
        name satisfies never;
    }
  }
  return (r) => tests.every((test) => test(r));
}

/** `YYYY-MM-DD` (midnight GMT) or an ISO date-time with a zone; anything else is rejected. */
function parseInstant(value: string): number | null {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;
  if (!iso.test(value)) return null;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : ms;
}
