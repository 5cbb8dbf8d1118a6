import { randomInt } from 'node:crypto';
import { Script } from 'node:vm';
import type {
  Dependency,
  EmulatedBuild,
  EmulatedDeployment,
  EmulatedEnvironment,
  EmulatedResource,
  EmulatedService,
  EmulatedVersion,
  Visibility,
} from './serverless-records.ts';
import { newSid } from '../../../server/twilio/sids.ts';

/** Twilio's Functions domains; the emulator resolves them to its own runtime. */
export const RUNTIME_DOMAIN = 'twil.io';

/** A refusal in Twilio's terms: HTTP status, Twilio error code, message. */
export interface ServerlessError {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export function isServerlessError(value: unknown): value is ServerlessError {
  return typeof value === 'object' && value !== null && 'code' in value && 'status' in value && 'message' in value;
}

/**
 * Services, environments, functions, assets, their versions, builds and deployments.
 * Deleting a service deletes everything under it (as Twilio does), so its domains stop answering.
 */
export class ServerlessStore {
  readonly #services = new Map<string, EmulatedService>();
  readonly #environments = new Map<string, EmulatedEnvironment>();
  readonly #resources = new Map<string, EmulatedResource>();
  readonly #versions = new Map<string, EmulatedVersion>();
  readonly #builds = new Map<string, EmulatedBuild>();
  readonly #deployments = new Map<string, EmulatedDeployment>();
  readonly #buildDelayMs: number;

  constructor(options: { readonly buildDelayMs: number }) {
    this.#buildDelayMs = options.buildDelayMs;
  }

  get services(): readonly EmulatedService[] {
    return [...this.#services.values()];
  }

  get builds(): readonly EmulatedBuild[] {
    return [...this.#builds.values()];
  }

  get deployments(): readonly EmulatedDeployment[] {
    return [...this.#deployments.values()];
  }

  get environments(): readonly EmulatedEnvironment[] {
    return [...this.#environments.values()];
  }

  servicesOf(accountSid: string): readonly EmulatedService[] {
    return this.services.filter((s) => s.accountSid === accountSid);
  }

  /** By SID or, as Twilio allows in the URL, by unique name. */
  service(accountSid: string, sidOrName: string): EmulatedService | undefined {
    return this.servicesOf(accountSid).find((s) => s.sid === sidOrName || s.uniqueName === sidOrName);
  }

  createService(accountSid: string, input: { uniqueName: string; friendlyName: string; includeCredentials: boolean; uiEditable: boolean }): EmulatedService | ServerlessError {
    if (!/^[a-zA-Z0-9-]{1,50}$/.test(input.uniqueName)) {
      return { status: 400, code: 20001, message: 'UniqueName must be at most 50 characters: letters, digits and dashes' };
    }
    if (this.service(accountSid, input.uniqueName)) {
      // Twilio answers a duplicate unique name with 409 Conflict.
      return { status: 409, code: 20409, message: `Service with UniqueName ${input.uniqueName} already exists` };
    }
    const now = new Date();
    const service: EmulatedService = {
      sid: newSid('ZS'),
      accountSid,
      ...input,
      domainBase: `${input.uniqueName.toLowerCase()}-${randomInt(1000, 10000)}`,
      createdAt: now,
      updatedAt: now,
    };
    this.#services.set(service.sid, service);
    return service;
  }

  updateService(sid: string, changes: Partial<Pick<EmulatedService, 'friendlyName' | 'includeCredentials' | 'uiEditable'>>): EmulatedService {
    const old = this.#services.get(sid);
    if (!old) throw new Error(`updateService: unknown service ${sid}`);
    const updated = { ...old, ...changes, updatedAt: new Date() };
    this.#services.set(sid, updated);
    return updated;
  }

  /** Removes the service and everything under it. */
  deleteService(sid: string): void {
    this.#services.delete(sid);
    for (const map of [this.#environments, this.#resources, this.#versions, this.#builds, this.#deployments] as Map<string, { serviceSid: string }>[]) {
      for (const [key, value] of map) if (value.serviceSid === sid) map.delete(key);
    }
  }

  environmentsOf(serviceSid: string): readonly EmulatedEnvironment[] {
    return this.environments.filter((e) => e.serviceSid === serviceSid);
  }

  environment(serviceSid: string, sid: string): EmulatedEnvironment | undefined {
    const environment = this.#environments.get(sid);
    return environment?.serviceSid === serviceSid ? environment : undefined;
  }

  environmentByDomain(domain: string): EmulatedEnvironment | undefined {
    return this.environments.find((e) => e.domainName === domain.toLowerCase());
  }

  createEnvironment(service: EmulatedService, input: { uniqueName: string; domainSuffix: string | null }): EmulatedEnvironment | ServerlessError {
    if (input.uniqueName.length === 0 || input.uniqueName.length > 100) return { status: 400, code: 20001, message: 'UniqueName must be 1 to 100 characters' };
    if (input.domainSuffix !== null && !/^[a-zA-Z0-9-]{1,16}$/.test(input.domainSuffix)) {
      return { status: 400, code: 20001, message: 'DomainSuffix must be at most 16 characters: letters, digits and dashes' };
    }
    const clash = this.environmentsOf(service.sid).some((e) => e.uniqueName === input.uniqueName || e.domainSuffix === input.domainSuffix);
    if (clash) return { status: 409, code: 20409, message: 'Environment with this UniqueName or DomainSuffix already exists' };
    const now = new Date();
    const environment: EmulatedEnvironment = {
      sid: newSid('ZE'),
      accountSid: service.accountSid,
      serviceSid: service.sid,
      uniqueName: input.uniqueName,
      domainSuffix: input.domainSuffix,
      domainName: `${service.domainBase}${input.domainSuffix ? `-${input.domainSuffix.toLowerCase()}` : ''}.${RUNTIME_DOMAIN}`,
      buildSid: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#environments.set(environment.sid, environment);
    return environment;
  }

  resourcesOf(serviceSid: string, kind: EmulatedResource['kind']): readonly EmulatedResource[] {
    return [...this.#resources.values()].filter((r) => r.serviceSid === serviceSid && r.kind === kind);
  }

  resource(serviceSid: string, kind: EmulatedResource['kind'], sid: string): EmulatedResource | undefined {
    const resource = this.#resources.get(sid);
    return resource?.serviceSid === serviceSid && resource.kind === kind ? resource : undefined;
  }

  createResource(service: EmulatedService, kind: EmulatedResource['kind'], friendlyName: string): EmulatedResource | ServerlessError {
    if (friendlyName.length === 0 || friendlyName.length > 255) return { status: 400, code: 20001, message: 'FriendlyName must be 1 to 255 characters' };
    const now = new Date();
    const resource: EmulatedResource = { kind, sid: newSid('ZH'), accountSid: service.accountSid, serviceSid: service.sid, friendlyName, createdAt: now, updatedAt: now };
    this.#resources.set(resource.sid, resource);
    return resource;
  }

  createVersion(resource: EmulatedResource, input: { path: string; visibility: Visibility; content: Buffer; contentType: string }): EmulatedVersion {
    const version: EmulatedVersion = {
      kind: resource.kind,
      sid: newSid('ZN'),
      accountSid: resource.accountSid,
      serviceSid: resource.serviceSid,
      resourceSid: resource.sid,
      // Twilio prepends the slash when it is missing.
      path: input.path.startsWith('/') ? input.path : `/${input.path}`,
      visibility: input.visibility,
      content: input.content,
      contentType: input.contentType,
      createdAt: new Date(),
    };
    this.#versions.set(version.sid, version);
    return version;
  }

  version(sid: string): EmulatedVersion | undefined {
    return this.#versions.get(sid);
  }

  /** Checks the versions belong to the service and are of the right kind, then starts building. */
  createBuild(
    service: EmulatedService,
    input: { functionVersions: readonly string[]; assetVersions: readonly string[]; dependencies: readonly Dependency[]; runtime: string },
  ): EmulatedBuild | ServerlessError {
    if (input.functionVersions.length + input.assetVersions.length === 0) {
      return { status: 400, code: 20001, message: 'At least one function version or asset version is required' };
    }
    for (const [sids, kind] of [[input.functionVersions, 'function'], [input.assetVersions, 'asset']] as const) {
      for (const sid of sids) {
        const version = this.#versions.get(sid);
        if (!version || version.serviceSid !== service.sid || version.kind !== kind) return { status: 400, code: 20001, message: `${sid} is not a ${kind} version of this service` };
      }
    }
    const paths = [...input.functionVersions, ...input.assetVersions].map((sid) => this.#versions.get(sid)?.path);
    const duplicate = paths.find((path, i) => paths.indexOf(path) !== i);
    if (duplicate) return { status: 400, code: 20001, message: `Two versions in the build share the path ${duplicate}` };
    const now = new Date();
    const build: EmulatedBuild = {
      sid: newSid('ZB'),
      accountSid: service.accountSid,
      serviceSid: service.sid,
      ...input,
      readyAt: now.getTime() + this.#buildDelayMs,
      failure: this.#compileFailure(input.functionVersions),
      createdAt: now,
    };
    this.#builds.set(build.sid, build);
    return build;
  }

  build(serviceSid: string, sid: string): EmulatedBuild | undefined {
    const build = this.#builds.get(sid);
    return build?.serviceSid === serviceSid ? build : undefined;
  }

  buildsOf(serviceSid: string): readonly EmulatedBuild[] {
    return this.builds.filter((b) => b.serviceSid === serviceSid);
  }

  /** Twilio only deploys a completed build; the environment serves it from then on. */
  createDeployment(environment: EmulatedEnvironment, build: EmulatedBuild, now: number): EmulatedDeployment | ServerlessError {
    if (now < build.readyAt) return { status: 400, code: 20001, message: `Build ${build.sid} is still building` };
    if (build.failure !== null) return { status: 400, code: 20001, message: `Build ${build.sid} failed: ${build.failure}` };
    const deployment: EmulatedDeployment = {
      sid: newSid('ZD'),
      accountSid: environment.accountSid,
      serviceSid: environment.serviceSid,
      environmentSid: environment.sid,
      buildSid: build.sid,
      createdAt: new Date(now),
    };
    this.#deployments.set(deployment.sid, deployment);
    this.#environments.set(environment.sid, { ...environment, buildSid: build.sid, updatedAt: new Date(now) });
    return deployment;
  }

  deploymentsOf(environmentSid: string): readonly EmulatedDeployment[] {
    return this.deployments.filter((d) => d.environmentSid === environmentSid);
  }

  /** The environment's live deployment (the latest), if any. */
  liveDeployment(environmentSid: string): EmulatedDeployment | undefined {
    return this.deploymentsOf(environmentSid).at(-1);
  }

  /** Like Twilio's build step: a function whose source does not compile fails the build. */
  #compileFailure(functionVersions: readonly string[]): string | null {
    for (const sid of functionVersions) {
      const version = this.#versions.get(sid);
      if (!version) continue;
      try {
        new Script(`(function (exports, require, module) {${version.content.toString('utf8')}\n})`, { filename: version.path });
      } catch (error) {
        return `${version.path}: ${(error as Error).message}`;
      }
    }
    return null;
  }
}
