import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PATHS } from '../../../server/call-flow/paths.ts';
import { CallStore } from '../../../server/store/call-store.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { ACCOUNT_SID, AUTH_TOKEN, signedPost, voiceParams } from '../../support/line-harness.ts';
import { freePort, spawnServe, type ServeProcess } from '../../support/spawn-serve.ts';
import { sid } from '../../support/twilio-harness.ts';

/**
 * A call's steps are committed on the step writer's thread (store/step-writer.ts), and Twilio is
 * answered only once a step is committed: whatever a guest heard confirmed is in the data folder
 * even if the process is killed (SIGKILL: no shutdown, no flush) the moment after the answer.
 */
describe('a guest\'s steps after the line is killed', () => {
  let dataDir: string;
  let serve: ServeProcess;
  let base: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shukuden-kill-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    serve = spawnServe(['--data-dir', dataDir, '--port', String(port), '--public-url', base], { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    await serve.line('Voice webhook:');
  });

  after(async () => {
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    await serve.exited();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every step answered before a kill: the call, its message and the guest\'s 1', async () => {
    const post = async (path: string, params: Record<string, string>) => {
      const response = await signedPost(`${base}${path}`, params);
      const body = await response.text();
      assert.equal(response.status, 200, `${path}: ${body}`);
      return body;
    };
    // A few calls, so later steps meet the step writer's thread open (the first may be written before it is).
    const calls = Array.from({ length: 3 }, () => ({ callSid: sid('CA'), recordingSid: sid('RE') }));
    for (const { callSid, recordingSid } of calls) {
      const call = voiceParams(callSid);
      await post(PATHS.voice, call);
      const recorded = await post(PATHS.recorded, {
        ...call, CallStatus: 'in-progress', RecordingSid: recordingSid, RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}`, RecordingDuration: '6', Digits: '#',
      });
      assert.match(recorded, /<Play>/);
      // The guest presses 1 and hears that the message is kept (the name step's prompt follows).
      await post(`${PATHS.menu}?take=${recordingSid}`, { ...call, CallStatus: 'in-progress', Digits: '1' });
    }
    serve.child.kill('SIGKILL');
    await serve.exited();

    const store = new CallStore(openDatabase(dataDir));
    for (const { callSid, recordingSid } of calls) {
      assert.equal(store.getCall(callSid)?.step, 'name', callSid);
      assert.deepEqual(store.listTakes(callSid).map((t) => ({ sid: t.recordingSid, status: t.status, seconds: t.durationSeconds })), [{ sid: recordingSid, status: 'kept', seconds: 6 }]);
    }
  });
});
