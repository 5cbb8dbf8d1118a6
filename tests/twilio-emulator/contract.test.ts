import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EMULATED_OPERATIONS, TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { scriptedCaller } from '../../server/voice-sim/caller.ts';
import { ffprobe } from '../support/audio-tools.ts';
import { checkRequest, checkResponse, exchangeProblems, findOperation } from '../support/openapi.ts';
import { speak } from '../support/script.ts';
import { ACCOUNTS, get, GUEST, LINE, MAIN, sdk, wav } from './fixtures.ts';
import { startTwimlApp, type TwimlApp } from './twiml-app.ts';

const MEDIA = /^\/2010-04-01\/Accounts\/AC\w{32}\/Recordings\/RE\w{32}(\.wav|\.mp3)?$/;
const DAY = 24 * 60 * 60 * 1000;

describe("the emulator against Twilio's OpenAPI spec", () => {
  it('has a checker that notices wrong parameter names, undeclared fields, wrong types, enums and dates', () => {
    const list = findOperation('GET', `/2010-04-01/Accounts/${MAIN.sid}/Recordings.json`);
    assert.ok(list);
    assert.deepEqual(checkRequest(list, { 'DateCreated>': '2026-11-24', DateCreatedAfter: '2026-11-24' }, {}), [
      'query parameter DateCreatedAfter is not declared by ListRecording',
    ]);
    const fetch = findOperation('GET', `/2010-04-01/Accounts/${MAIN.sid}/Recordings/RE${'0'.repeat(32)}.json`);
    assert.ok(fetch);
    assert.equal(fetch.operation.operationId, 'FetchRecording');
    const problems = checkResponse(fetch, 200, { sid: 'XX1', status: 'done', channels: '1', date_created: '2026-11-24T00:00:00Z', media_uri: 'x', source: null });
    assert.deepEqual(problems, [
      'FetchRecording 200.sid: "XX1" does not match ^RE[0-9a-fA-F]{32}$',
      'FetchRecording 200.status: "done" is not one of in-progress, paused, stopped, processing, completed, absent, deleted',
      'FetchRecording 200.channels: expected integer, got "1"',
      'FetchRecording 200.date_created: "2026-11-24T00:00:00Z" is not an RFC 2822 date',
      'FetchRecording 200: property media_uri is not declared',
      'FetchRecording 200.source: null but not nullable',
    ]);
    assert.ok(checkResponse(fetch, 200, {}, { complete: true }).includes('FetchRecording 200: property media_url is missing'));
    assert.deepEqual(checkResponse(fetch, 404, { code: 20404, message: 'x', more_info: 'y', status: 404 }), []);
    assert.ok(checkResponse(fetch, 404, { error: 'x' }).length > 0, 'an error body must look like Twilio errors');
    assert.equal(findOperation('GET', '/2010-04-01/Accounts/AC1/Nothing.json'), null);
  });

  it('serves only operations the spec has, under their method and operationId, with parameters it declares', () => {
    for (const op of EMULATED_OPERATIONS) {
      const example = op.path.replace(/\{\w+\}/g, (name) => (name === '{Sid}' && op.path.endsWith('/Accounts/{Sid}.json') ? MAIN.sid : `XX${'0'.repeat(32)}`));
      const found = findOperation(op.method, example);
      assert.ok(found, `${op.method} ${op.path} is in the spec`);
      assert.equal(found.path, op.path);
      assert.equal(found.operation.operationId, op.operationId);
      const params = Object.fromEntries(op.params.map((name) => [name, 'x']));
      const problems = op.method === 'POST' ? checkRequest(found, {}, params) : checkRequest(found, params, {});
      assert.deepEqual(problems, [], `${op.operationId} accepts only declared parameters`);
    }
  });

  describe('every operation, driven through the SDK as the app drives it', () => {
    let emulator: TwilioEmulator;
    let app: TwimlApp;
    let work: string;
    before(async () => {
      emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
      app = await startTwimlApp();
      work = await mkdtemp(join(tmpdir(), 'shukuden-emulator-'));
    });
    after(async () => {
      await emulator.stop();
      await app.close();
      await rm(work, { recursive: true, force: true });
    });
    const client = () => sdk(MAIN, emulator.url);

    it('fetches the account and its balance', async () => {
      const account = await client().api.v2010.accounts(MAIN.sid).fetch();
      assert.equal(account.sid, MAIN.sid);
      assert.equal(account.status, 'active');
      assert.equal(account.type, 'Full');
      assert.equal(account.friendlyName, 'Wedding line');
      const balance = await client().balance.fetch();
      assert.deepEqual({ sid: balance.accountSid, balance: balance.balance, currency: balance.currency }, { sid: MAIN.sid, balance: '12.34', currency: 'JPY' });
    });

    it('lists numbers across pages (following next_page_uri), filters, fetches and updates one', async () => {
      for (let i = 0; i < 5; i++) emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: `+8150000000${i}`, friendlyName: i === 3 ? 'spare' : undefined });
      emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: LINE, voiceUrl: `${app.url}/voice`, statusCallback: `${app.url}/status` });
      emulator.addNumber({ accountSid: ACCOUNTS[1].sid, phoneNumber: '+815099999999' });
      const seen = emulator.requests.length;
      const all = await client().incomingPhoneNumbers.list({ pageSize: 2 });
      assert.deepEqual(all.map((n) => n.phoneNumber), ['+81500000000', '+81500000001', '+81500000002', '+81500000003', '+81500000004', LINE]);
      const pages = emulator.requests.slice(seen);
      assert.equal(pages.length, 3, 'three pages of two');
      assert.ok(pages.slice(1).every((r) => r.query['PageToken']?.startsWith('PA')), 'later pages carry the page token');

      const firstPage = await client().incomingPhoneNumbers.page({ pageSize: 4 });
      const second = await firstPage.nextPage();
      assert.deepEqual(second?.instances.map((n) => n.phoneNumber), ['+81500000004', LINE]);
      const back = await second?.previousPage();
      assert.deepEqual(back?.instances.map((n) => n.phoneNumber), all.slice(0, 4).map((n) => n.phoneNumber));

      assert.deepEqual((await client().incomingPhoneNumbers.list({ phoneNumber: LINE })).map((n) => n.phoneNumber), [LINE]);
      assert.deepEqual((await client().incomingPhoneNumbers.list({ phoneNumber: '000000*' })).length, 5, "'*' is any digit, and partial numbers match");
      assert.deepEqual((await client().incomingPhoneNumbers.list({ friendlyName: 'spare' })).map((n) => n.phoneNumber), ['+81500000003']);

      const line = emulator.number(LINE);
      assert.ok(line);
      const fetched = await client().incomingPhoneNumbers(line.sid).fetch();
      assert.equal(fetched.voiceUrl, `${app.url}/voice`);
      assert.equal(fetched.capabilities.voice, true);
      const updated = await client().incomingPhoneNumbers(line.sid).update({ friendlyName: 'Shukuden', voiceMethod: 'POST', statusCallbackMethod: 'POST' });
      assert.equal(updated.friendlyName, 'Shukuden');
      assert.equal(emulator.number(LINE)?.friendlyName, 'Shukuden');
    });

    let callSid = '';
    it('routes an inbound call to the voice URL and fetches the finished call', async () => {
      const call = await emulator.placeCall({ to: LINE, from: GUEST, caller: scriptedCaller([speak(2)]) });
      callSid = call.callSid;
      assert.deepEqual(app.hits, ['POST /voice', 'POST /recorded', 'POST /status']);
      const fetched = await client().calls(call.callSid).fetch();
      assert.equal(fetched.status, 'completed');
      assert.equal(fetched.direction, 'inbound');
      assert.equal(fetched.from, GUEST);
      assert.equal(fetched.to, LINE);
      assert.equal(fetched.phoneNumberSid, emulator.number(LINE)?.sid);
      assert.ok(fetched.endTime instanceof Date && fetched.startTime instanceof Date);
      assert.equal(emulator.calls.find((c) => c.sid === call.callSid)?.status, 'completed');
    });

    it('lists recordings by call and by date, fetches one, serves its media as WAV and MP3, and deletes it', async () => {
      const ours = emulator.recordings.find((r) => r.callSid === callSid);
      assert.ok(ours, 'the call left a recording');
      const now = Date.now();
      const old = emulator.addRecording({ accountSid: MAIN.sid, callSid: `CA${'0'.repeat(32)}`, wav: wav(1), durationSeconds: 1, createdAt: new Date(now - 3 * DAY) });
      const older = emulator.addRecording({ accountSid: MAIN.sid, callSid: `CA${'0'.repeat(32)}`, wav: wav(1), durationSeconds: 1, createdAt: new Date(now - 5 * DAY) });

      const byCall = await client().recordings.list({ callSid });
      assert.deepEqual(byCall.map((r) => r.sid), [ours.sid]);
      assert.equal(byCall[0]?.status, 'completed');
      assert.deepEqual((await client().recordings.list({ pageSize: 1 })).map((r) => r.sid), [ours.sid, old.recordingSid, older.recordingSid], 'newest first, across pages');
      const after = await client().recordings.list({ dateCreatedAfter: new Date(now - 4 * DAY) });
      assert.deepEqual(after.map((r) => r.sid), [ours.sid, old.recordingSid]);
      const before = await client().recordings.list({ dateCreatedBefore: new Date(now - 2 * DAY) });
      assert.deepEqual(before.map((r) => r.sid), [old.recordingSid, older.recordingSid]);
      const onDay = await client().recordings.list({ dateCreated: new Date(now - 5 * DAY) });
      assert.deepEqual(onDay.map((r) => r.sid), [older.recordingSid]);

      const fetched = await client().recordings(ours.sid).fetch();
      assert.equal(fetched.callSid, callSid);
      assert.equal(fetched.duration, String(ours.durationSeconds));
      assert.equal(fetched.source, 'RecordVerb');
      assert.equal(fetched.mediaUrl, `${emulator.url}/2010-04-01/Accounts/${MAIN.sid}/Recordings/${ours.sid}`);

      const wavResponse = await get(`${fetched.mediaUrl}.wav`);
      assert.equal(wavResponse.status, 200);
      assert.ok(Buffer.from(await wavResponse.arrayBuffer()).equals(ours.wav));
      const mp3Response = await get(`${fetched.mediaUrl}.mp3`);
      assert.equal(mp3Response.status, 200);
      assert.equal(mp3Response.headers.get('content-type'), 'audio/mpeg');
      const mp3Path = join(work, 'take.mp3');
      await writeFile(mp3Path, Buffer.from(await mp3Response.arrayBuffer()));
      const probed = await ffprobe(mp3Path);
      assert.equal(probed.stream.codec_name, 'mp3');
      assert.ok(Math.abs(probed.duration - ours.durationSeconds) < 0.5, `mp3 lasts ${probed.duration}s`);

      assert.equal(await client().recordings(ours.sid).remove(), true);
      await assert.rejects(client().recordings(ours.sid).fetch(), { status: 404, code: 20404 });
      assert.equal((await get(`${fetched.mediaUrl}.wav`)).status, 404);
      assert.deepEqual((await client().recordings.list({ callSid })).length, 0);
      assert.equal(emulator.recordings.find((r) => r.sid === ours.sid)?.deleted, true);
    });

    it('sends an SMS from a number that can, and fetches it (details in messages.test.ts)', async () => {
      emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: '+14155550100', smsCapable: true });
      const created = await client().messages.create({ to: GUEST, from: '+14155550100', body: 'Hello' });
      assert.equal(created.status, 'queued');
      assert.equal((await client().messages(created.sid).fetch()).to, GUEST);
    });

    it('answered every request with what the spec declares, to requests that use only declared parameters', () => {
      const seen = new Set<string>();
      assert.ok(emulator.requests.length > 10);
      for (const request of emulator.requests) {
        const label = `${request.method} ${request.path}`;
        if (MEDIA.test(request.path)) {
          // Media is outside the spec: audio on success, Twilio's error JSON otherwise.
          if (request.status === 200) assert.equal(request.json, undefined, label);
          else assert.deepEqual(Object.keys(request.json as object).sort(), ['code', 'message', 'more_info', 'status'], label);
          continue;
        }
        assert.deepEqual(exchangeProblems(request, seen), [], label);
      }
      assert.deepEqual([...seen].sort(), EMULATED_OPERATIONS.map((op) => op.operationId).sort(), 'every operation was exercised');
    });
  });
});
