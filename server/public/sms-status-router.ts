import express from 'express';
import { z } from 'zod';
import type { Log } from '../log.ts';
import type { SmsStore } from '../store/sms-store.ts';
import { SMS_STATUS_PATH } from './sms-status-path.ts';
import { requireTwilioSignature } from './twilio-signature.ts';


// Parameters from "Outbound Message Status in Status Callbacks" (twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks).
const smsStatusParams = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  MessageStatus: z.string().max(20),
  ErrorCode: z.coerce.number().int().optional(),
});

/** The status callback of guest SMS: signed by Twilio like every webhook, validated, stored. */
export interface SmsStatusRouterDeps {
  readonly sms: SmsStore;
  readonly authToken: () => string;
  readonly publicUrl: () => string;
  readonly log: Log;
}

export function createSmsStatusRouter(deps: SmsStatusRouterDeps): express.Router {
  const router = express.Router();
  router.post(SMS_STATUS_PATH, express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 }), requireTwilioSignature(deps), (req, res) => {
    const params = smsStatusParams.safeParse(req.body);
    const send = Number(req.query['send']);
    if (!params.success || !Number.isInteger(send) || send < 1) return void res.status(400).type('text/plain').send('Bad request');
    const known = deps.sms.setStatus(send, params.data.MessageStatus, params.data.ErrorCode ?? null, params.data.MessageSid);
    if (!known) deps.log.warn('SMS status for a message this app did not send', { send, messageSid: params.data.MessageSid });
    res.status(204).end();
  });
  return router;
}
