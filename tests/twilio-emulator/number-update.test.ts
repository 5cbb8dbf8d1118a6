import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EmulatedNumber } from '../support/twilio-emulator/emulator.ts';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { ACCOUNTS, basicAuth, LINE, MAIN, sdk } from './fixtures.ts';

describe('updating an incoming number', () => {
  let emulator: TwilioEmulator;
  let number: EmulatedNumber;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
    number = emulator.addNumber({ accountSid: MAIN.sid, phoneNumber: LINE, voiceUrl: 'https://other.example/voice', voiceMethod: 'GET' });
  });
  after(() => emulator.stop());

  const update = (params: Parameters<ReturnType<ReturnType<typeof sdk>['incomingPhoneNumbers']>['update']>[0]) =>
    sdk(MAIN, emulator.url).incomingPhoneNumbers(number.sid).update(params);

  /** A raw form POST, as a hand-written client would send it. */
  async function post(form: Record<string, string>): Promise<{ status: number; body: { code: number; message: string } }> {
    const response = await fetch(`${emulator.url}/2010-04-01/Accounts/${MAIN.sid}/IncomingPhoneNumbers/${number.sid}.json`, {
      method: 'POST',
      headers: { authorization: basicAuth(MAIN.sid, MAIN.authToken), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, body: (await response.json()) as { code: number; message: string } };
  }

  it('applies the voice settings the app writes, and an empty string clears a field', async () => {
    await update({ voiceUrl: 'https://line.example/twilio/voice', voiceMethod: 'POST', statusCallback: 'https://line.example/twilio/call-status', voiceFallbackUrl: 'http://fallback.example/' });
    assert.deepEqual(
      pickSettings(emulator.number(LINE)),
      { voiceUrl: 'https://line.example/twilio/voice', voiceMethod: 'POST', statusCallback: 'https://line.example/twilio/call-status', voiceFallbackUrl: 'http://fallback.example/' },
    );
    const cleared = await update({ voiceUrl: '', statusCallback: '', voiceFallbackUrl: '' });
    assert.deepEqual(pickSettings(emulator.number(LINE)), { voiceUrl: '', voiceMethod: 'POST', statusCallback: '', voiceFallbackUrl: '' });
    assert.equal(cleared.voiceUrl, null);
  });

  it('rejects a URL that is not http(s) with 400 / 21502', async () => {
    await assert.rejects(update({ voiceUrl: 'ftp://line.example/voice' }), { status: 400, code: 21502 });
    await assert.rejects(update({ statusCallback: 'not a url' }), { status: 400, code: 21502 });
    assert.equal(emulator.number(LINE)?.statusCallback, '', 'nothing changed');
  });

  it('rejects a method other than GET or POST with 400 / 21403', async () => {
    await assert.rejects(update({ voiceMethod: 'PUT' as 'POST' }), { status: 400, code: 21403 });
  });

  it('rejects an unknown form field with 400 / 20001 naming it, so a misspelt parameter fails loudly', async () => {
    const { status, body } = await post({ VoiceURL: 'https://line.example/voice' });
    assert.equal(status, 400);
    assert.equal(body.code, 20001);
    assert.match(body.message, /VoiceURL/);
    assert.equal(emulator.number(LINE)?.voiceUrl, '');
  });

  it('rejects fields the spec has but the emulator does not model, by name', async () => {
    const { status, body } = await post({ SmsUrl: 'https://line.example/sms' });
    assert.equal(status, 400);
    assert.match(body.message, /SmsUrl is not supported/);
  });

  it('answers 404 for a number of another account', async () => {
    const other = emulator.addNumber({ accountSid: ACCOUNTS[1].sid, phoneNumber: '+815099999999' });
    await assert.rejects(sdk(MAIN, emulator.url).incomingPhoneNumbers(other.sid).update({ voiceUrl: 'https://x.example/' }), { status: 404, code: 20404 });
  });
});

function pickSettings(n: EmulatedNumber | undefined) {
  return n && { voiceUrl: n.voiceUrl, voiceMethod: n.voiceMethod, statusCallback: n.statusCallback, voiceFallbackUrl: n.voiceFallbackUrl };
}
