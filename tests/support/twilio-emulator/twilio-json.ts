import type { EmulatedCall, EmulatedNumber, EmulatedRecording, ResolvedAccount } from './records.ts';

/**
 * The JSON Twilio answers with, snake_case, for each emulated resource. Every field here
 * is declared in the resource's schema in Twilio's OpenAPI spec (the contract test checks).
 */

export const API_VERSION = '2010-04-01';
const ROOT = `/${API_VERSION}/Accounts`;

/** RFC 2822 like Twilio: `Tue, 24 Nov 2026 16:20:00 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/ GMT$/, ' +0000');
}

/** Twilio's REST error body. */
export function errorJson(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export function accountJson(account: ResolvedAccount): Record<string, unknown> {
  const base = `${ROOT}/${account.sid}`;
  return {
    auth_token: account.authToken,
    date_created: rfc2822(account.createdAt),
    date_updated: rfc2822(account.createdAt),
    friendly_name: account.friendlyName,
    owner_account_sid: account.sid,
    sid: account.sid,
    status: account.status,
    // Twilio lists many more; these are the ones the emulator serves.
    subresource_uris: {
      balance: `${base}/Balance.json`,
      calls: `${base}/Calls.json`,
      incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
      recordings: `${base}/Recordings.json`,
    },
    type: account.type,
    uri: `${base}.json`,
  };
}

export function balanceJson(account: ResolvedAccount): Record<string, unknown> {
  return { account_sid: account.sid, balance: account.balance, currency: account.currency };
}

/**
 * Empty-vs-null for unset fields follows the examples in Twilio's spec, except the SID
 * fields: the examples show "" but the schema's pattern (AP…) only allows a SID or null.
 */
export function numberJson(n: EmulatedNumber): Record<string, unknown> {
  return {
    account_sid: n.accountSid,
    address_sid: null,
    address_requirements: 'none',
    api_version: API_VERSION,
    beta: false,
    capabilities: { voice: n.voiceCapable, sms: n.smsCapable, mms: false, fax: false },
    date_created: rfc2822(n.createdAt),
    date_updated: rfc2822(n.updatedAt),
    friendly_name: n.friendlyName,
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid: n.sid,
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: 'POST',
    sms_url: '',
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: null,
    uri: `${ROOT}/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: n.voiceApplicationSid || null,
    voice_caller_id_lookup: n.voiceCallerIdLookup,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: n.voiceFallbackUrl || null,
    voice_method: n.voiceMethod,
    voice_url: n.voiceUrl || null,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
    type: 'local',
  };
}

export function callJson(c: EmulatedCall): Record<string, unknown> {
  const base = `${ROOT}/${c.accountSid}/Calls/${c.sid}`;
  return {
    sid: c.sid,
    date_created: rfc2822(c.startTime),
    date_updated: rfc2822(c.updatedAt),
    parent_call_sid: null,
    account_sid: c.accountSid,
    to: c.to,
    // Twilio formats national numbers, e.g. "(415) 867-5309"; E.164 is what the emulator can do honestly.
    to_formatted: c.to,
    from: c.from,
    from_formatted: c.from,
    phone_number_sid: c.phoneNumberSid,
    status: c.status,
    start_time: rfc2822(c.startTime),
    end_time: c.endTime ? rfc2822(c.endTime) : null,
    duration: c.durationSeconds === null ? null : String(c.durationSeconds),
    price: null,
    price_unit: 'USD',
    direction: c.direction,
    answered_by: null,
    api_version: API_VERSION,
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${base}.json`,
    subresource_uris: { recordings: `${base}/Recordings.json`, notifications: `${base}/Notifications.json` },
  };
}

/** `apiBase` makes `media_url` point at the emulator, as Twilio's points at api.twilio.com. */
export function recordingJson(r: EmulatedRecording, apiBase: string, now: number): Record<string, unknown> {
  const base = `${ROOT}/${r.accountSid}/Recordings/${r.sid}`;
  return {
    account_sid: r.accountSid,
    api_version: API_VERSION,
    call_sid: r.callSid,
    conference_sid: null,
    date_created: rfc2822(r.createdAt),
    date_updated: rfc2822(new Date(Math.max(r.createdAt.getTime(), Math.min(now, r.availableAt)))),
    start_time: rfc2822(new Date(r.createdAt.getTime() - r.durationSeconds * 1000)),
    duration: String(r.durationSeconds),
    sid: r.sid,
    price: null,
    price_unit: 'USD',
    status: now < r.availableAt ? 'processing' : r.status,
    channels: r.channels,
    source: r.source,
    error_code: null,
    uri: `${base}.json`,
    encryption_details: null,
    subresource_uris: { add_on_results: `${base}/AddOnResults.json`, transcriptions: `${base}/Transcriptions.json` },
    media_url: `${apiBase}${base}`,
  };
}
