import { UserError } from '../user-error.ts';
import { toE164 } from '../call-flow/phone-number.ts';
import type { TwilioClient } from './client.ts';
import { explainTwilioError } from './twilio-errors.ts';

/** One of the account's numbers that can take voice calls, and where it points now. */
export interface VoiceNumber {
  readonly sid: string;
  readonly phoneNumber: string;
  readonly friendlyName: string;
  readonly voiceUrl: string;
  readonly voiceMethod: string;
  readonly voiceFallbackUrl: string;
  readonly voiceFallbackMethod: string;
  readonly statusCallback: string;
  readonly statusCallbackMethod: string;
  readonly voiceApplicationSid: string;
}

/** The account's voice-capable numbers (numbers that can only text are left out). */
export async function listVoiceNumbers(client: TwilioClient): Promise<readonly VoiceNumber[]> {
  try {
    const numbers = await client.incomingPhoneNumbers.list({ pageSize: 100 });
    return numbers.filter((n) => n.capabilities?.voice === true).map(toVoiceNumber);
  } catch (error) {
    throw explainTwilioError(error, { en: 'list your Twilio phone numbers', ja: 'Twilio の電話番号を一覧' });
  }
}

/**
 * The number the organiser chose (typed any way). With no choice and exactly one voice
 * number, that one. Otherwise a UserError listing what there is.
 */
export async function chooseVoiceNumber(client: TwilioClient, wanted: string | null): Promise<VoiceNumber> {
  const numbers = await listVoiceNumbers(client);
  const available = numbers.map((n) => n.phoneNumber).join(', ') || '—';
  if (numbers.length === 0) {
    throw new UserError('twilio-no-voice-number', {
      en: 'This Twilio account has no phone number that can take voice calls. Buy one in the Twilio Console (Phone Numbers → Buy a number, with "Voice").',
      ja: 'この Twilio アカウントには音声通話を受けられる電話番号がありません。Twilio コンソール（Phone Numbers → Buy a number、「Voice」付き）で購入してください。',
    });
  }
  if (wanted === null) {
    const only = numbers[0];
    if (numbers.length === 1 && only) return only;
    throw new UserError('twilio-choose-number', {
      en: `This account has several voice numbers (${available}). Choose which one guests will call (headless: set TWILIO_PHONE_NUMBER).`,
      ja: `このアカウントには音声番号が複数あります（${available}）。ゲストがかける番号を選んでください（ヘッドレスでは TWILIO_PHONE_NUMBER を設定）。`,
    });
  }
  const target = toE164(wanted, '81');
  const found = numbers.find((n) => n.phoneNumber === target || n.phoneNumber === wanted.trim());
  if (!found) {
    throw new UserError('twilio-number-not-in-account', {
      en: `${wanted} is not a voice number of this Twilio account. The account has: ${available}.`,
      ja: `${wanted} はこの Twilio アカウントの音声番号ではありません。このアカウントの番号：${available}`,
    });
  }
  return found;
}

type SdkNumber = Awaited<ReturnType<TwilioClient['incomingPhoneNumbers']['list']>>[number];

export function toVoiceNumber(n: SdkNumber): VoiceNumber {
  return {
    sid: n.sid,
    phoneNumber: n.phoneNumber,
    friendlyName: n.friendlyName ?? '',
    voiceUrl: n.voiceUrl ?? '',
    voiceMethod: n.voiceMethod ?? 'POST',
    voiceFallbackUrl: n.voiceFallbackUrl ?? '',
    voiceFallbackMethod: n.voiceFallbackMethod ?? 'POST',
    statusCallback: n.statusCallback ?? '',
    statusCallbackMethod: n.statusCallbackMethod ?? 'POST',
    voiceApplicationSid: n.voiceApplicationSid ?? '',
  };
}
