import { z } from 'zod';

/** One person on the organiser's guest list. */
export interface Guest {
  readonly id: number;
  readonly name: string;
  /** The number as the organiser typed or imported it (what the CSV export gives back). */
  readonly phoneInput: string;
  /** `phoneInput` in E.164 with the line's default country; null when there is no number. Two guests may share one. */
  readonly phone: string | null;
  readonly group: string;
  readonly note: string;
  /** "Won't take part": not counted as someone who hasn't left a message yet. */
  readonly declined: boolean;
}

/** A guest before it is stored (an import row or a hand-typed entry, already normalised). */
export type GuestDraft = Omit<Guest, 'id'>;

/** What the organiser types in the Guests screen; phone numbers are normalised by the controller. */
export const guestFieldsSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    phone: z.string().trim().max(40).optional(),
    group: z.string().trim().max(60).optional(),
    note: z.string().trim().max(500).optional(),
    declined: z.boolean().optional(),
  })
  .strict();
export type GuestFields = z.infer<typeof guestFieldsSchema>;
