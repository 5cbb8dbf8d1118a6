import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOSTED_DEPENDENCIES, HOSTED_RUNTIME } from '../../server/always-on/hosted-package.ts';
import { uploadVersion } from '../../server/always-on/version-upload.ts';
import { createTwilioClient, type TwilioCredentials } from '../../server/twilio/client.ts';
import { SERVERLESS_OPERATIONS, TwilioEmulator, UPLOAD_PATH } from '../support/twilio-emulator/emulator.ts';
import { checkRequest, checkSchema, exchangeProblems, findOperation } from '../support/openapi.ts';
import { ACCOUNTS, MAIN, OTHER } from './fixtures.ts';
import { deployFiles, signedRequest } from './serverless-fixtures.ts';

const CREDENTIALS: TwilioCredentials = { accountSid: MAIN.sid, authToken: MAIN.authToken };

/** A handler that answers with what it was given, so tests can see the context and event. */
const ECHO = `exports.handler = function (context, event, callback) {
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'application/json');
  response.setBody({
    context: Object.fromEntries(Object.entries(context).map(([k, v]) => [k, typeof v === 'function' ? 'function' : v])),
    event: Object.fromEntries(Object.entries(event).filter(([k]) => k !== 'request')),
    hasRequestHeaders: typeof event.request.headers === 'object',
  });
  callback(null, response);
};`;
const TWIML = `exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  twiml.say('hello from ' + context.PATH);
  callback(null, twiml);
};`;
const COUNTER = `let calls = 0;
exports.handler = (context, event, callback) => callback(null, String(++calls));`;
const ASYNC_THROW = `exports.handler = async () => { throw new Error('boom'); };`;
const NEVER = `exports.handler = () => {};`;
const CLIENT = `exports.handler = async (context, event, callback) => {
  const account = await context.getTwilioClient().api.v2010.accounts(context.ACCOUNT_SID).fetch();
  callback(null, account.friendlyName);
};`;
const REQUIRE = `const crypto = require('node:crypto');
exports.handler = (context, event, callback) => {
  try { require('left-pad'); callback(null, 'loaded'); } catch (error) { callback(null, crypto.createHash('sha1').update('x').digest('hex').slice(0, 8) + ' ' + error.message); }
};`;

describe('the emulated Serverless API and Functions runtime', () => {
  let emulator: TwilioEmulator;
  before(async () => {
    emulator = await new TwilioEmulator({ accounts: ACCOUNTS, buildDelayMs: 60, functionTimeoutMs: 300 }).start();
  });
  after(() => emulator.stop());
  const client = () => createTwilioClient(CREDENTIALS, emulator.url);
  const resolve = (url: string) => emulator.resolve(url);

  it('serves only operations the Serverless spec has, under their method and operationId, with parameters it declares', () => {
    for (const op of SERVERLESS_OPERATIONS) {
      const example = op.path.replace(/\{\w+\}/g, `ZZ${'0'.repeat(32)}`);
      const found = findOperation(op.method, example);
      assert.ok(found, `${op.method} ${op.path} is in the spec`);
      assert.equal(found.path, op.path);
      assert.equal(found.operation.operationId, op.operationId);
      const params = Object.fromEntries(op.params.map((name) => [name, 'x']));
      const problems = op.method === 'POST' ? checkRequest(found, {}, params) : checkRequest(found, params, {});
      assert.deepEqual(problems, [], `${op.operationId} accepts only declared parameters`);
    }
  });

  let domain = '';
  it('deploys through the SDK and the upload host, building first, on a domain of its own', async () => {
    const deployed = await deployFiles(client(), CREDENTIALS, emulator.url, [
      { kind: 'function', path: '/echo', visibility: 'protected', code: ECHO },
      { kind: 'function', path: '/twiml', visibility: 'public', code: TWIML },
      { kind: 'function', path: '/counter', visibility: 'public', code: COUNTER },
      { kind: 'function', path: '/throws', visibility: 'public', code: ASYNC_THROW },
      { kind: 'function', path: '/never', visibility: 'public', code: NEVER },
      { kind: 'function', path: '/client', visibility: 'public', code: CLIENT },
      { kind: 'function', path: '/require', visibility: 'public', code: REQUIRE },
      { kind: 'asset', path: '/hello.mp3', visibility: 'public', bytes: Buffer.from('ID3 not really mp3'), type: 'audio/mpeg' },
      { kind: 'asset', path: '/secret.txt', visibility: 'private', bytes: Buffer.from('secret'), type: 'text/plain' },
    ]);
    domain = deployed.domain;
    assert.match(domain, /^emulator-test-\d{4}-test\.twil\.io$/);
    const statuses = emulator.requests.filter((r) => r.path.endsWith('/Status')).map((r) => (r.json as { status: string }).status);
    assert.equal(statuses[0], 'building', 'the build is not ready at once');
    assert.equal(statuses.at(-1), 'completed');
    const environment = await client().serverless.v1.services(deployed.serviceSid).environments(deployed.environmentSid).fetch();
    assert.equal(environment.buildSid, deployed.buildSid);
  });

  it("runs a protected function with Twilio's context and event, only for requests Twilio signed", async () => {
    const url = `https://${domain}/echo?from=query`;
    const ok = await signedRequest(resolve, url, { CallSid: 'CA1', Digits: '3' }, MAIN.authToken);
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { context: Record<string, string>; event: Record<string, string>; hasRequestHeaders: boolean };
    const service = emulator.services.find((s) => s.uniqueName === 'emulator-test');
    const environment = emulator.environments.find((e) => e.domainName === domain);
    assert.deepEqual(body.context, {
      ACCOUNT_SID: MAIN.sid,
      AUTH_TOKEN: MAIN.authToken,
      DOMAIN_NAME: domain,
      PATH: '/echo',
      SERVICE_SID: service?.sid,
      ENVIRONMENT_SID: environment?.sid,
      getTwilioClient: 'function',
    });
    assert.deepEqual(body.event, { from: 'query', CallSid: 'CA1', Digits: '3' });
    assert.equal(body.hasRequestHeaders, true);
    // real-services: protected Functions — Twilio's Functions Gateway rejects a missing or invalid signature with HTTP 400.
    assert.equal((await signedRequest(resolve, url, { CallSid: 'CA1' }, MAIN.authToken, { sign: false })).status, 400);
    assert.equal((await signedRequest(resolve, url, { CallSid: 'CA1' }, 'not-the-token')).status, 400);
    // Signed for other parameters than those sent: refused.
    const tampered = await fetch(resolve(url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': (await import('twilio')).default.getExpectedTwilioSignature(MAIN.authToken, url, { Digits: '1' }) },
      body: 'Digits=3',
    });
    assert.equal(tampered.status, 400);
  });

  it('answers what handlers call back with: TwiML objects, strings, errors; and times out a handler that never does', async () => {
    const twiml = await fetch(resolve(`https://${domain}/twiml`));
    assert.equal(twiml.headers.get('content-type'), 'text/xml');
    assert.match(await twiml.text(), /<Say>hello from \/twiml<\/Say>/);
    const thrown = await fetch(resolve(`https://${domain}/throws`));
    assert.equal(thrown.status, 500);
    assert.match(await thrown.text(), /boom/);
    const never = await fetch(resolve(`https://${domain}/never`));
    assert.equal(never.status, 504);
    assert.equal(await (await fetch(resolve(`https://${domain}/client`))).text(), MAIN.friendlyName, 'context.getTwilioClient() reaches Twilio (the emulator)');
    assert.match(await (await fetch(resolve(`https://${domain}/require`))).text(), /^[0-9a-f]{8} Cannot find module 'left-pad'/, 'Node built-ins load; undeclared packages do not');
  });

  it('serves public assets as uploaded, hides private ones, and knows only what was deployed', async () => {
    const asset = await fetch(resolve(`https://${domain}/hello.mp3`));
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'audio/mpeg');
    assert.equal(Buffer.from(await asset.arrayBuffer()).toString(), 'ID3 not really mp3');
    assert.equal((await fetch(resolve(`https://${domain}/secret.txt`))).status, 403);
    assert.equal((await fetch(resolve(`https://${domain}/nothing`))).status, 404);
    assert.equal((await fetch(resolve('https://no-such-service-1234-test.twil.io/echo'))).status, 404);
  });

  it('runs each deployment in a fresh context, as a new container would', async () => {
    const count = async () => (await fetch(resolve(`https://${domain}/counter`))).text();
    assert.equal(await count(), '1');
    assert.equal(await count(), '2', 'warm: module state lives between requests');
    const service = emulator.services.find((s) => s.uniqueName === 'emulator-test');
    assert.ok(service);
    await deployFiles(client(), CREDENTIALS, emulator.url, [{ kind: 'function', path: '/counter', visibility: 'public', code: COUNTER }], { serviceSid: service.sid });
    assert.equal(await count(), '1', 'a new deployment starts afresh');
    assert.equal((await fetch(resolve(`https://${domain}/echo`))).status, 404, 'the new build has only what it was built with');
  });

  it('fails a build whose function does not compile, and refuses to deploy it', async () => {
    const v1 = client().serverless.v1;
    const service = await v1.services.create({ uniqueName: 'broken', friendlyName: 'Broken' });
    const fn = await v1.services(service.sid).functions.create({ friendlyName: '/bad' });
    const version = await uploadVersion(CREDENTIALS, emulator.url, {
      serviceSid: service.sid,
      kind: 'function',
      sid: fn.sid,
      path: '/bad',
      visibility: 'public',
      content: 'exports.handler = (;',
      contentType: 'application/javascript',
      fileName: 'bad.js',
    });
    const build = await v1.services(service.sid).builds.create({ functionVersions: [version] });
    const environment = await v1.services(service.sid).environments.create({ uniqueName: 'live', domainSuffix: 'live' });
    // A build takes a moment: wait for it to finish, whatever the machine's load.
    let status = (await v1.services(service.sid).builds(build.sid).fetch()).status;
    while (status === 'building') status = (await v1.services(service.sid).builds(build.sid).fetch()).status;
    assert.equal(status, 'failed');
    await assert.rejects(v1.services(service.sid).environments(environment.sid).deployments.create({ buildSid: build.sid }), { status: 400 });
    await assert.rejects(v1.services.create({ uniqueName: 'broken', friendlyName: 'Again' }), { status: 409 }, 'unique names are unique');
  });

  it('real-services: Functions handler versions and runtimes — refuses what Twilio refuses, with its error', async () => {
    const v1 = client().serverless.v1;
    const files = [{ kind: 'function', path: '/twiml', visibility: 'public', code: TWIML }] as const;
    const build = (uniqueName: string, dependencies: readonly { name: string; version: string }[], runtime: string) => deployFiles(client(), CREDENTIALS, emulator.url, files, { uniqueName, dependencies, runtime });
    try {
      await assert.rejects(build('handler-refused', [{ name: '@twilio/runtime-handler', version: '2.1.0' }, { name: 'twilio', version: '5.0.3' }], 'node22'), (error: { status: number; code: number; message: string }) => {
        assert.equal(error.status, 400);
        assert.equal(error.code, 20001);
        assert.match(error.message, /No matching version found for @twilio\/runtime-handler@2\.1\.0\. You can find the valid versions at https:\/\/www\.twilio\.com\/docs\/serverless\/functions-assets\/handler/);
        return true;
      });
      await assert.rejects(build('runtime-refused', HOSTED_DEPENDENCIES, 'node18'), { status: 400, code: 20001 });
      // What the always-on line builds with is accepted, and runs.
      const hosted = await build('hosted-deps', HOSTED_DEPENDENCIES, HOSTED_RUNTIME);
      assert.equal((await fetch(resolve(`https://${hosted.domain}/twiml`))).status, 200);
      // Without twilio in the build, the handler can't build the Twilio global: every invocation fails.
      const bare = await build('no-twilio-dep', [], HOSTED_RUNTIME);
      assert.equal((await fetch(resolve(`https://${bare.domain}/twiml`))).status, 500);
    } finally {
      for (const service of await v1.services.list()) if (['handler-refused', 'runtime-refused', 'hosted-deps', 'no-twilio-dep'].includes(service.uniqueName)) await v1.services(service.sid).remove();
    }
  });

  it('pages through lists, finds services by unique name, and deletes a service with everything under it', async () => {
    const v1 = client().serverless.v1;
    const names = (await v1.services.list({ pageSize: 1 })).map((s) => s.uniqueName);
    assert.deepEqual(names, ['emulator-test', 'broken']);
    const pages = emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/Services' && r.query['PageSize'] === '1');
    assert.equal(pages.length, 2, 'the SDK followed meta.next_page_url');
    assert.equal((await v1.services('broken').fetch()).uniqueName, 'broken');
    const service = emulator.services.find((s) => s.uniqueName === 'emulator-test');
    assert.ok(service);
    assert.deepEqual((await v1.services(service.sid).functions.list({ pageSize: 3 })).map((f) => f.friendlyName).slice(0, 3), ['/echo', '/twiml', '/counter']);
    assert.deepEqual((await v1.services(service.sid).assets.list()).map((a) => a.friendlyName), ['/hello.mp3', '/secret.txt']);
    assert.ok((await v1.services(service.sid).builds.list()).length >= 2);
    assert.ok((await v1.services(service.sid).environments(emulator.environments.find((e) => e.serviceSid === service.sid)?.sid ?? '').deployments.list()).length >= 2);
    assert.equal(await v1.services(service.sid).remove(), true);
    assert.equal((await fetch(resolve(`https://${domain}/counter`))).status, 404, 'its domain no longer answers');
    assert.ok(!emulator.builds.some((b) => b.serviceSid === service.sid));
    await assert.rejects(v1.services(service.sid).fetch(), { status: 404 });
  });

  it("keeps each account's services to itself, accepts API keys, and refuses wrong credentials", async () => {
    const other = createTwilioClient({ accountSid: OTHER.sid, authToken: OTHER.authToken }, emulator.url);
    assert.deepEqual(await other.serverless.v1.services.list(), []);
    const key = MAIN.apiKeys?.[0];
    assert.ok(key);
    const withKey = createTwilioClient({ ...CREDENTIALS, apiKey: key }, emulator.url);
    assert.deepEqual((await withKey.serverless.v1.services.list()).map((s) => s.uniqueName), ['broken']);
    const wrong = createTwilioClient({ accountSid: MAIN.sid, authToken: 'wrong' }, emulator.url);
    await assert.rejects(wrong.serverless.v1.services.list(), { status: 401, code: 20003 });
    const updated = await withKey.serverless.v1.services('broken').update({ includeCredentials: false, friendlyName: 'Broken, quietly' });
    assert.deepEqual([updated.includeCredentials, updated.friendlyName], [false, 'Broken, quietly']);
  });

  it('answered every request with what the spec declares, to requests that use only declared parameters', () => {
    const seen = new Set<string>();
    const v1 = emulator.requests.filter((r) => r.path.startsWith('/v1/'));
    assert.ok(v1.length > 20);
    for (const request of v1) {
      const label = `${request.method} ${request.path}`;
      if (request.method === 'POST' && UPLOAD_PATH.test(request.path)) {
        // Uploads are outside the spec (another host); the answer is a version as FetchFunctionVersion/FetchAssetVersion shows it.
        const found = findOperation('GET', `${request.path}/ZN${'0'.repeat(32)}`);
        assert.ok(found, label);
        const schema = request.path.includes('/Functions/') ? 'serverless.v1.service.function.function_version' : 'serverless.v1.service.asset.asset_version';
        assert.deepEqual(checkSchema(found, schema, request.json, { complete: true }), [], label);
        continue;
      }
      assert.deepEqual(exchangeProblems(request, seen), [], label);
    }
    assert.deepEqual([...seen].sort(), SERVERLESS_OPERATIONS.map((op) => op.operationId).sort(), 'every operation was exercised');
  });

  it('refuses parameters the spec does not declare', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${MAIN.sid}:${MAIN.authToken}`).toString('base64')}` };
    const bogus = await fetch(`${emulator.url}/v1/Services?Bogus=1`, { headers: auth });
    assert.equal(bogus.status, 400);
    assert.deepEqual(await bogus.json(), { code: 20001, message: 'Unknown parameter: Bogus', more_info: 'https://www.twilio.com/docs/errors/20001', status: 400 });
    const form = await fetch(`${emulator.url}/v1/Services`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'UniqueName=a&FriendlyName=a&Color=red' });
    assert.equal(form.status, 400);
  });
});
