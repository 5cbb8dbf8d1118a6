import { buildStatus, type EmulatedBuild, type EmulatedDeployment, type EmulatedEnvironment, type EmulatedResource, type EmulatedService, type EmulatedVersion } from './serverless-records.ts';

/**
 * The JSON the Serverless v1 API answers with. Unlike the 2010 API: ISO 8601 dates, absolute
 * `url`s and `links` (here on the emulator's own origin). Every field is declared in the
 * resource's schema in Twilio's spec (the contract test checks).
 */

/** `2026-11-24T16:20:00Z`, like Twilio (whole seconds). */
export function isoDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function servicePath(sid: string): string {
  return `/v1/Services/${sid}`;
}

export function serviceJson(s: EmulatedService, origin: string): Record<string, unknown> {
  const url = `${origin}${servicePath(s.sid)}`;
  return {
    sid: s.sid,
    account_sid: s.accountSid,
    friendly_name: s.friendlyName,
    unique_name: s.uniqueName,
    include_credentials: s.includeCredentials,
    ui_editable: s.uiEditable,
    domain_base: s.domainBase,
    date_created: isoDate(s.createdAt),
    date_updated: isoDate(s.updatedAt),
    url,
    links: { environments: `${url}/Environments`, functions: `${url}/Functions`, assets: `${url}/Assets`, builds: `${url}/Builds` },
  };
}

export function environmentJson(e: EmulatedEnvironment, origin: string): Record<string, unknown> {
  const url = `${origin}${servicePath(e.serviceSid)}/Environments/${e.sid}`;
  return {
    sid: e.sid,
    account_sid: e.accountSid,
    service_sid: e.serviceSid,
    build_sid: e.buildSid,
    unique_name: e.uniqueName,
    domain_suffix: e.domainSuffix,
    domain_name: e.domainName,
    date_created: isoDate(e.createdAt),
    date_updated: isoDate(e.updatedAt),
    url,
    links: { variables: `${url}/Variables`, deployments: `${url}/Deployments`, logs: `${url}/Logs` },
  };
}

/** A function or an asset (same fields; the links differ). */
export function resourceJson(r: EmulatedResource, origin: string): Record<string, unknown> {
  const url = `${origin}${servicePath(r.serviceSid)}/${r.kind === 'function' ? 'Functions' : 'Assets'}/${r.sid}`;
  return {
    sid: r.sid,
    account_sid: r.accountSid,
    service_sid: r.serviceSid,
    friendly_name: r.friendlyName,
    date_created: isoDate(r.createdAt),
    date_updated: isoDate(r.createdAt),
    url,
    links: r.kind === 'function' ? { function_versions: `${url}/Versions` } : { asset_versions: `${url}/Versions` },
  };
}

export function versionJson(v: EmulatedVersion, origin: string): Record<string, unknown> {
  const parent = v.kind === 'function' ? { function_sid: v.resourceSid } : { asset_sid: v.resourceSid };
  const url = `${origin}${servicePath(v.serviceSid)}/${v.kind === 'function' ? 'Functions' : 'Assets'}/${v.resourceSid}/Versions/${v.sid}`;
  return {
    sid: v.sid,
    account_sid: v.accountSid,
    service_sid: v.serviceSid,
    ...parent,
    path: v.path,
    visibility: v.visibility,
    date_created: isoDate(v.createdAt),
    url,
    ...(v.kind === 'function' ? { links: { function_version_content: `${url}/Content` } } : {}),
  };
}

/** The versions inside a build, as in the spec's example (which spells visibility in capitals). */
function builtVersion(v: EmulatedVersion): Record<string, unknown> {
  return {
    sid: v.sid,
    account_sid: v.accountSid,
    service_sid: v.serviceSid,
    [v.kind === 'function' ? 'function_sid' : 'asset_sid']: v.resourceSid,
    date_created: isoDate(v.createdAt),
    path: v.path,
    visibility: v.visibility.toUpperCase(),
  };
}

export function buildJson(b: EmulatedBuild, versions: (sid: string) => EmulatedVersion | undefined, origin: string, now: number): Record<string, unknown> {
  const url = `${origin}${servicePath(b.serviceSid)}/Builds/${b.sid}`;
  const expand = (sids: readonly string[]) => sids.flatMap((sid) => {
    const version = versions(sid);
    return version ? [builtVersion(version)] : [];
  });
  return {
    sid: b.sid,
    account_sid: b.accountSid,
    service_sid: b.serviceSid,
    asset_versions: expand(b.assetVersions),
    function_versions: expand(b.functionVersions),
    dependencies: b.dependencies,
    runtime: b.runtime,
    status: buildStatus(b, now),
    date_created: isoDate(b.createdAt),
    date_updated: isoDate(new Date(Math.max(b.createdAt.getTime(), Math.min(now, b.readyAt)))),
    url,
    links: { build_status: `${url}/Status` },
  };
}

export function buildStatusJson(b: EmulatedBuild, origin: string, now: number): Record<string, unknown> {
  return {
    sid: b.sid,
    account_sid: b.accountSid,
    service_sid: b.serviceSid,
    status: buildStatus(b, now),
    url: `${origin}${servicePath(b.serviceSid)}/Builds/${b.sid}/Status`,
  };
}

export function deploymentJson(d: EmulatedDeployment, origin: string): Record<string, unknown> {
  return {
    sid: d.sid,
    account_sid: d.accountSid,
    service_sid: d.serviceSid,
    environment_sid: d.environmentSid,
    build_sid: d.buildSid,
    date_created: isoDate(d.createdAt),
    date_updated: isoDate(d.createdAt),
    url: `${origin}${servicePath(d.serviceSid)}/Environments/${d.environmentSid}/Deployments/${d.sid}`,
  };
}
