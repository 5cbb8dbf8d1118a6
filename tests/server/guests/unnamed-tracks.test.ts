import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDownloadedTake, messageWav } from '../../support/library-fixture.ts';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';

describe('album tracks without a name, listed before export', () => {
  let app: OrganiserApp;
  let listed: string;
  let unknown: string;
  before(async () => {
    app = await startOrganiserApp();
    await app.rpc('saveFlowSettings', { settings: { ...app.core.settings.flow(), defaultCountryCode: '81' } });
    listed = addDownloadedTake(app.core, { from: '+819011110001', wav: messageWav(2), createdAt: '2026-11-20T10:00:00.000Z' });
    unknown = addDownloadedTake(app.core, { from: '+819077770000', wav: messageWav(2), createdAt: '2026-11-21T10:00:00.000Z' });
  });
  after(() => app.close());

  const album = () => app.rpcValue('getAlbum', {});

  it("lists the messages that would be titled 'Message N', and a guest-list match names the track", async () => {
    assert.deepEqual((await album()).unnamed.map((u) => [u.position, u.title]), [
      [1, 'メッセージ 1（090-1111-0001）'],
      [2, 'メッセージ 2（090-7777-0000）'],
    ]);
    await app.rpc('addGuest', { name: '髙橋 一郎', phone: '090-1111-0001' });
    const after = await album();
    assert.deepEqual(after.unnamed.map((u) => u.recordingSid), [unknown]);
    assert.equal(after.tracks.find((t) => t.recordingSid === listed)?.title, '髙橋 一郎');
    await app.rpc('nameTake', { recordingSid: unknown, name: 'Ken' });
    assert.deepEqual((await album()).unnamed, []);
  });
});
