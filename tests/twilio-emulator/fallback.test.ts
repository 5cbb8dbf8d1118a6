import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { scriptedCaller } from '../../server/voice-sim/caller.ts';
import { freePort } from '../support/spawn-serve.ts';
import { press, speak } from '../support/script.ts';
import { ACCOUNTS, GUEST, MAIN } from './fixtures.ts';

/** A stand-in app whose answers a test chooses per path; every webhook and its form is noted. */
interface ScriptedApp {
  readonly url: string;
  readonly hits: { readonly path: string; readonly form: Readonly<Record<string, string>> }[];
  close(): Promise<void>;
}

async function startApp(answers: Readonly<Record<string, { readonly status: number; readonly body: string }>>): Promise<ScriptedApp> {
  const hits: { path: string; form: Record<string, string> }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
      hits.push({ path, form: Object.fromEntries(new URLSearchParams(body)) });
      const answer = answers[path] ?? { status: 404, body: 'Not found' };
      res.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const twiml = (inner: string) => ({ status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>` });

describe("following the number's voice fallback URL, as Twilio does", () => {
  let emulator: TwilioEmulator;
  let fallback: ScriptedApp;
  let broken: ScriptedApp;
  let number = 0;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
    fallback = await startApp({
      '/fallback': twiml('<Say>Fallback here</Say><Record action="/fallback-recorded" maxLength="30"/>'),
      '/fallback-recorded': twiml('<Gather numDigits="1" action="/fallback-menu"><Say>Press 1</Say></Gather>'),
      '/fallback-menu': twiml('<Say>Thanks</Say><Hangup/>'),
    });
    broken = await startApp({
      '/error': { status: 500, body: 'Internal error' },
      '/not-twiml': { status: 200, body: '<html>Hotel Wi-Fi</html>' },
      '/ok': twiml('<Record action="/action-fails"/>'),
      '/action-fails': { status: 500, body: 'Internal error' },
    });
  });
  after(async () => {
    await emulator.stop();
    await fallback.close();
    await broken.close();
  });

  /** A number with this voice URL and the fallback app as its fallback. */
  const numberWith = (voiceUrl: string, withFallback = true) => {
    const phoneNumber = `+8150000010${number++}`;
    emulator.addNumber({ accountSid: MAIN.sid, phoneNumber, voiceUrl, ...(withFallback ? { voiceFallbackUrl: `${fallback.url}/fallback` } : {}) });
    return phoneNumber;
  };
  const fallbackHits = () => fallback.hits.filter((h) => h.path === '/fallback');

  const failures = [
    { name: 'the voice URL refuses the connection', voiceUrl: async () => `http://127.0.0.1:${await freePort()}/voice`, errorCode: '11205' },
    { name: 'the voice URL answers 500', voiceUrl: async () => `${broken.url}/error`, errorCode: '11200' },
    { name: 'the voice URL answers something that is not TwiML', voiceUrl: async () => `${broken.url}/not-twiml`, errorCode: '12100' },
  ];
  for (const failure of failures) {
    it(`continues the call on the fallback URL when ${failure.name}, saying why (ErrorCode ${failure.errorCode}, ErrorUrl)`, async () => {
      const voiceUrl = await failure.voiceUrl();
      const before = fallbackHits().length;
      const call = await emulator.placeCall({ to: numberWith(voiceUrl), from: GUEST, caller: scriptedCaller([speak(2), press('1')]) });
      const hit = fallbackHits()[before];
      assert.ok(hit, 'the fallback URL was requested');
      assert.equal(hit.form['ErrorCode'], failure.errorCode);
      assert.equal(hit.form['ErrorUrl'], voiceUrl);
      assert.equal(hit.form['CallSid'], call.callSid);
      assert.deepEqual(
        call.events.filter((e) => e.kind === 'say').map((e) => (e.kind === 'say' ? e.text : '')),
        ['Fallback here', 'Press 1', 'Thanks'],
        'relative actions resolve against the fallback URL',
      );
      assert.ok(!call.events.some((e) => e.kind === 'application-error'), 'the guest never hears an application error');
      assert.deepEqual(call.requests.map((r) => r.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '')), [new URL(voiceUrl).pathname, '/fallback', '/fallback-recorded', '/fallback-menu']);
      assert.equal(emulator.recordings.filter((r) => r.callSid === call.callSid).length, 1);
    });
  }

  it('real-services: Recording status callback parameters — exactly the recording\'s own, no From/To; absent with ErrorCode', async () => {
    const app = await startApp({
      '/voice': twiml('<Record action="/recorded" recordingStatusCallback="/status" recordingStatusCallbackEvent="completed absent"/><Record action="/recorded" recordingStatusCallback="/status" recordingStatusCallbackEvent="completed absent"/>'),
      '/recorded': twiml('<Hangup/>'),
      '/status': { status: 204, body: '' },
    });
    try {
      const phoneNumber = `+8150000020${number++}`;
      emulator.addNumber({ accountSid: MAIN.sid, phoneNumber, voiceUrl: `${app.url}/voice` });
      await emulator.placeCall({ to: phoneNumber, from: GUEST, caller: scriptedCaller([{ on: 'record', reply: { kind: 'silent' } }, speak(2)]) });
      const statuses = app.hits.filter((h) => h.path === '/status').map((h) => h.form);
      assert.deepEqual(statuses.map((f) => f['RecordingStatus']).sort(), ['absent', 'completed']);
      const completed = statuses.find((f) => f['RecordingStatus'] === 'completed') ?? {};
      assert.deepEqual(Object.keys(completed).sort(), ['AccountSid', 'CallSid', 'RecordingChannels', 'RecordingDuration', 'RecordingSid', 'RecordingSource', 'RecordingStartTime', 'RecordingStatus', 'RecordingUrl']);
      const absent = statuses.find((f) => f['RecordingStatus'] === 'absent') ?? {};
      assert.equal(absent['ErrorCode'], '16102');
      assert.equal(absent['From'], undefined);
      assert.equal(absent['To'], undefined);
    } finally {
      await app.close();
    }
  });

  it("real-services: Gather's finishOnKey — # alone is no input (no Digits), so Twilio runs the next verb", async () => {
    const app = await startApp({
      '/voice': twiml('<Gather numDigits="1" action="/key"><Say>Press a key</Say></Gather><Redirect>/no-key</Redirect>'),
      '/key': twiml('<Hangup/>'),
      '/no-key': twiml('<Hangup/>'),
    });
    try {
      const phoneNumber = `+8150000030${number++}`;
      emulator.addNumber({ accountSid: MAIN.sid, phoneNumber, voiceUrl: `${app.url}/voice` });
      await emulator.placeCall({ to: phoneNumber, from: GUEST, caller: scriptedCaller([press('#')]) });
      assert.deepEqual(app.hits.map((h) => h.path), ['/voice', '/no-key']);
    } finally {
      await app.close();
    }
  });

  it('ends with an application error when there is no fallback URL, as before', async () => {
    const call = await emulator.placeCall({ to: numberWith(`${broken.url}/error`, false), from: GUEST, caller: scriptedCaller([]) });
    assert.deepEqual(call.events.map((e) => e.kind), ['application-error']);
  });

  it('real-services: Fallback URL — also falls back for a failing action later in the call, with ErrorCode and the ErrorUrl that failed', async () => {
    const before = fallbackHits().length;
    const call = await emulator.placeCall({ to: numberWith(`${broken.url}/ok`), from: GUEST, caller: scriptedCaller([speak(2), speak(2), press('1')]) });
    const hit = fallbackHits()[before];
    assert.ok(hit, 'the fallback URL was requested mid-call');
    assert.equal(hit.form['ErrorCode'], '11200');
    assert.equal(hit.form['ErrorUrl'], `${broken.url}/action-fails`);
    assert.equal(hit.form['CallSid'], call.callSid);
    assert.ok(!call.events.some((e) => e.kind === 'application-error'), 'the fallback carried the call on');
  });

  it('ends with an application error when a mid-call action fails and there is no fallback URL', async () => {
    const call = await emulator.placeCall({ to: numberWith(`${broken.url}/ok`, false), from: GUEST, caller: scriptedCaller([speak(2)]) });
    const last = call.events.at(-1);
    assert.equal(last?.kind, 'application-error');
    assert.match(last?.kind === 'application-error' ? last.url : '', /\/action-fails$/);
  });
});
