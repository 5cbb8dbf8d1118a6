import { UserError } from '../user-error.ts';
import { createTwilioClient, type TwilioClient, type TwilioCredentials } from './client.ts';
import { explainTwilioError } from './twilio-errors.ts';

/** What the organiser sees once the credentials check out. */
export interface AccountSummary {
  readonly accountSid: string;
  readonly friendlyName: string;
  readonly type: 'Full' | 'Trial';
}

const SID = /^AC[0-9a-f]{32}$/;
const TOKEN = /^[0-9a-zA-Z]{32}$/;
const KEY_SID = /^SK[0-9a-f]{32}$/;

/** Checks the shape of what was pasted before asking Twilio; nothing is sent for obvious typos. */
export function checkCredentialFormat(credentials: TwilioCredentials): void {
  if (!SID.test(credentials.accountSid.trim())) {
    throw new UserError('twilio-bad-account-sid', {
      en: 'The Account SID should start with "AC" followed by 32 letters and digits. Copy it again from the Twilio Console home page.',
      ja: 'Account SID は「AC」で始まり、英数字 32 文字が続きます。Twilio コンソールのホーム画面からもう一度コピーしてください。',
    });
  }
  if (!TOKEN.test(credentials.authToken.trim())) {
    throw new UserError('twilio-bad-auth-token', {
      en: 'The Auth Token should be 32 letters and digits. In the Twilio Console, press "Show" next to Auth Token and copy it again.',
      ja: 'Auth Token は英数字 32 文字です。Twilio コンソールで Auth Token の「Show」を押し、もう一度コピーしてください。',
    });
  }
  if (credentials.apiKey && (!KEY_SID.test(credentials.apiKey.sid.trim()) || credentials.apiKey.secret.trim().length < 16)) {
    throw new UserError('twilio-bad-api-key', {
      en: 'The API key should be an "SK…" SID with its secret. Create one under Account → API keys & tokens, or leave the API key empty.',
      ja: 'API キーは「SK…」で始まる SID とシークレットの組です。Account → API keys & tokens で作成するか、API キー欄を空にしてください。',
    });
  }
}

/**
 * Checks credentials against the account itself: format, that Twilio accepts them,
 * that the account is active, and whether it is a trial (whose callers hear Twilio's
 * trial notice first — refused unless `allowTrial`). Throws a UserError; saves nothing.
 */
export async function checkAccount(
  credentials: TwilioCredentials,
  options: { readonly apiBase?: string; readonly allowTrial?: boolean; readonly client?: TwilioClient } = {},
): Promise<AccountSummary> {
  checkCredentialFormat(credentials);
  const client = options.client ?? createTwilioClient(credentials, options.apiBase);
  let account;
  try {
    account = await client.api.v2010.accounts(credentials.accountSid).fetch();
  } catch (error) {
    throw explainTwilioError(error, { en: 'check the Twilio account', ja: 'Twilio アカウントを確認' });
  }
  if (account.status !== 'active') {
    throw new UserError('twilio-account-inactive', {
      en: `This Twilio account is ${account.status}, so it can't take calls. Sign in at twilio.com to reactivate it, or use another account.`,
      ja: `この Twilio アカウントは「${account.status}」状態のため着信できません。twilio.com で再開するか、別のアカウントを使ってください。`,
    });
  }
  if (account.type === 'Trial' && !options.allowTrial) {
    throw new UserError('twilio-trial-account', {
      en: 'This is a Twilio trial account: every guest would first hear a Twilio trial announcement and have to press a key. Upgrade the account in the Twilio Console (adding a small balance is enough), or continue anyway if that is acceptable.',
      ja: 'これは Twilio の無料トライアルアカウントです。ゲストは最初にトライアルの案内を聞き、キーを押す必要があります。Twilio コンソールでアカウントをアップグレード（少額のチャージで可）するか、それでよければこのまま続けてください。',
    });
  }
  return { accountSid: account.sid, friendlyName: account.friendlyName, type: account.type === 'Trial' ? 'Trial' : 'Full' };
}
