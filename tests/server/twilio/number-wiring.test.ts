import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UserError } from '../../../server/user-error.ts';
import { ACCOUNT_SID, LINE_NUMBER, startLine, type LineHarness } from '../../support/line-harness.ts';
import { connect, CREDENTIALS, FAST_RETRY } from '../../support/twilio-harness.ts';

const BEFORE = {
  voiceUrl: 'https://old-voicemail.example/voice',
  voiceMethod: 'GET' as const,
  statusCallback: 'https://old-voicemail.example/status',
};

describe('wiring the number', () => {
  let line: LineHarness;
  beforeEach(async () => {
    line = await startLine();
  });
  afterEach(() => line.close());

  const numberNow = () => line.emulator.number(LINE_NUMBER);

  it('points an unused number at the app and clears it again on a clean quit', async () => {
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER });
    await connect(line.core);
    const wired = numberNow();
    assert.equal(wired?.voiceUrl, `${line.publicUrl}/twilio/voice`);
    assert.equal(wired?.voiceMethod, 'POST');
    assert.equal(wired?.statusCallback, `${line.publicUrl}/twilio/call-status`);
    await line.core.disconnectTwilio({ restore: true });
    assert.equal(numberNow()?.voiceUrl, '');
    assert.equal(numberNow()?.statusCallback, '');
  });

  it("real-services: New numbers point at Twilio's demo — wired without asking, and given back on quit", async () => {
    const DEMO = 'https://demo.twilio.com/welcome/voice/';
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, voiceUrl: DEMO });
    const result = await line.core.connectTwilio({ credentials: CREDENTIALS, phoneNumber: LINE_NUMBER, retry: FAST_RETRY });
    assert.equal(result.kind, 'connected', 'the demo greeting is not another app');
    assert.equal(numberNow()?.voiceUrl, `${line.publicUrl}/twilio/voice`);
    await line.core.disconnectTwilio({ restore: true });
    assert.equal(numberNow()?.voiceUrl, DEMO);
  });

  it('asks before taking over a number that answers another app, and changes nothing meanwhile', async () => {
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, ...BEFORE });
    const result = await line.core.connectTwilio({ credentials: CREDENTIALS, phoneNumber: LINE_NUMBER, retry: FAST_RETRY });
    assert.deepEqual(result, { kind: 'needs-confirmation', phoneNumber: LINE_NUMBER, currentVoiceUrl: BEFORE.voiceUrl, currentApplicationSid: '' });
    assert.equal(numberNow()?.voiceUrl, BEFORE.voiceUrl);
    assert.equal(line.core.twilio(), null);
  });

  it('takes over when agreed, and restores the other app exactly on quit', async () => {
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, ...BEFORE, voiceApplicationSid: `AP${'1'.repeat(32)}` });
    await connect(line.core, { takeOver: true });
    assert.equal(numberNow()?.voiceUrl, `${line.publicUrl}/twilio/voice`);
    // A TwiML App on the number would override the voice URL; it must be cleared while we run.
    assert.equal(numberNow()?.voiceApplicationSid, '');
    await line.core.disconnectTwilio({ restore: true });
    const restored = numberNow();
    assert.deepEqual(
      restored && { voiceUrl: restored.voiceUrl, voiceMethod: restored.voiceMethod, statusCallback: restored.statusCallback, app: restored.voiceApplicationSid },
      { ...BEFORE, app: `AP${'1'.repeat(32)}` },
    );
  });

  it("remembers the organiser's settings across a crash, even with a new public URL", async () => {
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, ...BEFORE });
    await connect(line.core, { takeOver: true });
    // Crash: no restore. The next start has a new tunnel URL and must not mistake our own old URL for another app.
    await line.core.disconnectTwilio({ restore: false });
    await line.restart();
    line.core.setPublicUrl('https://new-tunnel.example');
    await connect(line.core);
    assert.equal(numberNow()?.voiceUrl, 'https://new-tunnel.example/twilio/voice');
    await line.core.disconnectTwilio({ restore: true });
    assert.equal(numberNow()?.voiceUrl, BEFORE.voiceUrl);
    assert.equal(numberNow()?.voiceMethod, 'GET');
  });

  it('explains when Twilio rejects the update, and leaves the number as it was', async () => {
    line.emulator.addNumber({ accountSid: ACCOUNT_SID, phoneNumber: LINE_NUMBER, ...BEFORE });
    line.emulator.injectFault({ method: 'POST', path: /IncomingPhoneNumbers\/PN/, fault: { kind: 'status', status: 500 } });
    await assert.rejects(connect(line.core, { takeOver: true }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.code, 'twilio-unavailable');
      assert.match(error.text.en, /try again/);
      return true;
    });
    assert.equal(numberNow()?.voiceUrl, BEFORE.voiceUrl);
  });
});
