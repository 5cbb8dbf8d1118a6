import { UserError } from '../user-error.ts';

/** How a guest-list file was written: what the preview tells the organiser. */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'shift_jis';

/**
 * Decodes a CSV/TSV file as Excel, Google Sheets and Numbers write them: UTF-8 with or without
 * a BOM, UTF-16LE (Excel's "Unicode text"), or Shift_JIS (Japanese Excel's "CSV"). UTF-8 is
 * tried strictly first: Shift_JIS bytes are almost never valid UTF-8, so the first decoder
 * that accepts every byte is the right one.
 */
export function decodeText(bytes: Uint8Array): { readonly text: string; readonly encoding: TextEncodingName } {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new UserError('guests-file-is-workbook', {
      en: 'This is an Excel workbook (.xlsx), not a CSV file. In Excel choose File → Save As → "CSV UTF-8", then import that file — or copy the cells and paste them here.',
      ja: 'これは Excel のブック（.xlsx）で、CSV ファイルではありません。Excel で「ファイル → 名前を付けて保存 →『CSV UTF-8』」で保存してから読み込むか、セルをコピーしてここに貼り付けてください。',
    });
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: strict('utf-8', bytes.subarray(3)) ?? unreadable(), encoding: 'utf-8-bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: strict('utf-16le', bytes.subarray(2)) ?? unreadable(), encoding: 'utf-16le' };
  const utf8 = strict('utf-8', bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  const sjis = strict('shift_jis', bytes);
  if (sjis !== null) return { text: sjis, encoding: 'shift_jis' };
  return unreadable();
}

function strict(label: string, bytes: Uint8Array): string | null {
  try {
    // ignoreBOM: a BOM was handled above; any other one is content we'd rather not hide.
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function unreadable(): never {
  throw new UserError('guests-file-unreadable', {
    en: "This file's text can't be read (it is not UTF-8 or Shift_JIS text). Save it from your spreadsheet as \"CSV UTF-8\" and import it again, or paste the cells here.",
    ja: 'このファイルの文字を読み取れません（UTF-8 でも Shift_JIS でもありません）。表計算ソフトで「CSV UTF-8」として保存し直してから読み込むか、セルをここに貼り付けてください。',
  });
}
