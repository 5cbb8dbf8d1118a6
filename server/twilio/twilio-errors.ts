import { UserError, type Bilingual } from '../user-error.ts';

/** The parts of the SDK's RestException we read. */
interface RestLike {
  readonly status: number;
  readonly code?: number;
  readonly message?: string;
}

function isRestException(error: unknown): error is RestLike {
  return typeof error === 'object' && error !== null && 'status' in error && typeof (error as RestLike).status === 'number';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);

/** Whether a failure is worth retrying: the network, rate limiting, or Twilio's side. */
export function isTransient(error: unknown): boolean {
  if (isRestException(error)) return error.status === 429 || error.status >= 500;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/**
 * Turns whatever the Twilio SDK threw into a sentence the organiser can act on,
 * in Japanese and English. `doing` says what we were trying to do.
 */
export function explainTwilioError(error: unknown, doing: Bilingual): UserError {
  if (error instanceof UserError) return error;
  if (isRestException(error)) {
    if (error.status === 401 && error.code === 20005) {
      return new UserError('twilio-account-inactive', {
        en: `Couldn't ${doing.en}: this Twilio account is suspended or closed. Sign in at twilio.com to reactivate it, or use another account.`,
        ja: `${doing.ja}できませんでした：この Twilio アカウントは停止または解約されています。twilio.com にログインして再開するか、別のアカウントを使ってください。`,
      });
    }
    if (error.status === 401 || error.status === 403) {
      return new UserError('twilio-wrong-credentials', {
        en: `Couldn't ${doing.en}: Twilio did not accept the Account SID and Auth Token. Copy both again from the Twilio Console (Account → API keys & tokens).`,
        ja: `${doing.ja}できませんでした：Twilio が Account SID と Auth Token を受け付けませんでした。Twilio コンソール（Account → API keys & tokens）から両方をもう一度コピーしてください。`,
      });
    }
    if (error.status === 404) {
      return new UserError('twilio-not-found', {
        en: `Couldn't ${doing.en}: Twilio says it doesn't exist in this account. Check that the number belongs to this account.`,
        ja: `${doing.ja}できませんでした：このアカウントに見つかりません。番号がこのアカウントのものか確認してください。`,
      });
    }
    if (error.status === 429) {
      return new UserError('twilio-busy', {
        en: `Couldn't ${doing.en}: Twilio asked us to slow down. Shukuden will try again by itself in a moment.`,
        ja: `${doing.ja}できませんでした：Twilio が混雑しています。しばらくすると自動で再試行します。`,
      });
    }
    if (error.status >= 500) {
      return new UserError('twilio-unavailable', {
        en: `Couldn't ${doing.en}: Twilio is having problems right now (error ${error.status}). Shukuden will try again; check status.twilio.com if it lasts.`,
        ja: `${doing.ja}できませんでした：Twilio 側で障害が起きています（エラー ${error.status}）。自動で再試行します。続く場合は status.twilio.com を確認してください。`,
      });
    }
    return new UserError('twilio-rejected', {
      en: `Couldn't ${doing.en}: Twilio refused (${error.code ?? error.status}: ${error.message ?? 'no details'}).`,
      ja: `${doing.ja}できませんでした：Twilio に拒否されました（${error.code ?? error.status}：${error.message ?? '詳細なし'}）。`,
    });
  }
  if (isTransient(error)) {
    return new UserError('twilio-unreachable', {
      en: `Couldn't ${doing.en}: Twilio can't be reached. Check the laptop's internet connection; Shukuden will keep trying.`,
      ja: `${doing.ja}できませんでした：Twilio に接続できません。パソコンのインターネット接続を確認してください。自動で再試行します。`,
    });
  }
  return new UserError('twilio-failed', {
    en: `Couldn't ${doing.en}: ${(error as Error)?.message ?? String(error)}.`,
    ja: `${doing.ja}できませんでした：${(error as Error)?.message ?? String(error)}`,
  });
}
