import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import twilio from 'twilio';
import { TwilioEmulator } from '../support/twilio-emulator/emulator.ts';
import { ACCOUNTS, CLOSED, get, MAIN, OTHER, sdk, SUSPENDED, wav } from './fixtures.ts';

const { RestException } = twilio;

/** What the SDK threw, as the app would inspect it. */
async function restError(promise: Promise<unknown>): Promise<{ status: number; code: number }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RestException, `a RestException, got ${String(error)}`);
    return { status: error.status, code: error.code ?? 0 };
  }
  assert.fail('expected the request to be refused');
}

describe('emulated basic auth', () => {
  let emulator: TwilioEmulator;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS }).start();
  });
  after(() => emulator.stop());

  it('accepts the account SID with its auth token, or an API key of the account with its secret', async () => {
    assert.equal((await sdk(MAIN, emulator.url).balance.fetch()).balance, '12.34');
    const key = MAIN.apiKeys?.[0];
    assert.ok(key);
    assert.equal((await sdk(MAIN, emulator.url, key).balance.fetch()).accountSid, MAIN.sid);
  });

  it('real-services: Twilio API key types — a Standard key may not fetch the Account (20003), a Main key may', async () => {
    const standard = MAIN.apiKeys?.[0];
    assert.ok(standard);
    assert.deepEqual(await restError(sdk(MAIN, emulator.url, standard).api.v2010.accounts(MAIN.sid).fetch()), { status: 401, code: 20003 });
    const main = { sid: `SK${'e5'.repeat(16)}`, secret: 'main-type-secret', type: 'Main' as const };
    const withMain = await new TwilioEmulator({ accounts: [{ ...MAIN, apiKeys: [main] }] }).start();
    try {
      assert.equal((await sdk(MAIN, withMain.url, main).api.v2010.accounts(MAIN.sid).fetch()).sid, MAIN.sid);
    } finally {
      await withMain.stop();
    }
  });

  it('refuses a wrong auth token with 401 / 20003 and a WWW-Authenticate challenge', async () => {
    assert.deepEqual(await restError(sdk({ ...MAIN, authToken: 'wrong' }, emulator.url).balance.fetch()), { status: 401, code: 20003 });
    const raw = await get(`${emulator.url}/2010-04-01/Accounts/${MAIN.sid}/Balance.json`, { ...MAIN, authToken: 'wrong' });
    assert.equal(raw.status, 401);
    assert.match(raw.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.deepEqual(await raw.json(), { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
  });

  it("refuses another account's API key, and credentials for another account's resources", async () => {
    const otherKey = OTHER.apiKeys?.[0];
    assert.ok(otherKey);
    assert.deepEqual(await restError(sdk(MAIN, emulator.url, otherKey).balance.fetch()), { status: 401, code: 20003 });
    assert.deepEqual(await restError(sdk(OTHER, emulator.url).api.v2010.accounts(MAIN.sid).fetch()), { status: 401, code: 20003 });
  });

  it('lets a suspended or closed account fetch itself, and nothing else (401 / 20005)', async () => {
    for (const account of [SUSPENDED, CLOSED]) {
      const client = sdk(account, emulator.url);
      assert.equal((await client.api.v2010.accounts(account.sid).fetch()).status, account.status);
      assert.deepEqual(await restError(client.balance.fetch()), { status: 401, code: 20005 });
      assert.deepEqual(await restError(client.recordings.list()), { status: 401, code: 20005 });
    }
    const { recordingUrl } = emulator.addRecording({ accountSid: SUSPENDED.sid, callSid: `CA${'0'.repeat(32)}`, wav: wav(1), durationSeconds: 1 });
    const media = await get(`${recordingUrl}.wav`, SUSPENDED);
    assert.equal(media.status, 401);
    assert.equal(((await media.json()) as { code: number }).code, 20005);
  });

  it('guards media the same way', async () => {
    const { recordingUrl } = emulator.addRecording({ accountSid: MAIN.sid, callSid: `CA${'0'.repeat(32)}`, wav: wav(1), durationSeconds: 1 });
    assert.equal((await fetch(`${recordingUrl}.wav`)).status, 401);
    assert.equal((await get(`${recordingUrl}.wav`, { ...MAIN, authToken: 'wrong' })).status, 401);
    const key = MAIN.apiKeys?.[0];
    assert.ok(key);
    const withKey = await fetch(`${recordingUrl}.wav`, { headers: { authorization: `Basic ${Buffer.from(`${key.sid}:${key.secret}`).toString('base64')}` } });
    assert.equal(withKey.status, 200);
  });

  it('answers unknown routes with 404 / 20404', async () => {
    const response = await get(`${emulator.url}/2010-04-01/Accounts/${MAIN.sid}/Messages.json`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { code: number }).code, 20404);
  });
});
