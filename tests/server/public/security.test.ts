import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newSid } from '../../../server/twilio/sids.ts';
import { scriptedCaller } from '../../../server/voice-sim/caller.ts';
import { placeCall } from '../../../server/voice-sim/simulator.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER, signedPost, startLine, voiceParams, type LineHarness } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';

describe('public routes only answer Twilio', () => {
  let line: LineHarness;
  before(async () => (line = await startLine()));
  after(() => line.close());

  const rejected = async (response: Response) => {
    assert.equal(response.status, 403);
    assert.equal(await response.text(), 'Forbidden');
  };

  it('accepts a request signed for the public URL', async () => {
    const response = await signedPost(`${line.publicUrl}/twilio/voice`, voiceParams(newSid('CA')));
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<Record /);
  });

  it('refuses a missing signature and stores nothing', async () => {
    const callSid = newSid('CA');
    await rejected(
      await fetch(`${line.publicUrl}/twilio/voice`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(voiceParams(callSid)).toString(),
      }),
    );
    assert.equal(line.core.calls.getCall(callSid), null);
    assert.ok(line.log.entries.some((e) => e.level === 'warn' && JSON.stringify(e.fields).includes('missing signature')));
  });

  it('refuses a forged signature (wrong auth token)', async () => {
    const callSid = newSid('CA');
    await rejected(await signedPost(`${line.publicUrl}/twilio/voice`, voiceParams(callSid), { token: 'not-the-token' }));
    assert.equal(line.core.calls.getCall(callSid), null);
  });

  it('refuses a signature replayed to another URL', async () => {
    const params = voiceParams(newSid('CA'));
    await rejected(await signedPost(`${line.publicUrl}/twilio/no-audio`, params, { signUrl: `${line.publicUrl}/twilio/voice` }));
  });

  it('refuses a signature whose parameters were tampered with', async () => {
    const params = voiceParams(newSid('CA'));
    const signature = (await import('twilio')).default.getExpectedTwilioSignature(AUTH_TOKEN, `${line.publicUrl}/twilio/voice`, params);
    const response = await fetch(`${line.publicUrl}/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams({ ...params, From: '+819098765432' }).toString(),
    });
    await rejected(response);
  });

  it('checks signatures against the public tunnel URL, not the local address', async () => {
    // Signed correctly for the local address, which Twilio is never given.
    await rejected(await signedPost(`${line.localUrl}/twilio/voice`, voiceParams(newSid('CA'))));
    const call = await placeCall({
      voiceUrl: `${line.localUrl}/twilio/voice`,
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: '+819011112222',
      to: LINE_NUMBER,
      caller: scriptedCaller([speak(2), press('1')]),
      recordings: line.emulator,
    });
    assert.deepEqual(call.events.map((e) => e.kind), ['application-error']);
  });

  it('reads a form whose parameter names are also property names (__proto__, constructor) as plain data', async () => {
    const callSid = newSid('CA');
    // JSON.parse keeps "__proto__" as an own key, as a client could send it; the signature covers it.
    const params = { ...voiceParams(callSid), ...(JSON.parse('{"__proto__": "x", "constructor": "y", "toString": "z"}') as Record<string, string>) };
    assert.ok(Object.keys(params).includes('__proto__'));
    const response = await signedPost(`${line.publicUrl}/twilio/voice`, params);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<Record /);
    assert.equal(line.core.calls.getCall(callSid)?.from, params.From);
  });

  it('answers malformed parameters with 400 and no details', async () => {
    const response = await signedPost(`${line.publicUrl}/twilio/voice`, { CallSid: 'nonsense', AccountSid: ACCOUNT_SID });
    assert.equal(response.status, 400);
    assert.equal(await response.text(), 'Bad request');
  });

  it("answers a call's later steps with malformed parameters with 400 and stores nothing", async () => {
    const callSid = newSid('CA');
    assert.equal((await signedPost(`${line.publicUrl}/twilio/voice`, voiceParams(callSid))).status, 200);
    const before = line.core.calls.getCall(callSid);
    const recording = { ...voiceParams(callSid), RecordingSid: newSid('RE'), RecordingUrl: 'https://api.twilio.com/r', RecordingDuration: '4' };
    for (const [path, params] of [
      ['/twilio/recorded', { ...recording, RecordingUrl: 'file:///etc/passwd' }],
      ['/twilio/recorded', { ...recording, RecordingSid: 'RE1' }],
      ['/twilio/recorded', { ...recording, RecordingDuration: '-3' }],
      ['/twilio/menu', { ...voiceParams(callSid), CallSid: 'CA123', Digits: '1' }],
      ['/twilio/call-status', { ...voiceParams(callSid), AccountSid: 'nonsense', CallStatus: 'completed' }],
    ] as const) {
      const response = await signedPost(`${line.publicUrl}${path}`, params);
      assert.equal(response.status, 400, `${path} ${JSON.stringify(params)}`);
      assert.equal(await response.text(), 'Bad request');
    }
    assert.deepEqual(line.core.calls.getCall(callSid), before);
    assert.deepEqual(line.core.calls.listTakes(callSid), []);
  });

  it('refuses oversized bodies', async () => {
    const params = { ...voiceParams(newSid('CA')), Junk: 'x'.repeat(64 * 1024) };
    const response = await signedPost(`${line.publicUrl}/twilio/voice`, params);
    assert.equal(response.status, 413);
    assert.doesNotMatch(await response.text(), /at |Error/);
  });

  it('answers unknown routes with 404', async () => {
    const response = await fetch(`${line.publicUrl}/api/settings`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), 'Not found');
  });

  it('serves recordings only with a valid media token or signature', async () => {
    const call = await line.call([speak(2), press('1')]);
    const played = call.events.find((e) => e.kind === 'play');
    assert.ok(played?.kind === 'play' && played.status === 200, 'the line itself could play the take');
    const bare = played.url.replace(/\?.*$/, '');
    await rejected(await fetch(bare));
    await rejected(await fetch(`${bare}?t=${'A'.repeat(32)}`));
    // The token is bound to its path: one take's token does not open another.
    const other = `${bare.slice(0, -32)}${'0'.repeat(32)}`;
    await rejected(await fetch(`${other}?${new URL(played.url).searchParams}`));
  });
});
