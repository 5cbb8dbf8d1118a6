import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import { uploadVersion } from '../../server/always-on/version-upload.ts';
import type { TwilioClient, TwilioCredentials } from '../../server/twilio/client.ts';

/** A file to deploy: a function (JavaScript source) or an asset (any bytes). */
export type DeployFile =
  | { readonly kind: 'function'; readonly path: string; readonly visibility: 'public' | 'protected' | 'private'; readonly code: string }
  | { readonly kind: 'asset'; readonly path: string; readonly visibility: 'public' | 'protected' | 'private'; readonly bytes: Buffer; readonly type: string };

export interface Deployed {
  readonly serviceSid: string;
  readonly environmentSid: string;
  readonly domain: string;
  readonly buildSid: string;
}

/**
 * Deploys files the way the serverless toolkit does, through the real SDK and the upload
 * endpoint: service, environment, a resource per file, versions, build, wait, deployment.
 */
export async function deployFiles(
  client: TwilioClient,
  credentials: TwilioCredentials,
  apiBase: string,
  files: readonly DeployFile[],
  options: { readonly uniqueName?: string; readonly serviceSid?: string; readonly includeCredentials?: boolean; readonly dependencies?: readonly { readonly name: string; readonly version: string }[]; readonly runtime?: string } = {},
): Promise<Deployed> {
  const v1 = client.serverless.v1;
  const serviceSid =
    options.serviceSid ??
    (await v1.services.create({ uniqueName: options.uniqueName ?? 'emulator-test', friendlyName: 'Emulator test', includeCredentials: options.includeCredentials ?? true })).sid;
  const environments = await v1.services(serviceSid).environments.list();
  const environment = environments[0] ?? (await v1.services(serviceSid).environments.create({ uniqueName: 'test', domainSuffix: 'test' }));
  const functionVersions: string[] = [];
  const assetVersions: string[] = [];
  for (const file of files) {
    const resource =
      file.kind === 'function'
        ? await v1.services(serviceSid).functions.create({ friendlyName: file.path })
        : await v1.services(serviceSid).assets.create({ friendlyName: file.path });
    const sid = await uploadVersion(credentials, apiBase, {
      serviceSid,
      kind: file.kind,
      sid: resource.sid,
      path: file.path,
      visibility: file.visibility,
      content: file.kind === 'function' ? file.code : file.bytes,
      contentType: file.kind === 'function' ? 'application/javascript' : file.type,
      fileName: file.path.slice(1).replace(/\//g, '-') || 'index',
    });
    (file.kind === 'function' ? functionVersions : assetVersions).push(sid);
  }
  const build = await v1.services(serviceSid).builds.create({
    functionVersions,
    ...(assetVersions.length > 0 ? { assetVersions } : {}),
    dependencies: JSON.stringify(options.dependencies ?? [{ name: 'twilio', version: '5.0.0' }]),
    runtime: options.runtime ?? 'node22',
  });
  for (;;) {
    const { status } = await v1.services(serviceSid).builds(build.sid).buildStatus().fetch();
    if (status === 'completed') break;
    if (status === 'failed') throw new Error(`build ${build.sid} failed`);
    await sleep(20);
  }
  await v1.services(serviceSid).environments(environment.sid).deployments.create({ buildSid: build.sid });
  return { serviceSid, environmentSid: environment.sid, domain: environment.domainName, buildSid: build.sid };
}

/** A request to a Functions URL as Twilio makes it: signed for the URL as written, sent where the emulator serves it. */
export function signedRequest(
  resolve: (url: string) => string,
  url: string,
  params: Record<string, string>,
  token: string,
  options: { readonly method?: 'GET' | 'POST'; readonly sign?: boolean } = {},
): Promise<Response> {
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = {};
  if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  if (options.sign !== false) headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(token, url, method === 'POST' ? params : {});
  return fetch(resolve(url), { method, headers, ...(method === 'POST' ? { body: new URLSearchParams(params).toString() } : {}) });
}
