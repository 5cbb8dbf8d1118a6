import type { SmsPrice } from '../guests/sms-cost.ts';
import type { Bilingual } from '../user-error.ts';
import type { TwilioClient } from './client.ts';
import type { VoiceNumber } from './phone-numbers.ts';
import { fetchSmsPrice } from './sms-price.ts';
import { explainTwilioError } from './twilio-errors.ts';

/** What Twilio answered to one message: accepted (with its SID and status), or refused with a code. */
export type SmsOutcome =
  | { readonly kind: 'accepted'; readonly sid: string; readonly status: string; readonly segments: number }
  | { readonly kind: 'refused'; readonly code: number | null; readonly problem: Bilingual & { readonly code: string } };

/** Texting from the line's number through the Messages resource (twilio.com/docs/messaging/api/message-resource). */
export class TwilioSms {
  readonly #client: TwilioClient;
  readonly #number: VoiceNumber;

  constructor(client: TwilioClient, number: VoiceNumber) {
    this.#client = client;
    this.#number = number;
  }

  get from(): string {
    return this.#number.phoneNumber;
  }

  /** Whether the number can send SMS: its `capabilities.sms`, as Twilio reports it. */
  async canSend(): Promise<boolean> {
    try {
      const number = await this.#client.incomingPhoneNumbers(this.#number.sid).fetch();
      return number.capabilities?.sms === true;
    } catch (error) {
      throw explainTwilioError(error, { en: "check whether your number can send SMS", ja: '番号が SMS を送れるかの確認が' });
    }
  }

  /** Twilio's price per segment to text a country (ISO code), or null when it lists none; a failure throws. */
  price(isoCountry: string): Promise<SmsPrice | null> {
    return fetchSmsPrice(this.#client, isoCountry);
  }

  async send(to: string, body: string, statusCallback: string): Promise<SmsOutcome> {
    try {
      const message = await this.#client.messages.create({ to, from: this.#number.phoneNumber, body, statusCallback });
      return { kind: 'accepted', sid: message.sid, status: message.status, segments: Number(message.numSegments) || 1 };
    } catch (error) {
      const code = typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null;
      const status = (error as { status?: unknown }).status;
      // A Twilio refusal of this one message (4xx) is that guest's problem; anything else stops the batch.
      if (code === null || typeof status !== 'number' || status >= 500) throw explainTwilioError(error, { en: 'send the SMS', ja: 'SMS の送信が' });
      return { kind: 'refused', code, problem: smsProblem(code) };
    }
  }
}

/**
 * Twilio's message error codes in plain words (twilio.com/docs/api/errors/NNNNN):
 * refusals when creating, and the ErrorCode of an undelivered/failed status callback.
 */
export function smsProblem(code: number): Bilingual & { readonly code: string } {
  switch (code) {
    case 21610:
      return { code: 'sms-opted-out', en: 'This guest replied STOP to your number, so Twilio will not text them. Send the invitation by LINE or email instead.', ja: 'このゲストはあなたの番号に STOP と返信したため、Twilio から SMS を送れません。LINE やメールで送ってください。' };
    case 21211:
    case 21614:
    case 30005:
      return { code: 'sms-bad-number', en: "This number can't receive SMS (it isn't a valid mobile number). Check it on the guest list.", ja: 'この番号は SMS を受け取れません（携帯番号として正しくありません）。ゲストリストの番号を確認してください。' };
    case 30006:
      return { code: 'sms-landline', en: 'This is a landline or a number that cannot receive SMS. Send the invitation another way.', ja: '固定電話など SMS を受け取れない番号です。別の方法で送ってください。' };
    case 30003:
      return { code: 'sms-unreachable', en: "The guest's phone couldn't be reached (switched off or no signal). Try again later, or send it by LINE.", ja: 'ゲストの携帯につながりませんでした（電源オフや圏外）。時間をおいてもう一度送るか、LINE で送ってください。' };
    case 21408:
    case 21612:
      return { code: 'sms-country-blocked', en: "Your Twilio account isn't allowed to text this country. In the Twilio Console open Messaging → Settings → Geo permissions and allow it.", ja: 'この国への SMS は Twilio アカウントで許可されていません。Twilio コンソールの Messaging → Settings → Geo permissions で許可してください。' };
    case 21606:
      return { code: 'sms-number-cannot-send', en: "Your Twilio number can't send SMS to this number. Send the invitation by LINE or email instead.", ja: 'あなたの Twilio 番号からはこの番号へ SMS を送れません。LINE やメールで送ってください。' };
    default:
      return { code: 'sms-failed', en: `Twilio couldn't deliver this SMS (error ${code}). Send the invitation another way.`, ja: `Twilio がこの SMS を届けられませんでした（エラー ${code}）。別の方法で送ってください。` };
  }
}
