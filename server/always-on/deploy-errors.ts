import { isTransient } from '../twilio/twilio-errors.ts';
import { UserError, type Bilingual } from '../user-error.ts';
import { BuildNotCompleted } from './serverless-deploy.ts';

/** The parts of the SDK's RestException (and of UploadRefused) we read. */
interface RestLike {
  readonly status: number;
  readonly code?: number;
  readonly message?: string;
}

function isRestLike(error: unknown): error is RestLike {
  return typeof error === 'object' && error !== null && typeof (error as RestLike).status === 'number';
}

/** Words that mark a refusal as an account limit rather than a mistake of ours ("Too Many Requests" is rate limiting). */
const LIMIT = /limit|quota|exceed|maximum/i;

/**
 * Why the always-on line could not be installed, in plain Japanese and English, with what
 * to do, and what still works: `stillHosted` says an earlier deployment keeps answering.
 */
export function explainDeployError(error: unknown, stillHosted: boolean): UserError {
  const works: Bilingual = stillHosted
    ? {
        en: 'The always-on line installed earlier keeps answering (with the earlier prompts), and this laptop answers while Shukuden is open.',
        ja: '以前に設置した常時受付の回線は（以前の案内のまま）引き続き応答します。Shukuden を開いている間はこのパソコンが応答します。',
      }
    : {
        en: 'Calls are still answered while Shukuden is open on this laptop, but not while it is closed.',
        ja: 'Shukuden をこのパソコンで開いている間は電話を受け付けますが、閉じている間は受け付けません。',
      };
  const say = (code: string, en: string, ja: string) => new UserError(code, { en: `${en} ${works.en}`, ja: `${ja}${works.ja}` }, { cause: error });
  if (error instanceof UserError) return say(error.code, error.text.en, error.text.ja);
  if (error instanceof BuildNotCompleted) {
    return error.reason === 'failed'
      ? say(
          'always-on-build-failed',
          "Couldn't install the always-on line: Twilio could not build it. Try again later; if it keeps failing, check the Functions service \"shukuden-line\" in the Twilio Console (Functions and Assets → Services).",
          '常時受付の回線を設置できませんでした：Twilio での準備（ビルド）に失敗しました。しばらくしてからもう一度お試しください。続く場合は Twilio コンソール（Functions and Assets → Services）の「shukuden-line」を確認してください。',
        )
      : say(
          'always-on-build-slow',
          "Couldn't install the always-on line: Twilio took too long to build it. Shukuden will try again.",
          '常時受付の回線を設置できませんでした：Twilio での準備（ビルド）に時間がかかりすぎています。自動で再試行します。',
        );
  }
  if (isRestLike(error)) {
    const detail = `${error.code ?? error.status}: ${error.message ?? 'no details'}`;
    if (error.status === 401 && error.code === 20005) {
      return say(
        'always-on-account-inactive',
        "Couldn't install the always-on line: this Twilio account is suspended or closed. Sign in at twilio.com to reactivate it.",
        '常時受付の回線を設置できませんでした：この Twilio アカウントは停止または解約されています。twilio.com にログインして再開してください。',
      );
    }
    if (error.status === 401 || error.status === 403) {
      return say(
        'always-on-wrong-credentials',
        "Couldn't install the always-on line: Twilio did not accept the Account SID and Auth Token (or API key) for Functions. Copy them again from the Twilio Console (Account → API keys & tokens); an API key needs access to Functions.",
        '常時受付の回線を設置できませんでした：Twilio が Functions 用の Account SID と Auth Token（または API キー）を受け付けませんでした。Twilio コンソール（Account → API keys & tokens）からもう一度コピーしてください。API キーの場合は Functions の権限が必要です。',
      );
    }
    if (error.status === 400 && /No matching version found|no longer supported/i.test(error.message ?? '')) {
      return say(
        'always-on-version-refused',
        `Couldn't install the always-on line: Twilio no longer accepts the version of its Functions software this copy of Shukuden uses (${detail}). Update Shukuden to the newest version, then turn always-on on again.`,
        `常時受付の回線を設置できませんでした：この Shukuden が使っている Twilio Functions のソフトウェアのバージョンを Twilio が受け付けなくなりました（${detail}）。Shukuden を最新版に更新してから、常時受付をもう一度オンにしてください。`,
      );
    }
    if (error.status === 429 && !LIMIT.test(error.message ?? '')) {
      return say(
        'always-on-busy',
        "Couldn't install the always-on line yet: Twilio asked us to slow down. Shukuden will try again by itself.",
        '常時受付の回線をまだ設置できていません：Twilio が混雑しています。自動で再試行します。',
      );
    }
    if (error.status >= 400 && error.status < 500 && (error.status === 429 || LIMIT.test(error.message ?? ''))) {
      return say(
        'always-on-limit',
        `Couldn't install the always-on line: your Twilio account has reached a limit for Functions (${detail}). Delete Functions services you no longer use in the Twilio Console (Functions and Assets → Services), or ask Twilio support to raise the limit, then turn always-on on again.`,
        `常時受付の回線を設置できませんでした：Twilio アカウントの Functions の上限に達しています（${detail}）。Twilio コンソール（Functions and Assets → Services）で使っていないサービスを削除するか、Twilio サポートに上限の引き上げを依頼してから、常時受付をもう一度オンにしてください。`,
      );
    }
    if (error.status >= 500) {
      return say(
        'always-on-unavailable',
        `Couldn't install the always-on line: Twilio is having problems right now (error ${error.status}). Shukuden will try again; check status.twilio.com if it lasts.`,
        `常時受付の回線を設置できませんでした：Twilio 側で障害が起きています（エラー ${error.status}）。自動で再試行します。続く場合は status.twilio.com を確認してください。`,
      );
    }
    return say(
      'always-on-rejected',
      `Couldn't install the always-on line: Twilio refused (${detail}).`,
      `常時受付の回線を設置できませんでした：Twilio に拒否されました（${detail}）。`,
    );
  }
  if (isTransient(error) || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'TypeError'))) {
    return say(
      'always-on-unreachable',
      "Couldn't install the always-on line: Twilio can't be reached. Check the laptop's internet connection; Shukuden will keep trying.",
      '常時受付の回線を設置できませんでした：Twilio に接続できません。パソコンのインターネット接続を確認してください。自動で再試行します。',
    );
  }
  return say(
    'always-on-failed',
    `Couldn't install the always-on line: ${(error as Error)?.message ?? String(error)}.`,
    `常時受付の回線を設置できませんでした：${(error as Error)?.message ?? String(error)}。`,
  );
}

/** Whether trying again later may help (the network, rate limits, Twilio's side, a slow build). */
export function isPassing(problem: UserError): boolean {
  return ['always-on-busy', 'always-on-unavailable', 'always-on-unreachable', 'always-on-build-slow'].includes(problem.code);
}
