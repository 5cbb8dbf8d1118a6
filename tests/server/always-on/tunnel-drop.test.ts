import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import { press, speak } from '../../support/script.ts';
import { eventually } from '../../support/twilio-harness.ts';
import { heard, launch, startWorld, takesHome, type App, type World } from './harness.ts';

describe('always on: the tunnel drops mid-event', () => {
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

  it('Twilio falls back to the hosted line for a new call, and the message comes home once the tunnel is back', async () => {
    const hosted = app.core.alwaysOn.voiceUrl();
    assert.ok(hosted);
    const laptop = app.voiceUrl();
    assert.equal(app.core.alwaysOn.mode(app.supervisor.status().ready), 'live');

    await app.tunnel.drop();
    assert.equal(app.supervisor.status().ready, false);
    assert.equal(app.core.alwaysOn.mode(app.supervisor.status().ready), 'hosted', 'the organiser sees the hosted line answering');
    assert.deepEqual(app.core.alwaysOn.describeMode(false), { en: 'always on, hosted by Twilio', ja: '常時受付（Twilio 上で受付中）' });

    const call = await world.call([speak(4), press('1')]);
    assert.deepEqual(heard(call), ['welcome', 'instructions', 'beep', 'recorded:4s', 'playbackIntro', 'play:take', 'menu', 'keys:1', 'thanks', 'hangup:line']);
    assert.equal(call.requests[0]?.url, laptop, 'Twilio tried the laptop first');
    assert.equal(call.requests[0]?.status, 0, 'and could not reach it');
    assert.equal(call.requests[1]?.url, hosted, 'then the fallback URL');
    assert.equal(call.requests[1]?.status, 200);
    const recording = world.emulator.recordings.find((r) => r.callSid === call.callSid);
    assert.ok(recording, 'Twilio holds the message');
    assert.equal(app.core.calls.getCall(call.callSid), null, 'the laptop never heard of the call');

    await app.tunnel.reconnect();
    await eventually(() => app.supervisor.status().ready, 5000, 'the line to be verified again');
    const [take] = await takesHome(app.core, call.callSid, 1);
    assert.ok(take);
    assert.deepEqual({ source: take.source, status: take.status, seconds: take.durationSeconds }, { source: 'while-away', status: 'unconfirmed', seconds: 4 });
    assert.ok((await readFile(join(world.dataDir, take.download.localFile ?? ''))).equals(recording.wav));
    assert.equal(app.core.alwaysOn.mode(app.supervisor.status().ready), 'live');
    assert.equal(app.core.calls.listTakes().length, 1, 'nothing doubled');
  });

  it('real-services: Fallback URL — a guest who recorded when the laptop dropped is thanked by the hosted line, not welcomed again; the take keeps its usual source', async () => {
    // The tunnel drops while the guest speaks: the call started on the laptop (known to it), so it is not "while away".
    const call = await world.call([{ on: 'record', reply: { kind: 'speak', audio: speechLike(3), end: 'key' }, before: () => app.tunnel.drop() }]);
    assert.ok(!call.events.some((e) => e.kind === 'application-error'), 'Twilio falls back mid-call too');
    assert.deepEqual(heard(call), ['welcome', 'instructions', 'beep', 'recorded:3s', 'thanks', 'hangup:line'], 'never sent back to the welcome');
    await app.tunnel.reconnect();
    const [take] = await takesHome(app.core, call.callSid, 1);
    assert.equal(take?.source, 'reconciled');
  });
});
