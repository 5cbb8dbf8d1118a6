import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import type { Caller } from '../../server/voice-sim/caller.ts';
import { scriptedCaller } from '../../server/voice-sim/caller.ts';
import { RunawayCallError } from '../../server/voice-sim/simulator.ts';
import { speechLike } from '../../server/voice-sim/speech.ts';
import { speak } from '../support/script.ts';
import { ACCOUNTS, GUEST, MAIN, sdk, SUSPENDED } from './fixtures.ts';
import { startTwimlApp, type TwimlApp } from './twiml-app.ts';

describe('routing inbound calls like Twilio', () => {
  let emulator: TwilioEmulator;
  let app: TwimlApp;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
    app = await startTwimlApp();
  });
  after(async () => {
    await emulator.stop();
    await app.close();
  });

  it("calls the number's voice URL with its method, and shows the call in progress, then completed", async () => {
    const number = emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: '+815000000001', voiceUrl: `${app.url}/voice`, voiceMethod: 'GET' });
    let during: { status: string; endTime: Date | null } | null = null;
    // A guest who, while recording, lets the test look at the call as the app would.
    const guest: Caller = {
      hear: () => 'listen',
      record: async () => {
        const call = emulator.calls.find((c) => c.phoneNumberSid === number.sid);
        const fetched = await sdk(MAIN, emulator.url).calls(call?.sid ?? '').fetch();
        during = { status: fetched.status, endTime: fetched.endTime };
        return { kind: 'speak', audio: speechLike(2), end: 'key' };
      },
      gather: () => ({ kind: 'hangup' }),
    };
    const hitsBefore = app.hits.length;
    const result = await emulator.placeCall({ to: number.phoneNumber, from: GUEST, caller: guest });
    assert.deepEqual(during, { status: 'in-progress', endTime: null });
    assert.deepEqual(app.hits.slice(hitsBefore), ['GET /voice', 'POST /recorded'], 'no status callback when the number has none');
    const call = emulator.calls.find((c) => c.sid === result.callSid);
    assert.equal(call?.status, 'completed');
    assert.equal(call?.from, GUEST);
    assert.ok(call?.endTime && call.durationSeconds !== null);
    assert.equal(emulator.recordings.filter((r) => r.callSid === result.callSid).length, 1, 'the recording carries the call SID');
  });

  it('marks the call failed when the simulated call blows up, and passes the error on', async () => {
    emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: '+815000000002', voiceUrl: `${app.url}/loop` });
    await assert.rejects(emulator.placeCall({ to: '+815000000002', from: GUEST, caller: scriptedCaller([]) }), RunawayCallError);
    assert.equal(emulator.calls.at(-1)?.status, 'failed');
  });

  it('refuses, clearly, calls Twilio could not route', async () => {
    const call = (to: string) => emulator.placeCall({ to, from: GUEST, caller: scriptedCaller([speak(1)]) });
    await assert.rejects(call('+815000009999'), /no number \+815000009999/);
    emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: '+815000000003' });
    await assert.rejects(call('+815000000003'), /no voice URL/);
    emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: '+815000000004', voiceUrl: `${app.url}/voice`, voiceApplicationSid: `AP${'1'.repeat(32)}` });
    await assert.rejects(call('+815000000004'), /application AP1+/);
    emulator.addNumber({ accountSid: SUSPENDED.sid, phoneNumber: '+815000000005', voiceUrl: `${app.url}/voice` });
    await assert.rejects(call('+815000000005'), /suspended/);
  });

  it('real-services: trial accounts — only verified caller IDs reach a trial number', async () => {
    const trial = { sid: `AC${'f6'.repeat(16)}`, authToken: 'trial-auth-token', type: 'Trial' as const, verifiedCallerIds: ['+819099990000'] };
    const own = await new TwilioEmulator({ accounts: [trial] }).start();
    try {
      own.addNumber({ accountSid: trial.sid, phoneNumber: '+815000000006', voiceUrl: `${app.url}/voice` });
      const hits = app.hits.length;
      await assert.rejects(own.placeCall({ to: '+815000000006', from: GUEST, caller: scriptedCaller([]) }), /trial account[\s\S]*not a verified caller ID/);
      assert.equal(app.hits.length, hits, 'the app never hears of the call');
      await own.placeCall({ to: '+815000000006', from: '+819099990000', caller: scriptedCaller([speak(1)]) });
      assert.ok(app.hits.length > hits, 'a verified number gets through');
    } finally {
      await own.stop();
    }
  });

  it('refuses numbers that are not E.164 or already taken', () => {
    assert.throws(() => emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: '05012345678' }), /E\.164/);
    assert.throws(() => emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: '+815000000001' }), /already exists/);
  });
});
