import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { ACCOUNTS, get, MAIN, sdk, wav } from './fixtures.ts';

const CALL = `CA${'7'.repeat(32)}`;

describe('emulated recordings', () => {
  let emulator: TwilioEmulator;
  before(async () => {
    // Far longer than any test runs: "still processing" never depends on how fast the machine is.
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS, mediaDelayMs: 60 * 60_000 }).start();
  });
  after(() => emulator.stop());
  const client = () => sdk(MAIN, emulator.url);

  it('are "processing" with no media until the media delay has passed, then "completed"', async () => {
    const fresh = emulator.addRecording({ accountSid: MAIN.sid, callSid: CALL, wav: wav(1), durationSeconds: 1 });
    assert.equal((await client().recordings(fresh.recordingSid).fetch()).status, 'processing');
    assert.equal((await get(`${fresh.recordingUrl}.wav`)).status, 404);
    // Made a little over the media delay ago: processed.
    const added = emulator.addRecording({ accountSid: MAIN.sid, callSid: CALL, wav: wav(1), durationSeconds: 1, createdAt: new Date(Date.now() - 60 * 60_000 - 1000) });
    await added.ready;
    assert.equal((await client().recordings(added.recordingSid).fetch()).status, 'completed');
    assert.equal((await get(`${added.recordingUrl}.wav`)).status, 200);
    const bare = await get(added.recordingUrl);
    assert.equal(bare.headers.get('content-type'), 'audio/x-wav', 'the bare media URL is WAV, like Twilio');
  });

  it('page on from a record even if it was deleted meanwhile, skipping nothing', async () => {
    const past = Date.now() - 60_000;
    const sids = [0, 1, 2, 3, 4].map(
      (i) => emulator.addRecording({ accountSid: MAIN.sid, callSid: `CA${'8'.repeat(32)}`, wav: wav(1), durationSeconds: 1, createdAt: new Date(past - i * 1000) }).recordingSid,
    );
    const first = await client().recordings.page({ callSid: `CA${'8'.repeat(32)}`, pageSize: 2 });
    assert.deepEqual(first.instances.map((r) => r.sid), sids.slice(0, 2));
    await client().recordings(sids[1] ?? '').remove();
    const second = await first.nextPage();
    assert.deepEqual(second?.instances.map((r) => r.sid), sids.slice(2, 4));
    const third = await second?.nextPage();
    assert.deepEqual(third?.instances.map((r) => r.sid), sids.slice(4));
    assert.equal(third?.nextPageUrl, undefined, 'the last page has no next_page_uri');
  });

  it('take DateCreated filters as YYYY-MM-DD too (DateCreated>=… is the parameter "DateCreated>"), and refuse a non-date', async () => {
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    const old = emulator.addRecording({ accountSid: MAIN.sid, callSid: `CA${'9'.repeat(32)}`, wav: wav(1), durationSeconds: 1, createdAt: twoDaysAgo });
    const day = twoDaysAgo.toISOString().slice(0, 10);
    const list = `${emulator.url}/2010-04-01/Accounts/${MAIN.sid}/Recordings.json?CallSid=CA${'9'.repeat(32)}`;
    const sidsOf = async (query: string) => ((await (await get(`${list}&${query}`)).json()) as { recordings: { sid: string }[] }).recordings.map((r) => r.sid);
    assert.deepEqual(await sidsOf(`DateCreated=${day}`), [old.recordingSid]);
    assert.deepEqual(await sidsOf(`DateCreated>=${day}`), [old.recordingSid]);
    assert.deepEqual(await sidsOf(`DateCreated<=${day}`), [], 'on or before midnight starting that day');
    const bad = await get(`${list}&DateCreated>=yesterday`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /DateCreated>/);
  });

  it("are not visible to another account, and unknown ones are 404", async () => {
    const added = emulator.addRecording({ accountSid: MAIN.sid, callSid: CALL, wav: wav(1), durationSeconds: 1 });
    await assert.rejects(sdk(ACCOUNTS[1], emulator.url).recordings(added.recordingSid).fetch(), { status: 404, code: 20404 });
    await assert.rejects(client().recordings(`RE${'0'.repeat(32)}`).remove(), { status: 404, code: 20404 });
  });
});
