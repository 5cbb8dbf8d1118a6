/**
 * The Serverless (Functions and Assets) resources the emulator keeps, as immutable snapshots.
 * Functions and assets share a shape (both ZH…); so do their versions (ZN…).
 */

export type Visibility = 'public' | 'protected' | 'private';

/** A Functions service: the container for environments, functions, assets and builds. */
export interface EmulatedService {
  readonly sid: string;
  readonly accountSid: string;
  readonly uniqueName: string;
  readonly friendlyName: string;
  /** Whether ACCOUNT_SID and AUTH_TOKEN are put in every function's `context`. */
  readonly includeCredentials: boolean;
  readonly uiEditable: boolean;
  /** `{unique_name}-{4 digits}`: the first part of every environment's domain. */
  readonly domainBase: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An environment: one domain that serves whichever build was deployed to it last. */
export interface EmulatedEnvironment {
  readonly sid: string;
  readonly accountSid: string;
  readonly serviceSid: string;
  readonly uniqueName: string;
  readonly domainSuffix: string | null;
  /** e.g. `shukuden-line-1234-live.twil.io` */
  readonly domainName: string;
  readonly buildSid: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A function or an asset: a named slot whose content lives in its versions. */
export interface EmulatedResource {
  readonly kind: 'function' | 'asset';
  readonly sid: string;
  readonly accountSid: string;
  readonly serviceSid: string;
  readonly friendlyName: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One uploaded version of a function (JavaScript source) or asset (any bytes). */
export interface EmulatedVersion {
  readonly kind: 'function' | 'asset';
  readonly sid: string;
  readonly accountSid: string;
  readonly serviceSid: string;
  /** The function or asset it belongs to. */
  readonly resourceSid: string;
  /** Always starts with `/`. */
  readonly path: string;
  readonly visibility: Visibility;
  readonly content: Buffer;
  readonly contentType: string;
  readonly createdAt: Date;
}

export interface Dependency {
  readonly name: string;
  readonly version: string;
}

/** A build: a fixed set of versions. It is `building` until `readyAt`, then `completed` or `failed`. */
export interface EmulatedBuild {
  readonly sid: string;
  readonly accountSid: string;
  readonly serviceSid: string;
  readonly functionVersions: readonly string[];
  readonly assetVersions: readonly string[];
  readonly dependencies: readonly Dependency[];
  readonly runtime: string;
  readonly readyAt: number;
  /** Why the build fails once it is done (e.g. a function that does not compile), or null. */
  readonly failure: string | null;
  readonly createdAt: Date;
}

/** A deployment: the build an environment serves from now on. */
export interface EmulatedDeployment {
  readonly sid: string;
  readonly accountSid: string;
  readonly serviceSid: string;
  readonly environmentSid: string;
  readonly buildSid: string;
  readonly createdAt: Date;
}

/** Build status as Twilio reports it at `now`. */
export function buildStatus(build: EmulatedBuild, now: number): 'building' | 'completed' | 'failed' {
  if (now < build.readyAt) return 'building';
  return build.failure === null ? 'completed' : 'failed';
}
