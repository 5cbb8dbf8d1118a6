import { z } from 'zod';
import type { Log } from '../log.ts';
import type { CallStore } from '../store/call-store.ts';
import { defineSetting, type SettingsStore } from '../store/settings-store.ts';
import { checkAccount, type AccountSummary } from './account-check.ts';
import { fetchBalance, type Balance } from './balance.ts';
import { createTwilioClient, type TwilioClient, type TwilioCredentials } from './client.ts';
import { TwilioSms } from './sms.ts';
import { NumberWiring, type WiringTarget } from './number-wiring.ts';
import { chooseVoiceNumber, type VoiceNumber } from './phone-numbers.ts';
import { Reconciler } from './reconciler.ts';
import type { CallRunner } from '../call-runner.ts';
import type { StorageHealth } from '../store/storage-health.ts';
import { RecordingDownloader, type RetryPolicy } from './recording-downloader.ts';
import { explainTwilioError } from './twilio-errors.ts';

/** When this app first connected to Twilio: reconciliation looks for recordings from a day before it. */
const EVENT_START = defineSetting<string | null>('twilio.eventStartedAt', z.string().nullable(), null);

/** Opt-in: once the local copy is verified, delete the recording from Twilio. */
export const PRIVACY = defineSetting('privacy', z.object({ deleteFromTwilioAfterDownload: z.boolean() }), { deleteFromTwilioAfterDownload: false });
export type PrivacySettings = (typeof PRIVACY)['fallback'];

export interface ConnectOptions {
  readonly credentials: TwilioCredentials;
  /** The number guests call; null means "the account's only voice number". */
  readonly phoneNumber: string | null;
  readonly apiBase: string;
  readonly calls: CallStore;
  readonly settings: SettingsStore;
  readonly dataDir: string;
  readonly log: Log;
  /** The public base URL Twilio calls (tunnel or --public-url). */
  readonly publicUrl: string;
  readonly allowTrial?: boolean;
  /** The organiser agreed to take the number over from another app. */
  readonly takeOver?: boolean;
  readonly reconcileIntervalMs?: number;
  readonly retry?: RetryPolicy;
  /** The always-on line's voice URL when it is installed and turned on: the number's fallback while we are live. */
  readonly fallbackUrl?: string | null;
  /** Whether recordings of calls this app never answered were taken by the always-on line (marked "while away"). */
  readonly whileAway?: () => boolean;
  /** Where a full or unwritable data folder is reported. */
  readonly storage?: StorageHealth;
  /** The phone line: calls left open by a crash are settled on each reconciliation. */
  readonly line?: Pick<CallRunner, 'settleOpenCalls'>;
}

export type ConnectResult =
  | { readonly kind: 'connected'; readonly account: TwilioAccount }
  | { readonly kind: 'needs-confirmation'; readonly phoneNumber: string; readonly currentVoiceUrl: string; readonly currentApplicationSid: string };

/**
 * The line on a real Twilio account: credentials checked, number wired to us (previous
 * settings saved), every recording downloaded and reconciled, and the number restored on a clean quit.
 */
export class TwilioAccount {
  readonly account: AccountSummary;
  #number: VoiceNumber;
  readonly downloader: RecordingDownloader;
  readonly reconciler: Reconciler;
  readonly #client: TwilioClient;
  readonly #wiring: NumberWiring;
  readonly #log: Log;
  #base: string;
  #fallbackUrl: string | null;

  private constructor(parts: {
    base: string;
    fallbackUrl: string | null;
    account: AccountSummary;
    number: VoiceNumber;
    client: TwilioClient;
    wiring: NumberWiring;
    downloader: RecordingDownloader;
    reconciler: Reconciler;
    log: Log;
  }) {
    this.account = parts.account;
    this.#number = parts.number;
    this.#client = parts.client;
    this.#wiring = parts.wiring;
    this.downloader = parts.downloader;
    this.reconciler = parts.reconciler;
    this.#log = parts.log;
    this.#base = parts.base;
    this.#fallbackUrl = parts.fallbackUrl;
  }

  /** Checks the account, picks and wires the number, starts downloading and reconciling. */
  static async connect(o: ConnectOptions): Promise<ConnectResult> {
    const client = createTwilioClient(o.credentials, o.apiBase);
    const account = await checkAccount(o.credentials, { client, allowTrial: o.allowTrial, apiBase: o.apiBase });
    const chosen = await chooseVoiceNumber(client, o.phoneNumber);
    const wiring = new NumberWiring({ client, settings: o.settings, log: o.log });
    const base = o.publicUrl.replace(/\/+$/, '');
    const fallbackUrl = o.fallbackUrl ?? null;
    const wired = await wiring.wire(chosen, wiringTarget(base, fallbackUrl), { takeOver: o.takeOver });
    if (wired.kind === 'needs-confirmation') {
      return { kind: 'needs-confirmation', phoneNumber: chosen.phoneNumber, currentVoiceUrl: wired.currentVoiceUrl, currentApplicationSid: wired.currentApplicationSid };
    }
    if (o.settings.get(EVENT_START) === null) o.settings.set(EVENT_START, new Date().toISOString());
    const downloader = new RecordingDownloader({
      calls: o.calls,
      dataDir: o.dataDir,
      credentials: o.credentials,
      apiBase: o.apiBase,
      log: o.log,
      retry: o.retry,
      ...(o.storage ? { storage: o.storage } : {}),
      afterDownload: async (sid) => {
        if (o.settings.get(PRIVACY).deleteFromTwilioAfterDownload) {
          await client.recordings(sid).remove();
          o.log.info('Deleted the recording from Twilio after saving it locally (privacy setting)', { recordingSid: sid });
        }
      },
    });
    const reconciler = new Reconciler({
      client,
      calls: o.calls,
      downloader,
      phoneNumber: wired.number.phoneNumber,
      apiBase: o.apiBase,
      // A day's margin: Twilio filters by UTC date, and the laptop's clock may be off.
      since: () => new Date(Date.parse(o.settings.get(EVENT_START) ?? new Date().toISOString()) - 86_400_000),
      log: o.log,
      intervalMs: o.reconcileIntervalMs,
      ...(o.whileAway ? { whileAway: o.whileAway } : {}),
      ...(o.line ? { line: o.line } : {}),
    });
    reconciler.start();
    return { kind: 'connected', account: new TwilioAccount({ base, fallbackUrl, account, number: wired.number, client, wiring, downloader, reconciler, log: o.log }) };
  }

  /** The number guests call, as last written. */
  get number(): VoiceNumber {
    return this.#number;
  }

  /** The public URL changed (a new tunnel): point the number at it at once. */
  async rewire(publicUrl: string): Promise<void> {
    this.#base = publicUrl.replace(/\/+$/, '');
    const result = await this.#wiring.wire(this.#number, wiringTarget(this.#base, this.#fallbackUrl), { takeOver: true });
    if (result.kind === 'wired') this.#number = result.number;
  }

  /** The always-on line's URL the number falls back to, or null (the organiser's own fallback). */
  get fallbackUrl(): string | null {
    return this.#fallbackUrl;
  }

  /** Sets (a URL) or gives back (null) the number's fallback: the always-on line was installed, or turned off. */
  async setFallback(url: string | null): Promise<void> {
    if (url === this.#fallbackUrl) return;
    const result = await this.#wiring.wire(this.#number, wiringTarget(this.#base, url), { takeOver: true });
    if (result.kind === 'wired') this.#number = result.number;
    this.#fallbackUrl = url;
  }

  /**
   * Stops the line and leaves the number to the always-on line (a clean quit with always-on):
   * calls go to `hostedVoiceUrl` until the next launch takes the number back.
   */
  async park(hostedVoiceUrl: string): Promise<void> {
    this.reconciler.stop();
    let failure: unknown = null;
    try {
      await this.#wiring.park(this.#number, hostedVoiceUrl);
    } catch (error) {
      failure = error;
    }
    await this.downloader.stop();
    if (failure) {
      const explained = explainTwilioError(failure, { en: 'hand the number to the always-on line', ja: '番号を常時受付の回線に切り替え' });
      this.#log.error('Could not hand the number to the always-on line; it still falls back to it while this laptop is unreachable', { error: explained.text.en });
      throw explained;
    }
  }

  /** Texting guests from the line's number. */
  sms(): TwilioSms {
    return new TwilioSms(this.#client, this.#number);
  }

  balance(): Promise<Balance> {
    return fetchBalance(this.#client);
  }

  /**
   * Stops the line. `restore` puts the number back as it was (a clean quit); downloads
   * in progress are abandoned safely and resume on the next start.
   */
  async disconnect(options: { readonly restore: boolean }): Promise<void> {
    this.reconciler.stop();
    let failure: unknown = null;
    if (options.restore) {
      try {
        await this.#wiring.restore();
      } catch (error) {
        failure = error;
      }
    }
    await this.downloader.stop();
    if (failure) {
      const explained = explainTwilioError(failure, { en: 'restore the phone number', ja: '電話番号の設定を復元' });
      this.#log.error('Could not restore the phone number', { error: explained.text.en });
      throw explained;
    }
  }
}

/** Our webhooks under `base`, with the always-on line as fallback when there is one. */
function wiringTarget(base: string, fallbackUrl: string | null): WiringTarget {
  return {
    voiceUrl: `${base}/twilio/voice`,
    statusCallback: `${base}/twilio/call-status`,
    ...(fallbackUrl === null ? {} : { voiceFallbackUrl: fallbackUrl }),
  };
}
