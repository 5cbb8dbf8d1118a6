import { z } from 'zod';

/** Twilio SIDs: two letters and 32 hex digits. */
const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`));

/** Parameters Twilio sends on every voice webhook. */
export const callParams = z.object({
  CallSid: sid('CA'),
  AccountSid: sid('AC'),
  From: z.string().max(64).default(''),
  To: z.string().max(64).default(''),
  CallStatus: z.string().max(32).optional(),
});

/** `<Record>` action and recording-status callback parameters. */
export const recordingParams = callParams.extend({
  RecordingSid: sid('RE'),
  RecordingUrl: z.url({ protocol: /^https?$/ }).max(500),
  RecordingDuration: z.coerce.number().int().min(0).max(86400).default(0),
  RecordingStatus: z.string().max(32).optional(),
  Digits: z.string().max(16).optional(),
});

/**
 * Recording-status callback parameters: the recording's own, with AccountSid and CallSid but no
 * From/To. An `absent` (silent, not stored) recording comes with ErrorCode and no media URL.
 */
export const recordingStatusParams = callParams.extend({
  RecordingSid: sid('RE'),
  RecordingUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  RecordingDuration: z.coerce.number().int().min(0).max(86400).default(0),
  RecordingStatus: z.string().max(32).optional(),
  ErrorCode: z.string().max(16).optional(),
});

/** `<Gather>` action parameters. */
export const gatherParams = callParams.extend({
  Digits: z.string().max(16).regex(/^[0-9*#]*$/).default(''),
});

export type CallParams = z.infer<typeof callParams>;

/** Our view of a call's identity from any webhook. */
export function incomingOf(p: CallParams) {
  return { callSid: p.CallSid, accountSid: p.AccountSid, from: p.From, to: p.To };
}
