import { isListedNumber } from '../call-flow/phone-number.ts';
import type { SmsSend } from '../store/sms-store.ts';
import { segmentCount } from '../twilio/sms-segments.ts';
import type { Bilingual } from '../user-error.ts';
import type { Guest } from './guest-types.ts';

export type SmsKind = 'invitation' | 'reminder';

/** Why a guest gets no SMS this time. */
export type SmsSkipReason = 'no-phone' | 'surprise' | 'declined' | 'already-left-message' | 'already-sent' | 'opted-out';

export interface SmsPlan {
  readonly kind: SmsKind;
  readonly round: string;
  /** Exactly what goes out, per guest. */
  readonly recipients: readonly { readonly guestId: number; readonly name: string; readonly to: string; readonly body: string; readonly segments: number }[];
  readonly skipped: readonly { readonly guestId: number; readonly name: string; readonly reason: SmsSkipReason; readonly text: Bilingual }[];
  /** Total SMS segments Twilio will bill (a long or Japanese text is several). */
  readonly segments: number;
}

const SKIP_TEXT: Readonly<Record<SmsSkipReason, Bilingual>> = {
  'no-phone': { en: 'no phone number on the list', ja: '電話番号がありません' },
  surprise: { en: "on the surprise list (the couple's numbers): never texted", ja: 'サプライズ対象（新郎新婦）の番号なので送りません' },
  declined: { en: "won't take part", ja: '不参加' },
  'already-left-message': { en: 'has already left a message', ja: 'すでにメッセージが届いています' },
  'already-sent': { en: 'already texted in this round', ja: 'この回はすでに送信済みです' },
  'opted-out': { en: 'replied STOP earlier: Twilio will not text them', ja: '以前 STOP と返信したため送れません' },
};

/**
 * Who gets exactly which text: pure, so the preview is what is sent. An invitation goes to the
 * chosen guests; a reminder to the chosen guests who haven't left a message. `{name}` in the text
 * becomes the guest's name. Never to a number on the surprise list; once per guest per round.
 */
export function planSms(input: {
  readonly kind: SmsKind;
  readonly round: string;
  readonly template: string;
  readonly guests: readonly Guest[];
  /** The guests chosen (all when omitted); a reminder still leaves out those who are done. */
  readonly guestIds?: readonly number[];
  readonly doneIds: readonly number[];
  readonly sends: readonly SmsSend[];
  readonly surpriseNumbers: readonly string[];
  readonly defaultCountryCode: string;
}): SmsPlan {
  const chosen = input.guestIds ? new Set(input.guestIds) : null;
  const done = new Set(input.doneIds);
  const sentThisRound = new Set(input.sends.filter((s) => s.round === input.round).map((s) => s.guestId));
  const optedOut = new Set(input.sends.filter((s) => s.errorCode === 21610).map((s) => s.to));
  const recipients: SmsPlan['recipients'][number][] = [];
  const skipped: SmsPlan['skipped'][number][] = [];
  for (const g of input.guests) {
    if (chosen && !chosen.has(g.id)) continue;
    const reason: SmsSkipReason | null =
      g.phone === null
        ? 'no-phone'
        : isListedNumber(g.phone, input.surpriseNumbers, input.defaultCountryCode)
          ? 'surprise'
          : g.declined
            ? 'declined'
            : input.kind === 'reminder' && done.has(g.id)
              ? 'already-left-message'
              : sentThisRound.has(g.id)
                ? 'already-sent'
                : optedOut.has(g.phone)
                  ? 'opted-out'
                  : null;
    if (reason !== null || g.phone === null) {
      skipped.push({ guestId: g.id, name: g.name, reason: reason ?? 'no-phone', text: SKIP_TEXT[reason ?? 'no-phone'] });
      continue;
    }
    const body = input.template.replaceAll('{name}', g.name).trim();
    recipients.push({ guestId: g.id, name: g.name, to: g.phone, body, segments: segmentCount(body) });
  }
  return { kind: input.kind, round: input.round, recipients, skipped, segments: recipients.reduce((n, r) => n + r.segments, 0) };
}
