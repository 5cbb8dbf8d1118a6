import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import type { IncomingCall } from '../../server/call-flow/flow.ts';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { ACCOUNT_SID, GUEST_NUMBER, LINE_NUMBER, startLine, type LineHarness } from '../support/line-harness.ts';

/**
 * A call's steps are stored off the event loop (store/step-writer.ts), so a webhook's write is
 * still in flight while the next request is read. Twilio sends a recording's status callback on
 * its own, and the reconciler may file a recording it found at Twilio at any moment: neither may
 * lose or duplicate a message, or report the database as failing.
 */
describe('steps of one call arriving while the last one is being stored', () => {
  let line: LineHarness;
  before(async () => {
    line = await startLine();
    // The step writer's thread has opened the database: steps are stored there from now on.
    await line.core.stepWriter.status();
  });
  after(() => line.close());

  let n = 0;
  const newCall = (): IncomingCall => ({ callSid: `CA${String(++n).padStart(32, '0')}`, accountSid: ACCOUNT_SID, from: GUEST_NUMBER, to: LINE_NUMBER });
  const recording = (call: IncomingCall) => {
    const recordingSid = `RE${call.callSid.slice(2)}`;
    return { recordingSid, callSid: call.callSid, recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}`, durationSeconds: 4 };
  };

  it("stores the recording's status sent while its take was still being stored: one take, ready, the guest hears it", async () => {
    const runner = line.core.callRunner;
    const call = newCall();
    await runner.answer(call);
    const rec = recording(call);
    // Both in flight at once, as Twilio may send them.
    const [twiml] = await Promise.all([
      runner.continue(call, { kind: 'recorded', recordingSid: rec.recordingSid, recordingUrl: rec.recordingUrl, durationSeconds: 4, callEnded: false }),
      // The callback's duration is the recording's own (5 s): it replaces the action's.
      runner.recordingStatus({ ...rec, durationSeconds: 5 }, 'completed'),
    ]);
    assert.match(twiml, /<Play>[^<]*takes\/RE/, twiml);
    const takes = line.core.calls.listTakes(call.callSid);
    assert.deepEqual(takes.map((t) => ({ sid: t.recordingSid, status: t.status, seconds: t.durationSeconds })), [{ sid: rec.recordingSid, status: 'pending', seconds: 5 }]);
    assert.deepEqual(line.core.storage.list(), []);
  });

  it('ends the call after the step Twilio sent just before saying it was over: the take left in review is kept as unconfirmed', async () => {
    const runner = line.core.callRunner;
    const call = newCall();
    await runner.answer(call);
    const rec = recording(call);
    // The guest hangs up as the recording ends: the action and the call-status callback arrive together.
    await Promise.all([
      runner.continue(call, { kind: 'recorded', recordingSid: rec.recordingSid, recordingUrl: rec.recordingUrl, durationSeconds: 4, callEnded: false }),
      runner.callEnded(call),
    ]);
    assert.notEqual(line.core.calls.getCall(call.callSid)?.endedAt ?? null, null);
    assert.deepEqual(line.core.calls.listTakes(call.callSid).map((t) => ({ sid: t.recordingSid, status: t.status })), [{ sid: rec.recordingSid, status: 'unconfirmed' }]);
  });

  it('stores the guest\'s step once when the reconciler filed the same recording just before it was written', async () => {
    const runner = line.core.callRunner;
    const call = newCall();
    await runner.answer(call);
    const rec = recording(call);
    // Another writer holds the database (the reconciler, filing what it found at Twilio) ...
    const other = new DatabaseSync(join(line.dataDir, DATABASE_FILE));
    try {
      other.exec('PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE');
      // ... while the guest's step is worked out and handed to the step writer, which waits for the lock.
      const step = runner.continue(call, { kind: 'recorded', recordingSid: rec.recordingSid, recordingUrl: rec.recordingUrl, durationSeconds: 4, callEnded: false });
      const now = new Date().toISOString();
      other
        .prepare("INSERT INTO takes (recording_sid, call_sid, take_number, recording_url, duration_seconds, status, created_at, updated_at, media_ready_at, source) VALUES (?, ?, 1, ?, 4, 'unconfirmed', ?, ?, ?, 'reconciled')")
        .run(rec.recordingSid, call.callSid, rec.recordingUrl, now, now, now);
      other.exec('COMMIT');
      const twiml = await step;
      assert.match(twiml, /<Play>[^<]*takes\/RE/, twiml);
    } finally {
      other.close();
    }
    const takes = line.core.calls.listTakes(call.callSid);
    // The guest's step decides: the take waits for the menu (pending), as if the action had come first.
    assert.deepEqual(takes.map((t) => ({ sid: t.recordingSid, status: t.status, source: t.source })), [{ sid: rec.recordingSid, status: 'pending', source: 'reconciled' }]);
    assert.equal(line.core.calls.getCall(call.callSid)?.step, 'listening');
    assert.deepEqual(line.core.storage.list(), []);
  });
});
