import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAccount } from '../../../server/twilio/account-check.ts';
import { fetchBalance } from '../../../server/twilio/balance.ts';
import { createTwilioClient } from '../../../server/twilio/client.ts';
import { chooseVoiceNumber, listVoiceNumbers } from '../../../server/twilio/phone-numbers.ts';
import { TwilioEmulator } from '../../support/twilio-emulator/emulator.ts';
import { UserError } from '../../../server/user-error.ts';
import { freePort } from '../../support/spawn-serve.ts';
import { sid } from '../../support/twilio-harness.ts';

const FULL = { sid: sid('AC'), authToken: 'a'.repeat(32) };
const TRIAL = { sid: sid('AC'), authToken: 'b'.repeat(32), type: 'Trial' as const };
const SUSPENDED = { sid: sid('AC'), authToken: 'c'.repeat(32), status: 'suspended' as const };
const KEYED = { sid: sid('AC'), authToken: 'd'.repeat(32), apiKeys: [{ sid: sid('SK'), secret: 'e'.repeat(32) }], balance: '3.10' };
const EMPTY = { sid: sid('AC'), authToken: 'f'.repeat(32) };

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, String(error));
    assert.equal(error.code, code);
    assert.ok(error.text.en.length > 20 && error.text.ja.length > 10, 'explains in both languages');
    return true;
  };
}

describe('checking the Twilio account', () => {
  let twilio: TwilioEmulator;
  before(async () => {
    twilio = await new TwilioEmulator({ accounts: [FULL, TRIAL, SUSPENDED, KEYED, EMPTY] }).start();
    twilio.addNumber({ accountSid: FULL.sid, phoneNumber: '+815012345678', friendlyName: 'Wedding line' });
    twilio.addNumber({ accountSid: FULL.sid, phoneNumber: '+815099998888' });
    twilio.addNumber({ accountSid: FULL.sid, phoneNumber: '+12025550123', voiceCapable: false });
    twilio.addNumber({ accountSid: KEYED.sid, phoneNumber: '+815011112222' });
  });
  after(() => twilio.stop());

  const check = (creds: { accountSid: string; authToken: string; apiKey?: { sid: string; secret: string } }, allowTrial = false) =>
    checkAccount(creds, { apiBase: twilio.url, allowTrial });

  it('accepts a working full account', async () => {
    const account = await check({ accountSid: FULL.sid, authToken: FULL.authToken });
    assert.deepEqual(account, { accountSid: FULL.sid, friendlyName: account.friendlyName, type: 'Full' });
  });

  it('catches pasting mistakes without asking Twilio', async () => {
    twilio.clearRequests();
    await assert.rejects(check({ accountSid: 'AC123', authToken: FULL.authToken }), rejectsWith('twilio-bad-account-sid'));
    await assert.rejects(check({ accountSid: FULL.sid, authToken: 'short' }), rejectsWith('twilio-bad-auth-token'));
    await assert.rejects(check({ accountSid: FULL.sid, authToken: FULL.authToken, apiKey: { sid: 'nope', secret: 'x' } }), rejectsWith('twilio-bad-api-key'));
    assert.equal(twilio.requests.length, 0);
  });

  it('says when Twilio refuses the token', async () => {
    await assert.rejects(check({ accountSid: FULL.sid, authToken: '0'.repeat(32) }), rejectsWith('twilio-wrong-credentials'));
  });

  it('says when the account is suspended', async () => {
    await assert.rejects(check({ accountSid: SUSPENDED.sid, authToken: SUSPENDED.authToken }), rejectsWith('twilio-account-inactive'));
  });

  it('warns about trial accounts unless the organiser accepts them', async () => {
    await assert.rejects(check({ accountSid: TRIAL.sid, authToken: TRIAL.authToken }), rejectsWith('twilio-trial-account'));
    assert.equal((await check({ accountSid: TRIAL.sid, authToken: TRIAL.authToken }, true)).type, 'Trial');
  });

  it('real-services: Twilio API key types — a Standard key (which may not fetch the Account) checks out; a wrong key is named', async () => {
    const key = KEYED.apiKeys[0] ?? { sid: '', secret: '' };
    const direct = createTwilioClient({ accountSid: KEYED.sid, authToken: KEYED.authToken, apiKey: key }, twilio.url);
    await assert.rejects(direct.api.v2010.accounts(KEYED.sid).fetch(), { status: 401, code: 20003 });
    assert.equal((await check({ accountSid: KEYED.sid, authToken: KEYED.authToken, apiKey: key })).accountSid, KEYED.sid);
    await assert.rejects(check({ accountSid: KEYED.sid, authToken: KEYED.authToken, apiKey: { sid: key.sid, secret: 'x'.repeat(32) } }), (error: unknown) => {
      rejectsWith('twilio-wrong-credentials')(error);
      assert.match((error as UserError).text.en, /API key/);
      return true;
    });
  });

  it('real-services: trial accounts — says guests cannot call until the upgrade, only verified numbers', async () => {
    await assert.rejects(check({ accountSid: TRIAL.sid, authToken: TRIAL.authToken }), (error: unknown) => {
      rejectsWith('twilio-trial-account')(error);
      assert.match((error as UserError).text.en, /guests can't call the number until you upgrade[\s\S]*only the phone numbers you verified/);
      assert.match((error as UserError).text.ja, /アップグレードするまでゲストはこの番号に電話できません[\s\S]*認証/);
      return true;
    });
  });

  it('works with an API key pair', async () => {
    const creds = { accountSid: KEYED.sid, authToken: KEYED.authToken, apiKey: KEYED.apiKeys[0] ?? { sid: '', secret: '' } };
    assert.equal((await check(creds)).accountSid, KEYED.sid);
    const client = createTwilioClient(creds, twilio.url);
    const balance = await fetchBalance(client);
    assert.deepEqual(balance, { amount: '3.10', currency: 'USD', low: true });
  });

  it('real-services: Balance currency — warns of a low balance in the account\'s own currency (JPY too)', async () => {
    const yen = (balance: string) => ({ sid: sid('AC'), authToken: '9'.repeat(32), balance, currency: 'JPY' });
    const low = yen('500');
    const fine = yen('3000');
    const emulator = await new TwilioEmulator({ accounts: [low, fine] }).start();
    try {
      const balanceOf = (a: { sid: string; authToken: string }) => fetchBalance(createTwilioClient({ accountSid: a.sid, authToken: a.authToken }, emulator.url));
      assert.deepEqual(await balanceOf(low), { amount: '500', currency: 'JPY', low: true }, '500 yen is a few calls');
      assert.deepEqual(await balanceOf(fine), { amount: '3000', currency: 'JPY', low: false });
    } finally {
      await emulator.stop();
    }
  });

  it('says when Twilio cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(checkAccount({ accountSid: FULL.sid, authToken: FULL.authToken }, { apiBase: closed }), rejectsWith('twilio-unreachable'));
  });

  it('lists only numbers that take voice calls, and finds the one typed', async () => {
    const client = createTwilioClient({ accountSid: FULL.sid, authToken: FULL.authToken }, twilio.url);
    assert.deepEqual((await listVoiceNumbers(client)).map((n) => n.phoneNumber).sort(), ['+815012345678', '+815099998888']);
    assert.equal((await chooseVoiceNumber(client, '050-1234-5678')).phoneNumber, '+815012345678');
    await assert.rejects(chooseVoiceNumber(client, null), (error: unknown) => {
      rejectsWith('twilio-choose-number')(error);
      assert.match((error as UserError).text.en, /\+815012345678.*\+815099998888|\+815099998888.*\+815012345678/);
      return true;
    });
    await assert.rejects(chooseVoiceNumber(client, '+12025550123'), rejectsWith('twilio-number-not-in-account'));
    const empty = createTwilioClient({ accountSid: EMPTY.sid, authToken: EMPTY.authToken }, twilio.url);
    await assert.rejects(chooseVoiceNumber(empty, null), rejectsWith('twilio-no-voice-number'));
  });

  it('picks the only voice number when none is named', async () => {
    const client = createTwilioClient({ accountSid: KEYED.sid, authToken: KEYED.authToken }, twilio.url);
    assert.equal((await chooseVoiceNumber(client, null)).phoneNumber, '+815011112222');
  });
});
