import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCore } from '../../../server/core.ts';
import { AudioWorker } from '../../../server/library/audio-worker-client.ts';
import { listen } from '../../../server/listen.ts';
import { memoryLog } from '../../../server/log.ts';
import { newSid } from '../../../server/twilio/sids.ts';
import { addDownloadedTake, messageWav } from '../../support/library-fixture.ts';
import { AUTH_TOKEN, signedPost, voiceParams } from '../../support/line-harness.ts';

const BUILT_WORKER = new URL('../../../out/main/audio-worker.js', import.meta.url);

test('the desktop build carries the audio worker as its own entry, and it measures like the source', async () => {
  assert.ok(existsSync(BUILT_WORKER), 'out/main/audio-worker.js (npm test builds it first)');
  const dir = await mkdtemp(join(tmpdir(), 'shukuden-worker-'));
  const file = join(dir, 'message.wav');
  await writeFile(file, messageWav(2));
  const built = new AudioWorker(BUILT_WORKER);
  const source = new AudioWorker();
  try {
    const [a, b] = await Promise.all([built.run({ kind: 'arrival', file }), source.run({ kind: 'arrival', file })]);
    assert.deepEqual(a.health, b.health);
    assert.ok(a.health.integratedLufs !== null && a.health.integratedLufs < -10);
    await assert.rejects(built.run({ kind: 'waveform', file: join(dir, 'missing.wav') }), /ENOENT/);
    // A failed task leaves the worker serving the next one.
    assert.equal((await built.run({ kind: 'waveform', file })).peaksPerSecond, 100);
  } finally {
    await Promise.all([built.close(), source.close()]);
    await rm(dir, { recursive: true, force: true });
  }
});

test('the line answers while the audio worker is busy with arriving messages', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-busy-'));
  const core = createCore({ dataDir, authToken: AUTH_TOKEN, publicUrl: 'http://placeholder.invalid', log: memoryLog(), audioWorker: new URL('../../support/busy-audio-worker.ts', import.meta.url) });
  const listening = await listen(core.httpApp, { port: 0, host: '127.0.0.1' });
  core.setPublicUrl(listening.url);
  try {
    // Messages arrive; their health checks go to the worker, which never finishes them.
    for (let i = 0; i < 3; i++) addDownloadedTake(core, { from: `+8190000000${i}`, wav: messageWav(1) });
    for (let i = 0; i < 3; i++) {
      const response = await signedPost(`${listening.url}/twilio/voice`, voiceParams(newSid('CA')));
      assert.equal(response.status, 200);
      assert.match(await response.text(), /<Record /);
    }
    assert.equal(core.libraryStore.needingHealthCheck().length, 3, 'the checks are still under way');
  } finally {
    await listening.close();
    core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

