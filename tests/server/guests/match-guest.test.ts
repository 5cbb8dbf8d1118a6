import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GuestController } from '../../../server/organiser/guest-controller.ts';
import { trackTitle } from '../../../server/export/track-tags.ts';
import type { Guest } from '../../../server/guests/guest-types.ts';
import { matchGuest, resolveTakeGuest } from '../../../server/guests/match-guest.ts';
import { startLine, type LineHarness } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';

const guest = (id: number, name: string, phone: string | null): Guest => ({ id, name, phone, phoneInput: phone ?? '', group: '', note: '', declined: false });

describe('matching a message to the guest list (pure)', () => {
  const guests = [guest(1, '髙橋 一郎', '+819012345678'), guest(2, '山田 太郎', '+819055556666'), guest(3, '山田 花子', '+819055556666'), guest(4, 'Emma Stone', null)];

  it('matches a number however it is written', () => {
    for (const from of ['+819012345678', '090-1234-5678', '+81 90 1234 5678']) {
      assert.deepEqual(matchGuest(guests, { number: from }, '81'), { kind: 'match', guest: { id: 1, name: '髙橋 一郎', group: '' }, by: 'number' });
    }
  });

  it("asks which guest it was when a couple shares the number", () => {
    const match = matchGuest(guests, { number: '+819055556666' }, '81');
    assert.equal(match.kind, 'shared');
    assert.deepEqual(match.kind === 'shared' ? match.candidates.map((c) => c.name) : [], ['山田 太郎', '山田 花子']);
  });

  it('matches a typed name (a guest-link message) ignoring width, case and spaces; unknown or withheld callers match nobody', () => {
    assert.deepEqual(matchGuest(guests, { number: null, name: 'ｅｍｍａ　stone' }, '81'), { kind: 'match', guest: { id: 4, name: 'Emma Stone', group: '' }, by: 'name' });
    assert.deepEqual(matchGuest(guests, { number: '+819099999999', name: 'Someone' }, '81'), { kind: 'none' });
    assert.deepEqual(matchGuest(guests, { number: 'anonymous' }, '81'), { kind: 'none' });
  });

  it("applies the organiser's choice over the match, and falls back when the chosen guest is gone", () => {
    const shared = matchGuest(guests, { number: '+819055556666' }, '81');
    assert.deepEqual(resolveTakeGuest(shared, 3, guests), { kind: 'chosen', guest: { id: 3, name: '山田 花子', group: '' } });
    assert.deepEqual(resolveTakeGuest(shared, null, guests), { kind: 'not-listed' });
    assert.deepEqual(resolveTakeGuest(shared, 99, guests), shared);
  });
});

describe('a call from a listed number', () => {
  let line: LineHarness;
  let guests: GuestController;
  before(async () => {
    line = await startLine();
    guests = new GuestController({ core: line.core, language: () => 'ja' });
    guests.import({ kind: 'text', text: '名前,電話,グループ\n髙橋 一郎,090-1234-5678,新郎友人\n山田 太郎,090-5555-6666,会社\n山田 花子,090-5555-6666,会社\n' });
  });
  after(() => line.close());

  const entryOf = (callSid: string) => line.core.libraryStore.list().find((e) => e.callSid === callSid);

  it("gets that guest's name in the library and on the album, without typing it", async () => {
    const call = await line.call([speak(3), press('1')], { from: '+819012345678' });
    const entry = entryOf(call.callSid);
    assert.equal(entry?.callerName, '髙橋 一郎');
    assert.equal(entry?.guest.kind, 'match');
    assert.equal(entry && trackTitle(entry, 1), '髙橋 一郎');
    // A name typed by the organiser wins over the list.
    line.core.libraryStore.setCallerName('+819012345678', 'いちろう');
    assert.equal(entryOf(call.callSid)?.callerName, 'いちろう');
  });

  it('asks which guest it was for a shared number, and the answer names that message only', async () => {
    const first = await line.call([speak(3), press('1')], { from: '+819055556666' });
    const second = await line.call([speak(2), press('1')], { from: '+819055556666' });
    const asked = entryOf(first.callSid);
    assert.equal(asked?.guest.kind, 'shared');
    assert.equal(asked?.callerName, null);
    const hanako = guests.view().guests.find((g) => g.name === '山田 花子');
    const firstSid = asked?.recordingSid ?? '';
    guests.chooseTakeGuest(firstSid, hanako?.id);
    assert.equal(entryOf(first.callSid)?.callerName, '山田 花子');
    assert.equal(entryOf(first.callSid)?.guest.kind, 'chosen');
    assert.equal(entryOf(second.callSid)?.guest.kind, 'shared', 'the other message is still asked about');
    // "Not on the list", then back to the automatic match.
    guests.chooseTakeGuest(firstSid, null);
    assert.deepEqual([entryOf(first.callSid)?.guest.kind, entryOf(first.callSid)?.callerName], ['not-listed', null]);
    guests.chooseTakeGuest(firstSid, undefined);
    assert.equal(entryOf(first.callSid)?.guest.kind, 'shared');
  });

  it('a new guest added after the call names it too', async () => {
    const call = await line.call([speak(2), press('1')], { from: '+819077778888' });
    assert.equal(entryOf(call.callSid)?.guest.kind, 'none');
    guests.add({ name: '佐藤 花子', phone: '090-7777-8888' });
    assert.equal(entryOf(call.callSid)?.callerName, '佐藤 花子');
  });
});
