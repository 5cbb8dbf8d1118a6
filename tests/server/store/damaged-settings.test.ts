import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import twilio from 'twilio';
import { defaultFlowSettings } from '../../../server/call-flow/flow-settings.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { ACCOUNT_SID } from '../../support/line-harness.ts';
import { startOrganiserApp, type OrganiserApp } from '../../support/organiser-app.ts';

// Issue 15 item 3: a damaged settings row must never silence the line nor the organiser's screen.
describe('a damaged settings row', () => {
  let app: OrganiserApp;
  before(async () => {
    app = await startOrganiserApp();
    // As a crash mid-write or a bad disk sector could leave them: not JSON, or JSON of the wrong shape.
    const db = openDatabase(app.dataDir);
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    put.run('line', '{"language": "ja", "prompts": {"welc');
    put.run('privacy', 'not json at all');
    put.run('app.setup', '{"done": "yes"}');
    db.close();
  });
  after(() => app.close());

  it('still answers a guest with the welcome and a recording', async () => {
    const url = `${app.core.publicUrl()}/twilio/voice`;
    const params = { CallSid: `CA${'7'.repeat(32)}`, AccountSid: ACCOUNT_SID, From: '+819011112222', To: '+815012345678', CallStatus: 'ringing' };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(app.core.authToken, url, params) },
      body: new URLSearchParams(params),
    });
    assert.equal(response.status, 200);
    const twiml = await response.text();
    assert.match(twiml, /<Record /);
    const welcome = defaultFlowSettings().prompts.welcome;
    assert.ok(welcome.kind === 'tts' && twiml.includes(welcome.text), 'the default welcome');
  });

  it("shows the organiser's screen with defaults and says what was damaged", async () => {
    const { status, body } = await app.rpc('getState', {});
    assert.equal(status, 200);
    assert.ok(body.value, JSON.stringify(body.error));
    assert.deepEqual(body.value.settings, defaultFlowSettings());
    assert.equal(body.value.privacy.deleteFromTwilioAfterDownload, false);
    const problem = body.value.problems.find((p) => p.code === 'settings-damaged');
    assert.ok(problem, 'the organiser is told');
    assert.match(problem.en, /line/);
    assert.match(problem.ja, /設定/);
  });

  it('is repaired by saving the settings again, and the warning goes away', async () => {
    const saved = await app.rpc('saveFlowSettings', { settings: { ...defaultFlowSettings(), maxLengthSeconds: 90 } });
    assert.equal(saved.body.ok, true);
    await app.rpc('setPrivacy', { deleteFromTwilioAfterDownload: false });
    await app.rpc('finishSetup', { mode: 'rehearsal' });
    const state = (await app.rpc('getState', {})).body.value;
    assert.equal(state?.settings.maxLengthSeconds, 90);
    assert.deepEqual(state?.problems, []);
  });
});
