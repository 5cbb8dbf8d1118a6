import type { ApiOutputs } from '../api/contract.ts';
import type { GuestImportSourceInput, GuestListView } from '../api/guest-contract.ts';
import type { Core } from '../core.ts';
import { guestsToCsv } from '../guests/guest-export.ts';
import { normalisePhone, readGuestTable, type GuestImportSource } from '../guests/guest-import.ts';
import type { GuestDraft, GuestFields } from '../guests/guest-types.ts';
import { defineSetting } from '../store/settings-store.ts';
import { UserError } from '../user-error.ts';
import { z } from 'zod';
import { GuestSms } from './guest-sms.ts';

export interface GuestControllerOptions {
  readonly core: Pick<Core, 'guests' | 'settings' | 'libraryStore' | 'sms' | 'twilio' | 'publicUrl'>;
  readonly language: () => 'ja' | 'en';
  /** Schedules a state push (the saved deadline is part of the state). */
  readonly changed?: () => void;
}

/** The deadline the invitation gives guests (yyyy-mm-dd), or '' for none. */
export const INVITATION_DEADLINE = defineSetting('invitation.deadline', z.union([z.literal(''), z.iso.date()]), '');

/** What the organiser does with the guest list: import (preview first), edit by hand, export. */
export class GuestController {
  readonly #o: GuestControllerOptions;
  /** Invitations and reminders by SMS. */
  readonly sms: GuestSms;

  constructor(options: GuestControllerOptions) {
    this.#o = options;
    this.sms = new GuestSms(options.core);
  }

  view(): GuestListView {
    return { guests: this.#o.core.guests.list() };
  }

  preview(source: GuestImportSourceInput): ApiOutputs['previewGuestImport'] {
    return readGuestTable(toSource(source), this.#country());
  }

  /** Re-reads the source the preview showed and stores its readable rows in one transaction. */
  import(source: GuestImportSourceInput): ApiOutputs['importGuests'] {
    const table = readGuestTable(toSource(source), this.#country());
    const drafts = table.guests.map(({ line: _line, ...draft }) => draft);
    const { added, alreadyListed } = this.#o.core.guests.addMany(drafts);
    return { ...this.view(), added, alreadyListed, problems: table.problems };
  }

  add(fields: GuestFields): GuestListView {
    const { added } = this.#o.core.guests.addMany([this.#draft(fields)]);
    if (added === 0) {
      throw new UserError('guest-already-listed', {
        en: `${fields.name} is already on the list with this number. Edit that entry instead.`,
        ja: `${fields.name} さんはこの番号ですでにリストにあります。そちらを編集してください。`,
      });
    }
    return this.view();
  }

  update(id: number, fields: GuestFields): GuestListView {
    if (!this.#o.core.guests.update(id, this.#draft(fields))) throw guestNotFound();
    return this.view();
  }

  remove(id: number): GuestListView {
    if (!this.#o.core.guests.remove(id)) throw guestNotFound();
    return this.view();
  }

  /** Saves the invitation's deadline (shown by every invitation, remembered across restarts). */
  setInvitationDeadline(deadline: string): ApiOutputs['setInvitationDeadline'] {
    const saved = this.#o.core.settings.set(INVITATION_DEADLINE, deadline);
    this.#o.changed?.();
    return { deadline: saved };
  }

  exportCsv(): ApiOutputs['exportGuests'] {
    return { fileName: this.#o.language() === 'ja' ? 'ゲストリスト.csv' : 'guest-list.csv', text: guestsToCsv(this.#o.core.guests.list(), this.#o.language()) };
  }

  /** Says which guest a message is from (guest id), that it is from nobody listed (null), or back to the match (undefined). */
  chooseTakeGuest(recordingSid: string, guestId: number | null | undefined): ApiOutputs['chooseTakeGuest'] {
    const { libraryStore: library, guests } = this.#o.core;
    if (!library.get(recordingSid)) throw new UserError('message-not-found', { en: 'That message no longer exists.', ja: 'そのメッセージは見つかりません。' });
    if (typeof guestId === 'number' && !guests.get(guestId)) throw guestNotFound();
    library.chooseGuest(recordingSid, guestId);
    return { entries: library.list() };
  }

  #draft(fields: GuestFields): GuestDraft {
    const phoneInput = (fields.phone ?? '').normalize('NFKC');
    const phone = normalisePhone(phoneInput, this.#country());
    if (phone === null) {
      throw new UserError('guest-bad-phone', {
        en: `"${phoneInput}" is not a phone number. Type it as on the guest's phone (090-1234-5678, or +1 555 123 4567 for another country), or leave it empty.`,
        ja: `「${phoneInput}」は電話番号として読めません。携帯の表示どおり（090-1234-5678、海外は +1 555 123 4567 など）に入力するか、空欄にしてください。`,
      });
    }
    return { name: fields.name.normalize('NFC'), phoneInput: phone.phone === null ? '' : phoneInput, phone: phone.phone, group: fields.group ?? '', note: fields.note ?? '', declined: fields.declined ?? false };
  }

  #country(): string {
    return this.#o.core.settings.flow().defaultCountryCode;
  }
}

function toSource(source: GuestImportSourceInput): GuestImportSource {
  return source.kind === 'file' ? { kind: 'file', bytes: Buffer.from(source.dataBase64, 'base64') } : { kind: 'text', text: source.text };
}

function guestNotFound(): UserError {
  return new UserError('guest-not-found', { en: 'That guest is no longer on the list.', ja: 'そのゲストはリストにありません。' });
}
