import { EXPORT_HEADERS, GUEST_COLUMNS } from './guest-columns.ts';
import type { Guest } from './guest-types.ts';
import { toCsvLine } from './delimited.ts';

/**
 * The guest list as CSV, UTF-8 with a BOM (without one, Excel opens UTF-8 as Shift_JIS
 * garbage) and CRLF. Cells Excel would run as formulas get a leading apostrophe (OWASP's
 * CSV-injection advice); the importer removes it again.
 */
export function guestsToCsv(guests: readonly Guest[], language: 'ja' | 'en'): string {
  const headers = EXPORT_HEADERS[language];
  const lines = [toCsvLine(GUEST_COLUMNS.map((c) => headers[c]))];
  for (const g of guests) {
    lines.push(toCsvLine([guard(g.name), guard(g.phoneInput || g.phone || ''), guard(g.group), guard(g.note), g.declined ? '1' : '']));
  }
  return `\uFEFF${lines.join('')}`;
}

function guard(cell: string): string {
  return /^[=+\-@]/.test(cell) ? `'${cell}` : cell;
}
