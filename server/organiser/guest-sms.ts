import { z } from 'zod';
import type { Core } from '../core.ts';
import { countriesOfNumber } from '../guests/calling-codes.ts';
import { guestProgress } from '../guests/guest-progress.ts';
import { widestPrice, type SmsPrice } from '../guests/sms-cost.ts';
import { planSms, type SmsKind, type SmsPlan } from '../guests/sms-plan.ts';
import { SMS_STATUS_PATH } from '../public/sms-status-path.ts';
import type { SmsStatus } from '../store/sms-store.ts';
import { defineSetting } from '../store/settings-store.ts';
import { smsProblem } from '../twilio/sms.ts';
import type { TwilioAccount } from '../twilio/twilio-account.ts';
import { UserError, type Bilingual } from '../user-error.ts';

/** The reminder round now under way (each guest gets at most one reminder per round). */
const REMINDER_ROUND = defineSetting('sms.reminderRound', z.number().int().min(1), 1);

/** Whether SMS can be offered, why not, and each guest's SMS so far. */
export interface SmsOptions {
  readonly available: boolean;
  readonly from: string | null;
  /** Why SMS is not offered, in plain words. */
  readonly reason: (Bilingual & { readonly code: string }) | null;
  readonly reminderRound: number;
  readonly sends: readonly { readonly guestId: number; readonly round: string; readonly status: SmsStatus; readonly problem: (Bilingual & { readonly code: string }) | null; readonly updatedAt: string }[];
}

export interface SmsSendResult {
  readonly sent: number;
  readonly refused: readonly { readonly guestId: number; readonly name: string; readonly problem: Bilingual & { readonly code: string } }[];
  readonly plan: SmsPlan;
}

/** The preview: the plan, each recipient with Twilio's price per segment (null: unknown). */
export interface SmsPreview extends Omit<SmsPlan, 'recipients'> {
  readonly recipients: readonly (SmsPlan['recipients'][number] & { readonly price: SmsPrice | null })[];
}

/** Invitations and reminders by SMS from the organiser's Twilio number, where it can send them. */
export class GuestSms {
  readonly #core: Pick<Core, 'guests' | 'sms' | 'settings' | 'libraryStore' | 'twilio' | 'publicUrl'>;
  readonly #capable = new WeakMap<TwilioAccount, Promise<boolean>>();
  /** Twilio's price per country, asked once per account for the session (a failure is asked again). */
  readonly #prices = new WeakMap<TwilioAccount, Map<string, Promise<SmsPrice | null>>>();

  readonly #priceWaitMs: number;

  /** `priceWaitMs`: how long a preview waits for Twilio's price list before saying "unknown" (the preview must not hang on it). */
  constructor(core: Pick<Core, 'guests' | 'sms' | 'settings' | 'libraryStore' | 'twilio' | 'publicUrl'>, options: { readonly priceWaitMs?: number } = {}) {
    this.#core = core;
    this.#priceWaitMs = options.priceWaitMs ?? 8_000;
  }

  async options(): Promise<SmsOptions> {
    const line = this.#core.twilio();
    const sends = this.#core.sms.list().map((s) => ({
      guestId: s.guestId,
      round: s.round,
      status: s.status,
      problem: s.errorCode === null ? null : smsProblem(s.errorCode),
      updatedAt: s.updatedAt,
    }));
    const base = { reminderRound: this.#round(), sends };
    if (!line) return { ...base, available: false, from: null, reason: NO_TWILIO };
    const sms = line.sms();
    let capable = this.#capable.get(line);
    if (!capable) {
      capable = sms.canSend();
      this.#capable.set(line, capable);
      // A failed check is asked again next time.
      capable.catch(() => this.#capable.delete(line));
    }
    if (!(await capable)) {
      return {
        ...base,
        available: false,
        from: sms.from,
        reason: {
          code: 'sms-number-cannot-send',
          en: `Your Twilio number ${sms.from} can't send SMS (Twilio says so for this number; many Japanese and toll-free numbers can't). Send the invitation by LINE or email instead.`,
          ja: `あなたの Twilio 番号 ${sms.from} は SMS を送れません（Twilio の番号情報より。日本の番号やフリーダイヤルの多くは送れません）。招待文は LINE やメールで送ってください。`,
        },
      };
    }
    return { ...base, available: true, from: sms.from, reason: null };
  }

  /** Exactly what would go out, to whom, and who is left out and why. Sends nothing. */
  plan(kind: SmsKind, template: string, guestIds?: readonly number[]): SmsPlan {
    const { guests, libraryStore: library, settings, sms } = this.#core;
    const list = guests.list();
    const line = settings.flow();
    return planSms({
      kind,
      round: kind === 'invitation' ? 'invitation' : `reminder-${this.#round()}`,
      template,
      guests: list,
      ...(guestIds ? { guestIds } : {}),
      doneIds: guestProgress(list, library.list()).doneIds,
      sends: sms.list(),
      surpriseNumbers: line.surpriseNumbers,
      defaultCountryCode: line.defaultCountryCode,
    });
  }

  /**
   * The plan with Twilio's price per segment for each recipient's country. Prices are asked only
   * when SMS is offered; a country the Pricing API fails for or has no price for is "unknown".
   */
  async preview(kind: SmsKind, template: string, guestIds?: readonly number[]): Promise<SmsPreview> {
    const plan = this.plan(kind, template, guestIds);
    const line = this.#core.twilio();
    const offered = line !== null && plan.recipients.length > 0 && (await this.options()).available;
    const priceOf = async (to: string): Promise<SmsPrice | null> => {
      if (!offered) return null;
      const countries = countriesOfNumber(to);
      return widestPrice(await Promise.all(countries.map((iso) => this.#price(line, iso))));
    };
    const recipients = await Promise.all(plan.recipients.map(async (r) => ({ ...r, price: await priceOf(r.to) })));
    return { ...plan, recipients };
  }

  #price(line: TwilioAccount, isoCountry: string): Promise<SmsPrice | null> {
    let byCountry = this.#prices.get(line);
    if (!byCountry) {
      byCountry = new Map();
      this.#prices.set(line, byCountry);
    }
    const cache = byCountry;
    let price = cache.get(isoCountry);
    if (!price) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer from the Pricing API')), this.#priceWaitMs);
      });
      price = Promise.race([line.sms().price(isoCountry), gaveUp])
        .finally(() => clearTimeout(timer))
        .catch(() => {
          // Twilio couldn't say now: unknown for this preview, asked again next time.
          cache.delete(isoCountry);
          return null;
        });
      cache.set(isoCountry, price);
    }
    return price;
  }

  /** Sends the plan, one guest at a time; each guest's slot in the round is claimed before Twilio is asked. */
  async send(kind: SmsKind, template: string, guestIds?: readonly number[]): Promise<SmsSendResult> {
    const options = await this.options();
    if (!options.available) throw new UserError(options.reason?.code ?? 'sms-unavailable', options.reason ?? NO_TWILIO);
    const line = this.#core.twilio();
    if (!line) throw new UserError(NO_TWILIO.code, NO_TWILIO);
    const sms = line.sms();
    const plan = this.plan(kind, template, guestIds);
    let sent = 0;
    const refused: SmsSendResult['refused'][number][] = [];
    for (const r of plan.recipients) {
      const id = this.#core.sms.claim(r.guestId, plan.round, r.to, r.body);
      if (id === null) continue;
      try {
        const outcome = await sms.send(r.to, r.body, `${this.#core.publicUrl()}${SMS_STATUS_PATH}?send=${id}`);
        if (outcome.kind === 'accepted') {
          this.#core.sms.accepted(id, outcome.sid, outcome.status);
          sent++;
        } else {
          this.#core.sms.refused(id, outcome.code);
          refused.push({ guestId: r.guestId, name: r.name, problem: outcome.problem });
        }
      } catch (error) {
        // Twilio couldn't be reached: this guest's slot is freed and the rest wait for another try.
        this.#core.sms.release(id);
        throw error;
      }
    }
    return { sent, refused, plan };
  }

  /** Starts a new reminder round: everyone who hasn't called may get one more reminder. */
  newReminderRound(): number {
    const next = this.#round() + 1;
    this.#core.settings.set(REMINDER_ROUND, next);
    return next;
  }

  #round(): number {
    return this.#core.settings.get(REMINDER_ROUND);
  }
}

const NO_TWILIO = {
  code: 'sms-no-twilio',
  en: 'SMS is sent from your Twilio number, and no Twilio account is connected. Connect one in Settings, or send the invitation by LINE or email.',
  ja: 'SMS は Twilio の番号から送ります。Twilio アカウントが接続されていません。設定で接続するか、招待文を LINE やメールで送ってください。',
} as const;
