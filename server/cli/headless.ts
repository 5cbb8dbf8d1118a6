/**
 * Headless Shukuden: `npm run serve -- [--data-dir DIR] [--port N] [--public-url URL]`.
 * Starts the same core the desktop app runs, without Electron. With a tunnel (--tunnel ngrok)
 * or --public-url it proves the line answers; with TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN it
 * also wires the number and brings every recording home. Status changes are printed as they happen.
 */
import { randomBytes } from 'node:crypto';
import { describeAnsweringMode } from '../always-on/answering-mode.ts';
import { createCore, type Core } from '../core.ts';
import { defaultDataDir, prepareDataDir } from '../data-dir.ts';
import { consoleLog, type Log } from '../log.ts';
import { STAGES } from '../connection/connection-status.ts';
import type { ConnectionStatus } from '../connection/connection-status.ts';
import type { ConnectionSupervisor } from '../connection/connection-supervisor.ts';
import { fileURLToPath } from 'node:url';
import { NUMBER } from '../organiser/organiser-controller.ts';
import { startApp, type RunningApp, type StartAppOptions } from '../start-app.ts';
import { memorySecrets, SECRET } from '../organiser/secret-store.ts';
import { fixedUrlTunnel } from '../tunnel/fixed-url-tunnel.ts';
import { NEEDS_ORGANISER } from '../tunnel/ngrok-errors.ts';
import { ngrokTunnel } from '../tunnel/ngrok-tunnel.ts';
import type { TwilioCredentials } from '../twilio/client.ts';
import { UserError } from '../user-error.ts';
import { parseServeArgs, SERVE_USAGE } from './serve-args.ts';

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
  const provider = args.tunnel === 'ngrok'
    ? ngrokTunnel({ authtoken: env['NGROK_AUTHTOKEN'] || null, domain: args.domain })
    : args.publicUrl
      ? fixedUrlTunnel(args.publicUrl)
      : null;
  if (credentials && !provider && !args.uninstallAlwaysOn) {
    throw new UserError('public-url-needed', {
      en: 'To connect your Twilio number, Shukuden needs a public address Twilio can call. Start it with --tunnel ngrok (and NGROK_AUTHTOKEN), or --public-url https://… for your own server.',
      ja: 'Twilio の番号をつなぐには、Twilio が呼び出せる公開アドレスが必要です。--tunnel ngrok（と NGROK_AUTHTOKEN）か、自分のサーバーなら --public-url https://… を付けて起動してください。',
    });
  }
  const twilioApiBase = env['SHUKUDEN_TWILIO_API_BASE'] || undefined;
  if (args.uninstallAlwaysOn) {
    await uninstallAlwaysOn(createCore({ dataDir, authToken, log, twilioApiBase }), credentials);
    return;
  }
  const secrets = memorySecrets({
    [SECRET.accountSid]: env['TWILIO_ACCOUNT_SID'],
    [SECRET.authToken]: credentials ? authToken : undefined,
    [SECRET.apiKeySid]: env['TWILIO_API_KEY'],
    [SECRET.apiKeySecret]: env['TWILIO_API_SECRET'],
  });
  let browserLanguage: 'ja' | 'en' | null = null;
  const running = await startOrExplain(args.port, {
    dataDir,
    authToken,
    log,
    twilioApiBase,
    // The tunnel's URL replaces the local one once it is open.
    publicUrl: args.publicUrl ?? undefined,
    controller: {
      secrets,
      // Until the organiser picks one: the language of the browser showing the UI, else the server's.
      systemLanguage: () => browserLanguage ?? systemLanguage(env),
      fixedTunnel: provider,
      allowTrial: args.allowTrial,
    },
    // The guest page is built beside the organiser UI (from source and from the build alike).
    guestPageDir: RENDERER_DIR,
    organiser: { rendererDir: RENDERER_DIR, onBrowserLanguage: (tag) => (browserLanguage = languageOf(tag)) },
  });
  const { core, controller } = running;
  if (args.alwaysOn !== null) await core.alwaysOn.setEnabled(args.alwaysOn);
  if (args.guestLink) core.guestLink.update({ enabled: true });
  console.log(`Data folder: ${dataDir}`);
  console.log(`TwiML server: ${running.twiml.url}`);
  // No TWILIO_PHONE_NUMBER means "the account's only voice number".
  if (credentials) core.settings.set(NUMBER, { phoneNumber: env['TWILIO_PHONE_NUMBER'] ?? '', takeOver: args.takeOver });
  console.log(`Organiser UI: ${running.organiser?.uiUrl ?? ''}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}; shutting down`);
    let code = 0;
    try {
      await controller.stop();
      const hosted = core.alwaysOn.voiceUrl();
      if (hosted) console.log(`Line mode: ${describeAnsweringMode('hosted').en} / ${describeAnsweringMode('hosted').ja} (${hosted})`);
    } catch (error) {
      code = 1;
      if (error instanceof UserError) console.error(`${error.text.en}\n${error.text.ja}`);
    }
    await running.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  if (!provider) {
    // Never print a local address as the webhook: pasted into Twilio, it could never be reached.
    console.log('Public address: none — Twilio can\'t reach this computer yet. To take real calls, start with --tunnel ngrok (or --public-url for your own server); "Try a call" in the Organiser UI works without one.');
    // The guest link works from this computer only until there is a public address.
    if (core.guestLink.enabled()) console.log(`Guest link: ${core.guestLink.url(core.publicUrl())}`);
    return;
  }
  printAlwaysOnChanges(core);
  const status = await controller.start();
  const supervisor = controller.supervisor();
  if (supervisor) printStatusChanges(supervisor, core, log, status);
  if (supervisor) printLineMode(supervisor, core);
  if (supervisor) printGuestLink(supervisor, core);
  const tunnelProblem = status.stages.tunnel.problem;
  if (tunnelProblem && NEEDS_ORGANISER.has(tunnelProblem.code)) {
    await running.close();
    throw new UserError(tunnelProblem.code, { en: tunnelProblem.en, ja: tunnelProblem.ja });
  }
  const problem = supervisor?.numberProblem();
  if (problem && !TRANSIENT.has(problem.code)) {
    // Headless has no one to ask: say what to do and stop without having changed anything.
    await running.close();
    throw problem;
  }
}

/** Where the built renderer is (npm run build); web mode serves it. */
const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

function systemLanguage(env: NodeJS.ProcessEnv): 'ja' | 'en' {
  return languageOf(env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || Intl.DateTimeFormat().resolvedOptions().locale);
}

function languageOf(locale: string): 'ja' | 'en' {
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** Twilio problems that fix themselves (the supervisor retries); anything else needs the organiser. */
const TRANSIENT = new Set(['twilio-unreachable', 'twilio-unavailable', 'twilio-busy']);

/** Prints each change of the line's status as it happens, and the number and balance once wired. */
function printStatusChanges(supervisor: ConnectionSupervisor, core: Core, log: Log, current: ConnectionStatus): void {
  const last = new Map<string, string>();
  let announced = false;
  const print = (status: ConnectionStatus) => {
    for (const stage of STAGES) {
      const s = status.stages[stage];
      const line = `${s.state}${s.detail ? ` ${s.detail}` : ''}${s.problem ? ` — ${s.problem.en} / ${s.problem.ja}` : ''}`;
      if (last.get(stage) === line) continue;
      last.set(stage, line);
      console.log(`Line ${stage}: ${line}`);
    }
    if (status.ready && !last.has('ready')) {
      last.set('ready', 'yes');
      console.log(`Voice webhook: ${core.publicUrl()}/twilio/voice`);
    }
    const twilio = core.twilio();
    if (twilio && !announced) {
      announced = true;
      console.log(`Phone number: ${twilio.number.phoneNumber}`);
      void twilio.balance().then(
        (balance) => {
          console.log(`Balance: ${balance.amount} ${balance.currency}`);
          if (balance.low) log.warn('The Twilio balance is low; add funds so calls keep coming in. / Twilio の残高が少なくなっています。着信が止まらないようチャージしてください。');
        },
        // The balance is information only; the line works without it.
        (error: unknown) => log.warn('Could not read the Twilio balance', { error: error instanceof UserError ? error.text.en : String(error) }),
      );
    }
  };
  print(current);
  supervisor.onChange(print);
}

/** Prints the always-on line's state as it changes (`Always-on line: ready https://…`). */
function printAlwaysOnChanges(core: Core): void {
  let last = '';
  core.alwaysOn.onChange((status) => {
    let line: string;
    switch (status.kind) {
      case 'off':
        line = 'off';
        break;
      case 'waiting':
        return;
      case 'deploying':
        line = 'installing on Twilio Functions';
        break;
      case 'ready':
        line = `ready ${status.voiceUrl}`;
        break;
      case 'failed':
        line = `failed — ${status.problem.en} / ${status.problem.ja}`;
        break;
      default:
        return status satisfies never;
    }
    if (line === last) return;
    last = line;
    console.log(`Always-on line: ${line}`);
  });
}

/** Prints `Guest link: <url>` once the public address is up, and again whenever the link changes. */
function printGuestLink(supervisor: ConnectionSupervisor, core: Core): void {
  let last = '';
  const print = () => {
    const status = supervisor.status();
    if (!core.guestLink.enabled() || !status.publicUrl || status.stages.tunnel.state !== 'ok') return;
    const url = core.guestLink.url(status.publicUrl);
    if (url === last) return;
    last = url;
    console.log(`Guest link: ${url}`);
  };
  print();
  supervisor.onChange(print);
  core.guestLink.onChange(print);
}

/** Prints who answers the number, in plain words, whenever that changes. */
function printLineMode(supervisor: ConnectionSupervisor, core: Core): void {
  let last = '';
  const print = () => {
    const words = core.alwaysOn.describeMode(supervisor.status().ready);
    const line = `${words.en} / ${words.ja}`;
    if (line === last) return;
    last = line;
    console.log(`Line mode: ${line}`);
  };
  print();
  supervisor.onChange(print);
  core.alwaysOn.onChange(print);
}

/** `--uninstall-always-on`: removes the hosted line (and gives the number back what it had), then exits. */
async function uninstallAlwaysOn(core: Core, credentials: TwilioCredentials | null): Promise<void> {
  try {
    if (!credentials) {
      throw new UserError('always-on-no-account', {
        en: 'To remove the always-on line, set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN for the account it is installed in.',
        ja: '常時受付の回線を削除するには、設置先アカウントの TWILIO_ACCOUNT_SID と TWILIO_AUTH_TOKEN を設定してください。',
      });
    }
    await core.alwaysOn.uninstall(credentials);
    console.log('Always-on line: removed from your Twilio account / Twilio アカウントから削除しました');
  } finally {
    core.close();
  }
}

function twilioCredentials(env: NodeJS.ProcessEnv, authToken: string): TwilioCredentials | null {
  const accountSid = env['TWILIO_ACCOUNT_SID'];
  if (!accountSid) return null;
  const keySid = env['TWILIO_API_KEY'];
  const keySecret = env['TWILIO_API_SECRET'];
  return { accountSid, authToken, ...(keySid && keySecret ? { apiKey: { sid: keySid, secret: keySecret } } : {}) };
}

async function startOrExplain(port: number, options: Omit<StartAppOptions, 'port'>): Promise<RunningApp> {
  try {
    return await startApp({ ...options, port });
  } catch (error) {
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
