import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SecretVault, type Encryptor } from '../../../server/secrets/secret-vault.ts';
import { loadTwilioCredentials, saveTwilioCredentials } from '../../../server/secrets/twilio-secrets.ts';
import { checkAccount } from '../../../server/twilio/account-check.ts';
import { TwilioEmulator } from '../../support/twilio-emulator/emulator.ts';
import { UserError } from '../../../server/user-error.ts';
import { ACCOUNT_SID, AUTH_TOKEN } from '../../support/line-harness.ts';

/** A real AES-GCM encryptor standing in for Electron's safeStorage (which needs the Electron binary). */
function aesEncryptor(available = true): Encryptor {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('secret vault', () => {
  let dir: string;
  let twilio: TwilioEmulator;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shukuden-secrets-'));
    twilio = await new TwilioEmulator({ accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN }] }).start();
  });
  after(async () => {
    await twilio.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const check = (creds: Parameters<typeof checkAccount>[0]) => checkAccount(creds, { apiBase: twilio.url });

  it('saves working credentials encrypted, never in plain text', async () => {
    const path = join(dir, 'a.json');
    const vault = new SecretVault(path, aesEncryptor());
    await saveTwilioCredentials(vault, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, check);
    const onDisk = await readFile(path, 'utf8');
    assert.doesNotMatch(onDisk, new RegExp(AUTH_TOKEN));
    assert.doesNotMatch(onDisk, new RegExp(ACCOUNT_SID));
    assert.deepEqual(await loadTwilioCredentials(vault), { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });

  it('saves nothing when the credentials do not check out, keeping what was there', async () => {
    const path = join(dir, 'b.json');
    const vault = new SecretVault(path, aesEncryptor());
    await saveTwilioCredentials(vault, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, check);
    const before = await readFile(path);
    await assert.rejects(saveTwilioCredentials(vault, { accountSid: ACCOUNT_SID, authToken: '0'.repeat(32) }, check), /Auth Token/);
    assert.ok((await readFile(path)).equals(before));
    assert.equal((await loadTwilioCredentials(vault))?.authToken, AUTH_TOKEN);
  });

  it('refuses to save without OS encryption, and says what to do', async () => {
    const vault = new SecretVault(join(dir, 'c.json'), aesEncryptor(false));
    await assert.rejects(vault.set({ 'ngrok.authtoken': 'x' }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.code, 'secret-encryption-unavailable');
      assert.match(error.text.en, /keyring/);
      return true;
    });
    await assert.rejects(readFile(join(dir, 'c.json')));
  });

  it('explains when saved secrets can no longer be decrypted', async () => {
    const path = join(dir, 'd.json');
    await new SecretVault(path, aesEncryptor()).set({ 'ngrok.authtoken': 'secret' });
    // A different key: as after moving the data folder to another computer account.
    await assert.rejects(new SecretVault(path, aesEncryptor()).get('ngrok.authtoken'), /Enter your Twilio and ngrok details again/);
  });
});
