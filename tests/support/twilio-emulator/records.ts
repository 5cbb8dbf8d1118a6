/** HTTP methods Twilio can use for a number's webhooks. */
export type WebhookMethod = 'GET' | 'POST';

/** An API key (SK…) that authenticates REST calls for its account instead of the auth token. */
export interface EmulatedApiKey {
  readonly sid: string;
  readonly secret: string;
  /**
   * Default 'Standard' (what the Keys API creates). A Standard key may use everything except
   * the Account and Keys resources (401 / 20003 there); a Main key is like the auth token.
   * https://www.twilio.com/docs/iam/api-keys/keys-in-console "Types of keys".
   */
  readonly type?: 'Main' | 'Standard';
}

/** An account the emulator knows, with the credentials basic auth must match. */
export interface EmulatedAccount {
  readonly sid: string;
  readonly authToken: string;
  /** Default `active`; otherwise every route but fetching the account answers 401 / 20005. */
  readonly status?: 'active' | 'suspended' | 'closed';
  readonly type?: 'Full' | 'Trial';
  readonly friendlyName?: string;
  /** Default '25.00'. */
  readonly balance?: string;
  /** Default 'USD'. */
  readonly currency?: string;
  readonly apiKeys?: readonly EmulatedApiKey[];
  /**
   * Caller IDs verified in the account. On a trial account only these can call its numbers
   * ("You can only make or receive calls from verified numbers", twilio.com/docs/usage/trials/try-out-voice).
   */
  readonly verifiedCallerIds?: readonly string[];
}

/** An account with its defaults filled in, as the routes see it. */
export type ResolvedAccount = Required<EmulatedAccount> & { readonly createdAt: Date };

/** What a test gives `addNumber`: a number already bought in the account. */
export interface NumberInput {
  readonly accountSid: string;
  /** E.164, e.g. +815012345678. */
  readonly phoneNumber: string;
  readonly friendlyName?: string;
  /** Default true. */
  readonly voiceCapable?: boolean;
  /** Default false: many numbers (Japanese 050, toll-free) can't send SMS. */
  readonly smsCapable?: boolean;
  readonly voiceUrl?: string;
  readonly voiceMethod?: WebhookMethod;
  readonly voiceFallbackUrl?: string;
  readonly statusCallback?: string;
  readonly voiceApplicationSid?: string;
}

/** An incoming phone number as Twilio keeps it; an empty string is "not set". */
export interface EmulatedNumber {
  readonly sid: string;
  readonly accountSid: string;
  readonly phoneNumber: string;
  readonly friendlyName: string;
  readonly voiceCapable: boolean;
  readonly smsCapable: boolean;
  readonly voiceUrl: string;
  readonly voiceMethod: WebhookMethod;
  readonly voiceFallbackUrl: string;
  readonly voiceFallbackMethod: WebhookMethod;
  readonly statusCallback: string;
  readonly statusCallbackMethod: WebhookMethod;
  readonly voiceApplicationSid: string;
  readonly voiceCallerIdLookup: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The call statuses the emulator produces (a subset of Twilio's). */
export type CallStatus = 'in-progress' | 'completed' | 'failed';

/** An inbound call routed by `placeCall`. */
export interface EmulatedCall {
  readonly sid: string;
  readonly accountSid: string;
  readonly phoneNumberSid: string;
  readonly from: string;
  readonly to: string;
  readonly status: CallStatus;
  readonly direction: 'inbound';
  readonly startTime: Date;
  readonly endTime: Date | null;
  /** Wall-clock seconds, set when the call ends. */
  readonly durationSeconds: number | null;
  readonly updatedAt: Date;
}

export interface EmulatedRecording {
  readonly sid: string;
  readonly accountSid: string;
  readonly callSid: string;
  readonly wav: Buffer;
  readonly durationSeconds: number;
  readonly createdAt: Date;
  /** Twilio processes recordings after the call step; until then the media URL is 404 and the status `processing`. */
  readonly availableAt: number;
  /** The status once processed; the REST views show `processing` before `availableAt`. */
  readonly status: 'completed';
  readonly source: 'RecordVerb';
  readonly channels: 1;
  /** Deleted recordings are gone from every route (404), but stay in `recordings` for tests. */
  readonly deleted: boolean;
}
