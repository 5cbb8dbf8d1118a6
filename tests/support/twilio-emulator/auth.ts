import type { ResolvedAccount } from './records.ts';

/** The outcome of Twilio's basic auth for a request on one account's resources. */
export type AuthResult = 'ok' | 'bad-credentials' | 'inactive-account' | 'key-not-allowed';

/**
 * Basic auth like Twilio: the account SID + auth token, or an API key (SK…) + secret
 * of that account. A suspended or closed account may only fetch itself.
 */
export function authenticate(
  header: string | undefined,
  account: ResolvedAccount | undefined,
  options: { readonly allowInactive: boolean; readonly accountResource?: boolean },
): AuthResult {
  if (!account || !header?.startsWith('Basic ')) return 'bad-credentials';
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'bad-credentials';
  const user = decoded.slice(0, colon);
  const pass = decoded.slice(colon + 1);
  const key = account.apiKeys.find((k) => k.sid === user && k.secret === pass);
  const valid = (user === account.sid && pass === account.authToken) || key !== undefined;
  if (!valid) return 'bad-credentials';
  // real-services: Twilio API key types — a Standard key can't use the Account resource.
  if (key && (key.type ?? 'Standard') === 'Standard' && options.accountResource) return 'key-not-allowed';
  return account.status === 'active' || options.allowInactive ? 'ok' : 'inactive-account';
}

/** The account whose SID or API key basic auth names (APIs without the account in the path), if any. */
export function accountFromHeader(header: string | undefined, accounts: Iterable<ResolvedAccount>): ResolvedAccount | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const user = decoded.slice(0, Math.max(0, decoded.indexOf(':')));
  for (const account of accounts) {
    if (account.sid === user || account.apiKeys.some((key) => key.sid === user)) return account;
  }
  return undefined;
}
