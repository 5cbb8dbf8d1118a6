import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Log } from '../log.ts';
import type { TwilioClient, TwilioCredentials } from '../twilio/client.ts';
import { HOSTED_DEPENDENCIES, HOSTED_RUNTIME, type HostedPackage } from './hosted-package.ts';
import { uploadVersion } from './version-upload.ts';

/** The Functions service that holds the hosted line, one per Twilio account. */
export const SERVICE_UNIQUE_NAME = 'shukuden-line';
/** Its one environment: the domain is `shukuden-line-NNNN-live.twil.io`. */
const ENVIRONMENT = { uniqueName: 'shukuden-live', domainSuffix: 'live' } as const;

/** What was deployed, kept in the data folder. */
export const deployedHostedLineSchema = z.object({
  accountSid: z.string(),
  serviceSid: z.string(),
  environmentSid: z.string(),
  /** e.g. shukuden-line-1234-live.twil.io */
  domain: z.string(),
  buildSid: z.string(),
  deploymentSid: z.string(),
  /** The HostedPackage hash: unchanged code, settings and prompts mean no redeploy. */
  hash: z.string(),
  deployedAt: z.string(),
  /** Asset path → its uploaded version, reused while unchanged (prompt files are named by their content). */
  assetVersions: z.record(z.string(), z.string()),
});
export type DeployedHostedLine = z.infer<typeof deployedHostedLineSchema>;

/** The build did not complete: Twilio said it failed, or it took too long. */
export class BuildNotCompleted extends Error {
  override readonly name = 'BuildNotCompleted';
  readonly reason: 'failed' | 'timeout';

  constructor(reason: 'failed' | 'timeout', buildSid: string) {
    super(`Build ${buildSid} ${reason === 'failed' ? 'failed' : 'did not finish in time'}`);
    this.reason = reason;
  }
}

export interface DeployOptions {
  readonly client: TwilioClient;
  readonly credentials: TwilioCredentials;
  readonly apiBase: string;
  readonly pkg: HostedPackage;
  /** The last deployment, whose unchanged assets are reused. */
  readonly previous: DeployedHostedLine | null;
  readonly log: Log;
  readonly buildTimeoutMs?: number;
}

/**
 * Deploys the hosted line like Twilio's serverless toolkit and Dev Phone: find or create the
 * service (with credentials in `context`, for take playback) and its environment, find or
 * create a function per path and an asset per prompt, upload new versions, build, wait for
 * the build, and deploy it. The previous deployment keeps answering until the new one is live.
 */
export async function deployHostedLine(o: DeployOptions): Promise<DeployedHostedLine> {
  const serverless = o.client.serverless.v1;
  const service = await findOrCreateService(o.client);
  const services = serverless.services(service.sid);
  const environment = (await services.environments.list({ pageSize: 50 })).find((e) => e.uniqueName === ENVIRONMENT.uniqueName)
    ?? (await services.environments.create({ uniqueName: ENVIRONMENT.uniqueName, domainSuffix: ENVIRONMENT.domainSuffix }));

  const functions = await services.functions.list({ pageSize: 100 });
  const functionVersions: string[] = [];
  for (const fn of o.pkg.functions) {
    const sid = functions.find((f) => f.friendlyName === fn.path)?.sid ?? (await services.functions.create({ friendlyName: fn.path })).sid;
    functionVersions.push(
      await uploadVersion(o.credentials, o.apiBase, {
        serviceSid: service.sid,
        kind: 'function',
        sid,
        path: fn.path,
        visibility: fn.visibility,
        content: fn.content,
        contentType: 'application/javascript',
        fileName: 'shukuden-line.js',
      }),
    );
  }

  const reusable = o.previous?.serviceSid === service.sid ? o.previous.assetVersions : {};
  const assets = o.pkg.assets.length > 0 ? await services.assets.list({ pageSize: 100 }) : [];
  const assetVersions: Record<string, string> = {};
  for (const asset of o.pkg.assets) {
    const known = reusable[asset.path];
    if (known) {
      assetVersions[asset.path] = known;
      continue;
    }
    const sid = assets.find((a) => a.friendlyName === asset.path)?.sid ?? (await services.assets.create({ friendlyName: asset.path })).sid;
    assetVersions[asset.path] = await uploadVersion(o.credentials, o.apiBase, {
      serviceSid: service.sid,
      kind: 'asset',
      sid,
      path: asset.path,
      // Twilio's <Play> fetches without credentials; the file names are unguessable hashes.
      visibility: 'public',
      content: await readFile(asset.file),
      contentType: asset.contentType,
      fileName: asset.path.slice(asset.path.lastIndexOf('/') + 1),
    });
  }

  const build = await services.builds.create({
    functionVersions,
    ...(o.pkg.assets.length > 0 ? { assetVersions: o.pkg.assets.map((a) => assetVersions[a.path] ?? '') } : {}),
    dependencies: JSON.stringify(HOSTED_DEPENDENCIES),
    runtime: HOSTED_RUNTIME,
  });
  await waitForBuild(o, service.sid, build.sid);
  const deployment = await services.environments(environment.sid).deployments.create({ buildSid: build.sid });
  o.log.info('The always-on line is deployed on Twilio', { domain: environment.domainName, build: build.sid });
  return {
    accountSid: o.credentials.accountSid,
    serviceSid: service.sid,
    environmentSid: environment.sid,
    domain: environment.domainName,
    buildSid: build.sid,
    deploymentSid: deployment.sid,
    hash: o.pkg.hash,
    deployedAt: new Date().toISOString(),
    assetVersions,
  };
}

/** Whether `record` is still what Twilio serves: its service exists and its environment runs its build. */
export async function isStillDeployed(client: TwilioClient, record: DeployedHostedLine): Promise<boolean> {
  try {
    const environment = await client.serverless.v1.services(record.serviceSid).environments(record.environmentSid).fetch();
    return environment.buildSid === record.buildSid;
  } catch (error) {
    // Gone (deleted in the Console): deploy again. Anything else (network, auth) is the caller's problem.
    if ((error as { status?: unknown }).status === 404) return false;
    throw error;
  }
}

/** Our service in the account, if there is one (even if this data folder lost its record). */
export async function findService(client: TwilioClient): Promise<{ readonly sid: string } | null> {
  const services = await client.serverless.v1.services.list({ pageSize: 50 });
  return services.find((s) => s.uniqueName === SERVICE_UNIQUE_NAME) ?? null;
}

async function findOrCreateService(client: TwilioClient): Promise<{ readonly sid: string }> {
  const services = await client.serverless.v1.services.list({ pageSize: 50 });
  const found = services.find((s) => s.uniqueName === SERVICE_UNIQUE_NAME);
  if (!found) {
    return client.serverless.v1.services.create({
      uniqueName: SERVICE_UNIQUE_NAME,
      friendlyName: 'Shukuden always-on line',
      // Puts ACCOUNT_SID and AUTH_TOKEN in `context`: take playback fetches the recording with them.
      includeCredentials: true,
      uiEditable: false,
    });
  }
  if (!found.includeCredentials) await client.serverless.v1.services(found.sid).update({ includeCredentials: true });
  return found;
}

async function waitForBuild(o: DeployOptions, serviceSid: string, buildSid: string): Promise<void> {
  const deadline = Date.now() + (o.buildTimeoutMs ?? 5 * 60_000);
  // Quick looks first, then every 2 s: Twilio builds take tens of seconds, small ones less.
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    const { status } = await o.client.serverless.v1.services(serviceSid).builds(buildSid).buildStatus().fetch();
    if (status === 'completed') return;
    if (status === 'failed') throw new BuildNotCompleted('failed', buildSid);
    if (Date.now() >= deadline) throw new BuildNotCompleted('timeout', buildSid);
    await sleep(wait);
  }
}
