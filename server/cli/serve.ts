/**
 * Headless Shukuden: `npm run serve -- [--data-dir DIR] [--port N] [--public-url URL]`.
 * Starts the same core the desktop app runs, without Electron.
 */
import { randomBytes } from 'node:crypto';
import { createCore, TWILIO_API_BASE } from '../core.ts';
import { defaultDataDir, prepareDataDir } from '../data-dir.ts';
import { listen } from '../listen.ts';
import { consoleLog } from '../log.ts';
import { UserError } from '../user-error.ts';
import { parseServeArgs, SERVE_USAGE } from './serve-args.ts';

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  if (args.help) {
    console.log(SERVE_USAGE);
    return;
  }
  const log = consoleLog();
  const dataDir = prepareDataDir(args.dataDir ?? defaultDataDir());
  let authToken = process.env['TWILIO_AUTH_TOKEN'] ?? '';
  if (authToken === '') {
    // Without the token we cannot tell Twilio from a stranger: refuse real calls rather than trust anyone.
    authToken = randomBytes(16).toString('hex');
    log.warn(
      'TWILIO_AUTH_TOKEN is not set: calls from Twilio will be refused until you set it. / TWILIO_AUTH_TOKEN が未設定のため、Twilio からの着信は拒否されます。設定してから起動し直してください。',
    );
  }
  const host = '127.0.0.1';
  // The public URL is only known once we listen when it isn't given, so start with a placeholder.
  const core = createCore({
    dataDir,
    authToken,
    publicUrl: args.publicUrl ?? `http://${host}:${args.port}`,
    log,
    twilioApiBase: process.env['SHUKUDEN_TWILIO_API_BASE'] ?? TWILIO_API_BASE,
  });
  let listening;
  try {
    listening = await listen(core.app, { port: args.port, host });
  } catch (error) {
    core.close();
    throw new UserError(
      'port-in-use',
      {
        en: `Can't listen on port ${args.port} (${(error as Error).message}). Another program may be using it: pick another with --port, or use --port 0.`,
        ja: `ポート ${args.port} を使えません（${(error as Error).message}）。別のプログラムが使用中かもしれません。--port で別の番号か 0 を指定してください。`,
      },
      { cause: error },
    );
  }
  if (!args.publicUrl) core.setPublicUrl(listening.url);
  console.log(`Data folder: ${dataDir}`);
  console.log(`TwiML server: ${listening.url}`);
  console.log(`Voice webhook: ${core.publicUrl()}/twilio/voice`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}; shutting down`);
    await listening.close();
    core.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof UserError) {
    console.error(`${error.text.en}\n${error.text.ja}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
