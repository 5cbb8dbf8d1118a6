import { UserError, type Problem } from '../user-error.ts';

const FIX_TOKEN_EN = 'Copy your authtoken again from dashboard.ngrok.com → "Your Authtoken" and paste it in Settings (headless: NGROK_AUTHTOKEN).';
const FIX_TOKEN_JA = 'dashboard.ngrok.com の「Your Authtoken」から authtoken をもう一度コピーして、設定に貼り付けてください（ヘッドレスでは NGROK_AUTHTOKEN）。';

/** ngrok's own error codes (ERR_NGROK_*) in plain words with the fix. */
const BY_CODE: Readonly<Record<string, Problem>> = {
  ERR_NGROK_105: { code: 'ngrok-authtoken-invalid', en: `ngrok did not accept the authtoken (it doesn't look like one). ${FIX_TOKEN_EN}`, ja: `ngrok が authtoken を受け付けませんでした（形式が違います）。${FIX_TOKEN_JA}` },
  ERR_NGROK_106: { code: 'ngrok-authtoken-invalid', en: `That is an old-style ngrok authtoken. ${FIX_TOKEN_EN}`, ja: `古い形式の ngrok authtoken です。${FIX_TOKEN_JA}` },
  ERR_NGROK_107: { code: 'ngrok-authtoken-invalid', en: `ngrok says this authtoken is not valid (it may have been reset). ${FIX_TOKEN_EN}`, ja: `ngrok によるとこの authtoken は無効です（再発行された可能性があります）。${FIX_TOKEN_JA}` },
  ERR_NGROK_4018: { code: 'ngrok-authtoken-missing', en: `ngrok needs your authtoken to open the line. ${FIX_TOKEN_EN}`, ja: `回線を開くには ngrok の authtoken が必要です。${FIX_TOKEN_JA}` },
  // ngrok.com/docs/errors: "You've hit your account limit for simultaneous ngrok agent sessions" — the limit depends on the plan.
  ERR_NGROK_108: { code: 'ngrok-session-limit', en: 'Your ngrok account already has as many agents running as its plan allows (elsewhere: another laptop, or a terminal running ngrok). Close one of them — or upgrade the ngrok plan — then try again.', ja: 'この ngrok アカウントでは、プランで許される数の ngrok が既に別の場所（別のパソコンや ngrok を実行中のターミナル）で動いています。どれかを閉じるか ngrok のプランを変更してから再試行してください。' },
  ERR_NGROK_348: { code: 'ngrok-session-limit', en: 'Your ngrok account has reached its session limit. Close ngrok elsewhere, then try again.', ja: 'ngrok アカウントのセッション数の上限です。ほかで動いている ngrok を閉じてから再試行してください。' },
  ERR_NGROK_313: { code: 'ngrok-domain-not-allowed', en: 'This ngrok plan cannot use the chosen address. Leave the domain empty, or reserve it at dashboard.ngrok.com → Domains.', ja: 'この ngrok プランでは指定したアドレスを使えません。ドメイン欄を空にするか、dashboard.ngrok.com → Domains で予約してください。' },
  ERR_NGROK_319: { code: 'ngrok-domain-not-reserved', en: 'The ngrok domain is not reserved for your account. Reserve it at dashboard.ngrok.com → Domains, or leave the domain empty.', ja: 'この ngrok ドメインはあなたのアカウントで予約されていません。dashboard.ngrok.com → Domains で予約するか、ドメイン欄を空にしてください。' },
  ERR_NGROK_320: { code: 'ngrok-domain-not-reserved', en: 'The ngrok domain belongs to another account. Reserve your own at dashboard.ngrok.com → Domains, or leave the domain empty.', ja: 'この ngrok ドメインは別のアカウントのものです。dashboard.ngrok.com → Domains で自分のドメインを予約するか、ドメイン欄を空にしてください。' },
  ERR_NGROK_334: { code: 'ngrok-domain-in-use', en: 'That ngrok address is already online in another session (is Shukuden or ngrok running elsewhere?). Close it, then try again.', ja: 'この ngrok アドレスは別のセッションで使用中です（ほかで Shukuden や ngrok が動いていませんか）。閉じてから再試行してください。' },
  ERR_NGROK_102: { code: 'ngrok-account-suspended', en: 'ngrok stopped this account because a payment failed. Update the payment method at dashboard.ngrok.com.', ja: '支払いに失敗したため ngrok アカウントが停止しています。dashboard.ngrok.com で支払い方法を更新してください。' },
  ERR_NGROK_103: { code: 'ngrok-account-suspended', en: 'This ngrok account is suspended. Contact ngrok support, or use another account.', ja: 'この ngrok アカウントは停止されています。ngrok サポートに連絡するか、別のアカウントを使ってください。' },
  ERR_NGROK_120: { code: 'ngrok-outdated', en: 'ngrok no longer supports this version of its library. Update Shukuden.', ja: 'このバージョンの ngrok ライブラリはサポート終了です。Shukuden を更新してください。' },
};

const UNREACHABLE = {
  en: "Can't reach ngrok, so the phone line can't be opened. Check the laptop's internet connection (Wi-Fi, or a network that blocks ngrok); Shukuden keeps trying.",
  ja: 'ngrok に接続できないため、電話回線を開けません。パソコンのインターネット接続（Wi-Fi や ngrok を遮断するネットワーク）を確認してください。自動で再試行します。',
};

/**
 * Transport failures of a session connect (ngrok-rust's ConnectError without a code: tcp, tls,
 * session start, proxy). Every session error — an authentication refusal too — starts with
 * "failed to connect session:", so that prefix alone says nothing about the network.
 */
const TRANSPORT = /failed to establish tcp connection|tls handshake error|failed to start ngrok session|failed to connect through proxy|dns|timed? ?out|connection refused|network/i;

/** The tunnel dropped after it was up (the library is reconnecting by itself). */
export function ngrokConnectionLost(): UserError {
  return new UserError('ngrok-unreachable', UNREACHABLE);
}

/** What the organiser needs to know when ngrok fails: the problem and the fix, in both languages. */
export function explainNgrokError(error: unknown): UserError {
  if (error instanceof UserError) return error;
  const err = error as { errorCode?: unknown; code?: unknown; message?: unknown } | null;
  const message = typeof err?.message === 'string' ? err.message : String(error);
  const code = typeof err?.errorCode === 'string' ? err.errorCode : /ERR_NGROK_\d+/.exec(message)?.[0];
  const known = code ? BY_CODE[code] : undefined;
  if (known) return new UserError(known.code, { en: known.en, ja: known.ja }, { cause: error });
  if (!code && TRANSPORT.test(message)) return new UserError('ngrok-unreachable', UNREACHABLE, { cause: error });
  if (code || /^failed to connect session:/.test(message)) {
    // ngrok itself answered and refused (an unknown code, or an authentication failure without
    // one): the network is fine, and trying the same thing again won't help.
    return new UserError(
      'ngrok-refused',
      {
        en: `ngrok refused to open the line${code ? ` (${code})` : ''}: ${message}. Check your ngrok account and authtoken at dashboard.ngrok.com${code ? `, and look up ${code} at ngrok.com/docs/errors` : ''}; then try again from Settings.`,
        ja: `ngrok が回線の開設を拒否しました${code ? `（${code}）` : ''}：${message}。dashboard.ngrok.com で ngrok アカウントと authtoken を確認${code ? `し、ngrok.com/docs/errors で ${code} を調べ` : ''}てから、設定で再試行してください。`,
      },
      { cause: error },
    );
  }
  return new UserError(
    'ngrok-failed',
    {
      en: `ngrok could not open the line: ${message}. Try again; if it persists, restart Shukuden.`,
      ja: `ngrok で回線を開けませんでした：${message}。再試行し、続く場合は Shukuden を再起動してください。`,
    },
    { cause: error },
  );
}

/** Problems only the organiser can fix (a token, a domain, the account): retrying won't help. */
export const NEEDS_ORGANISER: ReadonlySet<string> = new Set([
  'ngrok-authtoken-invalid',
  'ngrok-authtoken-missing',
  'ngrok-domain-not-allowed',
  'ngrok-domain-not-reserved',
  'ngrok-account-suspended',
  'ngrok-outdated',
  'ngrok-refused',
]);

/** Whether the organiser must change something before retrying can help. */
export function needsOrganiser(error: UserError): boolean {
  return NEEDS_ORGANISER.has(error.code);
}
