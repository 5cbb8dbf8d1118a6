import { parseArgs } from 'node:util';
import { UserError } from '../user-error.ts';

export interface ServeArgs {
  readonly dataDir: string | null;
  readonly port: number;
  readonly publicUrl: string | null;
  readonly help: boolean;
  readonly takeOver: boolean;
  readonly allowTrial: boolean;
  /** Open an ngrok tunnel (NGROK_AUTHTOKEN) instead of being given a public URL. */
  readonly tunnel: 'ngrok' | null;
  /** A reserved ngrok domain, so the URL stays the same across launches. */
  readonly domain: string | null;
  /** --always-on (true) / --no-always-on (false); null keeps the choice saved in the data folder (default off). */
  readonly alwaysOn: boolean | null;
  /** Remove the always-on line from the Twilio account, then exit. */
  readonly uninstallAlwaysOn: boolean;
  /** --guest-link: switch the guest link on (remembered) and print it. */
  readonly guestLink: boolean;
}

export const SERVE_USAGE = `Usage: npm run serve -- [--data-dir DIR] [--port N] [--tunnel ngrok [--domain D] | --public-url URL]

  --data-dir DIR     where messages and settings are kept (default: your app-data folder)
  --port N           local port for the TwiML server; 0 picks a free one (default 0)
  --tunnel ngrok     open an ngrok tunnel (needs NGROK_AUTHTOKEN) and keep it up
  --domain D         with --tunnel ngrok: your reserved ngrok domain, so the address never changes
  --public-url URL   your own public base URL (reverse proxy, cloud host); no tunnel is started
  --take-over        wire the number even if it points at another app (its settings are restored on quit)
  --allow-trial      accept a Twilio trial account, for testing: on a trial only numbers you
                     verified in the Twilio Console can call (guests can't until you upgrade)
  --always-on        keep the line answering while Shukuden is closed: a copy runs on Twilio Functions
                     (the number's fallback while Shukuden runs, its voice URL after a quit); remembered
  --no-always-on     turn that off (a quit then restores the number's previous settings)
  --uninstall-always-on   remove the always-on line from your Twilio account, then exit
  --guest-link       turn the guest link on (guests record in their phone's browser; needs only the
                     public address) and print it as "Guest link: <url>"; remembered
  --help             show this help

Environment:
  TWILIO_AUTH_TOKEN     checks that requests really come from Twilio
  TWILIO_ACCOUNT_SID    with the token (and --public-url): wire the number and download every message
  TWILIO_PHONE_NUMBER   which of the account's numbers guests call (needed if it has several)
  TWILIO_API_KEY, TWILIO_API_SECRET   optional API key for REST calls instead of the auth token
  NGROK_AUTHTOKEN       your ngrok authtoken, for --tunnel ngrok`;

/** Parses `npm run serve` flags; bad input is a UserError that names the fix. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'public-url': { type: 'string' },
        help: { type: 'boolean' },
        'take-over': { type: 'boolean' },
        'allow-trial': { type: 'boolean' },
        tunnel: { type: 'string' },
        domain: { type: 'string' },
        'always-on': { type: 'boolean' },
        'no-always-on': { type: 'boolean' },
        'uninstall-always-on': { type: 'boolean' },
        'guest-link': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const portText = values.port ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UserError('bad-port', {
      en: `"${portText}" is not a port number. Use a number from 1 to 65535, or 0 to pick a free port.\n\n${SERVE_USAGE}`,
      ja: `「${portText}」はポート番号ではありません。1〜65535 の数字か、空きポートを自動で選ぶ 0 を指定してください。`,
    });
  }
  if (values.tunnel !== undefined && values.tunnel !== 'ngrok') {
    throw usageError(`Unknown tunnel "${values.tunnel}": the only one is "ngrok". (For your own server, use --public-url instead.)`);
  }
  if (values.tunnel !== undefined && values['public-url'] !== undefined) {
    throw usageError('Use either --tunnel ngrok or --public-url, not both.');
  }
  if (values.domain !== undefined && values.tunnel === undefined) {
    throw usageError('--domain goes with --tunnel ngrok.');
  }
  if (values['always-on'] && values['no-always-on']) {
    throw usageError('Use either --always-on or --no-always-on, not both.');
  }
  return {
    dataDir: values['data-dir'] ?? null,
    tunnel: values.tunnel === 'ngrok' ? 'ngrok' : null,
    domain: values.domain ?? null,
    port,
    publicUrl: values['public-url'] === undefined ? null : parsePublicUrl(values['public-url']),
    help: values.help ?? false,
    takeOver: values['take-over'] ?? false,
    allowTrial: values['allow-trial'] ?? false,
    alwaysOn: values['always-on'] ? true : values['no-always-on'] ? false : null,
    uninstallAlwaysOn: values['uninstall-always-on'] ?? false,
    guestLink: values['guest-link'] ?? false,
  };
}

function parsePublicUrl(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
    throw new UserError('bad-public-url', {
      en: `"${raw}" is not a usable public URL. Give the address Twilio should call, like https://example.ngrok.app (no query string).`,
      ja: `「${raw}」は公開 URL として使えません。Twilio が呼び出すアドレス（例：https://example.ngrok.app、? 以降なし）を指定してください。`,
    });
  }
  return url.href.replace(/\/+$/, '');
}

function usageError(detail: string): UserError {
  return new UserError('bad-arguments', {
    en: `${detail}\n\n${SERVE_USAGE}`,
    ja: `コマンドの指定に誤りがあります：${detail}`,
  });
}
