import { notFound, type Reply, twilioError } from './http-io.ts';
import { refuseBuild } from './functions-versions.ts';
import { pageJsonV1, parsePageParams } from './paging.ts';
import type { ResolvedAccount } from './records.ts';
import { type EmulatedOperation, safeDecode, templatePattern } from './rest-routes.ts';
import { buildJson, buildStatusJson, deploymentJson, environmentJson, resourceJson, serviceJson, versionJson } from './serverless-json.ts';
import type { Dependency, EmulatedResource, EmulatedService, Visibility } from './serverless-records.ts';
import { isServerlessError, type ServerlessError, type ServerlessStore } from './serverless-store.ts';

const PAGING = ['PageSize', 'Page', 'PageToken'] as const;

/** Runtimes Twilio's spec lists for a build. */
const RUNTIMES = ['node8', 'node10', 'node12', 'node14', 'node16', 'node18', 'node20', 'node22'] as const;

/** The Serverless v1 operations the emulator serves (the subset Shukuden's always-on line uses). */
export const SERVERLESS_OPERATIONS = [
  { method: 'GET', path: '/v1/Services', operationId: 'ListService', params: PAGING },
  { method: 'POST', path: '/v1/Services', operationId: 'CreateService', params: ['UniqueName', 'FriendlyName', 'IncludeCredentials', 'UiEditable'] },
  { method: 'GET', path: '/v1/Services/{Sid}', operationId: 'FetchService', params: [] },
  { method: 'POST', path: '/v1/Services/{Sid}', operationId: 'UpdateService', params: ['IncludeCredentials', 'FriendlyName', 'UiEditable'] },
  { method: 'DELETE', path: '/v1/Services/{Sid}', operationId: 'DeleteService', params: [] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Environments', operationId: 'ListEnvironment', params: PAGING },
  { method: 'POST', path: '/v1/Services/{ServiceSid}/Environments', operationId: 'CreateEnvironment', params: ['UniqueName', 'DomainSuffix'] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Environments/{Sid}', operationId: 'FetchEnvironment', params: [] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Functions', operationId: 'ListFunction', params: PAGING },
  { method: 'POST', path: '/v1/Services/{ServiceSid}/Functions', operationId: 'CreateFunction', params: ['FriendlyName'] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Assets', operationId: 'ListAsset', params: PAGING },
  { method: 'POST', path: '/v1/Services/{ServiceSid}/Assets', operationId: 'CreateAsset', params: ['FriendlyName'] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Builds', operationId: 'ListBuild', params: PAGING },
  { method: 'POST', path: '/v1/Services/{ServiceSid}/Builds', operationId: 'CreateBuild', params: ['AssetVersions', 'FunctionVersions', 'Dependencies', 'Runtime'] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Builds/{Sid}', operationId: 'FetchBuild', params: [] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Builds/{Sid}/Status', operationId: 'FetchBuildStatus', params: [] },
  { method: 'GET', path: '/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Deployments', operationId: 'ListDeployment', params: PAGING },
  { method: 'POST', path: '/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Deployments', operationId: 'CreateDeployment', params: ['BuildSid'] },
] as const satisfies readonly EmulatedOperation[];

type OperationId = (typeof SERVERLESS_OPERATIONS)[number]['operationId'];

/**
 * Uploading a version is not in the spec: Twilio takes it as multipart/form-data on its own
 * host (serverless-upload.twilio.com) at the path of the version list. The answer is the
 * version's JSON, as FetchFunctionVersion / FetchAssetVersion would give it.
 */
export const UPLOAD_PATH = /^\/v1\/Services\/(?<service>[^/]+)\/(?<kind>Functions|Assets)\/(?<sid>ZH[0-9a-fA-F]{32})\/Versions$/;

export interface ServerlessContext {
  readonly store: ServerlessStore;
  readonly account: ResolvedAccount;
  readonly pathParams: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The form with repeated keys kept (FunctionVersions, AssetVersions). */
  readonly form: URLSearchParams;
  readonly pathname: string;
  /** The emulator's origin, for `url` and `links`. */
  readonly origin: string;
  readonly now: number;
}

type Handler = (ctx: ServerlessContext) => Reply;

const HANDLERS: { readonly [K in OperationId]: Handler } = {
  ListService: (ctx) => list(ctx, ctx.store.servicesOf(ctx.account.sid), 'services', (s) => serviceJson(s, ctx.origin)),
  CreateService: (ctx) => {
    const uniqueName = ctx.form.get('UniqueName');
    const friendlyName = ctx.form.get('FriendlyName');
    if (!uniqueName || !friendlyName) return twilioError(400, 21201, 'UniqueName and FriendlyName are required');
    const includeCredentials = bool(ctx.form, 'IncludeCredentials', true);
    const uiEditable = bool(ctx.form, 'UiEditable', false);
    if (includeCredentials === null || uiEditable === null) return twilioError(400, 20001, 'IncludeCredentials and UiEditable must be true or false');
    return created(ctx.store.createService(ctx.account.sid, { uniqueName, friendlyName, includeCredentials, uiEditable }), (s) => serviceJson(s, ctx.origin));
  },
  FetchService: (ctx) => withService(ctx, 'Sid', (s) => json(serviceJson(s, ctx.origin))),
  UpdateService: (ctx) =>
    withService(ctx, 'Sid', (s) => {
      const includeCredentials = bool(ctx.form, 'IncludeCredentials', s.includeCredentials);
      const uiEditable = bool(ctx.form, 'UiEditable', s.uiEditable);
      if (includeCredentials === null || uiEditable === null) return twilioError(400, 20001, 'IncludeCredentials and UiEditable must be true or false');
      const friendlyName = ctx.form.get('FriendlyName') ?? s.friendlyName;
      return json(serviceJson(ctx.store.updateService(s.sid, { includeCredentials, uiEditable, friendlyName }), ctx.origin));
    }),
  DeleteService: (ctx) =>
    withService(ctx, 'Sid', (s) => {
      ctx.store.deleteService(s.sid);
      return { kind: 'no-content' };
    }),
  ListEnvironment: (ctx) => withService(ctx, 'ServiceSid', (s) => list(ctx, ctx.store.environmentsOf(s.sid), 'environments', (e) => environmentJson(e, ctx.origin))),
  CreateEnvironment: (ctx) =>
    withService(ctx, 'ServiceSid', (s) => {
      const uniqueName = ctx.form.get('UniqueName');
      if (!uniqueName) return twilioError(400, 21201, 'UniqueName is required');
      return created(ctx.store.createEnvironment(s, { uniqueName, domainSuffix: ctx.form.get('DomainSuffix') || null }), (e) => environmentJson(e, ctx.origin));
    }),
  FetchEnvironment: (ctx) =>
    withService(ctx, 'ServiceSid', (s) => {
      const environment = ctx.store.environment(s.sid, ctx.pathParams['Sid'] ?? '');
      return environment ? json(environmentJson(environment, ctx.origin)) : notFound(ctx.pathname);
    }),
  ListFunction: (ctx) => listResources(ctx, 'function'),
  CreateFunction: (ctx) => createResource(ctx, 'function'),
  ListAsset: (ctx) => listResources(ctx, 'asset'),
  CreateAsset: (ctx) => createResource(ctx, 'asset'),
  ListBuild: (ctx) =>
    withService(ctx, 'ServiceSid', (s) =>
      list(ctx, ctx.store.buildsOf(s.sid), 'builds', (b) => buildJson(b, (sid) => ctx.store.version(sid), ctx.origin, ctx.now)),
    ),
  CreateBuild: (ctx) =>
    withService(ctx, 'ServiceSid', (s) => {
      const dependencies = parseDependencies(ctx.form.get('Dependencies'));
      if (dependencies === null) return twilioError(400, 20001, 'Dependencies must be a JSON list of {"name", "version"}');
      const runtime = ctx.form.get('Runtime') ?? 'node22';
      if (!(RUNTIMES as readonly string[]).includes(runtime)) return twilioError(400, 20001, `Runtime must be one of ${RUNTIMES.join(', ')}`);
      const refused = refuseBuild(dependencies, runtime);
      if (refused) return twilioError(refused.status, refused.code, refused.message);
      const build = ctx.store.createBuild(s, {
        functionVersions: ctx.form.getAll('FunctionVersions'),
        assetVersions: ctx.form.getAll('AssetVersions'),
        dependencies,
        runtime,
      });
      return created(build, (b) => buildJson(b, (sid) => ctx.store.version(sid), ctx.origin, ctx.now));
    }),
  FetchBuild: (ctx) =>
    withService(ctx, 'ServiceSid', (s) => {
      const build = ctx.store.build(s.sid, ctx.pathParams['Sid'] ?? '');
      return build ? json(buildJson(build, (sid) => ctx.store.version(sid), ctx.origin, ctx.now)) : notFound(ctx.pathname);
    }),
  FetchBuildStatus: (ctx) =>
    withService(ctx, 'ServiceSid', (s) => {
      const build = ctx.store.build(s.sid, ctx.pathParams['Sid'] ?? '');
      return build ? json(buildStatusJson(build, ctx.origin, ctx.now)) : notFound(ctx.pathname);
    }),
  ListDeployment: (ctx) =>
    withService(ctx, 'ServiceSid', (s) => {
      const environment = ctx.store.environment(s.sid, ctx.pathParams['EnvironmentSid'] ?? '');
      if (!environment) return notFound(ctx.pathname);
      return list(ctx, ctx.store.deploymentsOf(environment.sid), 'deployments', (d) => deploymentJson(d, ctx.origin));
    }),
  CreateDeployment: (ctx) =>
    withService(ctx, 'ServiceSid', (s) => {
      const environment = ctx.store.environment(s.sid, ctx.pathParams['EnvironmentSid'] ?? '');
      if (!environment) return notFound(ctx.pathname);
      // Without a BuildSid Twilio deploys the latest build; Shukuden always names one.
      const buildSid = ctx.form.get('BuildSid') ?? ctx.store.buildsOf(s.sid).at(-1)?.sid ?? '';
      const build = ctx.store.build(s.sid, buildSid);
      if (!build) return twilioError(400, 20001, `Build ${buildSid} is not a build of this service`);
      return created(ctx.store.createDeployment(environment, build, ctx.now), (d) => deploymentJson(d, ctx.origin));
    }),
};

/** A request matched to a Serverless operation. */
export interface ServerlessMatch {
  readonly operation: EmulatedOperation;
  readonly pathParams: Readonly<Record<string, string>>;
  readonly handle: Handler;
}

const ROUTES = SERVERLESS_OPERATIONS.map((operation) => ({ operation, pattern: templatePattern(operation.path), handle: HANDLERS[operation.operationId] }));

export function matchServerlessRoute(method: string, pathname: string): ServerlessMatch | null {
  for (const route of ROUTES) {
    if (route.operation.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    // A path without parameters (/v1/Services) matches with no groups at all.
    const groups = match.groups ?? {};
    return { operation: route.operation, pathParams: Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, safeDecode(v)])), handle: route.handle };
  }
  return null;
}

/** POST of a new function or asset version (multipart: Content, Path, Visibility). */
export async function answerUpload(
  ctx: Omit<ServerlessContext, 'form' | 'pathParams' | 'query'>,
  match: Readonly<Record<string, string | undefined>>,
  body: Buffer,
  contentType: string,
): Promise<Reply> {
  const service = ctx.store.service(ctx.account.sid, match['service'] ?? '');
  if (!service) return notFound(ctx.pathname);
  const kind = match['kind'] === 'Functions' ? 'function' : 'asset';
  const resource = ctx.store.resource(service.sid, kind, match['sid'] ?? '');
  if (!resource) return notFound(ctx.pathname);
  if (!contentType.startsWith('multipart/form-data')) return twilioError(400, 20001, 'Upload a version as multipart/form-data');
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return twilioError(400, 20001, 'The multipart body could not be read');
  }
  const content = form.get('Content');
  const path = form.get('Path');
  const visibility = form.get('Visibility');
  if (content === null || typeof path !== 'string' || path === '' || typeof visibility !== 'string') {
    return twilioError(400, 21201, 'Content, Path and Visibility are required');
  }
  if (!isVisibility(visibility)) return twilioError(400, 20001, 'Visibility must be public, protected or private');
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(await content.arrayBuffer());
  const type = typeof content === 'string' ? 'text/plain' : content.type || 'application/octet-stream';
  const version = ctx.store.createVersion(resource, { path, visibility, content: bytes, contentType: type });
  return { kind: 'json', status: 201, body: versionJson(version, ctx.origin) };
}

function isVisibility(value: string): value is Visibility {
  return value === 'public' || value === 'protected' || value === 'private';
}

function json(body: unknown): Reply {
  return { kind: 'json', status: 200, body };
}

function created<T>(result: T | ServerlessError, toJson: (value: T) => unknown): Reply {
  if (isServerlessError(result)) return twilioError(result.status, result.code, result.message);
  return { kind: 'json', status: 201, body: toJson(result) };
}

function withService(ctx: ServerlessContext, param: 'Sid' | 'ServiceSid', then: (service: EmulatedService) => Reply): Reply {
  const service = ctx.store.service(ctx.account.sid, ctx.pathParams[param] ?? '');
  return service ? then(service) : notFound(ctx.pathname);
}

function list<T extends { readonly sid: string }>(ctx: ServerlessContext, all: readonly T[], key: string, toJson: (item: T) => unknown): Reply {
  const params = parsePageParams(ctx.query);
  if (typeof params === 'string') return twilioError(400, 20001, `Invalid value for parameter ${params}`);
  const page = pageJsonV1({ all, visible: () => true, sidOf: (item) => item.sid, toJson, path: ctx.pathname, filters: {}, key, origin: ctx.origin }, params);
  return page ? json(page) : twilioError(400, 20001, 'Invalid value for parameter PageToken');
}

function listResources(ctx: ServerlessContext, kind: EmulatedResource['kind']): Reply {
  return withService(ctx, 'ServiceSid', (s) => list(ctx, ctx.store.resourcesOf(s.sid, kind), kind === 'function' ? 'functions' : 'assets', (r) => resourceJson(r, ctx.origin)));
}

function createResource(ctx: ServerlessContext, kind: EmulatedResource['kind']): Reply {
  return withService(ctx, 'ServiceSid', (s) => {
    const friendlyName = ctx.form.get('FriendlyName');
    if (!friendlyName) return twilioError(400, 21201, 'FriendlyName is required');
    return created(ctx.store.createResource(s, kind, friendlyName), (r) => resourceJson(r, ctx.origin));
  });
}

/** `true`/`false` as the SDK sends booleans; null when the value is neither. */
function bool(form: URLSearchParams, name: string, fallback: boolean): boolean | null {
  const value = form.get(name);
  if (value === null) return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  return null;
}

/** A JSON list of `{name, version}` (the serverless toolkit also wraps it in a JSON string). */
function parseDependencies(raw: string | null): readonly Dependency[] | null {
  if (raw === null || raw === '') return [];
  try {
    let value: unknown = JSON.parse(raw);
    if (typeof value === 'string') value = JSON.parse(value);
    if (!Array.isArray(value)) return null;
    const valid = value.every((d: unknown) => typeof d === 'object' && d !== null && typeof (d as Dependency).name === 'string' && typeof (d as Dependency).version === 'string');
    return valid ? (value as Dependency[]).map((d) => ({ name: d.name, version: d.version })) : null;
  } catch {
    return null;
  }
}
