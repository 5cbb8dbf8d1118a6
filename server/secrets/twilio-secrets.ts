import { SECRET, type SecretStore } from '../organiser/secret-store.ts';
import type { AccountSummary } from '../twilio/account-check.ts';
import type { TwilioCredentials } from '../twilio/client.ts';

/**
 * Checks the credentials against Twilio first and saves them only if they work:
 * a typo or a wrong token changes nothing that was saved before.
 */
export async function saveTwilioCredentials(
  secrets: SecretStore,
  credentials: TwilioCredentials,
  check: (credentials: TwilioCredentials) => Promise<AccountSummary>,
): Promise<AccountSummary> {
  const account = await check(credentials);
  await secrets.set({
    [SECRET.accountSid]: credentials.accountSid,
    [SECRET.authToken]: credentials.authToken,
    [SECRET.apiKeySid]: credentials.apiKey?.sid ?? '',
    [SECRET.apiKeySecret]: credentials.apiKey?.secret ?? '',
  });
  return account;
}

/** The saved credentials, or null if none were saved. */
export async function loadTwilioCredentials(secrets: Pick<SecretStore, 'get'>): Promise<TwilioCredentials | null> {
  const accountSid = await secrets.get(SECRET.accountSid);
  const authToken = await secrets.get(SECRET.authToken);
  if (!accountSid || !authToken) return null;
  const keySid = await secrets.get(SECRET.apiKeySid);
  const keySecret = await secrets.get(SECRET.apiKeySecret);
  return { accountSid, authToken, ...(keySid && keySecret ? { apiKey: { sid: keySid, secret: keySecret } } : {}) };
}
