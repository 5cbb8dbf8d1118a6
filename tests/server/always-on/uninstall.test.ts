import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createCore } from '../../../server/core.ts';
import { memoryLog } from '../../../server/log.ts';
import { UserError } from '../../../server/user-error.ts';
import { AUTH_TOKEN } from '../../support/line-harness.ts';
import { CREDENTIALS } from '../../support/twilio-harness.ts';
import { launch, ORGANISER_FALLBACK, startWorld, type App, type World } from './harness.ts';

describe('always on: uninstall from my Twilio account', () => {
  let world: World;
  let apps: App[];
  beforeEach(async () => {
    world = await startWorld();
    apps = [];
  });
  afterEach(async () => {
    for (const app of apps) await app.quit();
    await world.close();
  });
  const open = async (alwaysOn?: boolean) => {
    const app = await launch(world, alwaysOn === undefined ? {} : { alwaysOn });
    apps.push(app);
    return app;
  };

  it('removes the service and gives the number its own fallback back', async () => {
    const app = await open(true);
    assert.equal(world.emulator.services.length, 1);
    const domain = app.core.alwaysOn.installed()?.domain ?? '';
    await app.core.alwaysOn.uninstall();
    assert.deepEqual(world.emulator.services, [], 'the service is gone, with its functions, assets and builds');
    assert.equal(world.emulator.builds.length, 0);
    assert.equal((await fetch(world.emulator.resolve(`https://${domain}/twilio/voice`), { method: 'POST' })).status, 404, 'its domain no longer answers');
    assert.equal(world.number().voiceFallbackUrl, ORGANISER_FALLBACK);
    assert.equal(world.number().voiceUrl, app.voiceUrl(), 'the laptop still answers');
    assert.equal(app.core.alwaysOn.enabled(), false);
    assert.equal(app.core.alwaysOn.installed(), null);
    assert.equal(app.core.alwaysOn.status().kind, 'off');
    await app.quit();
    assert.deepEqual({ voiceUrl: world.number().voiceUrl, fallback: world.number().voiceFallbackUrl }, { voiceUrl: '', fallback: ORGANISER_FALLBACK });
  });

  it('gives back a number parked on the hosted line, even before the app connects again', async () => {
    const app = await open(true);
    await app.quit();
    assert.match(world.number().voiceUrl, /\.twil\.io\/twilio\/voice$/);
    const core = createCore({ dataDir: world.dataDir, authToken: AUTH_TOKEN, log: memoryLog(), twilioApiBase: world.emulator.url });
    try {
      await core.alwaysOn.uninstall(CREDENTIALS);
      assert.deepEqual(world.emulator.services, []);
      assert.deepEqual({ voiceUrl: world.number().voiceUrl, fallback: world.number().voiceFallbackUrl }, { voiceUrl: '', fallback: ORGANISER_FALLBACK }, "the organiser's settings are back");
    } finally {
      core.close();
    }
  });

  it('finds and removes the service even if this data folder forgot it', async () => {
    const app = await open(true);
    await app.core.alwaysOn.setEnabled(false);
    await app.quit();
    const core = createCore({ dataDir: join(world.dataDir, 'fresh'), authToken: AUTH_TOKEN, log: memoryLog(), twilioApiBase: world.emulator.url });
    try {
      await core.alwaysOn.uninstall(CREDENTIALS);
      assert.deepEqual(world.emulator.services, []);
    } finally {
      core.close();
    }
  });

  it('explains what to do when it cannot', async () => {
    const app = await open();
    const core = createCore({ dataDir: join(world.dataDir, 'nobody'), authToken: AUTH_TOKEN, log: memoryLog() });
    try {
      await assert.rejects(core.alwaysOn.uninstall(), (error: unknown) => error instanceof UserError && error.code === 'always-on-no-account' && /Connect your Twilio account first/.test(error.text.en) && /接続/.test(error.text.ja));
    } finally {
      core.close();
    }
    await app.core.alwaysOn.setEnabled(true);
    world.emulator.injectFault({ method: 'DELETE', path: /^\/v1\/Services\/ZS/, fault: { kind: 'status', status: 500 } });
    await assert.rejects(app.core.alwaysOn.uninstall(), (error: unknown) => error instanceof UserError && error.code === 'twilio-unavailable' && /remove the always-on line/.test(error.text.en));
    assert.equal(world.emulator.services.length, 1, 'nothing half-removed: it can simply be tried again');
    await app.core.alwaysOn.uninstall();
    assert.deepEqual(world.emulator.services, []);
  });
});
