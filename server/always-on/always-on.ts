import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Log } from '../log.ts';
import { defineSetting, type SettingsStore } from '../store/settings-store.ts';
import { createTwilioClient, type TwilioClient, type TwilioCredentials } from '../twilio/client.ts';
import { NumberWiring } from '../twilio/number-wiring.ts';
import { explainTwilioError } from '../twilio/twilio-errors.ts';
import type { TwilioAccount } from '../twilio/twilio-account.ts';
import { UserError, type Bilingual, type Problem } from '../user-error.ts';
import { explainDeployError, isPassing } from './deploy-errors.ts';
import { buildHostedPackage } from './hosted-package.ts';
import { hostedVoiceUrl } from './hosted-paths.ts';
import { describeAnsweringMode, answeringMode, type AnsweringMode } from './answering-mode.ts';
import { deployedHostedLineSchema, deployHostedLine, findService, isStillDeployed, SERVICE_UNIQUE_NAME, type DeployedHostedLine } from './serverless-deploy.ts';

/** Whether the organiser turned the always-on line on. */
export const ENABLED = defineSetting('alwaysOn', z.object({ enabled: z.boolean() }), { enabled: false });
/** What is deployed on Twilio, if anything. */
export const DEPLOYED = defineSetting<DeployedHostedLine | null>('alwaysOn.deployed', deployedHostedLineSchema.nullable(), null);

/** How long a clean quit waits for the hosted line to catch up with new prompts before handing it the number. */
const QUIT_SYNC_MS = 60_000;

export type AlwaysOnStatus =
  /** Turned off (the default): a clean quit gives the number back to the organiser's previous settings. */
  | { readonly kind: 'off' }
  /** Turned on, but no Twilio account is connected yet to install it in. */
  | { readonly kind: 'waiting' }
  | { readonly kind: 'deploying' }
  /** Installed, current, and the number's fallback. */
  | { readonly kind: 'ready'; readonly voiceUrl: string }
  /** The last install failed; `voiceUrl` is an earlier deployment that still answers, if any. */
  | { readonly kind: 'failed'; readonly problem: Problem; readonly voiceUrl: string | null };

/** The Twilio line, as far as the always-on line steers it. */
export type SteeredAccount = Pick<TwilioAccount, 'fallbackUrl' | 'setFallback' | 'park' | 'disconnect'>;

export interface AlwaysOnOptions {
  readonly settings: SettingsStore;
  /** Where the organiser's prompt audio lives (uploaded as assets). */
  readonly promptDir: string;
  /** Twilio's REST base (tests: the emulator, which also stands in for the Serverless and upload hosts). */
  readonly apiBase: string;
  readonly log: Log;
  readonly buildTimeoutMs?: number;
  /** Backoff for installing again after a passing failure (network, Twilio's side). */
  readonly retry?: { readonly baseMs: number; readonly maxMs: number };
}

/**
 * The always-on line: a copy of the call flow hosted on Twilio Functions that answers when
 * this app can't. While the app is live it is the number's fallback URL; on a clean quit it
 * becomes the voice URL, and the next launch takes the number back. It is (re)deployed when
 * the code, settings or prompts change, and can be removed from the account again.
 */
export class AlwaysOnService {
  readonly #o: AlwaysOnOptions;
  #line: SteeredAccount | null = null;
  #credentials: TwilioCredentials | null = null;
  #status: AlwaysOnStatus;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  readonly #listeners = new Set<(status: AlwaysOnStatus) => void>();

  constructor(options: AlwaysOnOptions) {
    this.#o = options;
    this.#status = this.enabled() ? { kind: 'waiting' } : { kind: 'off' };
  }

  /** Whether the organiser wants the line always on (default: off). */
  enabled(): boolean {
    return this.#o.settings.get(ENABLED).enabled;
  }

  /** What is deployed on Twilio, if anything. */
  installed(): DeployedHostedLine | null {
    return this.#o.settings.get(DEPLOYED);
  }

  /**
   * Where the number goes when this laptop can't answer: the hosted line, when it is on and
   * installed in the account (`accountSid`, default: the connected one). A line in another
   * account can't answer this number: Twilio signs with this account's token.
   */
  voiceUrl(accountSid: string | null = this.#credentials?.accountSid ?? null): string | null {
    const installed = this.installed();
    if (!this.enabled() || !installed || (accountSid !== null && installed.accountSid !== accountSid)) return null;
    return hostedVoiceUrl(installed.domain);
  }

  status(): AlwaysOnStatus {
    return this.#status;
  }

  onChange(listener: (status: AlwaysOnStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Who answers the number now; `laptopAnswers` is the line supervisor's "ready". */
  mode(laptopAnswers: boolean): AnsweringMode {
    return answeringMode({ laptopAnswers, hostedReady: this.voiceUrl() !== null });
  }

  /** The mode in plain words (Japanese and English). */
  describeMode(laptopAnswers: boolean): Bilingual {
    return describeAnsweringMode(this.mode(laptopAnswers));
  }

  /** Who will answer once the app is closed. */
  modeAfterQuit(): AnsweringMode {
    return this.mode(false);
  }

  /** Turns always-on on (installs it if an account is connected) or off (the number gets its own fallback back). */
  async setEnabled(on: boolean): Promise<AlwaysOnStatus> {
    this.#o.settings.set(ENABLED, { enabled: on });
    if (on) return this.sync();
    this.#stopRetrying();
    await this.#serial(async () => {
      await this.#line?.setFallback(null);
      this.#set({ kind: 'off' });
    });
    return this.#status;
  }

  /** The Twilio line is connected: install or update the hosted line in the background, and make it the fallback. */
  attach(line: SteeredAccount, credentials: TwilioCredentials): void {
    this.#line = line;
    this.#credentials = credentials;
    if (this.enabled()) this.#background();
  }

  /** The Twilio line is going away. */
  detach(): void {
    this.#stopRetrying();
    this.#line = null;
  }

  /**
   * Brings the hosted line up to date with the current code, settings and prompts (deploying
   * only if something changed or it is gone from Twilio) and makes it the number's fallback.
   * Call it after the organiser changes the line's settings or prompts. Never throws: failures
   * are in the status, in plain words, and the number is left working.
   */
  sync(): Promise<AlwaysOnStatus> {
    return this.#serial(() => this.#sync());
  }

  /**
   * Stops the Twilio line. On a clean quit (`restore`) with always-on installed, the number is
   * handed to the hosted line; otherwise it is restored (or, after a crash, left) as before.
   */
  async leave(line: SteeredAccount, options: { readonly restore: boolean }): Promise<void> {
    this.#stopRetrying();
    if (options.restore && this.enabled() && this.#line === line) {
      // New prompts must reach the hosted line before it takes over; an earlier deployment still beats none.
      const timeout = new AbortController();
      await Promise.race([this.sync(), sleep(QUIT_SYNC_MS, undefined, { signal: timeout.signal }).catch(() => undefined)]);
      timeout.abort();
    }
    if (this.#line === line) this.#line = null;
    const url = options.restore ? this.voiceUrl() : null;
    if (url) await line.park(url);
    else await line.disconnect(options);
  }

  /**
   * "Uninstall from my Twilio account": turns always-on off, gives the number back its own
   * fallback (or, if it is parked on the hosted line, its previous settings), then deletes the
   * Functions service with everything in it.
   */
  async uninstall(credentials?: TwilioCredentials): Promise<void> {
    const account = credentials ?? this.#credentials;
    if (!account) {
      throw new UserError('always-on-no-account', {
        en: 'Connect your Twilio account first, so Shukuden can remove the always-on line from it.',
        ja: '常時受付の回線を削除するには、先に Twilio アカウントを接続してください。',
      });
    }
    this.#o.settings.set(ENABLED, { enabled: false });
    this.#stopRetrying();
    await this.#serial(async () => {
      const client = createTwilioClient(account, this.#o.apiBase);
      const record = this.installed();
      const ours = record?.accountSid === account.accountSid ? record : null;
      try {
        // The number first, so it never points at a line that no longer exists.
        if (this.#line) await this.#line.setFallback(null);
        else await new NumberWiring({ client, settings: this.#o.settings, log: this.#o.log }).releaseHosted((url) => isHostedUrl(url, ours?.domain ?? null));
        const serviceSid = ours?.serviceSid ?? (await findService(client))?.sid ?? null;
        if (serviceSid) await removeService(client, serviceSid);
      } catch (error) {
        throw explainTwilioError(error, { en: 'remove the always-on line from your Twilio account', ja: 'Twilio アカウントから常時受付の回線を削除' });
      }
      this.#o.settings.clear(DEPLOYED);
      this.#o.log.info('The always-on line was removed from the Twilio account');
      this.#set({ kind: 'off' });
    });
  }

  async #sync(): Promise<AlwaysOnStatus> {
    if (!this.enabled()) return this.#set({ kind: 'off' });
    const credentials = this.#credentials;
    if (!credentials) return this.#set({ kind: 'waiting' });
    const { settings, promptDir, apiBase, log } = this.#o;
    const client = createTwilioClient(credentials, apiBase);
    const recorded = this.installed();
    // A deployment in another account (the organiser switched accounts) does not serve this number.
    let serving = recorded?.accountSid === credentials.accountSid ? recorded : null;
    try {
      const pkg = await buildHostedPackage(settings.flow(), promptDir, apiBase);
      if (serving && !(await isStillDeployed(client, serving))) {
        log.warn('The always-on line is gone from Twilio (deleted in the Console?); installing it again');
        settings.clear(DEPLOYED);
        serving = null;
      }
      if (!serving || serving.hash !== pkg.hash) {
        this.#set({ kind: 'deploying' });
        serving = await deployHostedLine({ client, credentials, apiBase, pkg, previous: serving, log, buildTimeoutMs: this.#o.buildTimeoutMs });
        settings.set(DEPLOYED, serving);
      }
      const url = hostedVoiceUrl(serving.domain);
      if (this.#line && this.enabled()) await this.#line.setFallback(url);
      this.#failures = 0;
      return this.#set({ kind: 'ready', voiceUrl: url });
    } catch (error) {
      const problem = explainDeployError(error, serving !== null);
      log.warn('Could not install the always-on line', { code: problem.code, error: problem.text.en });
      const url = serving ? hostedVoiceUrl(serving.domain) : null;
      // Leave the number working: an earlier deployment stays its fallback, otherwise the organiser's own.
      await this.#line?.setFallback(url).catch(() => undefined);
      if (isPassing(problem)) this.#retryLater();
      return this.#set({ kind: 'failed', problem: problem.problem, voiceUrl: url });
    }
  }

  /** Deploys, uninstalls and switches never overlap; each waits for the one before. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #retryLater(): void {
    if (!this.#line) return;
    const { baseMs, maxMs } = this.#o.retry ?? { baseMs: 5000, maxMs: 5 * 60_000 };
    const delay = Math.min(maxMs, baseMs * 2 ** this.#failures++);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#background(), delay);
    this.#timer.unref();
  }

  /** A sync nobody awaits: a failure is logged, never an unhandled rejection. */
  #background(): void {
    this.sync().catch((error: unknown) => this.#o.log.error('Updating the always-on line failed', { error: String(error) }));
  }

  #stopRetrying(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #set(status: AlwaysOnStatus): AlwaysOnStatus {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
    return status;
  }
}

/** Whether a number's URL is the always-on line's: its domain, or (record lost) any domain of our service. */
function isHostedUrl(url: string, domain: string | null): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname;
  return domain !== null ? host === domain : host.startsWith(`${SERVICE_UNIQUE_NAME}-`) && host.endsWith('.twil.io');
}

async function removeService(client: TwilioClient, sid: string): Promise<void> {
  try {
    await client.serverless.v1.services(sid).remove();
  } catch (error) {
    // Already gone (deleted in the Console): that is what we wanted.
    if ((error as { status?: unknown }).status !== 404) throw error;
  }
}
