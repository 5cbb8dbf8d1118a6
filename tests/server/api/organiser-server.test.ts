import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER } from '../../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';

/** A raw request, so Host and Origin can be whatever an attacker's page would send. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('organiser API security (web mode)', () => {
  let app: OrganiserApp;
  before(async () => (app = await startOrganiserApp()));
  after(() => app.close());

  it('answers with the right token', async () => {
    const { status, body } = await app.rpc('getState', {});
    assert.equal(status, 200);
    assert.equal(body.ok, true);
  });

  it('refuses a missing or wrong token', async () => {
    assert.equal((await app.rpc('getState', {}, '')).status, 401);
    // One character changed (never the same character: that would be the right token).
    const token = app.organiser.token;
    assert.equal((await app.rpc('getState', {}, `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`)).status, 401);
    const events = await raw(`${app.organiser.url}/api/events`, { headers: { host: new URL(app.organiser.url).host } });
    assert.equal(events.status, 401);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const response = await raw(`${app.organiser.url}/api/rpc/getState`, {
      method: 'POST',
      headers: { host: `evil.example:${app.organiser.port}`, authorization: `Bearer ${app.organiser.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 421);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const response = await raw(`${app.organiser.url}/api/rpc/getState`, {
      method: 'POST',
      headers: { host: new URL(app.organiser.url).host, origin: 'https://evil.example', authorization: `Bearer ${app.organiser.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 403);
  });

  it('is not reachable through the public TwiML port', async () => {
    for (const path of ['/api/rpc/getState', '/api/events', '/']) {
      const response = await fetch(`${app.twiml.url}${path}`, { method: path.includes('rpc') ? 'POST' : 'GET', headers: { authorization: `Bearer ${app.organiser.token}` } });
      assert.equal(response.status, 404, path);
    }
  });

  it('listens on the loopback interface only', () => {
    assert.match(app.organiser.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(app.organiser.server.address() && typeof app.organiser.server.address() === 'object' ? (app.organiser.server.address() as { address: string }).address : '', '127.0.0.1');
  });

  it('validates every input and changes nothing on bad input', async () => {
    const before = (await app.rpc('getState', {})).body.value;
    assert.ok(before);
    const bad = await app.rpc('saveFlowSettings', { settings: { ...before.settings, maxLengthSeconds: 'forever' } });
    assert.equal(bad.body.ok, false);
    assert.equal(bad.body.error?.code, 'bad-input');
    assert.match(bad.body.error?.ja ?? '', /何も変更していません/);
    const extra = await app.rawRpc('setLanguage', { language: 'ja', admin: true });
    assert.equal(extra.body.error?.code, 'bad-input');
    const unknown = await app.rawRpc('deleteEverything', {});
    assert.equal(unknown.body.error?.code, 'unknown-method');
    const after = (await app.rpc('getState', {})).body.value;
    assert.ok(after);
    assert.equal(after.settings.maxLengthSeconds, before.settings.maxLengthSeconds);
    assert.equal(after.language, 'en');
  });

  it('never sends secrets to the UI', async () => {
    const connected = await app.rpc('connectTwilio', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: LINE_NUMBER });
    assert.equal(connected.body.ok, true);
    const state = JSON.stringify((await app.rpc('getState', {})).body.value);
    assert.ok(state.includes(ACCOUNT_SID), 'the account is shown');
    assert.ok(!state.includes(AUTH_TOKEN), 'the auth token is not');
  });

  it('saves nothing when the credentials are wrong', async () => {
    const fresh = await startOrganiserApp();
    try {
      const wrong = await fresh.rpc('connectTwilio', { accountSid: ACCOUNT_SID, authToken: '0'.repeat(32), phoneNumber: LINE_NUMBER });
      assert.equal(wrong.body.error?.code, 'twilio-wrong-credentials');
      const state = (await fresh.rpc('getState', {})).body.value;
      assert.ok(state);
      assert.deepEqual([state.twilio.configured, state.twilio.phoneNumber], [false, null]);
    } finally {
      await fresh.close();
    }
  });
});

describe('organiser server: malformed requests get a plain JSON error, never a stack or a path', () => {
  let app: OrganiserApp;
  before(async () => (app = await startOrganiserApp()));
  after(() => app.close());

  const host = () => new URL(app.organiser.url).host;
  const authed = () => ({ host: host(), authorization: `Bearer ${app.organiser.token}`, 'content-type': 'application/json' });
  function assertPlainJsonError(response: { status: number; body: string }, status: number, code: string): void {
    assert.equal(response.status, status, response.body);
    const parsed = JSON.parse(response.body) as { ok: boolean; error: { code: string; en: string; ja: string } };
    assert.equal(parsed.ok, false);
    assert.equal(parsed.error.code, code);
    assert.ok(parsed.error.en.length > 0 && parsed.error.ja.length > 0, 'said in both languages');
    for (const leak of [/at \w+ \(/, /node_modules/, /\/work\//, new RegExp(process.cwd().replace(/[/\\]/g, '.')), /<html|<pre/i, /Error:/]) {
      assert.doesNotMatch(response.body, leak);
    }
  }

  it('malformed JSON', async () => {
    assertPlainJsonError(await raw(`${app.organiser.url}/api/rpc/getState`, { method: 'POST', headers: authed(), body: '{"oops' }), 400, 'bad-request');
  });

  it('a body over the limit', async () => {
    const body = JSON.stringify({ dataBase64: 'A'.repeat(33 * 1024 * 1024) });
    assertPlainJsonError(await raw(`${app.organiser.url}/api/rpc/importCover`, { method: 'POST', headers: authed(), body }), 413, 'too-large');
  });

  it('a bad %-escape in the path, with or without a token', async () => {
    assertPlainJsonError(await raw(`${app.organiser.url}/api/media/takes/%E0%A4%A`, { headers: { host: host() } }), 400, 'bad-request');
    const page = await raw(`${app.organiser.url}/%E0%A4%A`, { headers: { host: host() } });
    assert.ok(page.status === 400 || page.status === 404, String(page.status));
    assert.doesNotMatch(page.body, /at \w+ \(|node_modules|<pre/);
  });
});
