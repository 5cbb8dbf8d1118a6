import { z } from 'zod';

/** Twilio SIDs: two letters and 32 hex digits. */
const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`));

/**
 * Recording-status callback parameters: the recording's own, with AccountSid and CallSid but no
 * From/To. An `absent` (silent, not stored) recording comes with ErrorCode and no media URL.
 * (A call's own webhooks are read by `call-flow/twilio-webhook.ts`, as the always-on line reads them.)
 */
export const recordingStatusParams = z.object({
  CallSid: sid('CA'),
  AccountSid: sid('AC'),
  RecordingSid: sid('RE'),
  RecordingUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  RecordingDuration: z.coerce.number().int().min(0).max(86400).default(0),
  RecordingStatus: z.string().max(32).optional(),
  ErrorCode: z.string().max(16).optional(),
});
