import { notFound, type Reply, twilioError } from './http-io.ts';
import { NUMBER_UPDATE_FIELDS, parseNumberUpdate } from './number-update.ts';
import { pageJson, parsePageParams } from './paging.ts';
import type { EmulatedNumber, ResolvedAccount } from './records.ts';
import { RECORDING_FILTERS, recordingFilter } from './recording-filters.ts';
import { MESSAGE_CREATE_FIELDS, messageJson } from './messages.ts';
import type { EmulatorStore } from './store.ts';
import { accountJson, balanceJson, callJson, numberJson, recordingJson } from './twilio-json.ts';

/** One REST operation the emulator serves, named as in Twilio's OpenAPI spec. */
export interface EmulatedOperation {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** The spec's path template. */
  readonly path: string;
  readonly operationId: string;
  /** Query (GET, DELETE) or form (POST) parameters the emulator accepts; anything else is a 400. */
  readonly params: readonly string[];
}

const PAGING = ['PageSize', 'Page', 'PageToken'] as const;

/** Every REST operation the emulator serves. Recording media (.wav/.mp3) is served too, but is not part of the spec. */
export const EMULATED_OPERATIONS = [
  { method: 'GET', path: '/2010-04-01/Accounts/{Sid}.json', operationId: 'FetchAccount', params: [] },
  { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Balance.json', operationId: 'FetchBalance', params: [] },
  {
    method: 'GET',
    path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json',
    operationId: 'ListIncomingPhoneNumber',
    params: ['PhoneNumber', 'FriendlyName', ...PAGING],
  },
  { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json', operationId: 'FetchIncomingPhoneNumber', params: [] },
  {
    method: 'POST',
    path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json',
    operationId: 'UpdateIncomingPhoneNumber',
    params: NUMBER_UPDATE_FIELDS,
  },
  { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json', operationId: 'FetchCall', params: [] },
  { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Recordings.json', operationId: 'ListRecording', params: [...RECORDING_FILTERS, ...PAGING] },
  { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json', operationId: 'FetchRecording', params: [] },
  { method: 'DELETE', path: '/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json', operationId: 'DeleteRecording', params: [] },
  { method: 'POST', path: '/2010-04-01/Accounts/{AccountSid}/Messages.json', operationId: 'CreateMessage', params: MESSAGE_CREATE_FIELDS },
  { method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json', operationId: 'FetchMessage', params: [] },
] as const satisfies readonly EmulatedOperation[];

type OperationId = (typeof EMULATED_OPERATIONS)[number]['operationId'];

/** What a handler gets: the authenticated account and the parsed request. */
export interface RouteContext {
  readonly store: EmulatorStore;
  readonly account: ResolvedAccount;
  readonly pathParams: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly form: Readonly<Record<string, string>>;
  readonly pathname: string;
  /** The emulator's base URL, for `media_url`. */
  readonly apiBase: string;
}

type Handler = (ctx: RouteContext) => Reply;

const HANDLERS: { readonly [K in OperationId]: Handler } = {
  FetchAccount: (ctx) => json(accountJson(ctx.account)),
  FetchBalance: (ctx) => json(balanceJson(ctx.account)),
  ListIncomingPhoneNumber: listNumbers,
  FetchIncomingPhoneNumber: (ctx) => {
    const number = ownNumber(ctx);
    return number ? json(numberJson(number)) : notFound(ctx.pathname);
  },
  UpdateIncomingPhoneNumber: (ctx) => {
    const number = ownNumber(ctx);
    if (!number) return notFound(ctx.pathname);
    const changes = parseNumberUpdate(ctx.form, number);
    if ('code' in changes) return twilioError(400, changes.code, changes.message);
    return json(numberJson(ctx.store.updateNumber(number.sid, changes)));
  },
  FetchCall: (ctx) => {
    const call = ctx.store.call(ctx.pathParams['Sid'] ?? '');
    return call && call.accountSid === ctx.account.sid ? json(callJson(call)) : notFound(ctx.pathname);
  },
  ListRecording: listRecordings,
  FetchRecording: (ctx) => {
    const recording = ownRecording(ctx);
    return recording ? json(recordingJson(recording, ctx.apiBase, Date.now())) : notFound(ctx.pathname);
  },
  CreateMessage: (ctx) => ctx.store.messages.create(ctx.account, ctx.form, ctx.store.numberByPhone(ctx.form['From'] ?? '')),
  FetchMessage: (ctx) => {
    const message = ctx.store.messages.get(ctx.pathParams['Sid'] ?? '');
    return message && message.accountSid === ctx.account.sid ? json(messageJson(message)) : notFound(ctx.pathname);
  },
  DeleteRecording: (ctx) => {
    const recording = ownRecording(ctx);
    if (!recording) return notFound(ctx.pathname);
    ctx.store.deleteRecording(recording.sid);
    return { kind: 'no-content' };
  },
};

/** A request matched to an operation, with the account SID its path names. */
export interface RouteMatch {
  readonly operation: EmulatedOperation;
  readonly accountSid: string;
  readonly pathParams: Readonly<Record<string, string>>;
  readonly handle: Handler;
}

const ROUTES = EMULATED_OPERATIONS.map((operation) => ({ operation, pattern: templatePattern(operation.path), handle: HANDLERS[operation.operationId] }));

/** The emulated operation serving `method` on `pathname`, with its path parameters, or null. */
export function matchRoute(method: string, pathname: string): RouteMatch | null {
  for (const route of ROUTES) {
    if (route.operation.method !== method) continue;
    const groups = route.pattern.exec(pathname)?.groups;
    if (!groups) continue;
    const pathParams = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, safeDecode(v)]));
    return { operation: route.operation, accountSid: pathParams['AccountSid'] ?? pathParams['Sid'] ?? '', pathParams, handle: route.handle };
  }
  return null;
}

/** A malformed escape is left as it is: it names no resource, so the route answers 404. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `/Accounts/{AccountSid}/Calls/{Sid}.json` → a RegExp with named groups. */
export function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? `(?<${part.slice(1, -1)}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function json(body: unknown): Reply {
  return { kind: 'json', status: 200, body };
}

function badParameter(name: string): Reply {
  return twilioError(400, 20001, `Invalid value for parameter ${name}`);
}

function ownNumber(ctx: RouteContext): EmulatedNumber | undefined {
  const number = ctx.store.number(ctx.pathParams['Sid'] ?? '');
  return number?.accountSid === ctx.account.sid ? number : undefined;
}

function ownRecording(ctx: RouteContext) {
  const recording = ctx.store.recording(ctx.pathParams['Sid'] ?? '');
  return recording && recording.accountSid === ctx.account.sid && !recording.deleted ? recording : undefined;
}

function pick(query: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (query[name] === undefined ? [] : [[name, query[name]]])));
}

function listNumbers(ctx: RouteContext): Reply {
  const params = parsePageParams(ctx.query);
  if (typeof params === 'string') return badParameter(params);
  const { PhoneNumber: phone, FriendlyName: friendlyName } = ctx.query;
  // Twilio matches partial numbers, with `*` standing for any digit.
  const phonePattern = phone === undefined ? null : new RegExp(phone.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '\\d' : `\\${c}`)));
  const all = ctx.store
    .numbersOf(ctx.account.sid)
    .filter((n) => (phonePattern === null || phonePattern.test(n.phoneNumber)) && (friendlyName === undefined || n.friendlyName === friendlyName));
  const page = pageJson(
    {
      all,
      visible: () => true,
      sidOf: (n) => n.sid,
      toJson: numberJson,
      path: ctx.pathname,
      filters: pick(ctx.query, ['PhoneNumber', 'FriendlyName']),
      key: 'incoming_phone_numbers',
    },
    params,
  );
  return page ? json(page) : badParameter('PageToken');
}

function listRecordings(ctx: RouteContext): Reply {
  const params = parsePageParams(ctx.query);
  if (typeof params === 'string') return badParameter(params);
  const filter = recordingFilter(ctx.query);
  if (typeof filter === 'string') return badParameter(filter);
  const now = Date.now();
  const page = pageJson(
    {
      all: ctx.store.recordingsOf(ctx.account.sid).filter(filter),
      visible: (r) => !r.deleted,
      sidOf: (r) => r.sid,
      toJson: (r) => recordingJson(r, ctx.apiBase, now),
      path: ctx.pathname,
      filters: pick(ctx.query, RECORDING_FILTERS),
      key: 'recordings',
    },
    params,
  );
  return page ? json(page) : badParameter('PageToken');
}
