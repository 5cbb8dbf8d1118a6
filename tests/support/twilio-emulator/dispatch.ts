import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { accountFromHeader, authenticate } from './auth.ts';
import type { FaultBook } from './faults.ts';
import { notFound, readBody, type Reply, send, sleep, twilioError } from './http-io.ts';
import type { FunctionRuntime } from './function-runtime.ts';
import { RUNTIME_PREFIX } from './function-runtime.ts';
import { MEDIA_PATH, mediaFormat, mediaReply, type Mp3Cache } from './media.ts';
import { answerPricing, type EmulatedSmsCountry, PRICING_PATH } from './pricing.ts';
import { matchRoute, type RouteMatch } from './rest-routes.ts';
import { answerUpload, matchServerlessRoute, UPLOAD_PATH } from './serverless-routes.ts';
import type { ServerlessStore } from './serverless-store.ts';
import type { EmulatorStore } from './store.ts';

/** One REST request the emulator answered, for checking the app's calls against the spec. */
export interface EmulatedRequest {
  readonly method: string;
  /** The pathname, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly form: Readonly<Record<string, string>>;
  /** 0 when the connection was dropped (or is still being answered). */
  readonly status: number;
  /** The JSON body answered, if any. */
  readonly json?: unknown;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What answering a request needs from the emulator. */
export interface DispatchContext {
  readonly store: EmulatorStore;
  readonly serverless: ServerlessStore;
  /** SMS prices per ISO country, for the Pricing API. */
  readonly smsPrices: ReadonlyMap<string, EmulatedSmsCountry>;
  /** Answers requests for Functions domains (`*.twil.io`), which the emulator serves under RUNTIME_PREFIX. */
  readonly runtime: FunctionRuntime;
  readonly faults: FaultBook;
  readonly mp3: Mp3Cache;
  /** Takes the log entry, which is completed once the request is answered. */
  readonly log: (entry: Mutable<EmulatedRequest>) => void;
  /** The emulator's base URL, for `media_url`. */
  readonly apiBase: string;
  /** Aborted when the emulator stops, to cut injected waits short. */
  readonly signal: AbortSignal;
}

const WWW_AUTHENTICATE = { 'www-authenticate': 'Basic realm="Twilio API"' };

/** Version uploads carry whole audio prompts; Twilio's REST parameters are otherwise small. */
const UPLOAD_LIMIT = 25 * 1024 * 1024;

/**
 * Answers one request in Twilio's order of business: injected request faults first (they
 * stand for the network and Twilio's front door), then routing, basic auth, parameter
 * checks and the operation; a media body may then be shaped by a body fault.
 */
export async function dispatch(ctx: DispatchContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req, UPLOAD_PATH.test(url.pathname) ? UPLOAD_LIMIT : undefined);
  if (url.pathname.startsWith(`${RUNTIME_PREFIX}/`)) {
    await answerRuntime(ctx, req, res, url, body);
    return;
  }
  const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(body.toString('utf8')))
    : {};
  const entry: Mutable<EmulatedRequest> = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), form, status: 0 };
  ctx.log(entry);

  const reply = await answer(ctx, req, entry, body);
  if (reply === null) {
    req.socket.destroy();
    return;
  }
  entry.status = reply.kind === 'json' ? reply.status : reply.kind === 'no-content' ? 204 : 200;
  if (reply.kind === 'json') entry.json = reply.body;
  const bodyFault = reply.kind === 'media' ? ctx.faults.takeBodyFault(method, url.pathname) : null;
  await send(res, reply, bodyFault, ctx.signal);
}

/** The reply to a request, or null to drop the connection. */
async function answer(ctx: DispatchContext, req: IncomingMessage, request: EmulatedRequest, body: Buffer): Promise<Reply | null> {
  const unreadableBody = body.length > 0 && Object.keys(request.form).length === 0;
  const fault = ctx.faults.takeRequestFault(request.method, request.path);
  switch (fault?.kind) {
    case undefined:
      break;
    case 'status':
      return twilioError(fault.status, 20500, STATUS_CODES[fault.status] ?? 'Error');
    case 'error':
      return twilioError(fault.status, fault.code, fault.message);
    case 'rate-limit':
      return twilioError(429, 20429, 'Too Many Requests', { 'retry-after': String(fault.retryAfterSeconds) });
    case 'slow':
      await sleep(fault.ms, ctx.signal);
      break;
    case 'drop':
      return null;
    default:
      fault satisfies never;
  }

  const media = request.method === 'GET' ? MEDIA_PATH.exec(request.path)?.groups : undefined;
  if (media) return answerMedia(ctx, req, request.path, media);
  if (PRICING_PATH.test(request.path)) {
    // Pricing has no account in the path either: basic auth names it.
    const account = accountFromHeader(req.headers.authorization, ctx.store.accounts);
    return deny(ctx, req, account?.sid ?? '', false) ?? answerPricing(ctx.smsPrices, request, ctx.apiBase);
  }
  if (request.path.startsWith('/v1/')) return answerServerless(ctx, req, request, body, unreadableBody);

  const route = matchRoute(request.method, request.path);
  if (!route) return notFound(request.path);
  const isAccount = route.operation.operationId === 'FetchAccount';
  const denied = deny(ctx, req, route.accountSid, isAccount, isAccount);
  return denied ?? answerRest(ctx, route, request, unreadableBody);
}

function answerRest(ctx: DispatchContext, route: RouteMatch, request: EmulatedRequest, unreadableBody: boolean): Reply {
  const account = ctx.store.account(route.accountSid);
  if (!account) return notFound(request.path); // unreachable: deny() checked it
  // Stricter than Twilio, which ignores unknown parameters (warning 20001): a misspelt
  // parameter in the app should fail its tests, not silently do nothing.
  const unknown = Object.keys(request.query).find((name) => route.operation.method === 'POST' || !route.operation.params.includes(name));
  if (unknown !== undefined) return twilioError(400, 20001, `Unknown parameter: ${unknown}`);
  if (unreadableBody) return twilioError(400, 20001, 'Twilio takes parameters form-encoded (application/x-www-form-urlencoded)');
  return route.handle({
    store: ctx.store,
    account,
    pathParams: route.pathParams,
    query: request.query,
    form: request.form,
    pathname: request.path,
    apiBase: ctx.apiBase,
  });
}

/**
 * The Serverless v1 API (and its upload host): no account in the path, so the account is the
 * one basic auth names (its SID, or one of its API keys).
 */
async function answerServerless(ctx: DispatchContext, req: IncomingMessage, request: EmulatedRequest, body: Buffer, unreadableBody: boolean): Promise<Reply> {
  const account = accountFromHeader(req.headers.authorization, ctx.store.accounts);
  const denied = deny(ctx, req, account?.sid ?? '', false);
  if (denied || !account) return denied ?? twilioError(401, 20003, 'Authenticate', WWW_AUTHENTICATE);
  const base = { store: ctx.serverless, account, pathname: request.path, origin: ctx.apiBase, now: Date.now() };
  const upload = request.method === 'POST' ? UPLOAD_PATH.exec(request.path)?.groups : undefined;
  if (upload) return answerUpload(base, upload, body, String(req.headers['content-type'] ?? ''));
  const route = matchServerlessRoute(request.method, request.path);
  if (!route) return notFound(request.path);
  const declared: readonly string[] = route.operation.params;
  const unknown =
    Object.keys(request.query).find((name) => route.operation.method === 'POST' || !declared.includes(name)) ??
    Object.keys(request.form).find((name) => !declared.includes(name));
  if (unknown !== undefined) return twilioError(400, 20001, `Unknown parameter: ${unknown}`);
  if (unreadableBody) return twilioError(400, 20001, 'Twilio takes parameters form-encoded (application/x-www-form-urlencoded)');
  return route.handle({ ...base, pathParams: route.pathParams, query: request.query, form: new URLSearchParams(body.toString('utf8')) });
}

/** A request for a Functions domain: answered by the runtime, outside the REST log. */
async function answerRuntime(ctx: DispatchContext, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
  const rest = url.pathname.slice(RUNTIME_PREFIX.length + 1);
  const slash = rest.indexOf('/');
  const domain = slash < 0 ? rest : rest.slice(0, slash);
  const pathname = slash < 0 ? '/' : rest.slice(slash);
  const reply = await ctx.runtime.handle({ method: (req.method ?? 'GET').toUpperCase(), domain, pathname, search: url.search, headers: req.headers, body });
  res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.length }).end(reply.body);
}

async function answerMedia(ctx: DispatchContext, req: IncomingMessage, pathname: string, match: Readonly<Record<string, string | undefined>>): Promise<Reply> {
  const accountSid = match['account'] ?? '';
  const denied = deny(ctx, req, accountSid, false);
  if (denied) return denied;
  const recording = ctx.store.recording(match['sid'] ?? '');
  if (!recording || recording.accountSid !== accountSid || recording.deleted || Date.now() < recording.availableAt) return notFound(pathname);
  return mediaReply(recording, mediaFormat(match['ext']), ctx.mp3);
}

/** Twilio's 401s, or null when the request may go on. */
function deny(ctx: DispatchContext, req: IncomingMessage, accountSid: string, allowInactive: boolean, accountResource = false): Reply | null {
  const result = authenticate(req.headers.authorization, ctx.store.account(accountSid), { allowInactive, accountResource });
  switch (result) {
    case 'ok':
      return null;
    case 'bad-credentials':
      return twilioError(401, 20003, 'Authenticate', WWW_AUTHENTICATE);
    case 'key-not-allowed':
      // The HTTP status for this case is not documented; 20003 is what Twilio answers.
      return twilioError(401, 20003, 'Authenticate', WWW_AUTHENTICATE);
    case 'inactive-account':
      return twilioError(401, 20005, 'Account not active', WWW_AUTHENTICATE);
    default:
      return result satisfies never;
  }
}
