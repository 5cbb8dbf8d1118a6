import type twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { cjsRequire } from '../cjs-require.ts';

/** Twilio's production REST origin. */
export const TWILIO_API_ORIGIN = 'https://api.twilio.com';

/** How the app authenticates to Twilio's REST API. The auth token is always needed to check webhook signatures. */
export interface TwilioCredentials {
  readonly accountSid: string;
  readonly authToken: string;
  /** Optional API key (SK…) used for REST calls instead of the auth token. */
  readonly apiKey?: { readonly sid: string; readonly secret: string };
}

export type TwilioClient = ReturnType<typeof twilio>;

/**
 * The real `twilio` SDK client. When `apiBase` is not Twilio's (tests: the local emulator,
 * via SHUKUDEN_TWILIO_API_BASE) requests are re-addressed through the SDK's pluggable HTTP client;
 * everything else — paths, paging, auth, error handling — is the SDK's own.
 */
export function createTwilioClient(credentials: TwilioCredentials, apiBase: string = TWILIO_API_ORIGIN): TwilioClient {
  const [username, password] = credentials.apiKey
    ? [credentials.apiKey.sid, credentials.apiKey.secret]
    : [credentials.accountSid, credentials.authToken];
  const base = new URL(apiBase);
  const options: twilio.ClientOpts = { accountSid: credentials.accountSid, autoRetry: false };
  const { sdk, RebasedRequestClient } = twilioSdk();
  if (base.origin !== TWILIO_API_ORIGIN) options.httpClient = new RebasedRequestClient(base);
  return sdk(username, password, options);
}

let loaded: ReturnType<typeof loadSdk> | null = null;

/** The SDK, read from disk the first time a client is made (not at start: it takes ~0.2 s). */
function twilioSdk(): ReturnType<typeof loadSdk> {
  loaded ??= loadSdk();
  return loaded;
}

function loadSdk() {
  const sdk = cjsRequire('twilio') as typeof twilio;
  /** Sends every SDK request to `base` instead of *.twilio.com, keeping path and query. */
  class RebasedRequestClient extends sdk.RequestClient {
    readonly #base: URL;

    constructor(base: URL) {
      super({ timeout: 15_000 });
      this.#base = base;
    }

    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const original = new URL(opts.uri);
      const target = new URL(`${original.pathname}${original.search}`, this.#base);
      return super.request<TData>({ ...opts, uri: target.href });
    }
  }
  return { sdk, RebasedRequestClient };
}

export { basicAuth } from './basic-auth.ts';
