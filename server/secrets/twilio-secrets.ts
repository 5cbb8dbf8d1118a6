import type { AccountSummary } from '../twilio/account-check.ts';
import type { TwilioCredentials } from '../twilio/client.ts';
import type { SecretVault } from './secret-vault.ts';

const NAMES = { accountSid: 'twilio.accountSid', authToken: 'twilio.authToken', apiKeySid: 'twilio.apiKeySid', apiKeySecret: 'twilio.apiKeySecret' } as const;

/**
 * Checks the credentials against Twilio first and saves them (encrypted) only if they work:
 * a typo or a wrong token changes nothing that was saved before.
 */
export async function saveTwilioCredentials(
  vault: SecretVault,
  credentials: TwilioCredentials,
  check: (credentials: TwilioCredentials) => Promise<AccountSummary>,
): Promise<AccountSummary> {
  const account = await check(credentials);
  await vault.set({
    [NAMES.accountSid]: credentials.accountSid,
    [NAMES.authToken]: credentials.authToken,
    [NAMES.apiKeySid]: credentials.apiKey?.sid ?? '',
    [NAMES.apiKeySecret]: credentials.apiKey?.secret ?? '',
  });
  return account;
}

/** The saved credentials, or null if none were saved. */
export async function loadTwilioCredentials(vault: SecretVault): Promise<TwilioCredentials | null> {
  const accountSid = await vault.get(NAMES.accountSid);
  const authToken = await vault.get(NAMES.authToken);
  if (!accountSid || !authToken) return null;
  const keySid = await vault.get(NAMES.apiKeySid);
  const keySecret = await vault.get(NAMES.apiKeySecret);
  return { accountSid, authToken, ...(keySid && keySecret ? { apiKey: { sid: keySid, secret: keySecret } } : {}) };
}
