import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { createCore } from '../../../server/core.ts';
import { listen } from '../../../server/listen.ts';
import { memoryLog } from '../../../server/log.ts';
import { speechLike } from '../../../server/voice-sim/speech.ts';
import { LINE_NUMBER, AUTH_TOKEN } from '../../support/line-harness.ts';
import { press, speak } from '../../support/script.ts';
import { startSupervisedLine, type SupervisedLine } from '../../support/supervised-line.ts';
import { eventually } from '../../support/twilio-harness.ts';

describe('keeping the line up', () => {
  let line: SupervisedLine;
  afterEach(() => line.close());

  const voiceUrl = () => line.emulator.number(LINE_NUMBER)?.voiceUrl;
  const ready = () => line.supervisor.status().ready;

  it('opens the tunnel, wires the number, proves it, and only then says ready', async () => {
    line = await startSupervisedLine();
    const status = await line.supervisor.start();
    assert.equal(status.ready, true);
    assert.deepEqual(
      Object.fromEntries(Object.entries(status.stages).map(([name, s]) => [name, s.state])),
      { server: 'ok', tunnel: 'ok', number: 'ok', verified: 'ok' },
    );
    assert.equal(status.stages.number.detail, LINE_NUMBER);
    assert.equal(voiceUrl(), `${line.tunnel.url}/twilio/voice`);
    // Never "ready" before the probe came back through the tunnel.
    const firstReady = line.history.findIndex((s) => s.ready);
    assert.ok(line.history.slice(0, firstReady).every((s) => s.stages.verified.state !== 'ok'));
    assert.equal(line.history[firstReady - 1]?.stages.verified.state, 'working');
    const call = await line.call([speak(3), press('1')]);
    assert.ok(call.events.some((e) => e.kind === 'play' && e.status === 200));
  });

  it('does not record the probe as a call', async () => {
    line = await startSupervisedLine();
    await line.supervisor.start();
    assert.deepEqual(line.core.calls.listCalls(), []);
  });

  it('recovers a message recorded while the tunnel dropped, once it is back', async () => {
    line = await startSupervisedLine();
    await line.supervisor.start();
    // The tunnel drops while the guest is speaking: Twilio keeps the recording, but the action
    // and the recording callback can't reach us.
    const call = await line.call([{ on: 'record', reply: { kind: 'speak', audio: speechLike(4), end: 'key' }, before: () => line.tunnel.drop() }]);
    assert.ok(call.events.some((e) => e.kind === 'application-error'), 'Twilio could not reach the app');
    assert.equal(ready(), false);
    assert.equal(line.supervisor.status().stages.tunnel.state, 'failed');
    const recording = line.emulator.recordings.find((r) => r.callSid === call.callSid);
    assert.ok(recording);

    await line.tunnel.reconnect();
    await eventually(() => ready(), 5000, 'the line to be verified again');
    const take = await eventually(() => {
      const t = line.core.calls.getTake(recording.sid);
      return t?.download.downloadedAt ? t : null;
    }, 10_000, 'the message to come home');
    assert.ok((await readFile(join(line.dataDir, take.download.localFile ?? ''))).equals(recording.wav));
    assert.ok(line.history.some((s) => s.stages.tunnel.problem?.code === 'tunnel-down'), 'the drop was shown');
  });

  it('rewires the number and verifies again when the tunnel comes back on a new URL', async () => {
    line = await startSupervisedLine();
    await line.supervisor.start();
    const before = voiceUrl();
    await line.tunnel.drop();
    const url = await line.tunnel.reconnect({ newUrl: true });
    await eventually(() => ready() && voiceUrl() === `${url}/twilio/voice`, 5000, 'the number to be rewired');
    assert.notEqual(before, voiceUrl());
    assert.equal(line.core.publicUrl(), url);
    // Signatures now check out against the new URL: a real call works.
    const call = await line.call([speak(2), press('1')]);
    assert.ok(call.events.some((e) => e.kind === 'say'));
    assert.ok(!call.events.some((e) => e.kind === 'application-error'));
  });

  it('never says ready when the tunnel answers with something that is not this app', async () => {
    line = await startSupervisedLine();
    line.tunnel.misroute({ kind: 'respond', status: 200, body: '<html>Welcome to the hotel Wi-Fi</html>' });
    const status = await line.supervisor.start();
    assert.equal(status.ready, false);
    assert.equal(status.stages.verified.problem?.code, 'line-wrong-destination');
    assert.match(status.stages.verified.problem?.ja ?? '', /転送/);
  });

  it('never says ready when the tunnel forwards to another Shukuden', async () => {
    line = await startSupervisedLine();
    // Same auth token, same code: only the nonce tells them apart.
    const other = createCore({ dataDir: join(line.dataDir, 'other'), authToken: AUTH_TOKEN, log: memoryLog() });
    const otherServer = await listen(other.httpApp, { port: 0, host: '127.0.0.1' });
    try {
      line.tunnel.misroute({ kind: 'elsewhere', target: otherServer.url });
      const status = await line.supervisor.start();
      assert.equal(status.ready, false);
      assert.equal(status.stages.verified.state, 'failed');
    } finally {
      await otherServer.close();
      other.close();
    }
  });

  it('skips the number when there is no Twilio account, and still verifies', async () => {
    line = await startSupervisedLine({ withTwilio: false });
    const status = await line.supervisor.start();
    assert.equal(status.stages.number.state, 'skipped');
    assert.equal(status.ready, true);
  });
});
