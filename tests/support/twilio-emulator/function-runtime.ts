import { createRequire, isBuiltin } from 'node:module';
import { extname } from 'node:path';
import { createContext, runInContext, type Context } from 'node:vm';
import twilio from 'twilio';
import { createTwilioClient } from '../../../server/twilio/client.ts';
import type { ResolvedAccount } from './records.ts';
import { RuntimeResponse } from './runtime-response.ts';
import type { EmulatedBuild, EmulatedDeployment, EmulatedEnvironment, EmulatedService, EmulatedVersion } from './serverless-records.ts';
import { RUNTIME_DOMAIN, type ServerlessStore } from './serverless-store.ts';

/**
 * Where the emulator serves Functions domains: `https://x.twil.io/p?q` is answered at
 * `{emulator}/__twil.io__/x.twil.io/p?q` (the emulator's own DNS, see `routeToRuntime`).
 */
export const RUNTIME_PREFIX = '/__twil.io__';

/** Twilio's limit on one function invocation. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** A request for a Functions domain, as the runtime receives it. */
export interface RuntimeRequest {
  readonly method: string;
  readonly domain: string;
  readonly pathname: string;
  readonly search: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface RuntimeReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** One request a Functions domain answered, for tests to check what the hosted line did. */
export interface RuntimeLogEntry {
  readonly method: string;
  /** e.g. https://shukuden-line-1234-live.twil.io/twilio/voice?s=… */
  readonly url: string;
  readonly status: number;
}

type Handler = (context: Record<string, unknown>, event: Record<string, unknown>, callback: (error?: unknown, payload?: unknown) => void) => unknown;

/** One deployment running: its own vm context (globals are per deployment, as in a fresh container) and loaded modules. */
interface RunningApp {
  readonly context: Context;
  readonly handlers: Map<string, Handler>;
}

/** `https://x.twil.io/…` → the emulator's runtime path for it; other URLs are left alone. */
export function routeToRuntime(url: URL, emulatorUrl: string): URL {
  if (!url.hostname.endsWith(`.${RUNTIME_DOMAIN}`)) return url;
  return new URL(`${RUNTIME_PREFIX}/${url.hostname}${url.pathname}${url.search}`, emulatorUrl);
}

/**
 * Runs deployed Functions the way Twilio's runtime does: each function's source is a
 * CommonJS module exporting `handler(context, event, callback)`, evaluated with `node:vm`
 * in a fresh context per deployment with the globals Twilio provides (`Twilio.Response`,
 * `Runtime`). `event` is the query plus the form; protected functions and assets need a
 * valid X-Twilio-Signature for their public URL (400 otherwise, as Twilio's Functions Gateway
 * documents); assets are served as uploaded.
 */
export class FunctionRuntime {
  readonly #store: ServerlessStore;
  readonly #account: (sid: string) => ResolvedAccount | undefined;
  readonly #apiBase: () => string;
  readonly #timeoutMs: number;
  readonly #apps = new Map<string, RunningApp>();
  readonly #log: RuntimeLogEntry[] = [];

  constructor(options: {
    readonly store: ServerlessStore;
    readonly account: (sid: string) => ResolvedAccount | undefined;
    readonly apiBase: () => string;
    readonly timeoutMs?: number;
  }) {
    this.#store = options.store;
    this.#account = options.account;
    this.#apiBase = options.apiBase;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get requests(): readonly RuntimeLogEntry[] {
    return [...this.#log];
  }

  async handle(request: RuntimeRequest): Promise<RuntimeReply> {
    const reply = await this.#answer(request);
    this.#log.push({ method: request.method, url: `https://${request.domain}${request.pathname}${request.search}`, status: reply.status });
    return reply;
  }

  async #answer(request: RuntimeRequest): Promise<RuntimeReply> {
    const environment = this.#store.environmentByDomain(request.domain);
    const deployment = environment ? this.#store.liveDeployment(environment.sid) : undefined;
    const build = deployment ? this.#store.build(deployment.serviceSid, deployment.buildSid) : undefined;
    const service = environment ? this.#store.service(environment.accountSid, environment.serviceSid) : undefined;
    const account = service ? this.#account(service.accountSid) : undefined;
    if (!environment || !deployment || !build || !service || !account) return text(404, 'Not Found');
    const version = [...build.functionVersions, ...build.assetVersions]
      .map((sid) => this.#store.version(sid))
      .find((v): v is EmulatedVersion => v !== undefined && v.path === request.pathname);
    if (!version) return text(404, 'Not Found');
    const form = isForm(request) ? Object.fromEntries(new URLSearchParams(request.body.toString('utf8'))) : {};
    switch (version.visibility) {
      case 'private':
        return text(403, 'Forbidden');
      case 'protected': {
        const signature = header(request, 'x-twilio-signature');
        const url = `https://${request.domain}${request.pathname}${request.search}`;
        if (!signature || !twilio.validateRequest(account.authToken, signature, url, request.method === 'POST' ? form : {})) return text(400, 'Bad Request');
        break;
      }
      case 'public':
        break;
      default:
        version.visibility satisfies never;
    }
    if (version.kind === 'asset') return { status: 200, headers: { 'content-type': assetType(version) }, body: version.content };
    const event = { ...Object.fromEntries(new URLSearchParams(request.search)), ...form, request: { headers: { ...request.headers }, cookies: {} } };
    return this.#invoke({ environment, deployment, build, service, account, version }, event);
  }

  async #invoke(
    app: {
      readonly environment: EmulatedEnvironment;
      readonly deployment: EmulatedDeployment;
      readonly build: EmulatedBuild;
      readonly service: EmulatedService;
      readonly account: ResolvedAccount;
      readonly version: EmulatedVersion;
    },
    event: Record<string, unknown>,
  ): Promise<RuntimeReply> {
    let handler: Handler;
    try {
      handler = this.#handler(app.deployment, app.build, app.version);
    } catch (error) {
      return text(500, `Function failed to load: ${(error as Error).message}`);
    }
    const credentials = app.service.includeCredentials ? { ACCOUNT_SID: app.account.sid, AUTH_TOKEN: app.account.authToken } : { ACCOUNT_SID: app.account.sid };
    const context = {
      ...credentials,
      DOMAIN_NAME: app.environment.domainName,
      PATH: app.version.path,
      SERVICE_SID: app.service.sid,
      ENVIRONMENT_SID: app.environment.sid,
      getTwilioClient: () => {
        if (!app.service.includeCredentials) throw new Error('context.getTwilioClient() needs the service to include credentials (IncludeCredentials)');
        return createTwilioClient({ accountSid: app.account.sid, authToken: app.account.authToken }, this.#apiBase());
      },
    };
    return new Promise<RuntimeReply>((resolve) => {
      let done = false;
      const finish = (reply: RuntimeReply) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(reply);
      };
      // Twilio stops a function that has not called back in time.
      const timer = setTimeout(() => finish(text(504, 'Function timed out (Twilio error 82002)')), this.#timeoutMs);
      const callback = (error?: unknown, payload?: unknown) => finish(error ? text(500, errorText(error)) : toReply(payload));
      try {
        const result = handler(context, event, callback);
        // An async handler that throws is a failed invocation.
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, (error: unknown) => callback(error));
      } catch (error) {
        callback(error);
      }
    });
  }

  #handler(deployment: EmulatedDeployment, build: EmulatedBuild, version: EmulatedVersion): Handler {
    let app = this.#apps.get(deployment.sid);
    if (!app) {
      app = { context: createContext(this.#globals(build)), handlers: new Map() };
      this.#apps.set(deployment.sid, app);
    }
    const cached = app.handlers.get(version.sid);
    if (cached) return cached;
    const wrapper = runInContext(`(function (exports, require, module, __filename, __dirname) {${version.content.toString('utf8')}\n})`, app.context, {
      filename: version.path,
    }) as (exports: unknown, require: (name: string) => unknown, module: { exports: Record<string, unknown> }, filename: string, dirname: string) => void;
    const module: { exports: Record<string, unknown> } = { exports: {} };
    wrapper(module.exports, this.#require(build), module, version.path, '/');
    const handler = module.exports['handler'];
    if (typeof handler !== 'function') throw new Error(`${version.path} does not export a handler function`);
    app.handlers.set(version.sid, handler as Handler);
    return handler as Handler;
  }

  /** What Twilio's runtime puts in a function's global scope. */
  #globals(build: EmulatedBuild): Record<string, unknown> {
    // The runtime handler builds the `Twilio` global from the build's own `twilio` package
    // (constructGlobalScope in serverless-toolkit's runtime-handler/src/dev-runtime/route.ts).
    if (!build.dependencies.some((d) => d.name === 'twilio')) throw new Error("Cannot find module 'twilio' (the build's Dependencies must include twilio)");
    const versions = [...build.functionVersions, ...build.assetVersions].map((sid) => this.#store.version(sid)).filter((v): v is EmulatedVersion => v !== undefined);
    const runtime = {
      getAssets: () =>
        Object.fromEntries(versions.filter((v) => v.kind === 'asset').map((v) => [v.path, { path: v.path, open: () => v.content.toString('utf8') }])),
      getFunctions: () => Object.fromEntries(versions.filter((v) => v.kind === 'function').map((v) => [v.path.slice(1), { path: v.path }])),
    };
    return {
      Twilio: { twiml: twilio.twiml, Response: RuntimeResponse },
      Runtime: runtime,
      // Twilio's runtime also exposes its Response class as a bare global.
      Response: RuntimeResponse,
      console,
      process: { env: {}, version: process.version, versions: process.versions, nextTick: process.nextTick },
      Buffer,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      AbortController,
      AbortSignal,
      fetch,
      Headers,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      setImmediate,
      clearImmediate,
      queueMicrotask,
      structuredClone,
    };
  }

  /** Node's built-in modules, and the build's dependencies the emulator can provide (only `twilio`). */
  #require(build: EmulatedBuild): (name: string) => unknown {
    const host = createRequire(import.meta.url);
    const allowed = new Set<string>(build.dependencies.map((d) => d.name).filter((name) => name === 'twilio'));
    return (name: string) => {
      if (isBuiltin(name) || allowed.has(name)) return host(name);
      throw new Error(`Cannot find module '${name}' (not a Node built-in, and not a dependency of the build)`);
    };
  }
}

function isForm(request: RuntimeRequest): boolean {
  return request.method === 'POST' && (header(request, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
}

function header(request: RuntimeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function text(status: number, body: string): RuntimeReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(body, 'utf8') };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** How Twilio's runtime answers what a handler called back with. */
function toReply(payload: unknown): RuntimeReply {
  if (payload instanceof RuntimeResponse) return payload.toReply();
  if (typeof payload === 'string') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(payload, 'utf8') };
  if (payload instanceof twilio.twiml.VoiceResponse) return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(payload.toString(), 'utf8') };
  if (payload === undefined || payload === null) return { status: 200, headers: {}, body: Buffer.alloc(0) };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(payload), 'utf8') };
}

/** Twilio serves assets by their file extension. */
function assetType(version: EmulatedVersion): string {
  if (version.contentType !== 'application/octet-stream') return version.contentType;
  switch (extname(version.path).toLowerCase()) {
    case '.mp3':
      return 'audio/mpeg';
    case '.wav':
      return 'audio/wav';
    case '.js':
      return 'application/javascript';
    case '.json':
      return 'application/json';
    case '.html':
      return 'text/html';
    default:
      return 'application/octet-stream';
  }
}
