import type { Language, OrganiserState } from '../../../server/api/contract.ts';

export type InvitationChannel = 'line' | 'email' | 'sms';

export interface InvitationInput {
  readonly language: Language;
  readonly channel: InvitationChannel;
  /** The guest link, when it is on. */
  readonly link: string | null;
  /** The phone number, when there is one. */
  readonly phoneNumber: string | null;
  /** yyyy-mm-dd, or '' for none. */
  readonly deadline: string;
  readonly title: string;
  /** Guests will see ngrok's notice first (free plan). */
  readonly ngrokNotice: boolean;
  /** One guest's name for a personal greeting, or null for everyone. */
  readonly guestName?: string | null;
  /** A reminder to someone who hasn't left a message yet, rather than the first invitation. */
  readonly reminder?: boolean;
}

/**
 * What every invitation offers, read from the state in one place: the guest link when it is on,
 * the phone number when the line is live with a number, the saved deadline and the couple's names.
 */
export function invitationBasis(state: {
  readonly guestLink: Pick<OrganiserState['guestLink'], 'enabled' | 'url' | 'title' | 'ngrokWarning'>;
  readonly setup: Pick<OrganiserState['setup'], 'mode'>;
  readonly twilio: Pick<OrganiserState['twilio'], 'phoneNumber'>;
  readonly invitation: OrganiserState['invitation'];
}): Omit<InvitationInput, 'language' | 'channel' | 'guestName'> {
  const { guestLink } = state;
  return {
    link: guestLink.enabled ? guestLink.url : null,
    phoneNumber: state.setup.mode === 'live' ? state.twilio.phoneNumber : null,
    deadline: state.invitation.deadline,
    title: guestLink.title,
    ngrokNotice: guestLink.enabled && guestLink.ngrokWarning !== 'none',
  };
}

/** A deadline (YYYY-MM-DD) as an invitation says it: "12月20日(日)", "Sun 20 December"; '' if it is no date. */
export function deadlineInWords(language: Language, deadline: string): string {
  const date = new Date(`${deadline}T12:00:00`);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', { month: 'long', day: 'numeric', weekday: 'short' }).format(date);
}

/** The one invitation builder: ready to send by LINE, email or SMS, or to print — the link and/or the number, a deadline and tips. */
export function buildInvitation(input: InvitationInput): { readonly subject: string; readonly text: string } {
  const by = input.deadline ? deadlineInWords(input.language, input.deadline) : '';
  const ja = input.language === 'ja';
  const about = input.title || (ja ? 'お二人' : 'the couple');
  const lines: string[] = [];
  const subject = ja ? `【お願い】${about}へのお祝いメッセージ` : `A voice message for ${about}`;
  const short = input.channel === 'sms';
  const name = input.guestName?.trim() ?? '';
  if (ja) {
    if (name) lines.push(`${name}さん、こんにちは。`, '');
    else if (input.channel === 'email') lines.push('こんにちは。', '');
    lines.push(
      input.reminder
        ? `${about}へのお祝いの声のメッセージ、${by ? `締め切りは${by}です` : '締め切りが近づいています'}。まだの方は、ぜひひと言お願いします！`
        : `${about}へのお祝いの声のメッセージを集めています。${by ? `${by}までに、` : ''}ぜひひと言お願いします！`,
    );
    if (input.link) lines.push('', '▼ スマホでこのリンクを開いて録音：', input.link);
    if (input.phoneNumber) lines.push('', `▼ ${input.link ? 'お電話でも残せます' : 'こちらにお電話ください'}：${input.phoneNumber}${input.phoneNumber.startsWith('+81') ? '' : '（国際電話になります）'}`);
    if (!short) lines.push('', '・静かな場所で、30〜60 秒ほど', '・録音を聞き直してから送れます', '・お名前も入れてください');
    if (input.link && input.ngrokNotice) lines.push('', '※ 最初に英語の画面（You are about to visit…）が出たら「Visit Site」を押してください。');
    lines.push('', '※ サプライズなので、新郎新婦には内緒でお願いします。');
  } else {
    if (name) lines.push(`Hi ${name},`, '');
    else if (input.channel === 'email') lines.push('Hello,', '');
    lines.push(
      input.reminder
        ? `A reminder: spoken congratulations for ${about} close ${by ? `on ${by}` : 'soon'} — there's still time to leave yours!`
        : `We're collecting spoken congratulations for ${about}${by ? ` — please leave yours by ${by}` : ''}!`,
    );
    if (input.link) lines.push('', '> Open this link on your phone and record:', input.link);
    if (input.phoneNumber) lines.push('', `> ${input.link ? 'Or call' : 'Call'}: ${input.phoneNumber}`);
    if (!short) lines.push('', '• Find a quiet place and speak for 30–60 seconds', '• You can listen back before sending', '• Add your name so they know who it is from');
    if (input.link && input.ngrokNotice) lines.push('', 'If you first see a page saying "You are about to visit…", tap "Visit Site".');
    lines.push('', "It's a surprise — please don't tell the couple!");
  }
  if (!short) return { subject, text: lines.join('\n') };
  // An SMS is billed per segment: no blank lines, and English in GSM-7 (one "—" would make it UCS-2, 70 characters a segment).
  const sms = lines.filter((line) => line !== '').join('\n');
  return { subject, text: ja ? sms : sms.replaceAll(' — ', ' - ').replaceAll('…', '...') };
}
