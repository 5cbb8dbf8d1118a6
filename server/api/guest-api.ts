import type { z } from 'zod';
import type { GuestController } from '../app/guest-controller.ts';
import { assertNever } from '../twiml/render.ts';
import { GUEST_API_INPUTS, type GuestApiOutputs } from './guest-contract.ts';

export type GuestMethod = keyof typeof GUEST_API_INPUTS;
type In<M extends GuestMethod> = z.infer<(typeof GUEST_API_INPUTS)[M]>;

export function isGuestMethod(method: string): method is GuestMethod {
  return Object.hasOwn(GUEST_API_INPUTS, method);
}

/** Runs one guest-list method; `input` was validated against its schema by `dispatch`. */
export async function runGuestMethod(g: GuestController, method: GuestMethod, input: unknown): Promise<GuestApiOutputs[GuestMethod]> {
  switch (method) {
    case 'getGuests':
      return g.view();
    case 'previewGuestImport':
      return g.preview((input as In<'previewGuestImport'>).source);
    case 'importGuests':
      return g.import((input as In<'importGuests'>).source);
    case 'addGuest':
      return g.add(input as In<'addGuest'>);
    case 'updateGuest': {
      const { id, ...fields } = input as In<'updateGuest'>;
      return g.update(id, fields);
    }
    case 'deleteGuest':
      return g.remove((input as In<'deleteGuest'>).id);
    case 'exportGuests':
      return g.exportCsv();
    case 'chooseTakeGuest': {
      const { recordingSid, choice } = input as In<'chooseTakeGuest'>;
      return g.chooseTakeGuest(recordingSid, choice.kind === 'guest' ? choice.guestId : choice.kind === 'not-listed' ? null : undefined);
    }
    case 'getSmsOptions':
      return g.sms.options();
    case 'previewSms': {
      const i = input as In<'previewSms'>;
      return g.sms.plan(i.kind, i.template, i.guestIds);
    }
    case 'sendSms': {
      const i = input as In<'sendSms'>;
      return g.sms.send(i.kind, i.template, i.guestIds);
    }
    case 'newReminderRound':
      g.sms.newReminderRound();
      return g.sms.options();
    default:
      return assertNever(method);
  }
}
