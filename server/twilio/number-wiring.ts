import { z } from 'zod';
import type { Log } from '../log.ts';
import { defineSetting, type SettingsStore } from '../store/settings-store.ts';
import type { TwilioClient } from './client.ts';
import { toVoiceNumber, type VoiceNumber } from './phone-numbers.ts';
import { explainTwilioError } from './twilio-errors.ts';

/** Where we point the number: our public voice webhook and call-status callback. */
export interface WiringTarget {
  readonly voiceUrl: string;
  readonly statusCallback: string;
  /**
   * The always-on line's voice URL, which Twilio requests when ours fails. Absent: the
   * number keeps (or gets back) the fallback the organiser had before.
   */
  readonly voiceFallbackUrl?: string;
}

/** What the number pointed at before we took it, so a clean quit can put it back. */
const backupSchema = z.object({
  numberSid: z.string(),
  phoneNumber: z.string(),
  previous: z.object({
    voiceUrl: z.string(),
    voiceMethod: z.string(),
    statusCallback: z.string(),
    statusCallbackMethod: z.string(),
    voiceApplicationSid: z.string(),
    // Optional: backups written before the always-on line did not save the fallback.
    voiceFallbackUrl: z.string().optional(),
    voiceFallbackMethod: z.string().optional(),
  }),
  /** The last voice URL we wrote: recognises "ours" after a crash or a new tunnel URL. */
  wiredVoiceUrl: z.string(),
  /** The always-on line's voice URL, once we put it on the number: a number parked there is ours too. */
  hostedVoiceUrl: z.string().optional(),
});
type Backup = z.infer<typeof backupSchema>;

const BACKUP = defineSetting<Backup | null>('twilio.numberBackup', backupSchema.nullable(), null);

export type WireResult =
  | { readonly kind: 'wired'; readonly number: VoiceNumber }
  /** The number answers another app; the organiser must agree before we take it over. */
  | { readonly kind: 'needs-confirmation'; readonly currentVoiceUrl: string; readonly currentApplicationSid: string };

/**
 * Points the number at Shukuden and back. The previous configuration is saved in the
 * data folder *before* the number is changed, so even after a crash the next clean quit
 * restores what the organiser had (Twilio's own CLI and Dev Phone don't).
 */
export class NumberWiring {
  readonly #client: TwilioClient;
  readonly #settings: SettingsStore;
  readonly #log: Log;

  constructor(options: { readonly client: TwilioClient; readonly settings: SettingsStore; readonly log: Log }) {
    this.#client = options.client;
    this.#settings = options.settings;
    this.#log = options.log;
  }

  /** The saved backup, if the number is (or was, before a crash) wired by us. */
  backup(): Backup | null {
    return this.#settings.get(BACKUP);
  }

  async wire(number: VoiceNumber, target: WiringTarget, options: { readonly takeOver?: boolean } = {}): Promise<WireResult> {
    const existing = this.backup();
    const ours =
      existing !== null &&
      existing.numberSid === number.sid &&
      (number.voiceUrl === existing.wiredVoiceUrl || (existing.hostedVoiceUrl !== undefined && number.voiceUrl === existing.hostedVoiceUrl));
    const foreign = !ours && (!isTwilioDefault(number.voiceUrl) || number.voiceApplicationSid !== '') && number.voiceUrl !== target.voiceUrl;
    if (foreign && !options.takeOver) {
      return { kind: 'needs-confirmation', currentVoiceUrl: number.voiceUrl, currentApplicationSid: number.voiceApplicationSid };
    }
    // Keep the organiser's original settings if we already hold a backup for this number.
    const previous = ours && existing ? existing.previous : {
      voiceUrl: number.voiceUrl,
      voiceMethod: number.voiceMethod,
      statusCallback: number.statusCallback,
      statusCallbackMethod: number.statusCallbackMethod,
      voiceApplicationSid: number.voiceApplicationSid,
      voiceFallbackUrl: number.voiceFallbackUrl,
      voiceFallbackMethod: number.voiceFallbackMethod,
    };
    const hostedVoiceUrl = target.voiceFallbackUrl ?? (ours ? existing?.hostedVoiceUrl : undefined);
    this.#settings.set(BACKUP, {
      numberSid: number.sid,
      phoneNumber: number.phoneNumber,
      previous,
      wiredVoiceUrl: target.voiceUrl,
      ...(hostedVoiceUrl === undefined ? {} : { hostedVoiceUrl }),
    } satisfies Backup);
    try {
      const updated = await this.#client.incomingPhoneNumbers(number.sid).update({
        voiceUrl: target.voiceUrl,
        voiceMethod: 'POST',
        statusCallback: target.statusCallback,
        statusCallbackMethod: 'POST',
        // A TwiML App on the number would override voiceUrl; it is restored on quit.
        voiceApplicationSid: '',
        ...fallbackOf(target.voiceFallbackUrl === undefined ? previous : { voiceFallbackUrl: target.voiceFallbackUrl, voiceFallbackMethod: 'POST' }),
      });
      this.#log.info('Phone number now points at Shukuden', { phoneNumber: number.phoneNumber, voiceUrl: target.voiceUrl });
      return { kind: 'wired', number: toVoiceNumber(updated) };
    } catch (error) {
      throw explainTwilioError(error, { en: `point ${number.phoneNumber} at Shukuden`, ja: `${number.phoneNumber} を Shukuden に接続` });
    }
  }

  /** Puts back what the number had before we wired it. A no-op when we hold no backup. */
  async restore(): Promise<boolean> {
    const backup = this.backup();
    if (!backup) return false;
    try {
      await this.#client.incomingPhoneNumbers(backup.numberSid).update({
        voiceUrl: backup.previous.voiceUrl,
        voiceMethod: asMethod(backup.previous.voiceMethod),
        statusCallback: backup.previous.statusCallback,
        statusCallbackMethod: asMethod(backup.previous.statusCallbackMethod),
        voiceApplicationSid: backup.previous.voiceApplicationSid,
        ...fallbackOf(backup.previous),
      });
    } catch (error) {
      throw explainTwilioError(error, { en: `restore ${backup.phoneNumber}'s previous settings`, ja: `${backup.phoneNumber} の元の設定を復元` });
    }
    this.#settings.clear(BACKUP);
    this.#log.info('Phone number restored to its previous settings', { phoneNumber: backup.phoneNumber });
    return true;
  }

  /**
   * A clean quit with the always-on line: the number's voice URL becomes the hosted line
   * (the backup stays, so turning always-on off later and quitting restores the organiser's
   * settings). Nothing listens for call status while we are away, so that callback is cleared.
   */
  async park(number: VoiceNumber, hostedVoiceUrl: string): Promise<void> {
    const backup = this.backup();
    if (!backup || backup.numberSid !== number.sid) throw new Error(`park: ${number.phoneNumber} is not wired by Shukuden`);
    // Saved first: whatever happens next, the next launch recognises the parked number as ours.
    this.#settings.set(BACKUP, { ...backup, hostedVoiceUrl } satisfies Backup);
    try {
      await this.#client.incomingPhoneNumbers(number.sid).update({
        voiceUrl: hostedVoiceUrl,
        voiceMethod: 'POST',
        statusCallback: '',
        voiceApplicationSid: '',
        ...fallbackOf(backup.previous),
      });
    } catch (error) {
      throw explainTwilioError(error, { en: `hand ${number.phoneNumber} to the always-on line`, ja: `${number.phoneNumber} を常時受付の回線に切り替え` });
    }
    this.#log.info('Phone number now points at the always-on line hosted by Twilio', { phoneNumber: number.phoneNumber, voiceUrl: hostedVoiceUrl });
  }

  /**
   * The always-on line is being removed: a number parked on it gets the organiser's settings
   * back, and a number that only falls back to it gets its own fallback back. `isHosted` tells the line's URLs.
   */
  async releaseHosted(isHosted: (url: string) => boolean): Promise<void> {
    const backup = this.backup();
    if (!backup) return;
    let number: VoiceNumber;
    try {
      number = toVoiceNumber(await this.#client.incomingPhoneNumbers(backup.numberSid).fetch());
    } catch (error) {
      throw explainTwilioError(error, { en: `check ${backup.phoneNumber}`, ja: `${backup.phoneNumber} を確認` });
    }
    if (isHosted(number.voiceUrl)) {
      await this.restore();
      return;
    }
    if (!isHosted(number.voiceFallbackUrl)) return;
    try {
      await this.#client.incomingPhoneNumbers(backup.numberSid).update({ voiceFallbackUrl: backup.previous.voiceFallbackUrl ?? '', voiceFallbackMethod: asMethod(backup.previous.voiceFallbackMethod ?? 'POST') });
    } catch (error) {
      throw explainTwilioError(error, { en: `clear ${backup.phoneNumber}'s fallback URL`, ja: `${backup.phoneNumber} の代替 URL を解除` });
    }
  }
}

/** The fallback fields of an update, when known (backups from before the always-on line have none). */
function fallbackOf(previous: { readonly voiceFallbackUrl?: string; readonly voiceFallbackMethod?: string }): { voiceFallbackUrl?: string; voiceFallbackMethod?: 'GET' | 'POST' } {
  if (previous.voiceFallbackUrl === undefined) return {};
  return { voiceFallbackUrl: previous.voiceFallbackUrl, voiceFallbackMethod: asMethod(previous.voiceFallbackMethod ?? 'POST') };
}

function asMethod(value: string): 'GET' | 'POST' {
  return value.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

/**
 * A voice URL that means "not set up yet": empty, or Twilio's demo greeting, which a newly
 * bought number points at (docs/real-services.md "New numbers point at Twilio's demo").
 */
export function isTwilioDefault(voiceUrl: string): boolean {
  return voiceUrl === '' || /^https?:\/\/demo\.twilio\.com\/welcome\/voice\/?$/i.test(voiceUrl.trim());
}
