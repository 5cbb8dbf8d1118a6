/**
 * File names that survive Windows, macOS, Linux and FAT32/exFAT USB sticks.
 *
 * Policy (decided for the album):
 * - Japanese stays as written, in NFC; half-width katakana (ﾃﾞ) becomes full-width (デ), as the
 *   couple would write it.
 * - Windows-reserved characters `<>:"/\|?*` and control characters become a space (runs collapse).
 * - Emoji are dropped from file names (old car stereos and iPods show them as boxes, and ZWJ
 *   sequences make lengths unpredictable); the ID3 title keeps them.
 * - Reserved device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, any case, with or without an
 *   extension) get a trailing "_"; leading/trailing dots and spaces are removed.
 * - The title part is cut to 100 UTF-16 units and 180 UTF-8 bytes at a character boundary, so
 *   a whole name stays well under 255 units (FAT/exFAT/NTFS) and 255 bytes (ext4, APFS).
 */

// Control characters are exactly what must go; the pattern names them on purpose.
// eslint-disable-next-line no-control-regex
const RESERVED_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]+/gu;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{1F3FB}-\u{1F3FF}]|\u200d|\ufe0e|\ufe0f|\u20e3/gu;
const HALF_WIDTH_KATAKANA = /[\uff61-\uff9f]+/g;
const DEVICE_NAME = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const MAX_TITLE_UNITS = 100;
const MAX_TITLE_BYTES = 180;

/** `text` made safe to be part of a file name (may be empty when nothing usable is left). */
export function safeNamePart(text: string, limits: { readonly units: number; readonly bytes: number } = { units: MAX_TITLE_UNITS, bytes: MAX_TITLE_BYTES }): string {
  const cleaned = text
    .replace(HALF_WIDTH_KATAKANA, (run) => run.normalize('NFKC'))
    .normalize('NFC')
    .replace(EMOJI, ' ')
    .replace(RESERVED_CHARS, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return trimEdges(truncate(cleaned, limits.units, limits.bytes));
}

/** A whole file name: `stem` made safe (device names escaped) plus `extension` (e.g. ".mp3"). */
export function safeFileName(stem: string, extension: string, fallback: string): string {
  let safe = safeNamePart(stem) || safeNamePart(fallback) || 'untitled';
  // Windows treats "CON.txt" as the console too: check the part before the first dot.
  const firstDot = safe.indexOf('.');
  const head = firstDot < 0 ? safe : safe.slice(0, firstDot);
  if (DEVICE_NAME.test(head.trim())) safe = `${head}_${safe.slice(head.length)}`;
  return `${safe}${extension}`;
}

/** `01 - 名前.mp3`: the number is padded to at least two digits (more for 100+ tracks). */
export function trackFileName(track: number, trackCount: number, title: string, fallbackTitle: string): string {
  const number = String(track).padStart(Math.max(2, String(trackCount).length), '0');
  const part = safeNamePart(title) || safeNamePart(fallbackTitle);
  return safeFileName(part ? `${number} - ${part}` : number, '.mp3', number);
}

/**
 * Makes `names` unique the way file systems compare them (case-insensitive, NFC): later
 * duplicates get " (2)", " (3)", … before the extension.
 */
export function uniqueFileNames(names: readonly string[]): readonly string[] {
  const taken = new Set<string>();
  const key = (name: string) => name.normalize('NFC').toLowerCase();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const extension = dot > 0 ? name.slice(dot) : '';
    let candidate = name;
    for (let n = 2; taken.has(key(candidate)); n++) candidate = `${stem} (${n})${extension}`;
    taken.add(key(candidate));
    return candidate;
  });
}

/** Cuts at whole characters (graphemes) so no surrogate pair or voiced mark is split. */
function truncate(text: string, maxUnits: number, maxBytes: number): string {
  if (text.length <= maxUnits && Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  for (const { segment } of new Intl.Segmenter('ja', { granularity: 'grapheme' }).segment(text)) {
    if (out.length + segment.length > maxUnits || Buffer.byteLength(out + segment) > maxBytes) break;
    out += segment;
  }
  return out;
}

function trimEdges(text: string): string {
  return text.replace(/^[\s.]+|[\s.]+$/gu, '');
}
