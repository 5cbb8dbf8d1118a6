import type { EmulatedNumber, WebhookMethod } from './records.ts';
import { API_VERSION } from './twilio-json.ts';

/** Form fields of UpdateIncomingPhoneNumber the emulator applies. */
export const NUMBER_UPDATE_FIELDS = [
  'FriendlyName',
  'VoiceUrl',
  'VoiceMethod',
  'VoiceFallbackUrl',
  'VoiceFallbackMethod',
  'StatusCallback',
  'StatusCallbackMethod',
  'VoiceApplicationSid',
  'VoiceCallerIdLookup',
  'ApiVersion',
] as const;

/**
 * Fields the spec declares that the emulator does not model (SMS, trunks, emergency
 * calling, moving the number to another account). Rejected by name rather than ignored,
 * so a test never passes on a setting that silently did nothing.
 */
const NOT_EMULATED = new Set([
  'AccountSid',
  'SmsApplicationSid',
  'SmsFallbackMethod',
  'SmsFallbackUrl',
  'SmsMethod',
  'SmsUrl',
  'EmergencyStatus',
  'EmergencyAddressSid',
  'TrunkSid',
  'VoiceReceiveMode',
  'IdentitySid',
  'AddressSid',
  'BundleSid',
]);

/** A rejected update: Twilio's error code and message. */
export interface UpdateError {
  readonly code: number;
  readonly message: string;
}

/** The settings an update may change (built up field by field, hence not readonly). */
type Changes = { -readonly [K in Exclude<keyof EmulatedNumber, 'sid' | 'accountSid' | 'phoneNumber' | 'voiceCapable' | 'createdAt' | 'updatedAt'>]?: EmulatedNumber[K] };

/** Validates an update form like Twilio; an empty string clears a field (back to its default). */
export function parseNumberUpdate(form: Readonly<Record<string, string>>, number: EmulatedNumber): Readonly<Changes> | UpdateError {
  const changes: Changes = {};
  for (const [name, value] of Object.entries(form)) {
    const error = apply(changes, name, value, number);
    if (error) return error;
  }
  return changes;
}

function apply(changes: Changes, name: string, value: string, number: EmulatedNumber): UpdateError | null {
  switch (name) {
    case 'FriendlyName':
      if (value.length > 64) return { code: 20001, message: 'FriendlyName must be at most 64 characters' };
      changes.friendlyName = value || number.phoneNumber;
      return null;
    case 'VoiceUrl':
      return url(name, value, (v) => (changes.voiceUrl = v));
    case 'VoiceFallbackUrl':
      return url(name, value, (v) => (changes.voiceFallbackUrl = v));
    case 'StatusCallback':
      return url(name, value, (v) => (changes.statusCallback = v));
    case 'VoiceMethod':
      return method(name, value, (m) => (changes.voiceMethod = m));
    case 'VoiceFallbackMethod':
      return method(name, value, (m) => (changes.voiceFallbackMethod = m));
    case 'StatusCallbackMethod':
      return method(name, value, (m) => (changes.statusCallbackMethod = m));
    case 'VoiceApplicationSid':
      if (value !== '' && !/^AP[0-9a-fA-F]{32}$/.test(value)) return { code: 20001, message: `VoiceApplicationSid "${value}" is not an application SID (AP…)` };
      changes.voiceApplicationSid = value;
      return null;
    case 'VoiceCallerIdLookup':
      if (!/^(true|false)$/i.test(value)) return { code: 20001, message: `VoiceCallerIdLookup must be true or false, got "${value}"` };
      changes.voiceCallerIdLookup = value.toLowerCase() === 'true';
      return null;
    case 'ApiVersion':
      return value === API_VERSION ? null : { code: 20001, message: `ApiVersion ${value} is not supported by the Twilio emulator` };
    default:
      return NOT_EMULATED.has(name)
        ? { code: 20001, message: `Parameter ${name} is not supported by the Twilio emulator` }
        : { code: 20001, message: `Unknown parameter: ${name}` };
  }
}

function url(name: string, value: string, set: (value: string) => void): UpdateError | null {
  if (value === '') {
    set('');
    return null;
  }
  let parsed: URL | null = null;
  try {
    parsed = new URL(value);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    return { code: 21502, message: `${name} is not a valid URL: ${value}` };
  }
  set(value);
  return null;
}

function method(name: string, value: string, set: (method: WebhookMethod) => void): UpdateError | null {
  const upper = value.toUpperCase();
  if (upper === '' || upper === 'POST' || upper === 'GET') {
    set(upper === 'GET' ? 'GET' : 'POST');
    return null;
  }
  return { code: 21403, message: `${name} must be GET or POST, got "${value}"` };
}
