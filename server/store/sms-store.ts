import type { DatabaseSync } from 'node:sqlite';

/** 'sending' until Twilio answers; then Twilio's status; 'refused' when Twilio said no at once. */
export type SmsStatus = 'sending' | 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'refused';

/** One SMS to one guest in one round. */
export interface SmsSend {
  readonly id: number;
  readonly guestId: number;
  readonly round: string;
  readonly to: string;
  readonly body: string;
  readonly messageSid: string | null;
  readonly status: SmsStatus;
  readonly errorCode: number | null;
  readonly updatedAt: string;
}

type Row = Record<string, unknown>;
const STATUSES: readonly SmsStatus[] = ['sending', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'refused'];
/** Twilio's callbacks may arrive out of order; a later state never goes back. */
const ORDER: Readonly<Record<SmsStatus, number>> = { sending: 0, refused: 1, queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

/** SMS sends to guests. Stores what it is told; the SMS service decides. */
export class SmsStore {
  readonly #db: DatabaseSync;
  readonly #changed: () => void;

  constructor(db: DatabaseSync, onChange: () => void) {
    this.#db = db;
    this.#changed = onChange;
  }

  list(): readonly SmsSend[] {
    return (this.#db.prepare('SELECT * FROM sms_sends ORDER BY id').all() as Row[]).map(toSend);
  }

  /** Claims the guest's slot in this round before anything goes to Twilio; null when it is taken already. */
  claim(guestId: number, round: string, to: string, body: string): number | null {
    const now = new Date().toISOString();
    const result = this.#db
      .prepare("INSERT INTO sms_sends (guest_id, round, to_number, body, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'sending', ?, ?) ON CONFLICT (guest_id, round) DO NOTHING")
      .run(guestId, round, to, body, now, now);
    return Number(result.changes) > 0 ? Number(result.lastInsertRowid) : null;
  }

  /** Twilio didn't answer at all (network): the slot is freed so the organiser can try again. */
  release(id: number): void {
    this.#db.prepare("DELETE FROM sms_sends WHERE id = ? AND status = 'sending'").run(id);
    this.#changed();
  }

  accepted(id: number, messageSid: string, status: string): void {
    this.#db.prepare('UPDATE sms_sends SET message_sid = ?, updated_at = ? WHERE id = ?').run(messageSid, new Date().toISOString(), id);
    this.setStatus(id, status, null);
  }

  refused(id: number, code: number | null): void {
    this.setStatus(id, 'refused', code);
  }

  /** A status from Twilio (the create answer or a status callback); unknown statuses are ignored. */
  setStatus(id: number, status: string, errorCode: number | null, messageSid?: string): boolean {
    if (!STATUSES.includes(status as SmsStatus)) return false;
    const current = this.#db.prepare('SELECT status, message_sid FROM sms_sends WHERE id = ?').get(id) as Row | undefined;
    if (!current) return false;
    if (messageSid !== undefined && current['message_sid'] !== null && current['message_sid'] !== messageSid) return false;
    if (ORDER[status as SmsStatus] < ORDER[String(current['status']) as SmsStatus]) return true;
    this.#db
      .prepare('UPDATE sms_sends SET status = ?, error_code = COALESCE(?, error_code), message_sid = COALESCE(message_sid, ?), updated_at = ? WHERE id = ?')
      .run(status, errorCode, messageSid ?? null, new Date().toISOString(), id);
    this.#changed();
    return true;
  }
}

function toSend(row: Row): SmsSend {
  return {
    id: Number(row['id']),
    guestId: Number(row['guest_id']),
    round: String(row['round']),
    to: String(row['to_number']),
    body: String(row['body']),
    messageSid: row['message_sid'] === null ? null : String(row['message_sid']),
    status: String(row['status']) as SmsStatus,
    errorCode: row['error_code'] === null ? null : Number(row['error_code']),
    updatedAt: String(row['updated_at']),
  };
}
