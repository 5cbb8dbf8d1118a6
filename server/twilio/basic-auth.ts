import type { TwilioCredentials } from './client.ts';

/**
 * Basic-auth header for fetching media (recordings) outside the SDK. Kept free of imports so
 * the hosted always-on bundle can use it without pulling in the twilio SDK.
 */
export function basicAuth(credentials: TwilioCredentials): string {
  const [user, pass] = credentials.apiKey
    ? [credentials.apiKey.sid, credentials.apiKey.secret]
    : [credentials.accountSid, credentials.authToken];
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}
