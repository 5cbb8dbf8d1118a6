import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addDownloadedTake, messageWav } from '../../support/library-fixture.ts';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';


describe('message library', () => {
  let app: OrganiserApp;
  let aiko1: string;
  let aiko2: string;
  let ken: string;
  let corrupt: string;
  let empty: string;
  before(async () => {
    app = await startOrganiserApp();
    aiko1 = addDownloadedTake(app.core, { from: '+819011110001', wav: messageWav(3) });
    aiko2 = addDownloadedTake(app.core, { from: '+819011110001', wav: messageWav(2), status: 'superseded' });
    ken = addDownloadedTake(app.core, { from: '+819022220002', wav: messageWav(4), status: 'unconfirmed' });
    corrupt = addDownloadedTake(app.core, { from: '+819033330003', wav: Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEjunkjunkjunk')]) });
    empty = addDownloadedTake(app.core, { from: '+819044440004', wav: Buffer.alloc(0) });
  });
  after(() => app.close());

  const library = async () => (await app.rpc('getLibrary', {})).body.value?.entries ?? [];
  const entry = async (sid: string) => (await library()).find((e) => e.recordingSid === sid);

  it('checks every message on arrival, and flags a broken file on that message only', async () => {
    // The checks run on the audio worker: wait for them to finish, not for a time.
    await app.core.libraryService.checkPending();
    assert.ok(app.core.libraryStore.list().every((e) => e.health !== null || e.healthError !== null), 'health checks');
    const all = await library();
    assert.equal(all.length, 5);
    assert.equal((await entry(corrupt))?.healthError, 'recording-unreadable');
    assert.equal((await entry(empty))?.healthError, 'recording-unreadable');
    for (const sid of [aiko1, aiko2, ken]) {
      const e = await entry(sid);
      assert.equal(e?.healthError, null);
      assert.ok(e?.health && e.health.durationSeconds > 3, 'measured');
    }
    const waveform = await app.rpc('getWaveform', { recordingSid: corrupt });
    assert.equal(waveform.body.error?.code, 'recording-unreadable');
    assert.match(waveform.body.error?.en ?? '', /other messages are not affected/);
  });

  it('applies a name typed once to every take from that number', async () => {
    const named = await app.rpc('nameCaller', { number: '+819011110001', name: '  Aiko  ' });
    // The command answers with what it changed, not the whole library.
    assert.deepEqual(named.body.value?.entries.map((e) => e.recordingSid).sort(), [aiko1, aiko2].sort());
    assert.deepEqual([(await entry(aiko1))?.callerName, (await entry(aiko2))?.callerName, (await entry(ken))?.callerName], ['Aiko', 'Aiko', null]);
  });

  it('puts kept messages on the album by default and lets the organiser choose', async () => {
    assert.deepEqual([(await entry(aiko1))?.onAlbum, (await entry(ken))?.onAlbum], [true, false]);
    const updated = await app.rpc('updateTake', { recordingSid: ken, album: 'in', note: 'lovely, from the groom’s uncle' });
    assert.deepEqual(updated.body.value?.entries.map((e) => [e.recordingSid, e.onAlbum]), [[ken, true]]);
    assert.equal((await entry(ken))?.onAlbum, true);
    assert.equal((await entry(ken))?.note, 'lovely, from the groom’s uncle');
  });

  it('moves to trash and back (undo) without losing anything', async () => {
    await app.rpc('updateTake', { recordingSid: aiko1, trashed: true });
    assert.deepEqual([(await entry(aiko1))?.trashed, (await entry(aiko1))?.onAlbum], [true, false]);
    await app.rpc('updateTake', { recordingSid: aiko1, trashed: false });
    assert.deepEqual([(await entry(aiko1))?.trashed, (await entry(aiko1))?.onAlbum], [false, true]);
  });

  it('saves trims at once, refuses impossible ones, and never touches the original file', async () => {
    const file = join(app.dataDir, 'recordings', `${aiko1}.wav`);
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const wave = (await app.rpc('getWaveform', { recordingSid: aiko1 })).body.value;
    assert.ok(wave);
    const peaks = new Int8Array(Buffer.from(wave.peaks, 'base64'));
    assert.ok(Math.abs(peaks.length - wave.durationSeconds * wave.peaksPerSecond) <= 1);
    // 0.6 s of silence, then speech at about a quarter of full scale: quiet peaks first, then ~32/127.
    assert.ok(Math.max(...peaks.slice(0, 50).map(Math.abs)) < 5 && Math.max(...peaks.slice(100, 200).map(Math.abs)) > 20);
    assert.ok(wave.suggested.startSeconds >= 0 && wave.suggested.endSeconds <= wave.durationSeconds && wave.suggested.startSeconds < wave.suggested.endSeconds);
    const edit = { startSeconds: 0.5, endSeconds: 3.7, fadeInSeconds: 0.1, fadeOutSeconds: 0.5, gainDb: 3 };
    assert.equal((await app.rpc('saveEdit', { recordingSid: aiko1, edit })).body.ok, true);
    assert.deepEqual((await entry(aiko1))?.edit, edit);
    const inverted = await app.rpc('saveEdit', { recordingSid: aiko1, edit: { ...edit, startSeconds: 3, endSeconds: 1 } });
    assert.equal(inverted.body.error?.code, 'bad-input');
    const tooLong = await app.rpc('saveEdit', { recordingSid: aiko1, edit: { ...edit, endSeconds: 99 } });
    assert.equal(tooLong.body.error?.code, 'edit-out-of-range');
    assert.deepEqual((await entry(aiko1))?.edit, edit, 'bad input changed nothing');
    assert.equal(createHash('sha256').update(readFileSync(file)).digest('hex'), before);
  });
});
