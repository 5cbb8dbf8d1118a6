import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Fault } from '../../support/twilio-emulator/emulator.ts';
import { refuseBuild } from '../../support/twilio-emulator/functions-versions.ts';
import { press, speak } from '../../support/script.ts';
import { heard, launch, ORGANISER_FALLBACK, startWorld, type App, type World } from './harness.ts';

const STILL_LAPTOP = /still answered while Shukuden is open/;
const STILL_LAPTOP_JA = /開いている間は電話を受け付けます/;

describe('always on: deploy failures are explained and leave the number working', () => {
  let world: World;
  let app: App;
  beforeEach(async () => {
    world = await startWorld();
    app = await launch(world);
  });
  afterEach(async () => {
    await app.quit();
    await world.close();
  });

  /** The number still reaches the laptop, falls back to the organiser's own fallback, and a quit restores it. */
  async function numberStillWorks() {
    assert.equal(world.number().voiceUrl, app.voiceUrl());
    assert.equal(world.number().voiceFallbackUrl, ORGANISER_FALLBACK, 'no fallback to a line that is not there');
    const call = await world.call([speak(2), press('1')]);
    assert.deepEqual(heard(call).slice(0, 3), ['welcome', 'instructions', 'beep'], 'the laptop answers');
    assert.equal(app.core.alwaysOn.modeAfterQuit(), 'off');
    await app.quit();
    assert.deepEqual({ voiceUrl: world.number().voiceUrl, fallback: world.number().voiceFallbackUrl }, { voiceUrl: '', fallback: ORGANISER_FALLBACK }, 'a quit restores the number, as without always-on');
  }

  const cases: readonly { readonly name: string; readonly method: string; readonly path: RegExp; readonly fault: Fault; readonly code: string; readonly en: RegExp; readonly ja: RegExp }[] = [
    {
      name: 'wrong credentials (401)',
      method: 'GET',
      path: /^\/v1\/Services$/,
      fault: { kind: 'error', status: 401, code: 20003, message: 'Authenticate' },
      code: 'always-on-wrong-credentials',
      en: /did not accept the Account SID and Auth Token[\s\S]*Twilio Console/,
      ja: /Account SID と Auth Token[\s\S]*コピー/,
    },
    {
      name: 'an account limit (400)',
      method: 'POST',
      path: /^\/v1\/Services$/,
      fault: { kind: 'error', status: 400, code: 20001, message: 'Maximum number of Services reached for this account' },
      code: 'always-on-limit',
      en: /reached a limit for Functions \(20001: Maximum number of Services[\s\S]*Delete Functions services you no longer use/,
      ja: /上限に達しています[\s\S]*削除/,
    },
    {
      name: 'real-services: Functions handler version refused (400, code 20001)',
      method: 'POST',
      path: /\/Builds$/,
      fault: { kind: 'error', status: 400, code: 20001, message: refuseBuild([{ name: '@twilio/runtime-handler', version: '2.1.0' }], 'node22')?.message ?? '' },
      code: 'always-on-version-refused',
      en: /no longer accepts the version[\s\S]*Update Shukuden/,
      ja: /受け付けなくなりました[\s\S]*最新版に更新/,
    },
    {
      name: 'rate limiting (429, code 20429)',
      method: 'POST',
      path: /\/Functions\/ZH\w{32}\/Versions$/,
      fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
      code: 'always-on-busy',
      en: /asked us to slow down\. Shukuden will try again by itself/,
      ja: /混雑/,
    },
    {
      name: "Twilio's trouble (503)",
      method: 'POST',
      path: /\/Builds$/,
      fault: { kind: 'status', status: 503 },
      code: 'always-on-unavailable',
      en: /Twilio is having problems right now \(error 503\)/,
      ja: /障害/,
    },
  ];

  for (const c of cases) {
    it(`says what to do about ${c.name}, in Japanese and English, and the number keeps answering on the laptop`, async () => {
      // It lasts: the quit tries once more, and fails too.
      world.emulator.injectFault({ method: c.method, path: c.path, fault: c.fault, times: 50 });
      const status = await app.core.alwaysOn.setEnabled(true);
      assert.equal(status.kind, 'failed');
      assert.equal(status.kind === 'failed' ? status.problem.code : '', c.code);
      assert.match(status.kind === 'failed' ? status.problem.en : '', c.en);
      assert.match(status.kind === 'failed' ? status.problem.en : '', STILL_LAPTOP);
      assert.match(status.kind === 'failed' ? status.problem.ja : '', c.ja);
      assert.match(status.kind === 'failed' ? status.problem.ja : '', STILL_LAPTOP_JA);
      assert.equal(app.core.alwaysOn.voiceUrl(), null);
      await numberStillWorks();
    });
  }

  it('installs once the trouble has passed', async () => {
    world.emulator.injectFault({ method: 'POST', path: /\/Builds$/, fault: { kind: 'status', status: 500 } });
    assert.equal((await app.core.alwaysOn.setEnabled(true)).kind, 'failed');
    assert.equal((await app.core.alwaysOn.sync()).kind, 'ready');
    assert.equal(world.number().voiceFallbackUrl, app.core.alwaysOn.voiceUrl());
  });

  it('tries once more on quit, so a passing failure still leaves the number on the hosted line', async () => {
    world.emulator.injectFault({ method: 'POST', path: /\/Builds$/, fault: { kind: 'status', status: 500 } });
    assert.equal((await app.core.alwaysOn.setEnabled(true)).kind, 'failed');
    await app.quit();
    assert.match(world.number().voiceUrl, /^https:\/\/shukuden-line-\d{4}-live\.twil\.io\/twilio\/voice$/);
  });

  it('keeps the earlier deployment answering when a redeploy fails, and says so', async () => {
    assert.equal((await app.core.alwaysOn.setEnabled(true)).kind, 'ready');
    const hosted = app.core.alwaysOn.voiceUrl();
    const settings = app.core.settings.flow();
    app.core.settings.saveFlow({ ...settings, prompts: { ...settings.prompts, welcome: { kind: 'tts', text: 'New welcome', language: 'ja-JP', voice: 'Polly.Mizuki' } } });
    world.emulator.injectFault({ method: 'POST', path: /\/Builds$/, fault: { kind: 'status', status: 502 }, times: 50 });
    const status = await app.core.alwaysOn.sync();
    assert.equal(status.kind, 'failed');
    assert.equal(status.kind === 'failed' ? status.voiceUrl : null, hosted);
    assert.match(status.kind === 'failed' ? status.problem.en : '', /installed earlier keeps answering \(with the earlier prompts\)/);
    assert.equal(world.number().voiceFallbackUrl, hosted, 'the earlier deployment is still the fallback');
    await app.quit();
    assert.equal(world.number().voiceUrl, hosted, 'and takes over on quit');
    const call = await world.call([speak(2), press('1')]);
    assert.equal(heard(call)[0], 'welcome', 'with the earlier prompts');
  });

  it('says so when the laptop cannot reach Twilio at all', async () => {
    await app.core.alwaysOn.setEnabled(false);
    world.emulator.injectFault({ method: 'GET', path: /^\/v1\/Services$/, fault: { kind: 'drop' } });
    const status = await app.core.alwaysOn.setEnabled(true);
    assert.equal(status.kind === 'failed' ? status.problem.code : '', 'always-on-unreachable');
    assert.match(status.kind === 'failed' ? status.problem.en : '', /can't be reached[\s\S]*internet connection/);
    assert.equal(world.number().voiceFallbackUrl, ORGANISER_FALLBACK);
  });
});
