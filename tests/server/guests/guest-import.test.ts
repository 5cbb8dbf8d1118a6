import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { guestsToCsv } from '../../../server/guests/guest-export.ts';
import { readGuestTable } from '../../../server/guests/guest-import.ts';
import { UserError } from '../../../server/user-error.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
/** Written by `iconv -t CP932` — what Japanese Excel's "CSV" save gives. */
const excelSjis = readFileSync(join(fixtures, 'guests-excel-sjis.csv'));
const utf8Text = new TextDecoder('shift_jis').decode(excelSjis);
const file = (bytes: Uint8Array) => ({ kind: 'file' as const, bytes });

function expectJapaneseList(preview: ReturnType<typeof readGuestTable>) {
  assert.deepEqual(
    preview.guests.map((g) => [g.name, g.phone, g.group, g.note]),
    [
      ['髙橋 一郎', '+819012345678', '新郎友人', '大学のゼミ'],
      ['佐藤 花子', '+818022223333', '新婦友人', ''],
      ['鈴木 美咲', '+14155550100', '新婦友人', 'アメリカ在住, 時差あり'],
    ],
  );
  assert.deepEqual(
    preview.problems.map((p) => [p.line, p.reason.code]),
    [
      [4, 'guests-row-bad-phone'],
      [5, 'guests-row-no-name'],
    ],
  );
  assert.match(preview.problems[0]?.reason.ja ?? '', /まだ聞いてない/);
  assert.deepEqual(preview.columns, { name: '名前', phone: '携帯電話', group: 'グループ', note: 'メモ', headerRow: true });
}

describe('guest list import', () => {
  it('reads a Shift_JIS file from Japanese Excel (including 髙 and full-width digits)', () => {
    assert.ok(!excelSjis.includes(Buffer.from('名前')), 'the fixture really is not UTF-8');
    const preview = readGuestTable(file(excelSjis), '81');
    assert.equal(preview.encoding, 'shift_jis');
    expectJapaneseList(preview);
  });

  it('reads the same list as UTF-8 and as UTF-8 with a BOM', () => {
    const plain = readGuestTable(file(Buffer.from(utf8Text, 'utf8')), '81');
    assert.equal(plain.encoding, 'utf-8');
    expectJapaneseList(plain);
    const bom = readGuestTable(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8Text, 'utf8')])), '81');
    assert.equal(bom.encoding, 'utf-8-bom');
    expectJapaneseList(bom);
  });

  it("reads Excel's UTF-16 \"Unicode text\" (tab-separated)", () => {
    const tsv = utf8Text.replaceAll(',', '\t').replace('"アメリカ在住\t 時差あり"', 'アメリカ在住, 時差あり');
    const preview = readGuestTable(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')])), '81');
    assert.equal(preview.encoding, 'utf-16le');
    assert.equal(preview.delimiter, 'tab');
    expectJapaneseList(preview);
  });

  it('reads a block pasted from a spreadsheet, with English headers in any order', () => {
    const pasted = 'Group\tName\tMobile\tNotes\nBride friends\tEmma Stone\t(415) 555-0101\t"likes\nlong messages"\nWork\tJohn Smith\t\t\n\t\t\t\n';
    const preview = readGuestTable({ kind: 'text', text: pasted }, '1');
    assert.equal(preview.encoding, 'pasted');
    assert.deepEqual(
      preview.guests.map((g) => [g.line, g.name, g.phone, g.group, g.note]),
      [
        [2, 'Emma Stone', '+14155550101', 'Bride friends', 'likes\nlong messages'],
        [4, 'John Smith', null, 'Work', ''],
      ],
    );
    assert.deepEqual(preview.problems, []);
  });

  it('reads a pasted block without a header row: the column of phone numbers is the phone, the first other the name', () => {
    const preview = readGuestTable({ kind: 'text', text: '山田 太郎\t090-1111-2222\t新郎友人\n山田 花子\t090-1111-2222\t新郎友人\n' }, '81');
    assert.equal(preview.columns.headerRow, false);
    // A couple sharing one number: both are guests.
    assert.deepEqual(
      preview.guests.map((g) => [g.name, g.phone, g.group]),
      [
        ['山田 太郎', '+819011112222', '新郎友人'],
        ['山田 花子', '+819011112222', '新郎友人'],
      ],
    );
  });

  it('lists broken rows with the reason and imports the rest', () => {
    const text = 'name,phone\nAiko,090-1234-5678\nAiko,090-1234-5678\nBen,12\nCara,"090-0000-1111\nDan,090-2222-3333\n';
    const preview = readGuestTable({ kind: 'text', text }, '81');
    assert.deepEqual(preview.guests.map((g) => g.name), ['Aiko']);
    assert.deepEqual(
      preview.problems.map((p) => [p.line, p.reason.code]),
      [
        [3, 'guests-row-duplicate'],
        [4, 'guests-row-bad-phone'],
        [5, 'guests-row-unclosed-quote'],
      ],
    );
    for (const p of preview.problems) assert.ok(p.reason.en.length > 10 && p.reason.ja.length > 5, 'a reason in both languages');
  });

  it('refuses what is not a list, saying what to do', () => {
    const refuses = (source: Parameters<typeof readGuestTable>[0], code: string) =>
      assert.throws(() => readGuestTable(source, '81'), (e: unknown) => e instanceof UserError && e.code === code && /CSV|見出し|空|貼り付け/.test(e.text.ja));
    refuses(file(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0])), 'guests-file-is-workbook');
    refuses(file(Buffer.from([0x81, 0xff, 0xfe, 0x80, 0xa0, 0xef])), 'guests-file-unreadable');
    refuses({ kind: 'text', text: '\n\n' }, 'guests-empty');
    refuses({ kind: 'text', text: '電話,グループ\n090-1234-5678,会社\n' }, 'guests-no-name-column');
  });

  it('exports CSV with a BOM that reads back to the same list, formulas defused', () => {
    const guests = [
      { id: 1, name: '=HYPERLINK("x")', phoneInput: '090-1234-5678', phone: '+819012345678', group: '新郎友人', note: 'a "quoted", note', declined: false },
      { id: 2, name: '髙橋 一郎', phoneInput: '+1 415 555 0100', phone: '+14155550100', group: '', note: 'line\nbreak', declined: true },
    ];
    const csv = guestsToCsv(guests, 'ja');
    assert.ok(csv.startsWith('\uFEFF名前,電話,グループ,メモ,不参加\r\n'));
    assert.ok(csv.includes(`"'=HYPERLINK(""x"")"`), 'Excel shows the formula as text');
    const back = readGuestTable(file(Buffer.from(csv, 'utf8')), '81');
    assert.deepEqual(back.problems, []);
    assert.deepEqual(
      back.guests.map(({ line: _line, ...g }) => g),
      guests.map(({ id: _id, ...g }) => g),
    );
  });
});
