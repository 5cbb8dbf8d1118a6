import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';

const sjisFile = readFileSync(join(import.meta.dirname, 'fixtures', 'guests-excel-sjis.csv'));

describe('guest list through the organiser API', () => {
  let app: OrganiserApp;
  before(async () => {
    app = await startOrganiserApp();
    // The line's default country decides what 090-… means.
    await app.rpc('saveFlowSettings', { settings: { ...app.core.settings.flow(), defaultCountryCode: '81' } });
  });
  after(() => app.close());

  const guests = async () => (await app.rpcValue('getGuests', {})).guests;
  const source = { kind: 'file' as const, fileName: 'ゲスト.csv', dataBase64: sjisFile.toString('base64') };

  it('previews an import without saving anything, then imports the readable rows', async () => {
    const value = await app.rpcValue('previewGuestImport', { source });
    assert.equal(value.encoding, 'shift_jis');
    assert.equal(value.guests.length, 3);
    assert.deepEqual(value.problems.map((p) => p.line), [4, 5]);
    assert.deepEqual(await guests(), [], 'the preview saved nothing');

    const imported = await app.rpcValue('importGuests', { source });
    assert.deepEqual([imported.added, imported.alreadyListed, imported.problems.length], [3, 0, 2]);
    assert.deepEqual((await guests()).map((g) => [g.name, g.phone]), [
      ['髙橋 一郎', '+819012345678'],
      ['佐藤 花子', '+818022223333'],
      ['鈴木 美咲', '+14155550100'],
    ]);
    // Importing the same file again doubles nobody.
    const again = await app.rpcValue('importGuests', { source });
    assert.deepEqual([again.added, again.alreadyListed], [0, 3]);
  });

  it('adds, edits and deletes guests by hand; two guests may share a number', async () => {
    await app.rpc('addGuest', { name: '山田 太郎', phone: '090-5555-6666', group: '会社' });
    const added = await app.rpc('addGuest', { name: '山田 花子', phone: '+81 90 5555 6666', group: '会社' });
    assert.equal(added.body.ok, true);
    const couple = (await guests()).filter((g) => g.name.startsWith('山田'));
    assert.deepEqual(couple.map((g) => g.phone), ['+819055556666', '+819055556666']);

    const hanako = couple[1];
    assert.ok(hanako);
    await app.rpc('updateGuest', { id: hanako.id, name: '山田 花子', phone: '090-5555-6666', group: '会社', note: '奥さま', declined: true });
    const edited = (await guests()).find((g) => g.id === hanako.id);
    assert.deepEqual([edited?.note, edited?.declined, edited?.phoneInput], ['奥さま', true, '090-5555-6666']);

    await app.rpc('deleteGuest', { id: hanako.id });
    assert.equal((await guests()).some((g) => g.id === hanako.id), false);
    const gone = await app.rpc('deleteGuest', { id: hanako.id });
    assert.equal(gone.body.error?.code, 'guest-not-found');
  });

  it('refuses a bad number or a missing name and changes nothing', async () => {
    const before = await guests();
    const badPhone = await app.rpc('addGuest', { name: 'X', phone: 'call me' });
    assert.equal(badPhone.body.error?.code, 'guest-bad-phone');
    assert.match(badPhone.body.error?.ja ?? '', /090-1234-5678/);
    const noName = await app.rpc('addGuest', { name: '  ', phone: '090-1111-2222' });
    assert.equal(noName.body.error?.code, 'bad-input');
    const workbook = await app.rpc('importGuests', { source: { kind: 'file', fileName: 'list.xlsx', dataBase64: Buffer.from('PK\u0003\u0004rest').toString('base64') } });
    assert.equal(workbook.body.error?.code, 'guests-file-is-workbook');
    assert.deepEqual(await guests(), before);
  });

  it('exports a CSV Excel opens (UTF-8 with BOM) that imports back as the same list', async () => {
    const exported = await app.rpcValue('exportGuests', {});
    assert.match(exported.fileName, /\.csv$/);
    assert.ok(exported.text.startsWith('\uFEFF'));
    const preview = await app.rpcValue('previewGuestImport', { source: { kind: 'file', fileName: exported.fileName, dataBase64: Buffer.from(exported.text, 'utf8').toString('base64') } });
    assert.deepEqual(preview.problems, []);
    assert.deepEqual(
      preview.guests.map((g) => [g.name, g.phone, g.group, g.note, g.declined]),
      (await guests()).map((g) => [g.name, g.phone, g.group, g.note, g.declined]),
    );
  });
});
