/**
 * The always-on line as a Twilio Function: the same call flow (`flow.ts`) and TwiML renderer
 * the laptop runs, with the organiser's settings baked in at deploy time. This module is the
 * bundle's entry (see `bundle.ts`): it must stay free of storage, zod and anything Node-only
 * beyond what Twilio's runtime has. Every function of the service runs it; it routes by `context.PATH`.
 */
import { adoptCall, answerAfterError, answerCall, continueCall, type FlowContext, type FlowResult } from '../call-flow/flow.ts';
import type { FlowSettings } from '../call-flow/flow-settings.ts';
import { PATHS } from '../call-flow/paths.ts';
import { failedStepOf, flowEventOf, incomingOf } from '../call-flow/twilio-webhook.ts';
import { isValidMediaToken, mediaToken } from '../public/media-token.ts';
import { fetchTakeAudio } from '../public/take-audio.ts';
import { renderTwiml } from '../twiml/render.ts';
import type { Verb } from '../twiml/verbs.ts';
import { HOSTED_PROMPT_DIR, HOSTED_TAKE_PATH } from './hosted-paths.ts';
import { decodeState, STATE_PARAM, withState } from './state-in-url.ts';

/** What is baked into the deployed bundle. */
export interface HostedConfig {
  readonly settings: FlowSettings;
  /** Twilio's REST origin: recordings are fetched from there for playback (the emulator in tests). */
  readonly apiBase: string;
  /** How long playback waits for a recording Twilio has not finished processing (a function may run 10 s). */
  readonly takeWaitMs: number;
}

/** The `context` Twilio's runtime passes (with the service's IncludeCredentials on). */
export interface FunctionContext {
  readonly ACCOUNT_SID: string;
  readonly AUTH_TOKEN?: string;
  readonly DOMAIN_NAME: string;
  readonly PATH: string;
}

export type FunctionEvent = Readonly<Record<string, unknown>>;
export type FunctionCallback = (error: unknown, response?: unknown) => void;
export type FunctionHandler = (context: FunctionContext, event: FunctionEvent, callback: FunctionCallback) => void;

/** `Twilio.Response`, a global of Twilio's runtime. */
interface TwilioResponse {
  setStatusCode(code: number): void;
  setBody(body: unknown): void;
  appendHeader(key: string, value: string): void;
}

/** The handler Twilio's runtime calls: `exports.handler = createHostedHandler(config)`. */
export function createHostedHandler(config: HostedConfig): FunctionHandler {
  return (context, event, callback) => {
    respond(config, context, strings(event)).then(
      (response) => callback(null, response),
      (error: unknown) => callback(error),
    );
  };
}

async function respond(config: HostedConfig, context: FunctionContext, event: Readonly<Record<string, string>>): Promise<TwilioResponse> {
  // Deployed with IncludeCredentials; if someone turns that off in the Console, guests still
  // leave messages, only without hearing them back (playback answers 404 and the menu follows).
  const authToken = context.AUTH_TOKEN ?? '';
  if (context.PATH === HOSTED_TAKE_PATH) return takeAudio(config, context, authToken, event);
  // Twilio only needs a 2xx: the recording is picked up by the laptop's reconciliation.
  if (context.PATH === PATHS.recordingStatus) return reply(204, 'text/plain', '');
  const incoming = incomingOf(event);
  if (!incoming) return reply(400, 'text/plain', 'Bad request');
  const ctx: FlowContext = {
    settings: config.settings,
    now: new Date().toISOString(),
    promptUrl: (file) => `https://${context.DOMAIN_NAME}${HOSTED_PROMPT_DIR}/${file}`,
    takeUrl: (sid) => `https://${context.DOMAIN_NAME}${takePath(sid)}&t=${authToken ? mediaToken(authToken, takePath(sid)) : ''}`,
  };
  const state = decodeState(event[STATE_PARAM], incoming);
  if (context.PATH === PATHS.voice) {
    // As the laptop's fallback, Twilio also comes here mid-call, naming the URL that failed.
    const failed = failedStepOf(event['ErrorUrl']);
    return twiml(failed && !state ? answerAfterError(incoming, failed, ctx) : answerCall(state, incoming, ctx));
  }
  const step = flowEventOf(context.PATH, event);
  if (step === undefined) return reply(404, 'text/plain', 'Not found');
  if (step === null) return reply(400, 'text/plain', 'Bad request');
  return twiml(continueCall(state ?? adoptCall(incoming, ctx), step, ctx));
}

/** The flow's TwiML, with the call's new state carried in every URL that leads back here. */
function twiml(result: FlowResult): TwilioResponse {
  const verbs = result.verbs.map((verb): Verb => {
    switch (verb.kind) {
      case 'record':
      case 'gather':
        return verb.action?.startsWith('/twilio/') ? { ...verb, action: withState(verb.action, result.call) } : verb;
      case 'redirect':
        return verb.url.startsWith('/twilio/') ? { ...verb, url: withState(verb.url, result.call) } : verb;
      default:
        return verb;
    }
  });
  return reply(200, 'text/xml', renderTwiml(verbs));
}

function takePath(recordingSid: string): string {
  return `${HOSTED_TAKE_PATH}?sid=${recordingSid}`;
}

/** Plays a take back: fetched from Twilio with the account's credentials, waiting briefly until it is processed. */
async function takeAudio(config: HostedConfig, context: FunctionContext, authToken: string, event: Readonly<Record<string, string>>): Promise<TwilioResponse> {
  const sid = event['sid'] ?? '';
  // Without the auth token there is no secret to check the URL's token against.
  if (!authToken || !/^RE[0-9a-fA-F]{32}$/.test(sid) || !isValidMediaToken(authToken, takePath(sid), event['t'])) return reply(404, 'text/plain', 'Not found');
  const base = config.apiBase.replace(/\/+$/, '');
  const audio = await fetchTakeAudio(`${base}/2010-04-01/Accounts/${context.ACCOUNT_SID}/Recordings/${sid}`, {
    apiBase: base,
    accountSid: context.ACCOUNT_SID,
    authToken,
    waitMs: config.takeWaitMs,
  });
  // Without the audio the guest goes straight on to the menu, as on the laptop.
  if (!audio) return reply(503, 'text/plain', 'Recording not ready');
  return reply(200, audio.contentType, audio.body);
}

function reply(status: number, contentType: string, body: string | Uint8Array): TwilioResponse {
  const runtime = (globalThis as { Twilio?: { Response?: new () => TwilioResponse } }).Twilio;
  if (!runtime?.Response) throw new Error('Twilio.Response is missing: this handler runs on Twilio Functions');
  const response = new runtime.Response();
  response.setStatusCode(status);
  response.appendHeader('Content-Type', contentType);
  response.setBody(body);
  return response;
}

/** Query and form values (the runtime adds objects such as `request`, which the line ignores). */
function strings(event: FunctionEvent): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(event).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
