import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RehearsalReply } from '../../../server/rehearsal/rehearsal-session.ts';
import { LoopbackTunnel } from '../../../server/tunnel/loopback-tunnel.ts';
import { encodeWav } from '../../../server/audio/wav.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';
import { eventually } from '../../support/twilio-harness.ts';

describe('rehearsal call with a real account connected', () => {
  let app: OrganiserApp;
  let tunnel: LoopbackTunnel;
  before(async () => {
    app = await startOrganiserApp();
    tunnel = new LoopbackTunnel();
    await tunnel.open(app.twiml.url);
    assert.equal((await app.rpc('connectTwilio', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: LINE_NUMBER })).body.ok, true);
    const status = (await app.rpc('configureTunnel', { kind: 'public-url', url: tunnel.url })).body.value;
    assert.equal(status?.ready, true, 'the live line is up, with a public URL different from the local one');
  });
  after(async () => {
    await app.close();
    await tunnel.close();
  });

  it('runs the real flow, files the message as a rehearsal, and never asks Twilio for it', async () => {
    const started = (await app.rpc('rehearsalStart', { quality: 'phone' })).body.value;
    assert.ok(started);
    const { sessionId } = started;
    const heard: string[] = [];
    let seq = 0;
    for (;;) {
      const next = (await app.rpc('rehearsalNext', { sessionId, afterSeq: seq })).body.value;
      if (!next) continue;
      seq = next.seq;
      const prompt = next.prompt;
      heard.push(prompt.kind);
      if (prompt.kind === 'ended') break;
      const reply: RehearsalReply =
        prompt.kind === 'record'
          ? { kind: 'recorded', wavBase64: encodeWav(speechLike(3, 16000)).toString('base64'), end: 'key' }
          : prompt.kind === 'gather'
            ? { kind: 'keys', digits: '1' }
            : { kind: 'heard' };
      assert.equal((await app.rpc('rehearsalReply', { sessionId, seq, reply })).body.ok, true);
    }
    // welcome, instructions, record, "here is your message", the take, the menu (spoken inside the Gather), keys,
    // "lastly, please say your name", the name recorded, thanks.
    assert.deepEqual(heard, ['say', 'say', 'record', 'say', 'play', 'say', 'gather', 'say', 'record', 'say', 'ended']);
    const take = await eventually(() => app.core.libraryStore.list().find((e) => e.source === 'rehearsal') ?? null, 5000, 'the rehearsal take');
    // The name walked in the rehearsal is filed with the message, home, and is no message of its own.
    assert.equal(app.core.libraryStore.list().filter((e) => e.source === 'rehearsal').length, 1, 'the name clip is not a message');
    const nameClip = app.core.calls.getTake(take.recordingSid)?.nameClip;
    assert.ok(nameClip, 'the name clip is stored with the message');
    assert.ok(nameClip.download.localFile?.startsWith('name-clips/'), 'the name clip is home, apart from the messages');
    assert.ok(!app.emulator.requests.some((r) => r.path.includes(nameClip.recordingSid)), 'no request to Twilio about the name clip');
    assert.equal(take.status, 'kept');
    assert.equal(take.callerNumber, 'client:rehearsal');
    assert.ok(take.downloaded && take.localFile);
    // A take reads the same everywhere: the Home list says "rehearsal" too, not "live".
    assert.equal(app.core.calls.getTake(take.recordingSid)?.source, 'rehearsal');
    assert.equal((await app.rpc('getState', {})).body.value?.messages.find((m) => m.recordingSid === take.recordingSid)?.source, 'rehearsal');
    // Whatever the app would fetch for it would be queued by now; wait for all of it to finish.
    await app.core.twilio()?.downloader.idle();
    assert.ok(!app.emulator.requests.some((r) => r.path.includes(take.recordingSid)), 'no request to Twilio about the rehearsal');
    assert.ok(!app.emulator.recordings.some((r) => r.sid === take.recordingSid));
    assert.equal(app.emulator.calls.length, 0, 'no call was placed through Twilio');
  });
});
