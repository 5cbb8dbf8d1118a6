/**
 * The guest list's part of the organiser contract (issue 19), kept in its own block:
 * `API_INPUTS` and `ApiOutputs` in contract.ts include it.
 */
import { z } from 'zod';
import type { Guest } from '../guests/guest-types.ts';
import { guestFieldsSchema } from '../guests/guest-types.ts';
import type { ImportPreview, ImportProblem } from '../guests/guest-import.ts';
import type { LibraryEntry } from '../library/library-types.ts';
import type { SmsOptions, SmsPreview, SmsSendResult } from '../organiser/guest-sms.ts';

const importSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), fileName: z.string().max(255), dataBase64: z.string().max(3 * 1024 * 1024) }).strict(),
  z.object({ kind: z.literal('text'), text: z.string().max(2 * 1024 * 1024) }).strict(),
]);
const guestId = z.number().int().min(1);
const smsInput = z
  .object({
    kind: z.enum(['invitation', 'reminder']),
    /** The text; {name} becomes each guest's name. */
    template: z.string().trim().min(1).max(1000),
    guestIds: z.array(guestId).max(2000).optional(),
  })
  .strict();

export const GUEST_API_INPUTS = {
  getGuests: z.object({}).strict(),
  /** Reads a file or pasted cells and shows what would be imported; saves nothing. */
  previewGuestImport: z.object({ source: importSource }).strict(),
  /** Imports the same source the preview showed: the readable rows, the rest listed. */
  importGuests: z.object({ source: importSource }).strict(),
  addGuest: guestFieldsSchema,
  updateGuest: guestFieldsSchema.extend({ id: guestId }).strict(),
  deleteGuest: z.object({ id: guestId }).strict(),
  exportGuests: z.object({}).strict(),
  /** Which guest a message is from: a guest (a shared number's answer, or an override), nobody on the list, or back to the automatic match. */
  chooseTakeGuest: z
    .object({
      recordingSid: z.string().regex(/^RE[0-9a-fA-F]{32}$/),
      choice: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('guest'), guestId: guestId }).strict(),
        z.object({ kind: z.literal('not-listed') }).strict(),
        z.object({ kind: z.literal('match') }).strict(),
      ]),
    })
    .strict(),
  /** Whether SMS can be sent from the Twilio number (and why not), and every guest's SMS status. */
  getSmsOptions: z.object({}).strict(),
  /** Exactly what an SMS invitation (to chosen guests) or reminder (to everyone not done yet) would send, with Twilio's price per segment where it says; sends nothing. */
  previewSms: smsInput,
  sendSms: smsInput,
  /** A new reminder round: each guest who hasn't left a message may get one more reminder. */
  newReminderRound: z.object({}).strict(),
  /** The deadline every invitation gives (yyyy-mm-dd, or '' for none); saved across restarts. */
  setInvitationDeadline: z.object({ deadline: z.union([z.literal(''), z.iso.date()]) }).strict(),
} as const;

export type GuestImportSourceInput = z.infer<typeof importSource>;

/** The Guests screen. */
export interface GuestListView {
  readonly guests: readonly Guest[];
}

export interface GuestApiOutputs {
  getGuests: GuestListView;
  previewGuestImport: ImportPreview;
  importGuests: GuestListView & { readonly added: number; readonly alreadyListed: number; readonly problems: readonly ImportProblem[] };
  addGuest: GuestListView;
  updateGuest: GuestListView;
  deleteGuest: GuestListView;
  /** CSV text (UTF-8 with BOM) the UI saves as `fileName`. */
  exportGuests: { readonly fileName: string; readonly text: string };
  chooseTakeGuest: { readonly entries: readonly LibraryEntry[] };
  getSmsOptions: SmsOptions;
  previewSms: SmsPreview;
  sendSms: SmsSendResult;
  newReminderRound: SmsOptions;
  setInvitationDeadline: { readonly deadline: string };
}
