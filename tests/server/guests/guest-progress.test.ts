import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callOrganiserApp } from '../../support/call-organiser-app.ts';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';
import { hangUpWhileRecording } from '../../support/script.ts';

describe("who hasn't left a message yet", () => {
  let app: OrganiserApp;
  before(async () => {
    app = await startOrganiserApp();
    await app.rpc('saveFlowSettings', { settings: { ...app.core.settings.flow(), defaultCountryCode: '81' } });
    const text = ['名前\t電話\tグループ', '髙橋 一郎\t090-1111-0001\t新郎友人', '伊藤 次郎\t090-1111-0002\t新郎友人', '佐藤 花子\t090-2222-0001\t新婦友人', '山田 太郎\t090-3333-0001\t会社', '山田 花子\t090-3333-0001\t会社'].join('\n');
    await app.rpc('importGuests', { source: { kind: 'text', text } });
  });
  after(() => app.close());

  const progress = async () => (await app.rpcValue('getState', {})).guests;
  const byGroup = async () => Object.fromEntries((await progress()).groups.map((g) => [g.group, [g.done, g.expected, g.notYet.map((n) => n.name)]]));
  const call = (from: string, steps?: Parameters<typeof callOrganiserApp>[2]) => callOrganiserApp(app, from, steps);

  it('starts with everyone not yet, by group', async () => {
    assert.deepEqual(await byGroup(), {
      新郎友人: [0, 2, ['髙橋 一郎', '伊藤 次郎']],
      新婦友人: [0, 1, ['佐藤 花子']],
      会社: [0, 2, ['山田 太郎', '山田 花子']],
    });
  });

  it('moves as messages arrive; a call that left nothing does not count', async () => {
    await call('+819011110001');
    await call('+819022220001', [hangUpWhileRecording]);
    assert.deepEqual((await byGroup())['新郎友人'], [1, 2, ['伊藤 次郎']]);
    assert.deepEqual((await byGroup())['新婦友人'], [0, 1, ['佐藤 花子']]);
    assert.equal((await progress()).done, 1);
  });

  it('a shared number counts once the organiser says who it was', async () => {
    await call('+819033330001');
    assert.equal((await progress()).toAsk, 1);
    assert.deepEqual((await byGroup())['会社'], [0, 2, ['山田 太郎', '山田 花子']]);
    const { entries } = await app.rpcValue('getLibrary', {});
    const shared = entries.find((e) => e.callerNumber === '+819033330001' && e.guest.kind === 'shared');
    const guests = (await app.rpcValue('getGuests', {})).guests;
    const hanako = guests.find((g) => g.name === '山田 花子');
    assert.ok(shared && hanako);
    await app.rpc('chooseTakeGuest', { recordingSid: shared.recordingSid, choice: { kind: 'guest', guestId: hanako.id } });
    assert.equal((await progress()).toAsk, 0);
    assert.deepEqual((await byGroup())['会社'], [1, 2, ['山田 太郎']]);
  });

  it("drops guests marked \"won't take part\" out of the count", async () => {
    const guests = (await app.rpcValue('getGuests', {})).guests;
    const jiro = guests.find((g) => g.name === '伊藤 次郎');
    assert.ok(jiro);
    await app.rpc('updateGuest', { id: jiro.id, name: '伊藤 次郎', phone: '090-1111-0002', group: '新郎友人', declined: true });
    assert.deepEqual((await byGroup())['新郎友人'], [1, 1, []]);
    assert.deepEqual([(await progress()).expected, (await progress()).declined], [4, 1]);
  });
});
