/** One row of a CSV/TSV table and the line it starts on (1-based, for messages to the organiser). */
export interface TableRow {
  readonly line: number;
  readonly cells: readonly string[];
  /** A quoted cell that never closed: the rest of the text was swallowed into it. */
  readonly unclosedQuote: boolean;
}

export type Delimiter = ',' | '\t' | ';';

/**
 * Picks the delimiter from the first line: a tab when there is one (what a spreadsheet puts on
 * the clipboard, and Excel's "Unicode text"), otherwise comma or semicolon (some European Excel).
 */
export function detectDelimiter(text: string): Delimiter {
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  if (firstLine.includes('\t')) return '\t';
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Parses RFC 4180 text (quotes, doubled quotes, line breaks inside quotes; CRLF, LF or CR). */
export function parseDelimited(text: string, delimiter: Delimiter): readonly TableRow[] {
  const rows: TableRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = (unclosedQuote: boolean) => {
    cells.push(cell);
    rows.push({ line: rowLine, cells, unclosedQuote });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow(false);
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) endRow(true);
  else if (cell !== '' || cells.length > 0) endRow(false);
  return rows;
}

/** One CSV line (RFC 4180, CRLF); cells with a delimiter, quote or line break are quoted. */
export function toCsvLine(cells: readonly string[]): string {
  return `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}\r\n`;
}
