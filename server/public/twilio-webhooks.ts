import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { IncomingCall } from '../call-flow/flow.ts';
import { PATHS } from '../call-flow/paths.ts';
import { callHasEnded, flowEventOf, incomingOf, nameClipTakeOf, type WebhookForm } from '../call-flow/twilio-webhook.ts';
import type { CallRunner } from '../call-runner.ts';
import { probeAnswer, type ProbeBook } from '../connection/probe-book.ts';
import type { Log } from '../log.ts';
import { renderTwiml } from '../twiml/render.ts';
import { recordingStatusParams } from './twilio-params.ts';
import { publicRequestUrl, twilioSignatureProblem } from './twilio-signature.ts';

export interface TwilioWebhookDeps {
  readonly callRunner: CallRunner;
  readonly log: Log;
  readonly authToken: () => string;
  readonly publicUrl: () => string;
  /** Verification probes this app issued. */
  readonly probes: ProbeBook;
}

/** Twilio's webhooks are small forms; anything larger is not from Twilio. */
const MAX_BODY_BYTES = 16 * 1024;
const MAX_PARAMETERS = 100;

type Form = Readonly<Record<string, string>>;
/** Most webhook URLs carry no query: one empty one for all of them (only ever read). */
const NO_QUERY = new URLSearchParams();
/** A probe nonce this app never issued. */
const UNKNOWN_PROBE = Symbol('unknown probe');
/** What a webhook answers: TwiML (null: an empty 204; undefined: a malformed form). */
type Answer = string | null | undefined | typeof UNKNOWN_PROBE;
/** A webhook: validated parameters in, an answer out (once the step is stored). */
type Webhook = (form: Form, query: URLSearchParams) => Answer | Promise<Answer>;

/**
 * Twilio's webhooks, answered on plain `node:http` before Express sees the request: every call's
 * every step comes through here, so it stays as lean as the line it replaced (no router, no body
 * parser, no ETag). Each request: body read with a size limit, X-Twilio-Signature checked against
 * the public URL, parameters read and checked (a call's webhooks as the always-on line reads them,
 * `call-flow/twilio-webhook.ts`; recording callbacks with zod), the call line run, TwiML written.
 * Returns false for anything that is not a webhook (media, 404s: the Express app handles those).
 */
export function twilioWebhooks(deps: TwilioWebhookDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { callRunner: line } = deps;
  const webhooks = new Map<string, Webhook>([[PATHS.voice, (form) => probe(deps.probes, form) ?? called(form, (incoming) => line.answer(incoming))]]);

  // Every later step: the form becomes the flow's event in one place, shared with the always-on line.
  for (const path of [PATHS.recorded, PATHS.noAudio, PATHS.menu, PATHS.menuTimeout, PATHS.nameRecorded]) {
    webhooks.set(path, (form, query) =>
      called(form, (incoming) => {
        const event = flowEventOf(path, webhookForm(form, query));
        return event ? line.continue(incoming, event) : undefined;
      }),
    );
  }

  webhooks.set(PATHS.recordingStatus, (form) =>
    parsed(recordingStatusParams, form, (p) =>
      line.recordingStatus({ callSid: p.CallSid, recordingSid: p.RecordingSid, recordingUrl: p.RecordingUrl ?? '', durationSeconds: p.RecordingDuration }, p.RecordingStatus ?? '').then(() => null),
    ),
  );
  webhooks.set(PATHS.nameRecordingStatus, (form, query) => {
    const params = recordingStatusParams.safeParse(form);
    const takeSid = nameClipTakeOf(webhookForm(form, query));
    if (!params.success || !takeSid) return undefined;
    const p = params.data;
    return line.nameRecordingStatus(p.CallSid, takeSid, { recordingSid: p.RecordingSid, recordingUrl: p.RecordingUrl ?? '', durationSeconds: p.RecordingDuration }, p.RecordingStatus ?? '').then(() => null);
  });
  webhooks.set(PATHS.callStatus, (form) => called(form, (incoming) => (callHasEnded(form) ? line.callEnded(incoming).then(() => null) : null)));

  return (req, res) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const webhook = req.method === 'POST' ? webhooks.get(path) : undefined;
    if (!webhook) return false;
    readForm(req, (problem, form) => {
      if (problem) return void send(res, problem, 'text/plain', problem === 413 ? 'Payload too large' : 'Bad request');
      const reason = twilioSignatureProblem(deps.authToken(), req.headers['x-twilio-signature'], publicRequestUrl(deps.publicUrl(), url), form);
      if (reason) {
        deps.log.warn('Rejected a public request that was not signed by Twilio', { reason, method: req.method, path });
        return void send(res, 403, 'text/plain', 'Forbidden');
      }
      const failed = (error: unknown) => {
        deps.log.error('Request failed', { path, error: error instanceof Error ? error.message : String(error) });
        // 5xx lets Twilio use the number's fallback URL instead of hanging up on the guest.
        send(res, 500, 'text/plain', 'Internal error');
      };
      let answer: ReturnType<Webhook>;
      try {
        answer = webhook(form, queryAt < 0 ? NO_QUERY : new URLSearchParams(url.slice(queryAt + 1)));
      } catch (error) {
        return void failed(error);
      }
      if (answer instanceof Promise) answer.then((twiml) => respond(res, twiml), failed);
      else respond(res, answer);
    });
    return true;
  };
}

function respond(res: ServerResponse, twiml: Answer): void {
  if (twiml === UNKNOWN_PROBE) send(res, 404, 'text/plain', 'Not found');
  else if (twiml === undefined) send(res, 400, 'text/plain', 'Bad request');
  else if (twiml === null) send(res, 204, null, '');
  else send(res, 200, 'text/xml', twiml);
}

/** The app's own verification probe (signed with our token like Twilio's) never touches a call. */
function probe(probes: ProbeBook, form: Form): string | typeof UNKNOWN_PROBE | undefined {
  const nonce = form['ShukudenProbe'];
  if (nonce === undefined) return undefined;
  if (!probes.knows(nonce)) return UNKNOWN_PROBE;
  return renderTwiml([{ kind: 'say', text: probeAnswer(nonce) }, { kind: 'hangup' }]);
}

/** Runs `handler` for the call the form names; undefined when its SIDs are malformed (400, no details). */
function called(form: Form, handler: (incoming: IncomingCall) => Answer | Promise<Answer>): Answer | Promise<Answer> {
  const incoming = incomingOf(form);
  return incoming ? handler(incoming) : undefined;
}

/** Runs `handler` on the validated form; undefined when the form is malformed (400, no details). */
function parsed<S extends z.ZodType>(schema: S, form: Form, handler: (params: z.infer<S>) => Answer | Promise<Answer>): Answer | Promise<Answer> {
  const result = schema.safeParse(form);
  return result.success ? handler(result.data) : undefined;
}

/** The posted form with our own `take` query parameter, as `flowEventOf` reads it. */
function webhookForm(form: Form, query: URLSearchParams): WebhookForm {
  const take = query.get('take');
  return take === null ? form : { ...form, take };
}

/** Reads a urlencoded body (other types read as empty, as a form parser would skip them). */
function readForm(req: IncomingMessage, done: (problem: 400 | 413 | null, form: Form) => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return done(413, {});
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES && !finished) {
      finished = true;
      done(413, {});
    }
    if (!finished) chunks.push(chunk);
  });
  req.on('error', () => {
    if (finished) return;
    finished = true;
    done(400, {});
  });
  req.on('end', () => {
    if (finished) return;
    finished = true;
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return done(null, {});
    const fields = new Map<string, string>();
    let count = 0;
    for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
      // The first value of a repeated key, as a simple form parser keeps it.
      if (++count > MAX_PARAMETERS) return done(413, {});
      if (!fields.has(key)) fields.set(key, value);
    }
    // Own data properties only (`__proto__` included, never the prototype), and a plain object:
    // every later read (signature, zod) is faster than on a prototype-less dictionary.
    done(null, Object.fromEntries(fields));
  });
}

function send(res: ServerResponse, status: number, type: string | null, body: string): void {
  const headers: Record<string, string | number> = type ? { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body) } : {};
  res.writeHead(status, headers).end(body);
}
