import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createTwilioClient } from '../../../server/twilio/client.ts';
import { GUEST_NUMBER } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { CREDENTIALS } from '../../support/twilio-harness.ts';
import { heard, launch, ORGANISER_FALLBACK, startWorld, takesHome, type App, type World } from './harness.ts';

describe('always on: messages are recorded while the app is closed', () => {
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

  it('hands the number to the hosted line on quit; a guest leaves a message (re-recording once); the next launch brings it home once and takes the number back', async () => {
    const first = await open(true);
    const hosted = first.core.alwaysOn.voiceUrl();
    assert.ok(hosted);
    assert.match(hosted, /^https:\/\/shukuden-line-\d{4}-live\.twil\.io\/twilio\/voice$/);
    assert.equal(world.number().voiceUrl, first.voiceUrl(), 'live: the laptop answers');
    assert.equal(world.number().voiceFallbackUrl, hosted, 'live: Twilio falls back to the hosted line');
    assert.deepEqual(first.core.alwaysOn.describeMode(true), { en: 'live on this laptop', ja: 'このパソコンで受付中' });
    assert.equal(first.core.alwaysOn.modeAfterQuit(), 'hosted');

    await first.quit();
    assert.equal(world.number().voiceUrl, hosted, 'closed: the hosted line answers');
    assert.equal(world.number().voiceFallbackUrl, ORGANISER_FALLBACK);

    // The guest records, listens, presses 3, records again, listens, presses 1.
    const call = await world.call([speak(3), press('3'), speak(4), press('1')]);
    assert.deepEqual(heard(call), [
      'welcome', 'instructions', 'beep', 'recorded:3s', 'playbackIntro', 'play:take', 'menu', 'keys:3',
      'instructions', 'beep', 'recorded:4s', 'playbackIntro', 'play:take', 'menu', 'keys:1',
      'thanks', 'hangup:line',
    ]);
    const played = call.events.filter((e) => e.kind === 'play');
    const recordings = world.emulator.recordings.filter((r) => r.callSid === call.callSid);
    assert.equal(recordings.length, 2);
    assert.ok(played.every((p, i) => p.kind === 'play' && p.body.equals(recordings[i]?.wav ?? Buffer.alloc(1))), 'the guest heard their own takes back');
    assert.ok(world.emulator.runtimeRequests.some((r) => r.url.startsWith(hosted)), 'the hosted line answered');

    const second = await open();
    assert.equal(world.number().voiceUrl, second.voiceUrl(), 'the next launch takes the number back');
    assert.equal(world.number().voiceFallbackUrl, hosted, 'and keeps the hosted line as its fallback');
    const takes = await takesHome(second.core, call.callSid, 2);
    assert.deepEqual(
      takes.map((t) => ({ sid: t.recordingSid, take: t.takeNumber, source: t.source, status: t.status, seconds: t.durationSeconds })),
      [
        { sid: recordings[0]?.sid, take: 1, source: 'while-away', status: 'superseded', seconds: 3 },
        { sid: recordings[1]?.sid, take: 2, source: 'while-away', status: 'unconfirmed', seconds: 4 },
      ],
    );
    for (const take of takes) {
      const recording = recordings.find((r) => r.sid === take.recordingSid);
      assert.ok(recording && (await readFile(join(world.dataDir, take.download.localFile ?? ''))).equals(recording.wav), 'the verified copy is the recording');
    }
    assert.equal(second.core.calls.getCall(call.callSid)?.from, GUEST_NUMBER, 'the call is in the library, from the guest');
    // Exactly once: another pass finds nothing new, and there is one file per take.
    const twilio = second.core.twilio();
    assert.ok(twilio);
    assert.deepEqual(await twilio.reconciler.runOnce(), { adopted: 0, queued: 0 });
    assert.equal(second.core.calls.listTakes().length, 2);
    assert.deepEqual((await readdir(join(world.dataDir, 'recordings'))).sort(), recordings.map((r) => `${r.sid}.wav`).sort());
    // Live again: the laptop answers, and its calls are ordinary ones.
    const live = await world.call([speak(2), press('1')]);
    assert.ok(!world.emulator.runtimeRequests.some((r) => r.url.includes(live.callSid)));
    const liveTakes = await takesHome(second.core, live.callSid, 1);
    assert.equal(liveTakes[0]?.source, 'live');
    assert.equal(liveTakes[0]?.status, 'kept');
  });

  it('turning always-on off and quitting gives the number back exactly as the organiser had it', async () => {
    const first = await open(true);
    await first.quit();
    const second = await open();
    assert.equal(world.number().voiceFallbackUrl, second.core.alwaysOn.voiceUrl());
    assert.equal((await second.core.alwaysOn.setEnabled(false)).kind, 'off');
    assert.equal(world.number().voiceFallbackUrl, ORGANISER_FALLBACK, 'the fallback is the organiser’s again at once');
    assert.equal(second.core.alwaysOn.modeAfterQuit(), 'off');
    assert.deepEqual(second.core.alwaysOn.describeMode(false), { en: 'not answered', ja: '電話に出ません' });
    await second.quit();
    const number = world.number();
    assert.deepEqual({ voiceUrl: number.voiceUrl, fallback: number.voiceFallbackUrl, status: number.statusCallback }, { voiceUrl: '', fallback: ORGANISER_FALLBACK, status: '' });
    assert.equal(world.emulator.services.length, 1, 'turning it off removes nothing: uninstalling does');
  });

  it('still takes messages, without playback, if the service loses its credentials in the Console', async () => {
    const first = await open(true);
    const serviceSid = first.core.alwaysOn.installed()?.serviceSid ?? '';
    await first.quit();
    await createTwilioClient(CREDENTIALS, world.emulator.url).serverless.v1.services(serviceSid).update({ includeCredentials: false });
    const call = await world.call([speak(3), press('1')]);
    assert.deepEqual(heard(call), ['welcome', 'instructions', 'beep', 'recorded:3s', 'playbackIntro', 'play:take(404)', 'menu', 'keys:1', 'thanks', 'hangup:line']);
  });

  it('is off by default: a quit restores the number as before', async () => {
    const app = await open();
    assert.equal(app.core.alwaysOn.enabled(), false);
    assert.equal(app.core.alwaysOn.status().kind, 'off');
    assert.equal(world.number().voiceFallbackUrl, ORGANISER_FALLBACK);
    await app.quit();
    assert.equal(world.number().voiceUrl, '');
    assert.equal(world.emulator.services.length, 0, 'nothing was deployed');
  });
});
