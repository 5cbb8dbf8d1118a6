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
 * that the account is active, and whether it is a trial (on which only verified numbers can
 * call — refused unless `allowTrial`, which is for testing). Throws a UserError; saves nothing.
 *
 * The Account is fetched with the auth token, never the API key: a Standard key (the usual
 * kind) may use everything *except* the Account and Keys resources (401 / 20003) —
 * docs/real-services.md "Twilio API key types". An API key is then checked on a resource it
 * must reach (the account's numbers). `client` is the REST client the line will use.
 */
export async function checkAccount(
  credentials: TwilioCredentials,
  options: { readonly apiBase?: string; readonly allowTrial?: boolean; readonly client?: TwilioClient } = {},
): Promise<AccountSummary> {
  checkCredentialFormat(credentials);
  const restClient = options.client ?? createTwilioClient(credentials, options.apiBase);
  const tokenClient = credentials.apiKey ? createTwilioClient({ accountSid: credentials.accountSid, authToken: credentials.authToken }, options.apiBase) : restClient;
  let account;
  try {
    account = await tokenClient.api.v2010.accounts(credentials.accountSid).fetch();
  } catch (error) {
    throw explainTwilioError(error, { en: 'check the Twilio account', ja: 'Twilio アカウントを確認' });
  }
  if (credentials.apiKey && account.status === 'active') {
    try {
      await restClient.incomingPhoneNumbers.list({ limit: 1 });
    } catch (error) {
      const status = (error as { status?: unknown } | null)?.status;
      if (status === 401 || status === 403) {
        throw new UserError('twilio-wrong-credentials', {
          en: 'The Account SID and Auth Token are right, but Twilio did not accept the API key (SK…) and its secret. Create a new key under Account → API keys & tokens (a Standard key is enough) and paste both, or leave the API key empty.',
          ja: 'Account SID と Auth Token は正しいですが、API キー（SK…）とシークレットを Twilio が受け付けませんでした。Account → API keys & tokens で新しいキー（Standard で十分です）を作成して両方を貼り付けるか、API キー欄を空にしてください。',
        });
      }
      throw explainTwilioError(error, { en: 'check the API key', ja: 'API キーを確認' });
    }
  }
  if (account.status !== 'active') {
    throw new UserError('twilio-account-inactive', {
      en: `This Twilio account is ${account.status}, so it can't take calls. Sign in at twilio.com to reactivate it, or use another account.`,
      ja: `この Twilio アカウントは「${account.status}」状態のため着信できません。twilio.com で再開するか、別のアカウントを使ってください。`,
    });
  }
  if (account.type === 'Trial' && !options.allowTrial) {
    // real-services: trial accounts — "You can only make or receive calls from verified numbers".
    throw new UserError('twilio-trial-account', {
      en: "This is a Twilio trial account, so guests can't call the number until you upgrade: on a trial, only the phone numbers you verified in the Twilio Console can call it (and they first hear Twilio's trial notice). Upgrade the account in the Twilio Console (Billing → Upgrade). To test with your verified numbers only, you may continue with the trial.",
      ja: 'これは Twilio の無料トライアルアカウントのため、アップグレードするまでゲストはこの番号に電話できません。トライアル中に電話できるのは、Twilio コンソールで認証（Verified）した電話番号だけです（最初にトライアルの案内が流れます）。Twilio コンソール（Billing → Upgrade）でアカウントをアップグレードしてください。認証済みの番号でテストするだけなら、トライアルのまま続けられます。',
    });
  }
  return { accountSid: account.sid, friendlyName: account.friendlyName, type: account.type === 'Trial' ? 'Trial' : 'Full' };
}
