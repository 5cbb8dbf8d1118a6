import { toE164 } from '../call-flow/phone-number.ts';
import type { Bilingual } from '../user-error.ts';
import { UserError } from '../user-error.ts';
import { GUEST_COLUMNS, isYes, mapHeaders, type GuestColumn } from './guest-columns.ts';
import type { GuestDraft } from './guest-types.ts';
import { decodeText, type TextEncodingName } from './decode-text.ts';
import { detectDelimiter, parseDelimited, type Delimiter, type TableRow } from './delimited.ts';

/** Where an import comes from: a file's bytes, or cells pasted from a spreadsheet. */
export type GuestImportSource = { readonly kind: 'file'; readonly bytes: Uint8Array } | { readonly kind: 'text'; readonly text: string };

/** A row that could not be read: its line, what it said, and why (shown before anything is saved). */
export interface ImportProblem {
  readonly line: number;
  readonly text: string;
  readonly reason: Bilingual & { readonly code: string };
}

/** What an import would add: shown as a preview; saving re-reads the same source. */
export interface ImportPreview {
  readonly encoding: TextEncodingName | 'pasted';
  readonly delimiter: 'comma' | 'tab' | 'semicolon';
  /** The header of each recognised column, or null when the table has no header row. */
  readonly columns: Partial<Record<GuestColumn, string>> & { readonly headerRow: boolean };
  readonly guests: readonly (GuestDraft & { readonly line: number })[];
  readonly problems: readonly ImportProblem[];
}

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 2000;

/** Reads a guest table; pure (saves nothing), so the preview and the import see the same rows. */
export function readGuestTable(source: GuestImportSource, defaultCountryCode: string): ImportPreview {
  const size = source.kind === 'file' ? source.bytes.length : source.text.length;
  if (size > MAX_IMPORT_BYTES) {
    throw new UserError('guests-file-too-large', {
      en: 'This list is too large (over 2 MB). Keep only the name, phone, group and note columns and try again.',
      ja: 'リストが大きすぎます（2 MB 超）。名前・電話・グループ・メモの列だけにしてもう一度お試しください。',
    });
  }
  const decoded = source.kind === 'file' ? decodeText(source.bytes) : { text: source.text.replace(/^\uFEFF/, ''), encoding: 'pasted' as const };
  const delimiter = detectDelimiter(decoded.text);
  const rows = parseDelimited(decoded.text, delimiter).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) {
    throw new UserError('guests-empty', {
      en: 'There is nothing to import: the list is empty. Choose another file or paste the cells again.',
      ja: '読み込むものがありません（リストが空です）。別のファイルを選ぶか、セルを貼り付け直してください。',
    });
  }
  const header = mapHeaders(rows[0]?.cells ?? []);
  // Any recognised header makes the first row a header row (then it must name the name column).
  const headerRow = Object.keys(header).length > 0;
  const mapping = headerRow ? header : guessColumns(rows, defaultCountryCode);
  if (mapping.name === undefined) {
    throw new UserError('guests-no-name-column', {
      en: 'No name column was found. Give the columns a header row — 名前 or name, 電話 or phone, グループ or group, メモ or note — and try again.',
      ja: '名前の列が見つかりません。1 行目に見出し（名前・電話・グループ・メモ、または name・phone・group・note）を付けてもう一度お試しください。',
    });
  }
  const dataRows = headerRow ? rows.slice(1) : rows;
  if (dataRows.length > MAX_IMPORT_ROWS) {
    throw new UserError('guests-too-many', {
      en: `This list has ${dataRows.length} rows; up to ${MAX_IMPORT_ROWS} can be imported at once. Split it and import each part.`,
      ja: `このリストは ${dataRows.length} 行あります。一度に読み込めるのは ${MAX_IMPORT_ROWS} 行までです。分けて読み込んでください。`,
    });
  }
  const guests: (GuestDraft & { line: number })[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  for (const row of dataRows) {
    const result = readRow(row, mapping, defaultCountryCode);
    if ('reason' in result) {
      problems.push(result);
      continue;
    }
    const key = `${result.name}\u0000${result.phone ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(problem(row, 'guests-row-duplicate', { en: `Same name and number as line ${earlier}; imported once.`, ja: `${earlier} 行目と同じ名前・番号です（1 回だけ読み込みます）。` }));
      continue;
    }
    seen.set(key, row.line);
    guests.push({ ...result, line: row.line });
  }
  const headerCells = rows[0]?.cells ?? [];
  const columns: Partial<Record<GuestColumn, string>> = {};
  for (const column of GUEST_COLUMNS) {
    const index = mapping[column];
    if (index !== undefined) columns[column] = headerRow ? (headerCells[index] ?? '').trim() : `#${index + 1}`;
  }
  return { encoding: decoded.encoding, delimiter: delimiterName(delimiter), columns: { ...columns, headerRow }, guests, problems };
}

/** Normalises one phone cell: '' → no number; null when it isn't one. */
export function normalisePhone(raw: string, defaultCountryCode: string): { readonly phone: string | null } | null {
  const value = raw.normalize('NFKC').trim();
  if (value === '' || /^[-‐ー―—－/]+$|^(なし|無し|none|n\/a|na|未定)$/i.test(value)) return { phone: null };
  // Only a number with its usual punctuation; "TEL:" or a note in the cell isn't guessed at.
  if (!/^\+?[0-9()\-\s.]+$/.test(value)) return null;
  const e164 = toE164(value, defaultCountryCode);
  const digits = e164 === null ? 0 : e164.length - 1;
  return e164 !== null && digits >= 8 && digits <= 15 ? { phone: e164 } : null;
}

function readRow(row: TableRow, mapping: Partial<Record<GuestColumn, number>>, defaultCountryCode: string): GuestDraft | ImportProblem {
  if (row.unclosedQuote) return problem(row, 'guests-row-unclosed-quote', { en: 'A quotation mark (") opens here and never closes; everything after it was one cell.', ja: 'ここで引用符（"）が開いたまま閉じていません。以降がひとつのセルになっています。' });
  const cell = (column: GuestColumn) => {
    const index = mapping[column];
    return index === undefined ? '' : unguard(row.cells[index] ?? '').trim();
  };
  const name = cell('name').normalize('NFC').replace(/\s+/g, ' ');
  if (name === '') return problem(row, 'guests-row-no-name', { en: 'No name in this row.', ja: 'この行には名前がありません。' });
  if (name.length > 100) return problem(row, 'guests-row-name-too-long', { en: 'The name is longer than 100 characters.', ja: '名前が 100 文字を超えています。' });
  const phoneInput = cell('phone').normalize('NFKC');
  const phone = normalisePhone(phoneInput, defaultCountryCode);
  if (phone === null) return problem(row, 'guests-row-bad-phone', { en: `"${phoneInput}" is not a phone number.`, ja: `「${phoneInput}」は電話番号として読めません。` });
  return {
    name,
    phoneInput: phone.phone === null ? '' : phoneInput,
    phone: phone.phone,
    group: cell('group').normalize('NFC').slice(0, 60),
    note: cell('note').normalize('NFC').slice(0, 500),
    declined: isYes(cell('declined')),
  };
}

/** A table without a header row (a pasted block): the column whose cells read as phone numbers is the phone, the first other one the name, then group and note. */
function guessColumns(rows: readonly TableRow[], defaultCountryCode: string): Partial<Record<GuestColumn, number>> {
  const width = Math.max(...rows.map((r) => r.cells.length));
  const phoneLike = (i: number) => rows.filter((r) => (r.cells[i] ?? '').trim() !== '' && normalisePhone(r.cells[i] ?? '', defaultCountryCode)?.phone).length;
  let phone: number | undefined;
  for (let i = 0; i < width; i++) if (phoneLike(i) > 0 && phoneLike(i) >= rows.length / 2 && (phone === undefined || phoneLike(i) > phoneLike(phone))) phone = i;
  const others = Array.from({ length: width }, (_, i) => i).filter((i) => i !== phone);
  const mapping: Partial<Record<GuestColumn, number>> = {};
  if (others[0] !== undefined) mapping.name = others[0];
  if (phone !== undefined) mapping.phone = phone;
  if (others[1] !== undefined) mapping.group = others[1];
  if (others[2] !== undefined) mapping.note = others[2];
  return mapping;
}

/** Our CSV export guards cells Excel would run as formulas with a leading apostrophe; reading back removes it. */
function unguard(cell: string): string {
  return /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

function problem(row: TableRow, code: string, reason: Bilingual): ImportProblem {
  return { line: row.line, text: row.cells.join(' | ').slice(0, 200), reason: { code, ...reason } };
}

function delimiterName(d: Delimiter): ImportPreview['delimiter'] {
  return d === '\t' ? 'tab' : d === ';' ? 'semicolon' : 'comma';
}
