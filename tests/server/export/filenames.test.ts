import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeFileName, safeNamePart, trackFileName, uniqueFileNames } from '../../../server/export/filenames.ts';

// Control characters are what the check is about.
// eslint-disable-next-line no-control-regex
const WINDOWS_UNSAFE = /[<>:"/\\|?*\u0000-\u001f]/;
const DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i;

function assertPortable(name: string): void {
  assert.doesNotMatch(name, WINDOWS_UNSAFE, name);
  assert.doesNotMatch(name, DEVICE, name);
  assert.doesNotMatch(name, /[. ]$/, name);
  assert.ok(name.length <= 255 && Buffer.byteLength(name) <= 255, `${name.length} units, ${Buffer.byteLength(name)} bytes`);
  assert.equal(name, name.normalize('NFC'));
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(name), 'no split surrogate pair');
}

test('reserved device names are escaped, any case, with or without an extension', () => {
  for (const stem of ['CON', 'con', 'Aux', 'nul', 'COM1', 'lpt9', 'con.txt', 'PRN.tar']) {
    const name = safeFileName(stem, '.zip', 'album');
    assertPortable(name);
  }
  assert.equal(safeFileName('CON', '.zip', 'album'), 'CON_.zip');
  assert.equal(trackFileName(1, 3, 'CON', 'x'), '01 - CON.mp3'); // the number prefix already makes it safe
  assert.equal(safeFileName('CONSOLE', '.mp3', 'x'), 'CONSOLE.mp3');
});

test('reserved characters and control characters become spaces', () => {
  assert.equal(trackFileName(2, 12, 'a/b:c?', 'x'), '02 - a b c.mp3');
  assert.equal(safeNamePart('x<y>z"w\\v|u*t\u0001s\u007f'), 'x y z w v u t s');
  assert.equal(safeNamePart('  .hidden name...  '), 'hidden name');
});

test('a 300-character name is cut to 100 units and 180 bytes without splitting characters', () => {
  const latin = trackFileName(3, 12, 'x'.repeat(300), 'x');
  assertPortable(latin);
  assert.equal(latin, `03 - ${'x'.repeat(95)}.mp3`); // the whole stem stays at 100 units
  const japanese = trackFileName(3, 12, 'お'.repeat(300), 'x');
  assertPortable(japanese);
  assert.equal(japanese, `03 - ${'お'.repeat(58)}.mp3`); // 5 + 58 × 3 = 179 bytes ≤ 180
  const emojiHeavy = trackFileName(3, 12, `${'あ'.repeat(59)}ガ`.repeat(5), 'x');
  assertPortable(emojiHeavy);
});

test('emoji are dropped from file names (consistently); an all-emoji name falls back', () => {
  assert.equal(trackFileName(4, 12, '🎉おめでとう👨‍👩‍👧🇯🇵', 'x'), '04 - おめでとう.mp3');
  assert.equal(trackFileName(5, 12, '😀', 'メッセージ 5'), '05 - メッセージ 5.mp3');
  assert.equal(trackFileName(6, 12, 'ハート❤️です', 'x'), '06 - ハート です.mp3');
});

test('decomposed and half-width kana come out as composed NFC', () => {
  assert.equal(trackFileName(7, 12, 'テ\u3099ンワ', 'x'), '07 - デンワ.mp3');
  assert.equal(trackFileName(7, 12, 'ﾃﾞﾝﾜ', 'x'), '07 - デンワ.mp3');
  assert.equal(trackFileName(7, 12, 'カ\u3099ッコウ'.normalize('NFD'), 'x'), '07 - ガッコウ.mp3');
});

test('names are unique the way file systems compare them (case, normalisation)', () => {
  const names = uniqueFileNames(['01 - a.mp3', '01 - A.mp3', '01 - a.mp3', '01 - テ\u3099.mp3', '01 - デ.mp3']);
  assert.deepEqual(names, ['01 - a.mp3', '01 - A (2).mp3', '01 - a (3).mp3', '01 - テ\u3099.mp3', '01 - デ (2).mp3']);
  assert.equal(new Set(names.map((n) => n.normalize('NFC').toLowerCase())).size, names.length);
});

test('track numbers are padded to the album size', () => {
  assert.equal(trackFileName(7, 120, '名前', 'x'), '007 - 名前.mp3');
});
