import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { importPromptAudio } from '../../../server/audio/prompt-audio.ts';
import { encodeWav } from '../../../server/audio/wav.ts';
import type { defaultFlowSettings } from '../../../server/call-flow/flow-settings.ts';
import { createTwilioClient } from '../../../server/twilio/client.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import { press, speak } from '../../support/script.ts';
import { CREDENTIALS } from '../../support/twilio-harness.ts';
import { launch, startWorld, type App, type World } from './harness.ts';

describe('always on: one source of truth, redeployed when it changes', () => {
  let world: World;
  let app: App;
  beforeEach(async () => {
    world = await startWorld();
    app = await launch(world, { alwaysOn: true });
  });
  afterEach(async () => {
    await app.quit();
    await world.close();
  });

  const uploads = () => world.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Versions'));
  const saveWelcome = (welcome: ReturnType<typeof defaultFlowSettings>['prompts']['welcome']) => {
    const settings = app.core.settings.flow();
    app.core.settings.saveFlow({ ...settings, prompts: { ...settings.prompts, welcome } });
  };

  it('does not redeploy what has not changed', async () => {
    assert.equal(world.emulator.builds.length, 1);
    const before = world.emulator.requests.length;
    assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
    assert.equal(world.emulator.builds.length, 1, 'no new build');
    const since = world.emulator.requests.slice(before);
    assert.deepEqual(since.map((r) => `${r.method} ${r.path.replace(/Z[A-Z]\w{32}/g, 'Z…')}`), ['GET /v1/Services/Z…/Environments/Z…'], 'one look to see it is still there');
  });

  it('does not redeploy for the name prompt, which the hosted line never plays (text or audio)', async () => {
    const settings = app.core.settings.flow();
    const file = await importPromptAudio(encodeWav(speechLike(1)), app.core.promptDir);
    for (const askName of [{ kind: 'tts', text: 'お名前をどうぞ。', language: 'ja-JP', voice: 'Polly.Mizuki' } as const, { kind: 'audio', file } as const]) {
      const before = uploads().length;
      app.core.settings.saveFlow({ ...settings, prompts: { ...settings.prompts, askName } });
      assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
      assert.equal(world.emulator.builds.length, 1, `no new build for ${askName.kind}`);
      assert.equal(uploads().length, before, 'nothing uploaded');
    }
  });

  it('redeploys when a prompt changes, and the hosted line says the new words', async () => {
    const domain = app.core.alwaysOn.installed()?.domain;
    saveWelcome({ kind: 'tts', text: 'Welcome to Aiko and Ken’s wedding line!', language: 'en-US', voice: 'Polly.Joanna' });
    assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
    assert.equal(world.emulator.builds.length, 2, 'a new build');
    assert.equal(world.emulator.deployments.length, 2);
    assert.equal(app.core.alwaysOn.installed()?.domain, domain, 'on the same domain, so the number needs no change');
    await app.quit();
    const call = await world.call([speak(2), press('1')]);
    assert.equal(call.events[0]?.kind === 'say' ? call.events[0].text : '', 'Welcome to Aiko and Ken’s wedding line!');
  });

  it('uploads prompt audio as a public asset the hosted line plays, and reuses it while unchanged', async () => {
    const audio = encodeWav(speechLike(2));
    const file = await importPromptAudio(audio, app.core.promptDir);
    saveWelcome({ kind: 'audio', file });
    const before = uploads().length;
    assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
    const assetUploads = uploads().slice(before).filter((r) => r.path.includes('/Assets/'));
    assert.equal(assetUploads.length, 1, 'the audio was uploaded');
    // Another change that keeps the audio: no second upload of it.
    const settings = app.core.settings.flow();
    app.core.settings.saveFlow({ ...settings, maxLengthSeconds: 60 });
    const again = uploads().length;
    assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
    assert.equal(world.emulator.builds.length, 3);
    assert.equal(uploads().slice(again).filter((r) => r.path.includes('/Assets/')).length, 0, 'the asset version is reused');
    await app.quit();
    const call = await world.call([speak(2), press('1')]);
    const first = call.events[0];
    assert.equal(first?.kind, 'play');
    assert.match(first?.kind === 'play' ? first.url : '', new RegExp(`^https://shukuden-line-\\d{4}-live\\.twil\\.io/prompts/${file}$`));
    assert.ok(first?.kind === 'play' && first.status === 200 && first.body.equals(audio), 'the guest hears the organiser’s own recording');
    const record = call.events.find((e) => e.kind === 'record');
    assert.equal(record?.kind === 'record' ? record.verb.maxLength : 0, 60);
  });

  it('installs again when the service was deleted behind its back (e.g. in the Twilio Console)', async () => {
    const before = app.core.alwaysOn.installed();
    assert.ok(before);
    await createTwilioClient(CREDENTIALS, world.emulator.url).serverless.v1.services(before.serviceSid).remove();
    assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
    const after = app.core.alwaysOn.installed();
    assert.notEqual(after?.serviceSid, before.serviceSid);
    assert.equal(world.number().voiceFallbackUrl, app.core.alwaysOn.voiceUrl(), 'the fallback follows the new domain');
    await app.quit();
    const call = await world.call([speak(2), press('1')]);
    assert.ok(call.events.some((e) => e.kind === 'record' && e.recordingSid), 'the reinstalled line records');
  });
});
