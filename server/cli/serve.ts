/**
 * Headless Shukuden: `npm run serve -- [--data-dir DIR] [--port N] [--public-url URL]`.
 * Starts the same core the desktop app runs, without Electron. With TWILIO_ACCOUNT_SID and
 * TWILIO_AUTH_TOKEN it also wires the number and brings every recording home.
 */
import { randomBytes } from 'node:crypto';
import { createCore, TWILIO_API_BASE, type Core } from '../core.ts';
import { defaultDataDir, prepareDataDir } from '../data-dir.ts';
import { listen, type Listening } from '../listen.ts';
import { consoleLog, type Log } from '../log.ts';
import type { TwilioCredentials } from '../twilio/client.ts';
import { UserError } from '../user-error.ts';
import { parseServeArgs, SERVE_USAGE, type ServeArgs } from './serve-args.ts';

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  if (args.help) {
    console.log(SERVE_USAGE);
    return;
  }
  const log = consoleLog();
  const env = process.env;
  const dataDir = prepareDataDir(args.dataDir ?? defaultDataDir());
  let authToken = env['TWILIO_AUTH_TOKEN'] ?? '';
  if (authToken === '') {
    // Without the token we cannot tell Twilio from a stranger: refuse real calls rather than trust anyone.
    authToken = randomBytes(16).toString('hex');
    log.warn(
      'TWILIO_AUTH_TOKEN is not set: calls from Twilio will be refused until you set it. / TWILIO_AUTH_TOKEN が未設定のため、Twilio からの着信は拒否されます。設定してから起動し直してください。',
    );
  }
  const credentials = twilioCredentials(env, authToken);
  if (credentials && !args.publicUrl) {
    throw new UserError('public-url-needed', {
      en: 'To connect your Twilio number, Shukuden needs the public address Twilio will call. Start it with --public-url https://… (your tunnel or server).',
      ja: 'Twilio の番号をつなぐには、Twilio が呼び出す公開アドレスが必要です。--public-url https://… （トンネルやサーバーのアドレス）を付けて起動してください。',
    });
  }
  const host = '127.0.0.1';
  const core = createCore({
    dataDir,
    authToken,
    // Until we listen, the local URL isn't known; it is set below when no public URL is given.
    publicUrl: args.publicUrl ?? `http://${host}:${args.port}`,
    log,
    twilioApiBase: env['SHUKUDEN_TWILIO_API_BASE'] ?? TWILIO_API_BASE,
  });
  const listening = await listenOrExplain(core, args.port, host);
  if (!args.publicUrl) core.setPublicUrl(listening.url);
  console.log(`Data folder: ${dataDir}`);
  console.log(`TwiML server: ${listening.url}`);
  console.log(`Voice webhook: ${core.publicUrl()}/twilio/voice`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}; shutting down`);
    let code = 0;
    try {
      await core.disconnectTwilio({ restore: true });
    } catch (error) {
      code = 1;
      if (error instanceof UserError) console.error(`${error.text.en}\n${error.text.ja}`);
    }
    await listening.close();
    core.close();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  if (credentials) {
    try {
      await connectTwilio(core, credentials, args, log);
    } catch (error) {
      await listening.close();
      core.close();
      throw error;
    }
  }
}

function twilioCredentials(env: NodeJS.ProcessEnv, authToken: string): TwilioCredentials | null {
  const accountSid = env['TWILIO_ACCOUNT_SID'];
  if (!accountSid) return null;
  const keySid = env['TWILIO_API_KEY'];
  const keySecret = env['TWILIO_API_SECRET'];
  return { accountSid, authToken, ...(keySid && keySecret ? { apiKey: { sid: keySid, secret: keySecret } } : {}) };
}

async function connectTwilio(core: Core, credentials: TwilioCredentials, args: ServeArgs, log: Log): Promise<void> {
  const result = await core.connectTwilio({
    credentials,
    phoneNumber: process.env['TWILIO_PHONE_NUMBER'] || null,
    allowTrial: args.allowTrial,
    takeOver: args.takeOver,
  });
  if (result.kind === 'needs-confirmation') {
    const current = result.currentVoiceUrl || `TwiML App ${result.currentApplicationSid}`;
    throw new UserError('number-in-use', {
      en: `${result.phoneNumber} currently answers another app (${current}). Nothing was changed. To let Shukuden take it over until you quit, start again with --take-over; its settings are restored when Shukuden stops.`,
      ja: `${result.phoneNumber} は現在ほかのアプリ（${current}）につながっています。何も変更していません。Shukuden で使うには --take-over を付けて起動し直してください。終了時に元の設定に戻します。`,
    });
  }
  const { line } = result;
  console.log(`Phone number: ${line.number.phoneNumber}`);
  try {
    const balance = await line.balance();
    console.log(`Balance: ${balance.amount} ${balance.currency}`);
    if (balance.low) {
      log.warn('The Twilio balance is low; add funds so calls keep coming in. / Twilio の残高が少なくなっています。着信が止まらないようチャージしてください。');
    }
  } catch (error) {
    // The balance is information only; the line works without it.
    log.warn('Could not read the Twilio balance', { error: error instanceof UserError ? error.text.en : String(error) });
  }
}

async function listenOrExplain(core: Core, port: number, host: string): Promise<Listening> {
  try {
    return await listen(core.app, { port, host });
  } catch (error) {
    core.close();
    throw new UserError(
      'port-in-use',
      {
        en: `Can't listen on port ${port} (${(error as Error).message}). Another program may be using it: pick another with --port, or use --port 0.`,
        ja: `ポート ${port} を使えません（${(error as Error).message}）。別のプログラムが使用中かもしれません。--port で別の番号か 0 を指定してください。`,
      },
      { cause: error },
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof UserError) {
    console.error(`${error.text.en}\n${error.text.ja}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
