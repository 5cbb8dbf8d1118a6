import { z } from 'zod';
import type { Log } from '../log.ts';
import type { SettingsStore } from '../store/settings-store.ts';
import type { TwilioClient } from './client.ts';
import { toVoiceNumber, type VoiceNumber } from './phone-numbers.ts';
import { explainTwilioError } from './twilio-errors.ts';

/** Where we point the number: our public voice webhook and call-status callback. */
export interface WiringTarget {
  readonly voiceUrl: string;
  readonly statusCallback: string;
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
  }),
  /** The last voice URL we wrote: recognises "ours" after a crash or a new tunnel URL. */
  wiredVoiceUrl: z.string(),
});
type Backup = z.infer<typeof backupSchema>;

const BACKUP_KEY = 'twilio.numberBackup';

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
    return this.#settings.read(BACKUP_KEY, backupSchema);
  }

  async wire(number: VoiceNumber, target: WiringTarget, options: { readonly takeOver?: boolean } = {}): Promise<WireResult> {
    const existing = this.backup();
    const ours = existing !== null && existing.numberSid === number.sid && number.voiceUrl === existing.wiredVoiceUrl;
    const foreign = !ours && (number.voiceUrl !== '' || number.voiceApplicationSid !== '') && number.voiceUrl !== target.voiceUrl;
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
    };
    this.#settings.write(BACKUP_KEY, { numberSid: number.sid, phoneNumber: number.phoneNumber, previous, wiredVoiceUrl: target.voiceUrl } satisfies Backup);
    try {
      const updated = await this.#client.incomingPhoneNumbers(number.sid).update({
        voiceUrl: target.voiceUrl,
        voiceMethod: 'POST',
        statusCallback: target.statusCallback,
        statusCallbackMethod: 'POST',
        // A TwiML App on the number would override voiceUrl; it is restored on quit.
        voiceApplicationSid: '',
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
      });
    } catch (error) {
      throw explainTwilioError(error, { en: `restore ${backup.phoneNumber}'s previous settings`, ja: `${backup.phoneNumber} の元の設定を復元` });
    }
    this.#settings.remove(BACKUP_KEY);
    this.#log.info('Phone number restored to its previous settings', { phoneNumber: backup.phoneNumber });
    return true;
  }
}

function asMethod(value: string): 'GET' | 'POST' {
  return value.toUpperCase() === 'GET' ? 'GET' : 'POST';
}
