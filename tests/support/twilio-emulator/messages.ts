import twilio from 'twilio';
import { twilioError, type Reply } from './http-io.ts';
import type { EmulatedNumber, ResolvedAccount } from './records.ts';
import { segmentCount } from '../../../server/twilio/sms-segments.ts';
import { newSid } from '../../../server/twilio/sids.ts';
import { rfc2822 } from './twilio-json.ts';

/** Twilio's outbound message statuses the emulator produces (a subset of message_enum_status). */
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

/** An outbound SMS created through the Messages resource. */
export interface EmulatedMessage {
  readonly sid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly status: MessageStatus;
  readonly errorCode: number | null;
  readonly errorMessage: string | null;
  readonly statusCallback: string;
  readonly numSegments: number;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly updatedAt: Date;
}

/** The form fields of CreateMessage the emulator understands (all declared by the spec). */
export const MESSAGE_CREATE_FIELDS = ['To', 'From', 'Body', 'StatusCallback'] as const;

const E164 = /^\+[1-9]\d{1,14}$/;
/** The emulator's messages, the recipients who replied STOP, and handsets that can't be reached. */
export class MessageBook {
  readonly #messages = new Map<string, EmulatedMessage>();
  /** `${from} ${to}`: STOP applies to the sender it was sent to (Twilio's default opt-out handling). */
  readonly #optedOut = new Set<string>();
  readonly #unreachable = new Set<string>();
  /** Set by the emulator: runs the delivery (status changes and callbacks) after a message is created. */
  onCreated: (message: EmulatedMessage, account: ResolvedAccount) => void = () => undefined;

  get all(): readonly EmulatedMessage[] {
    return [...this.#messages.values()];
  }

  get(sid: string): EmulatedMessage | undefined {
    return this.#messages.get(sid);
  }

  optOut(from: string, to: string): void {
    this.#optedOut.add(`${from} ${to}`);
  }

  setUnreachable(to: string): void {
    this.#unreachable.add(to);
  }

  isUnreachable(to: string): boolean {
    return this.#unreachable.has(to);
  }

  update(sid: string, changes: Partial<EmulatedMessage>): EmulatedMessage {
    const old = this.#messages.get(sid);
    if (!old) throw new Error(`update: unknown message ${sid}`);
    const updated = { ...old, ...changes, sid, updatedAt: new Date() };
    this.#messages.set(sid, updated);
    return updated;
  }

  /** CreateMessage: the checks Twilio makes before accepting a message, then `queued` (201). */
  create(account: ResolvedAccount, form: Readonly<Record<string, string>>, sender: EmulatedNumber | undefined): Reply {
    const { To: to, From: from, Body: body } = form;
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!sender || sender.accountSid !== account.sid || !sender.smsCapable) {
      return twilioError(400, 21606, `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination.`);
    }
    if (!body) return twilioError(400, 21602, 'Message body is required.');
    if (body.length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (this.#optedOut.has(`${from} ${to}`)) return twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    const now = new Date();
    const message: EmulatedMessage = {
      sid: newSid('SM'),
      accountSid: account.sid,
      from,
      to,
      body,
      status: 'queued',
      errorCode: null,
      errorMessage: null,
      statusCallback: form['StatusCallback'] ?? '',
      numSegments: segmentCount(body),
      createdAt: now,
      sentAt: null,
      updatedAt: now,
    };
    this.#messages.set(message.sid, message);
    this.onCreated(message, account);
    return { kind: 'json', status: 201, body: messageJson(message) };
  }
}

/**
 * Moves a queued message on as Twilio does — `sent`, then `delivered`, or `undelivered` with
 * 30003 for a handset that can't be reached — POSTing the StatusCallback (signed with the
 * account's auth token) at each change. Parameters as in Twilio's "Outbound Message Status in
 * Status Callbacks" (twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks).
 */
export async function deliver(book: MessageBook, message: EmulatedMessage, account: ResolvedAccount, signal: AbortSignal): Promise<void> {
  const steps: readonly Partial<EmulatedMessage>[] = book.isUnreachable(message.to)
    ? [{ status: 'sent', sentAt: new Date() }, { status: 'undelivered', errorCode: 30003, errorMessage: 'Unreachable destination handset' }]
    : [{ status: 'sent', sentAt: new Date() }, { status: 'delivered' }];
  for (const step of steps) {
    if (signal.aborted) return;
    const updated = book.update(message.sid, step);
    if (!updated.statusCallback) continue;
    const params: Record<string, string> = {
      AccountSid: updated.accountSid,
      ApiVersion: '2010-04-01',
      From: updated.from,
      MessageSid: updated.sid,
      MessageStatus: updated.status,
      SmsSid: updated.sid,
      SmsStatus: updated.status,
      To: updated.to,
      ...(updated.errorCode === null ? {} : { ErrorCode: String(updated.errorCode) }),
    };
    try {
      await fetch(updated.statusCallback, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(account.authToken, updated.statusCallback, params) },
        body: new URLSearchParams(params),
        signal,
      });
    } catch {
      // Twilio doesn't retry a failed status callback by default; the app can fetch the message.
    }
  }
}

/** A message as the REST API returns it (every property api.v2010.account.message declares). */
export function messageJson(m: EmulatedMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.createdAt),
    date_sent: m.sentAt ? rfc2822(m.sentAt) : null,
    date_updated: rfc2822(m.updatedAt),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: String(m.numSegments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}
